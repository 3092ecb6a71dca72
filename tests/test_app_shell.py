from pathlib import Path

from streamlit.testing.v1 import AppTest

from market_oversight import store
from market_oversight.paths import PROJECT_ROOT


def test_overview_lists_locations_from_the_published_copy(db_path: Path, monkeypatch) -> None:
    with store.warehouse(db_path) as con:
        con.execute("insert into cqc_locations (location_id, provider_id, location_name, service_kind, "
                    "local_authority, registration_status, snapshot_date, batch_id) values "
                    "('1-1', 'p1', 'Rose House', 'care_home', 'Oldham', 'Registered', date '2025-03-01', 'b')")
    monkeypatch.setenv("MARKET_OVERSIGHT_DB", str(db_path))
    monkeypatch.setenv("MARKET_OVERSIGHT_DEMO", "1")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Market overview"
    assert at.metric[0].value == "1"
    assert "Rose House" in at.dataframe[0].value["location_name"].to_list()
    assert any("Care Quality Commission" in c.value for c in at.caption)
