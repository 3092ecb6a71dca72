"""The commands (`ingest returns|fees|benchmarks`, `quarantine export`) and the returns calendar."""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from datetime import date, datetime, time


from market_oversight.cli import main
from market_oversight.ingest.batch import LoadResult
from market_oversight.config import settings_from
from market_oversight.ingest.tabular import IngestOptions, ingest_file
from market_oversight.paths import sql_dir

from tests.conftest import query

from .conftest import CARE_HOME, FEE_RATE, HOME_CARE, care_home_row, write_csv

HEADER = list(CARE_HOME)


def test_ingest_json_has_the_cqc_import_keys_and_adds_up(db, tmp_path, capsys):
    path = write_csv(tmp_path / "ch.csv", HEADER, [care_home_row(), care_home_row(location_id="1-102", occupied_beds="99")])
    code = main(["ingest", "returns", str(path), "--db", str(db), "--json", "--judge", "sql"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) == {f.name for f in fields(LoadResult)}
    assert out["rows_read"] == out["rows_loaded"] + out["rows_quarantined"] == 2
    assert (out["status"], out["rows_quarantined"]) == ("loaded", 1)
    assert query(db, "select rows_read, rows_loaded, rows_quarantined from ingest_batches where batch_id = $b",
                  {"b": out["batch_id"]}) == [(2, 1, 1)]


def test_ingest_of_an_unrecognised_file_exits_non_zero_naming_the_file(db, tmp_path, capsys):
    path = write_csv(tmp_path / "notes.csv", ["Colour", "Shape"], [["red", "round"]])
    code = main(["ingest", "fees", str(path), "--db", str(db), "--judge", "sql"])
    err = capsys.readouterr().err
    assert code == 2 and str(path) in err and "'Colour'" in err


def test_a_file_whose_every_row_is_quarantined_is_rejected(db, tmp_path, capsys):
    path = write_csv(tmp_path / "ch.csv", HEADER, [care_home_row(location_id="1-999")])
    code = main(["ingest", "returns", str(path), "--db", str(db), "--judge", "sql"])
    out = capsys.readouterr().out
    assert code == 1 and "rejected" in out and "1 quarantined" in out


def test_config_sets_the_due_day_and_a_bad_judge_is_refused(db, tmp_path, capsys):
    cfg = tmp_path / "council.toml"
    cfg.write_text("[returns]\ndue_day_of_following_month = 20\n", encoding="utf-8")
    path = write_csv(tmp_path / "ch.csv", HEADER, [care_home_row()])
    assert main(["ingest", "returns", str(path), "--db", str(db), "--judge", "sql", "--config", str(cfg)]) == 0
    assert query(db, "select due_day_of_following_month from returns_calendar") == [(20,)]
    cfg.write_text("[contracts]\njudge = 'whoever'\n", encoding="utf-8")
    code = main(["ingest", "returns", str(path), "--db", str(db), "--config", str(cfg)])
    assert code == 2 and "judge" in capsys.readouterr().err


def test_quarantine_export_per_provider(db, tmp_path, capsys):
    # given quarantined rows of two providers' locations
    write = lambda name, header, rows: write_csv(tmp_path / name, header, rows)  # noqa: E731
    ingest_file(db, "returns", write("ch.csv", HEADER, [care_home_row(), care_home_row(location_id="1-102", beds="n/a")]),
                options=IngestOptions.from_settings(settings_from(None), judge="sql"))
    hc_header = list(HOME_CARE)
    ingest_file(db, "returns", write("hc.csv", hc_header, [[HOME_CARE[h] if h != "complaints" else "-1"
                                                            for h in hc_header]]),
                options=IngestOptions.from_settings(settings_from(None), judge="sql"))
    # when provider P-1's rows are exported
    out = tmp_path / "P-1.csv"
    assert main(["quarantine", "export", "--provider", "P-1", "--out", str(out), "--db", str(db)]) == 0
    assert "1 quarantined rows" in capsys.readouterr().out
    # then the file holds only P-1's bad row, where it came from, why, and the row as sent
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 1
    assert rows[0]["location_id"] == "1-102" and rows[0]["row_number"] == "2"
    assert rows[0]["source"] == str(tmp_path / "ch.csv")
    assert "beds.type" in rows[0]["rules"] and "'n/a'" in rows[0]["problems"]
    assert rows[0]["beds"] == "n/a" and rows[0]["hours_paid"] == "5,200.5"
    xlsx = tmp_path / "P-2.xlsx"
    assert main(["quarantine", "export", "--provider", "P-2", "--out", str(xlsx), "--db", str(db)]) == 0
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    assert len(sheet) == 2 and "complaints.min" in sheet[1]


def test_quarantine_export_makes_typed_formulas_safe(db, tmp_path):
    # given a quarantined row whose cells were typed as formulas
    path = write_csv(tmp_path / "ch.csv", HEADER, [care_home_row(location_id="1-102", beds="=1+1")])
    ingest_file(db, "returns", path, options=IngestOptions.from_settings(settings_from(None), judge="sql"))
    # when it is exported to send back, as CSV and as XLSX
    out, xlsx = tmp_path / "P-1.csv", tmp_path / "P-1.xlsx"
    assert main(["quarantine", "export", "--provider", "P-1", "--out", str(out), "--db", str(db)]) == 0
    assert main(["quarantine", "export", "--provider", "P-1", "--out", str(xlsx), "--db", str(db)]) == 0
    # then the cell reads as text, never as a formula a spreadsheet would run
    assert list(csv.DictReader(out.open(encoding="utf-8")))[0]["beds"] == "'=1+1"
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("beds") + 1)
    assert cell.value == "'=1+1" and cell.data_type == "s"


