"""Long searches report progress through repro.progress; the command line draws it only on a terminal."""

import numpy as np

from repro.printed import parse_printed
from repro.progress import advance, listening
from repro.reconstruct import reconstruct_row


def test_reconstruction_reports_every_m_and_finishes():
    seen = []
    row = tuple(parse_printed(x) for x in ("1,67", "2,00", "2,33"))
    with listening(lambda key, params, done, total: seen.append((key, done, total))):
        reconstruct_row(row, parse_printed("0,111"), parse_printed("0,717"), m_values=range(2, 8))
    assert [d for _, d, _ in seen] == [0, 1, 2, 3, 4, 5, 6]
    assert seen[-1] == ("progress.reconstruct", 6, 6)


def test_monte_carlo_reports_batches():
    from repro.kendall import monte_carlo_p

    seen = []
    with listening(lambda key, params, done, total: seen.append(done)):
        monte_carlo_p(np.array([[1, 2, 3], [1, 3, 2.0]]), 250, seed=1, batch=100)
    assert seen == [100, 200, 250]


def test_nothing_listens_by_default():
    import contextvars

    from repro import progress

    assert contextvars.Context().run(progress._listener.get) is None  # a fresh context has no listener
    seen = []
    with listening(lambda key, params, done, total: seen.append((key, done, total))):
        advance("progress.tables", 1, 3)
        contextvars.Context().run(advance, "progress.tables", 2, 3)  # a fresh context: nobody listens
    advance("progress.tables", 3, 3)  # the block has ended: a no-op, never an error
    assert seen == [("progress.tables", 1, 3)]


def test_no_bar_when_stderr_is_not_a_terminal(capsys):
    from commands._common import progress_bar

    with progress_bar("en", delay=0.0):
        advance("progress.tables", 0, 2)
        advance("progress.tables", 2, 2)
    assert capsys.readouterr().err == ""
