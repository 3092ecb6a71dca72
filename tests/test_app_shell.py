from pathlib import Path

from streamlit.testing.v1 import AppTest

from market_oversight import store
from market_oversight.paths import PROJECT_ROOT
from tests.conftest import signed_in


def test_overview_counts_locations_from_the_published_copy(db_path: Path, monkeypatch) -> None:
    # Given a warehouse with one registered care home, published as a serving copy
    with store.warehouse(db_path) as con:
        con.execute("insert into cqc_locations (location_id, provider_id, location_name, service_kind, "
                    "local_authority, registration_status, snapshot_date, batch_id) values "
                    "('1-1', 'p1', 'Rose House', 'care_home', 'Oldham', 'Registered', date '2025-03-01', 'b')")
    monkeypatch.setenv("MARKET_OVERSIGHT_DB", str(db_path))
    monkeypatch.delenv("MARKET_OVERSIGHT_DEMO", raising=False)
    # When the app opens on its default page
    at = signed_in(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30)).run()
    # Then the overview counts it, with the CQC attribution and its date, and no demo banner
    assert not at.exception and not at.error
    assert at.title[0].value == "How is the care market doing?"
    assert next(m for m in at.metric if m.label == "Active locations").value == "1"
    assert any("Care Quality Commission, data as of 1 March 2025" in c.value for c in at.caption)
    assert not any("Demo data" in i.value for i in at.info)
