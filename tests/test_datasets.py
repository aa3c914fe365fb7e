import os

from repro import datasets as ds
from repro.paths import datasets_dir
from seedtexts import seed  # the papers' lines these tests need, committed and checked (tests/test_seeds.py)


def test_datapackage_is_valid():
    from frictionless import Package

    cwd = os.getcwd()
    os.chdir(datasets_dir())
    try:
        from frictionless import validate

        report = validate("datapackage.json")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    finally:
        os.chdir(cwd)
    package = Package(str(datasets_dir() / "datapackage.json"))
    listed = {r.path for r in package.resources}
    on_disk = {p.name for p in datasets_dir().glob("*.csv")}
    assert listed == on_disk


def test_every_number_of_tables_2_to_4_stands_in_the_seed():
    text = seed("004")
    for row in ds.table2():
        for printed in row.cells.values():
            assert printed.text in text, printed.text
    for row in ds.table3():
        line = " ".join(p.text for p in row.ranks + (row.W, row.p))
        assert line in text, line
    for cell in ds.table4():
        assert cell.W.text in text and cell.p.text in text


def test_table2_rows_of_printed_values_in_order():
    text = seed("004")
    for row in ds.table2():
        line = " ".join(row.cells[c].text for c in list(ds.TABLE2_BLOCKS) + [ds.TABLE2_TOTAL])
        assert line in text, line


def test_prose_quotes_stand_in_the_seeds():
    for fig in ds.prose_figures().values():
        text = seed(fig["paper"])
        joined = text.replace("- ", "").replace("-", "")
        quote = fig["quote"].replace("-", "")
        assert fig["quote"] in text or quote in joined, fig["id"]


def test_table1_of_paper000_levels_stand_in_the_seed():
    text = seed("000")
    for rec in ds.p000_table1():
        assert rec["level"] in text
        assert rec["kz_experience"].split(",")[0] in text


def test_oddities_are_really_in_the_data():
    t2 = {r.row: r for r in ds.table2()}
    for odd in ds.oddities():
        if odd["table"] == "B2" and odd["kind"] == "stray_space":
            assert t2[int(odd["row"])].cells[odd["column"]].text == odd["printed"]
            assert "stray_space" in t2[int(odd["row"])].cells[odd["column"]].oddities
    assert all(r.label == "" for r in ds.table2())
