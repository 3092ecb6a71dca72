from pathlib import Path

import duckdb
import pytest

from market_oversight import store
from market_oversight.errors import WarehouseError, WarehouseTooNew


def test_new_warehouse_gets_every_migration_and_the_marts(db_path: Path) -> None:
    with store.warehouse(db_path) as con:
        assert store.applied_versions(con) == {v for v, _, _ in store.migrations()}
        views = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'mart'").fetchall()}
    assert {"locations", "ratings", "ingest_batches", "quarantine"} <= views


def test_older_file_is_upgraded_and_keeps_its_rows(db_path: Path) -> None:
    first, *_ = store.migrations()
    con = duckdb.connect(str(db_path))
    con.execute("create schema meta")
    con.execute("create table meta.schema_version (version integer primary key, name varchar not null, "
                "applied_at timestamp not null)")
    con.execute(first[2])
    con.execute("insert into meta.schema_version values ($v, $n, current_timestamp)", {"v": first[0], "n": first[1]})
    con.execute("insert into cqc_ratings values ('1-1', date '2024-01-02', 'overall', 'Good', null, 'b1')")
    con.close()
    with store.warehouse(db_path) as con:
        assert store.applied_versions(con) == {v for v, _, _ in store.migrations()}
        assert con.execute("select rating from mart.ratings").fetchall() == [("Good",)]


def test_newer_file_is_refused_with_a_clear_message(db_path: Path) -> None:
    with store.warehouse(db_path) as con:
        con.execute("insert into meta.schema_version values (999, '999_future.sql', current_timestamp)")
    with pytest.raises(WarehouseTooNew, match="newer version"):
        store.connect(db_path)
    with pytest.raises(WarehouseTooNew):
        store.connect(db_path, read_only=True)


def test_read_only_open_of_a_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="market-oversight demo"):
        store.connect(tmp_path / "absent.duckdb", read_only=True)


def test_failed_transaction_leaves_the_warehouse_as_it_was(db_path: Path) -> None:
    with store.warehouse(db_path) as con:
        with pytest.raises(RuntimeError):
            with store.transaction(con):
                con.execute("insert into cqc_ratings values ('1-1', date '2024-01-02', 'overall', 'Good', null, 'b')")
                raise RuntimeError("killed part-way")
        assert con.execute("select count(*) from cqc_ratings").fetchone() == (0,)


def test_casework_file_lives_beside_the_warehouse(db_path: Path) -> None:
    with store.casework(db_path) as con:
        con.execute("insert into notes (location_id, body, author) values ('1-1', 'visited', 'ann')")
    with store.casework(db_path) as con:
        assert con.execute("select body, author from notes").fetchall() == [("visited", "ann")]
    assert (db_path.parent / "warehouse.casework.duckdb").exists()


def test_jobs_read_casework_through_a_read_only_attachment(db_path: Path) -> None:
    with store.casework(db_path) as cw:
        cw.execute("insert into placement_suspensions (location_id, imposed_on, reason, imposed_by) "
                   "values ('1-1', date '2026-01-05', 'safeguarding', 'ann')")
    with store.warehouse(db_path) as con, store.casework_attached(con, db_path) as alias:
        assert alias == "casework"
        assert con.execute("select location_id from casework.placement_suspensions").fetchall() == [("1-1",)]
        with pytest.raises(duckdb.Error):
            con.execute("delete from casework.placement_suspensions")


def test_every_job_sees_casework_through_the_mirror(db_path: Path) -> None:
    with store.casework(db_path) as cw:
        cw.execute("insert into notes (location_id, body, author) values ('1-9', 'called manager', 'bo')")
    with store.warehouse(db_path) as con:
        pass
    with store.warehouse(db_path, read_only=True) as con:
        assert con.execute("select body from casework_mirror.notes").fetchall() == [("called manager",)]


def test_a_finished_job_publishes_a_serving_copy_the_app_can_read_while_the_next_job_runs(db_path: Path) -> None:
    with store.warehouse(db_path) as con:
        con.execute("insert into cqc_ratings values ('1-1', date '2024-01-02', 'overall', 'Good', null, 'b1')")
    copy = store.current_serving_copy(db_path)
    assert copy != db_path and copy.exists()
    reader = store.connect(copy, read_only=True)
    try:
        with store.warehouse(db_path) as con:  # the next load holds the live file read-write
            con.execute("insert into cqc_ratings values ('1-2', date '2024-02-02', 'overall', 'Inadequate', null, 'b2')")
            assert reader.execute("select count(*) from mart.ratings").fetchone() == (1,)
    finally:
        reader.close()
    with store.connect(store.current_serving_copy(db_path), read_only=True) as newest:
        assert newest.execute("select count(*) from mart.ratings").fetchone() == (2,)


def test_a_failed_job_publishes_nothing(db_path: Path) -> None:
    with store.warehouse(db_path):
        pass
    first = store.current_serving_copy(db_path)
    with pytest.raises(RuntimeError):
        with store.warehouse(db_path):
            raise RuntimeError("load failed")
    assert store.current_serving_copy(db_path) == first


def _another_process_can_open(db: Path) -> bool:
    import subprocess
    import sys

    probe = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])", str(db)],
                           capture_output=True, text=True)
    assert probe.returncode == 0 or "lock" in probe.stderr.lower(), probe.stderr
    return probe.returncode == 0


def test_publishing_a_serving_copy_and_a_snapshot_keeps_the_warehouse_locked(db_path: Path) -> None:
    """DuckDB's lock is a POSIX record lock, dropped when the process closes any descriptor of the
    file: a copy taken in the job's own process let a second job open the warehouse mid-job (caught
    by tests/browser/test_upload_jobs.py, the second load deleting the first's half-published copy)."""
    from market_oversight.analyst.snapshot import snapshot_from

    with store.warehouse(db_path, publish=False) as con:
        con.execute("insert into cqc_ratings values ('1-1', date '2024-01-02', 'overall', 'Good', null, 'b1')")
        assert not _another_process_can_open(db_path)
        copy = store.publish_serving_copy(con, db_path)
        assert not _another_process_can_open(db_path)
        snapshot_from(con, db_path, keep=2)
        assert not _another_process_can_open(db_path)
    assert _another_process_can_open(db_path)
    with store.connect(copy, read_only=True) as published:
        assert published.execute("select rating from mart.ratings").fetchall() == [("Good",)]


def test_a_copy_that_cannot_be_written_says_why(db_path: Path, tmp_path: Path) -> None:
    with store.warehouse(db_path, publish=False):
        with pytest.raises(OSError) as failed:
            store.copy_held_database(db_path, tmp_path / "no such folder" / "copy.duckdb")
    assert failed.value.filename == str(tmp_path / "no such folder" / "copy.duckdb")
