"""The audit log: keyed chained rows, casework rows sealed, published heads, edits made outside the app
found, and no edit path in the app."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb
import pytest

from market_oversight import audit, store
from market_oversight.cli import main
from market_oversight.errors import ConfigError
from market_oversight.paths import PROJECT_ROOT, casework_path


def _three_rows(db: Path) -> None:
    audit.record_event(db, "ann@council.example", audit.SIGN_IN)
    audit.record_event(db, "ann@council.example", "note_added", "1-101", {"words": 12})
    audit.record_event(db, "ann@council.example", audit.SIGN_OUT)


def test_rows_are_chained_in_order_and_the_chain_holds(db_path: Path) -> None:
    _three_rows(db_path)
    rows = audit.recent(db_path)
    assert [(r[0], r[3]) for r in rows] == [(3, "sign_out"), (2, "note_added"), (1, "sign_in")]
    report = audit.verify_chain(db_path)
    assert report.intact and report.rows == 3


def test_a_row_rolled_back_with_its_write_leaves_no_trace(db_path: Path) -> None:
    with pytest.raises(RuntimeError), store.casework(db_path) as con, store.transaction(con):
        audit.record(con, "ann@council.example", "note_added", "1-101")
        raise RuntimeError("the note's insert failed")
    assert audit.recent(db_path) == []
    audit.record_event(db_path, "ann@council.example", audit.SIGN_IN)
    assert audit.verify_chain(db_path).intact


@pytest.mark.parametrize(("edit", "problem"), [
    ("update audit_log set actor = 'someone.else@council.example' where seq = 2", "row 2 was changed"),
    ("update audit_log set detail = '{\"words\": 1}' where seq = 2", "row 2 was changed"),
    ("delete from audit_log where seq = 2", "row 2 of the audit log is missing"),
    ("insert into audit_log (actor, action) values ('x@council.example', 'note_added')",
     "1 audit row(s) were written outside the audit module"),
])
def test_an_edit_made_with_a_shell_on_the_file_is_found(db_path: Path, edit: str, problem: str) -> None:
    _three_rows(db_path)
    with duckdb.connect(str(casework_path(db_path))) as con:
        con.execute(edit)
    report = audit.verify_chain(db_path)
    assert not report.intact
    assert problem in report.problem


def test_the_audit_command_says_whether_the_chain_holds(db_path: Path, capsys) -> None:
    _three_rows(db_path)
    assert main(["audit", "verify", "--db", str(db_path)]) == 0
    assert "intact: 3 rows" in capsys.readouterr().out
    assert main(["audit", "recent", "--db", str(db_path), "--limit", "2"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and "sign_out" in listed[0] and "note_added" in listed[1]
    # when a row is changed with a shell on the file, the command fails and names the row
    with duckdb.connect(str(casework_path(db_path))) as con:
        con.execute("update audit_log set target = '1-999' where seq = 2")
    assert main(["audit", "verify", "--db", str(db_path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["intact"] is False and out["first_bad_seq"] == 2 and "row 2 was changed" in out["problem"]


def test_a_forged_row_with_a_plausible_hash_is_found(db_path: Path) -> None:
    """Rewriting a row and its own hash still breaks the link from the next row."""
    _three_rows(db_path)
    with duckdb.connect(str(casework_path(db_path))) as con:
        con.execute("update audit_log set actor = 'eve@council.example', row_hash = repeat('a', 64) "
                    "where seq = 2")
    report = audit.verify_chain(db_path)
    assert report.first_bad_seq == 2


_EDIT = re.compile(r"\b(update|delete\s+from|truncate|drop\s+table|alter\s+table)\s+(\w+\.)?audit_log\b",
                   re.IGNORECASE)


def test_nothing_in_the_app_or_its_sql_updates_or_deletes_the_audit_log() -> None:
    offenders = []
    for folder, pattern in (("market_oversight", "*.py"), ("sql", "*.sql"), (".", "app.py")):
        for path in (PROJECT_ROOT / folder).rglob(pattern):
            if path.parts[-2:] == ("casework", "010_audit_chain.sql"):
                continue  # the migration that adds the chain columns
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(PROJECT_ROOT)}: {m.group(0)}" for m in _EDIT.finditer(text)]
    assert offenders == []


def test_the_scan_would_see_an_edit() -> None:
    """The pattern above is live: it matches each way of editing the table."""
    for sql in ("UPDATE audit_log SET actor='x'", "delete from main.audit_log", "truncate audit_log",
                "drop table audit_log"):
        assert _EDIT.search(sql), sql


def _note(db: Path, body: str = "Visited; medication records now complete") -> str:
    from market_oversight import casework
    from market_oversight.roles import Role, User

    return casework.add_note(db, User("ann@council.example", "Ann", Role.CONTRACT_MANAGER), "1-101", body)


def test_the_chain_is_keyed_so_a_rewrite_without_the_key_is_found(db_path: Path) -> None:
    """An edit with every later row re-hashed, as someone with a shell but not the key would do it."""
    _three_rows(db_path)
    with duckdb.connect(str(casework_path(db_path))) as con:
        rows = con.execute("select seq, prev_hash, logged_at, actor, action, target, detail::varchar "
                           "from audit_log order by seq").fetchall()
        prev = rows[0][1]
        for seq, _, logged_at, actor, action, target, detail in rows:
            actor = "eve@council.example" if seq == 2 else actor
            text = "\x1f".join([str(seq), prev, logged_at.isoformat(), actor, action, target or "", detail or ""])
            forged = hashlib.sha256(text.encode("utf-8")).hexdigest()
            con.execute("update audit_log set actor = $actor, prev_hash = $prev, row_hash = $hash where seq = $seq",
                        {"actor": actor, "prev": prev, "hash": forged, "seq": seq})
            prev = forged
    report = audit.verify_chain(db_path)
    assert not report.intact and report.first_bad_seq == 1 and "row 1 was changed" in report.problem


def test_a_note_edited_removed_or_slipped_in_with_a_shell_is_found(db_path: Path) -> None:
    note_id = _note(db_path)
    _note(db_path, "Second visit booked")
    assert audit.verify_chain(db_path).intact
    cases = [
        (f"update notes set body = 'All fine' where note_id = '{note_id}'",
         f"note {note_id} was changed after it was written (audit row 1 records it)"),
        (f"delete from notes where note_id = '{note_id}'", f"note {note_id} was removed (audit row 1 records it)"),
        ("insert into notes (note_id, location_id, body, author) values "
         "('00000000-0000-0000-0000-000000000001', '1-101', 'forged', 'eve@council.example')",
         "note 00000000-0000-0000-0000-000000000001 was written outside the app (no audit row records it)"),
    ]
    original = casework_path(db_path).read_bytes()
    for edit, problem in cases:
        casework_path(db_path).write_bytes(original)
        with duckdb.connect(str(casework_path(db_path))) as con:
            con.execute(edit)
        report = audit.verify_chain(db_path)
        assert report.problem == problem, edit


def test_rows_cut_off_the_end_are_found_from_the_head_a_job_published(db_path: Path) -> None:
    _three_rows(db_path)
    _note(db_path)
    with store.warehouse(db_path):   # a job: it publishes the chain's head (row 4) with the serving copy
        pass
    assert audit.verify_chain(db_path).intact
    with duckdb.connect(str(casework_path(db_path))) as con:
        con.execute("delete from audit_log where seq >= 3")
        con.execute("delete from notes")
    report = audit.verify_chain(db_path)
    assert not report.intact and report.first_bad_seq == 4
    assert "ended at row 4, which is no longer in the log" in report.problem
    # the head is in the serving copy too, so it is found while a job holds the warehouse
    with duckdb.connect(str(db_path)):
        assert "ended at row 4" in audit.verify_chain(db_path).problem


def test_the_key_comes_from_the_environment_or_a_private_file(db_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(audit.KEY_ENV, "too short")
    with pytest.raises(ConfigError, match="MARKET_OVERSIGHT_AUDIT_KEY must be at least 32 characters"):
        audit.record_event(db_path, "ann@council.example", audit.SIGN_IN)
    # without the variable, a random key is made once beside the casework file, readable by its owner
    monkeypatch.delenv(audit.KEY_ENV)
    _three_rows(db_path)
    key_file = audit.key_path(casework_path(db_path))
    assert key_file.stat().st_mode & 0o777 == 0o600 and len(key_file.read_text().strip()) == 64
    assert audit.verify_chain(db_path).intact
    # a chain checked with another key does not hold
    monkeypatch.setenv(audit.KEY_ENV, "another-key-" + "1" * 40)
    assert audit.verify_chain(db_path).first_bad_seq == 1
