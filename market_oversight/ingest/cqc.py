"""`market-oversight ingest cqc SOURCE`: the CQC register and rating history into the warehouse.

The source is recognised by its content: an http(s) URL is the CQC public API, a folder holds saved
API responses, a file is a CQC bulk file. Every path stages rows the same way (`cqc_rows`), then one
transaction loads them: newest snapshot wins per location and provider, ratings are added when absent.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from market_oversight import store
from market_oversight.config import settings_from
from market_oversight.errors import SourceError
from market_oversight.ingest import batch
from market_oversight.ingest.batch import LoadResult
from market_oversight.ingest.cqc_api import (API_KEY_ENV, ApiExtract, RetryPolicy, read_api,
                                             read_saved_folder)
from market_oversight.ingest.cqc_api_records import provider_details, staged_from_api
from market_oversight.ingest.cqc_bulk import read_bulk_table, staged_rows
from market_oversight.ingest.limits import InputLimits
from market_oversight.ingest.cqc_rows import CqcColumns, Problem, StagedLocation, normalise_location

DATASET = "cqc_register"


@dataclass(frozen=True)
class Staged:
    """What a source gave, before normalising: its rows, provider details and content hash."""
    source: str
    content_hash: str
    rows: list[StagedLocation]
    providers: dict[str, dict[str, Any]]
    unreadable: dict[int, str]          # row number -> why the record could not be read


def ingest_cqc(db: Path, source: str, *, local_authority: str | None = None,
               api_key: str | None = None, progress: bool = False,
               retry: RetryPolicy | None = None, limits: InputLimits | None = None) -> LoadResult:
    """Import a CQC source (API base URL, saved-API folder, or bulk CSV/XLSX/ODS file). A bulk file
    is held to `limits` (default: the [ingest] defaults) before it is parsed.

    Raises a SourceError subclass, loading nothing, when the source is unreadable or unrecognised."""
    started = datetime.now()
    staged = stage_source(source, local_authority=local_authority,
                          api_key=api_key or os.environ.get(API_KEY_ENV), progress=progress,
                          retry=retry, limits=limits)
    return load_staged(db, staged, started=started)


# --- staging -------------------------------------------------------------------------------------

def stage_source(source: str, *, local_authority: str | None, api_key: str | None,
                 progress: bool, retry: RetryPolicy | None = None,
                 limits: InputLimits | None = None) -> Staged:
    if source.lower().startswith(("http://", "https://")):
        extract = read_api(source, local_authority=local_authority, api_key=api_key, retry=retry,
                           progress=progress)
        return stage_api(source, extract)
    path = Path(source).expanduser()
    if path.is_dir():
        return stage_api(str(path), read_saved_folder(path, progress=progress))
    if path.is_file():
        return stage_bulk(path, limits or InputLimits.from_settings(settings_from(None)))
    raise SourceError("no such file or folder; expected a CQC API base URL (http/https), a folder "
                      "of saved API responses, or a CQC bulk file (CSV, XLSX or ODS)", source=source)


def stage_api(source: str, extract: ApiExtract) -> Staged:
    rows, unreadable = [], {}
    for n, doc in enumerate(extract.locations, start=1):
        if doc.data is None:
            unreadable[n] = doc.problem or "unreadable record"
            rows.append(StagedLocation(n, {"locationId": doc.key}, {"location_id": doc.key}))
        else:
            rows.append(staged_from_api(doc.data, n, doc.where))
    providers = {pid: provider_details(doc.data) for pid, doc in extract.providers.items() if doc.data}
    return Staged(source, _api_hash(extract), rows, providers, unreadable)


def _api_hash(extract: ApiExtract) -> str:
    """Over each record's ID and bytes, in ID order: the same records give the same hash whether
    they came from a folder or over HTTP, and whatever the listing's paging."""
    chunks: list[bytes] = []
    for kind, docs in (("L", {d.key: d for d in extract.locations}), ("P", extract.providers)):
        for key in sorted(docs):
            chunks += [f"\n{kind}:{key}\n".encode(), docs[key].raw or b""]
    return batch.hash_bytes(*chunks)