# (distinct once normalised: a header named twice, as "@x" and "-x" would be, refuses the file)
HOSTILE_HEADERS = ['=HYPERLINK("http://127.0.0.1:9/x","click")', "+cmd", "@x", "-minus", " =1+1", "\tpad",
                   "\uff1dSUM(A1)", "\uff20fullwidth"]


def test_quarantine_export_makes_a_providers_own_column_headers_safe_too(db, tmp_path):
    # given a quarantined row of a file whose extra column headers were typed as formulas
    path = write_csv(tmp_path / "ch.csv", [*HEADER, *HOSTILE_HEADERS],
                     [[*care_home_row(location_id="1-102", beds="n/a"), *("v" for _ in HOSTILE_HEADERS)]])
    ingest_file(db, "returns", path, options=IngestOptions.from_settings(settings_from(None), judge="sql"))
    # when it is exported to send back, as CSV and as XLSX
    out, xlsx = tmp_path / "P-1.csv", tmp_path / "P-1.xlsx"
    assert main(["quarantine", "export", "--provider", "P-1", "--out", str(out), "--db", str(db)]) == 0
    assert main(["quarantine", "export", "--provider", "P-1", "--out", str(xlsx), "--db", str(db)]) == 0
    # then every header reads as text, with its apostrophe, and the sheet holds no formula at all
    header = next(csv.reader(out.open(encoding="utf-8", newline="")))
    assert ["'" + h for h in HOSTILE_HEADERS] == [h for h in header if h.lstrip("'") in HOSTILE_HEADERS]
    import zipfile

    from openpyxl import load_workbook

    sheet_xml = zipfile.ZipFile(xlsx).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    row1 = [c.value for c in load_workbook(xlsx).active[1]]
    assert ["'" + h for h in HOSTILE_HEADERS] == [h for h in row1 if h.lstrip("'") in HOSTILE_HEADERS]


def _month(d: date, back: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - back, 12)
    return date(y, m + 1, 1)


def _on(d: date, day: int, hour: int = 17) -> str:
    return datetime.combine(d.replace(day=day), time(hour)).strftime("%d/%m/%Y %H:%M")


