import xml.etree.ElementTree as ET

from repro import datasets as ds
from repro.catalog import LANGUAGES, label
from repro.edition import ladder_figure
from repro.ladder import construct_ladder, verify_ladder


def test_construction_covers_the_transcription():
    built = construct_ladder()
    published = ds.p000_table1()
    assert sorted(r["level"] for r in built) == sorted(r["level"] for r in published)
    assert [r["form"] for r in built] == [r["form"] for r in published]


def test_findings_rest_on_the_data():
    v = verify_ladder()
    kinds = {f.kind for f in v.findings}
    assert {"reordered", "renamed", "form_moved_from_source", "prose_places_lower"} <= kinds
    reordered = next(f for f in v.findings if f.kind == "reordered")
    rows = [r["level"] for r in ds.p000_table1()]
    assert rows.index(reordered.params["first"]) < rows.index(reordered.params["second"])
    assert int(reordered.params["rung_first"]) > int(reordered.params["rung_second"])
    bad = [c for c in v.cells if c.status == "inconsistent"]
    assert {c.published for c in bad} == {"Делегирование", "Партнерство"}


def test_svg_is_well_formed_with_every_rung_in_each_language():
    rows = [{"form": r["form"], "level": r["level"], "added_by": ""} for r in ds.p000_table1()]
    for lang in LANGUAGES:
        svg = ladder_figure(lang)
        root = ET.fromstring(svg)
        texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        for r in rows:
            assert label("level." + r["level"], lang) in texts
        assert len(root.findall(".//{http://www.w3.org/2000/svg}rect[@class='rung']")) == len(rows)
