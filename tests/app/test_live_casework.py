"""The live casework every page run binds is read again exactly when the casework file has changed:
a write from this process or another shows on the next read; with no write the last read is reused
(a read opens the file, one thread at a time, and every page run of every user asks)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from market_oversight import casework, store
from market_oversight.paths import PROJECT_ROOT
from market_oversight.queries import serving
from market_oversight.signin import DEMO_USER


def _suspended(live: serving.LiveCasework) -> set[str]:
    return set(live.tables["placement_suspensions"].column("location_id").to_pylist())


def _green(db: Path, n: int) -> list[str]:
    with store.warehouse(store.current_serving_copy(db), read_only=True) as con:
        return [r[0] for r in con.execute("select location_id from mart.risk_current where rag = 'green' "
                                          "order by location_id limit $n", {"n": n}).fetchall()]


def test_unchanged_file_is_not_read_again_and_a_write_here_is_seen(app_env: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = serving.live_casework(app_env)
    reads = []
    real = store.read_casework_tables
    monkeypatch.setattr(store, "read_casework_tables", lambda *a, **k: reads.append(a) or real(*a, **k))
    assert serving.live_casework(app_env) is first
    assert reads == []

    location = _green(app_env, 1)[0]
    casework.suspend_placements(app_env, DEMO_USER, location, date.today(), "Safeguarding enquiry")
    after = serving.live_casework(app_env)
    assert len(reads) == 1
    assert location in _suspended(after) and location not in _suspended(first)
    assert after.key != first.key


def test_a_write_from_another_process_is_seen_on_the_next_read(app_env: Path) -> None:
    location = _green(app_env, 2)[1]
    before = serving.live_casework(app_env)
    assert location not in _suspended(before)
    code = ("import sys; from datetime import date; from pathlib import Path; "
            "from market_oversight import casework; from market_oversight.signin import DEMO_USER; "
            "casework.suspend_placements(Path(sys.argv[1]), DEMO_USER, sys.argv[2], date.today(), 'Fire')")
    subprocess.run([sys.executable, "-c", code, str(app_env), location], check=True, cwd=PROJECT_ROOT)
    assert location in _suspended(serving.live_casework(app_env))


def test_an_unchanged_file_is_read_again_after_the_longest_wait(app_env: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = serving.live_casework(app_env)
    monkeypatch.setattr(serving, "LIVE_CASEWORK_MAX_AGE_SECONDS", 0.0)
    again = serving.live_casework(app_env)
    assert again is not first and again.key == first.key