def test_expected_returns_on_time_late_missing_and_the_due_day_setting(db, tmp_path):
    # given two care homes and returns for the last three months from one of them:
    # on the due day (on time) and the day after it (late)
    today = date.today()
    p3, p2, p1 = (_month(today, k) for k in (3, 2, 1))
    due_day = settings_from(None).returns.due_day_of_following_month   # defaults.toml's
    rows = [care_home_row(period=p3.strftime("%Y-%m"), submitted_at=_on(_month(today, 2), due_day)),
            care_home_row(period=p2.strftime("%Y-%m"), submitted_at=_on(_month(today, 1), due_day + 1))]
    opts = IngestOptions.from_settings(settings_from(None), judge="sql", today=today)
    ingest_file(db, "returns", write_csv(tmp_path / "a.csv", HEADER, rows), options=opts)
    got = {(loc, p): (status, due) for loc, p, status, due in query(
        db, "select location_id, period, status, due_date from mart.expected_returns "
            "where service_kind = 'care_home'")}
    # then (returns are owed from the first month collected, up to last month)
    assert got[("1-101", p3)] == ("on_time", _month(today, 2).replace(day=due_day))
    assert got[("1-101", p2)][0] == "late"
    assert got[("1-102", p3)][0] == got[("1-102", p2)][0] == "missing"
    due_p1 = _month(today, 0).replace(day=due_day)
    assert got[("1-101", p1)][0] == ("missing" if due_p1 < today else "not_yet_due")
    assert ("1-101", _month(today, 4)) not in got and ("1-101", today.replace(day=1)) not in got
    # and with the due day set to the 20th, the return a day after the default due day is on time
    later = IngestOptions.from_settings(settings_from(None), judge="sql", today=today, due_day=20)
    ingest_file(db, "returns", write_csv(tmp_path / "b.csv", HEADER, [care_home_row(location_id="1-102",
                period=p3.strftime("%Y-%m"), submitted_at=_on(_month(today, 2), 21))]), options=later)
    got = {(loc, p): status for loc, p, status in query(
        db, "select location_id, period, status from mart.expected_returns where service_kind = 'care_home'")}
    assert got[("1-101", p2)] == "on_time" and got[("1-102", p3)] == "late"


def test_the_due_date_rule_has_one_definition():
    macro_users = [p for p in (sql_dir() / "marts" / "expected_returns.sql",
                               sql_dir() / "indicators" / "late_missing_returns.sql")
                   if "return_due_date(" in p.read_text(encoding="utf-8")]
    assert len(macro_users) == 2
    assert "interval 1 month" not in (sql_dir() / "indicators" / "late_missing_returns.sql").read_text(
        encoding="utf-8").split("due as (")[1].split(")")[0]


def test_fee_rates_and_benchmarks_marts(db, tmp_path):
    header = list(FEE_RATE)
    ingest_file(db, "fees", write_csv(tmp_path / "f.csv", header, [list(FEE_RATE.values())]),
                options=IngestOptions.from_settings(settings_from(None), judge="sql"))
    assert query(db, "select location_id, provider_id, amount, unit from mart.fee_rates") == [
        ("1-101", "P-1", 812.5, "week")]
    # the Homecare Association's published minimum is there from the first open
    assert query(db, "select financial_year, amount from mart.benchmarks "
                      "where benchmark = 'homecare_association_minimum' order by 1") == [
        ("2024/25", 28.53), ("2025/26", 32.14)]


def test_returns_marts_are_documented_column_by_column(db):
    import yaml

    for name in ("care_home_returns", "home_care_returns", "fee_rates", "benchmarks", "expected_returns",
                 "ingest_batches", "quarantine"):
        doc = yaml.safe_load((sql_dir() / "marts" / f"{name}.yml").read_text(encoding="utf-8"))
        columns = [c for (c,) in query(db, "select column_name from information_schema.columns "
                                            "where table_schema = 'mart' and table_name = $n "
                                            "order by ordinal_position", {"n": name})]
        assert doc["name"] == name and doc["grain"] and doc["description"]
        assert columns == list(doc["columns"]), name
        assert all(str(text).strip() for text in doc["columns"].values())


def test_docs_list_every_accepted_header_and_command():
    from market_oversight.contracts import all_contracts
    from market_oversight.paths import PROJECT_ROOT

    doc = (PROJECT_ROOT / "docs" / "returns.md").read_text(encoding="utf-8")
    for c in all_contracts():
        for col in c.columns.values():
            for header in (col.name, *col.headers):
                assert f"`{header}`" in doc, f"{c.dataset}.{col.name}: header {header} not in docs/returns.md"
    for command in ("ingest returns", "ingest fees", "ingest benchmarks", "quarantine export"):
        assert command in doc
