"""Benchmark: import a saved-API folder of N synthetic locations (default 30,000) built by copying
the real Oldham records under new IDs. Prints the seconds taken by the import.

    /work/main/.venv/bin/python bench/bench_cqc_folder.py [N]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from market_oversight.ingest.cqc import ingest_cqc
from market_oversight.paths import PROJECT_ROOT

OLDHAM = PROJECT_ROOT.parent / "shared" / "realdata" / "cqc_api_json_oldham_2025-03"


def build_folder(folder: Path, n: int) -> None:
    templates = [json.loads(p.read_text()) for p in sorted((OLDHAM / "location_details").glob("*.json"))]
    (folder / "location_details").mkdir(parents=True)
    listing = []
    for i in range(n):
        record = dict(templates[i % len(templates)])
        record["locationId"] = f"1-9{i:09d}"
        listing.append({"locationId": record["locationId"], "locationName": record["name"]})
        (folder / "location_details" / f"location_{record['locationId']}.json").write_text(json.dumps(record))
    (folder / "locations.json").write_text(json.dumps({"total": n, "page": 1, "totalPages": 1,
                                                       "locations": listing}))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "saved"
        build_folder(folder, n)
        start = time.perf_counter()
        result = ingest_cqc(Path(tmp) / "w.duckdb", str(folder), local_authority=None, api_key=None,
                            progress=False)
        took = time.perf_counter() - start
    print(f"{n} locations: {result.status}, {result.rows_loaded} loaded, "
          f"{result.rows_quarantined} quarantined in {took:.1f} s")


if __name__ == "__main__":
    main()
