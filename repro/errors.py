"""Domain exceptions. Only the CLI edge turns them into a one-line message and exit code 2."""

from __future__ import annotations


class ReproError(Exception):
    """An input problem a person can act on: says what is wrong and where.

    ``where`` is rendered as ``file:row:column`` with the parts that are known.
    """

    def __init__(self, message: str, file: str | None = None, row: int | None = None,
                 column: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column

    def where(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def one_line(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        return " ".join(text.split())