def stage_bulk(path: Path, limits: InputLimits) -> Staged:
    table = read_bulk_table(path, limits)
    rows = staged_rows(table)
    if not rows:
        raise SourceError(f"has a header (row {table.header_row}) but no data rows",
                          source=table.source)
    providers = {}
    for r in rows:
        pid = (str(r.fields.get("provider_id") or "")).strip()
        if pid and r.provider and r.provider.get("provider_name"):
            providers[pid] = r.provider
    return Staged(str(path), batch.hash_file(path), rows, providers, {})


# --- normalising and loading ---------------------------------------------------------------------

def normalise(staged: Staged) -> tuple[CqcColumns, int]:
    """Columns ready to load, and the number of rows read."""
    cols = CqcColumns()
    for row in staged.rows:
        if row.row_number in staged.unreadable:
            result: Any = [Problem("unreadable_record", "record", staged.unreadable[row.row_number])]
        else:
            result = normalise_location(row)
        if isinstance(result, list):
            cols.add_problems(row, result, json.dumps(row.raw, default=str))
            continue
        cols.add_location(result)
        if result.set_aside:
            cols.add_set_aside(row, result.set_aside)
        pid = result.values["provider_id"]
        cols.add_provider(pid, staged.providers.get(pid or ""))
    for pid, details in staged.providers.items():  # providers the source describes, located or not
        cols.add_provider(pid, details)
    return cols, len(staged.rows)


def load_staged(db: Path, staged: Staged, *, started: datetime) -> LoadResult:
    with store.warehouse(db) as con:
        earlier = batch.previous_load(con, DATASET, staged.content_hash)
        if earlier is not None:
            return earlier
        cols, rows_read = normalise(staged)
        snapshot = max(cols.dates, default=None) or started.date()
        loaded = rows_read - cols.rows_quarantined
        result = LoadResult(DATASET, batch.new_batch_id(), "loaded" if loaded else "rejected",
                            rows_read, loaded, cols.rows_quarantined,
                            None if loaded else "no row could be loaded; see the quarantine",
                            ratings_set_aside=cols.ratings_set_aside)
        with store.transaction(con):
            batch.record_batch(con, result, source=staged.source, content_hash=staged.content_hash,
                               started_at=started, snapshot_date=snapshot)
            _insert(con, cols, result.batch_id, snapshot)
        return result


def _insert(con, cols: CqcColumns, batch_id: str, snapshot: date) -> None:
    import pyarrow as pa

    def with_batch(table: pa.Table, *, snapshot_col: bool = True) -> pa.Table:
        n = table.num_rows
        table = table.append_column("batch_id", pa.array([batch_id] * n, pa.string()))
        if snapshot_col:
            table = table.append_column("snapshot_date", pa.array([snapshot] * n, pa.date32()))
        return table

    quarantine = with_batch(cols.quarantine_table(), snapshot_col=False).append_column(
        "dataset", pa.array([DATASET] * len(cols.quarantine), pa.string()))
    staged = {
        "staged_cqc_locations": with_batch(cols.location_table()),
        "staged_cqc_providers": with_batch(cols.provider_table()),
        "staged_cqc_ratings": with_batch(cols.rating_table(snapshot), snapshot_col=False),
        "staged_quarantine": quarantine,
    }
    for name, table in staged.items():
        con.register(name, table)
    try:
        for step in ("cqc_upsert_providers", "cqc_insert_provider_stubs", "cqc_upsert_locations",
                     "cqc_upsert_dual_registrations", "cqc_insert_ratings",
                     "cqc_insert_observed_ratings", "cqc_mark_observed_ratings", "quarantine_insert"):
            store.run(con, f"ingest/{step}")
    finally:
        for name in staged:
            con.unregister(name)

