"""Uploads go through the real ingest command in its own process, then into the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest

from market_oversight import audit, roles, store, upload_ingest, uploads
from market_oversight.config import load_settings
from market_oversight.errors import PermissionDenied, UploadError

OFFICER = roles.User("data@kingsmere.example", "Data officer", roles.Role.DATA_OFFICER)
VIEWER = roles.User("viewer@kingsmere.example", "Viewer", roles.Role.VIEWER)


def _receive(db: Path, name: str, data: bytes) -> Path:
    return uploads.receive_upload(db, OFFICER, name, data, uploads.UploadLimits.from_settings(load_settings()))


def test_a_cqc_file_uploaded_is_loaded_by_the_ingest_command_and_audited(db_path: Path, realdata: Path) -> None:
    source = realdata / "cqc_asc_locations_with_subratings_2025-08_head.csv"
    saved = _receive(db_path, source.name, source.read_bytes())
    seen: list[float] = []
    result = upload_ingest.run_ingest(db_path, OFFICER, "cqc", saved, on_progress=lambda s, _: seen.append(s),
                                      file_name=source.name)
    assert result.status == "loaded" and result.rows_loaded == result.rows_read > 0
    assert seen[-1] == 1.0
    with store.warehouse(store.current_serving_copy(db_path), read_only=True) as con:
        assert con.execute("select count(*) from mart.ingest_batches where batch_id = $b",
                           {"b": result.batch_id}).fetchone()[0] == 1
    logged = [(r[2], r[3], r[4]) for r in audit.recent(db_path)]
    assert (OFFICER.email, upload_ingest.UPLOAD_LOADED, result.batch_id) in logged
    assert audit.verify_chain(db_path).intact


def test_a_file_the_ingest_refuses_names_the_file_as_uploaded_and_stores_nothing(db_path: Path) -> None:
    saved = _receive(db_path, "register.csv", b"name,town\nRose House,Oldham\n")
    with pytest.raises(UploadError) as caught:
        upload_ingest.run_ingest(db_path, OFFICER, "cqc", saved, file_name="register.csv")
    message = str(caught.value)
    assert message.startswith("register.csv was not loaded:") and "Location ID" in message
    assert str(saved) not in message
    assert "upload it again" in message


def test_a_viewer_cannot_load_a_file(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    with pytest.raises(PermissionDenied):
        upload_ingest.run_ingest(db_path, VIEWER, "cqc", path)
