import os

import pytest

os.environ.setdefault("REPRO_NO_CACHE", "1")
os.environ["COLUMNS"] = "200"
os.environ["TERMINAL_WIDTH"] = "200"
os.environ["NO_COLOR"] = "1"

# Fixtures that render the whole report, build every artefact or draw every figure from a cold
# verification: a test that uses one is slow.
SLOW_FIXTURES = {"report_dir", "page_texts", "built", "drawn"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark as slow (see setup.cfg) every hypothesis test (≥ 1000 cases each) and every test that
    renders the report or builds the artefacts; other slow tests carry ``@pytest.mark.slow``.

    ``pytest -m "not slow"`` is the quick loop; ``python -m pytest`` (and ``.ci/run``) runs everything.
    """
    for item in items:
        fn = getattr(item, "obj", None)
        if hasattr(fn, "hypothesis") or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
