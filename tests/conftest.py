import os

os.environ.setdefault("REPRO_NO_CACHE", "1")
os.environ["COLUMNS"] = "200"
os.environ["TERMINAL_WIDTH"] = "200"
os.environ["NO_COLOR"] = "1"
