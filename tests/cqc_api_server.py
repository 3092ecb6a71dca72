"""A tiny stand-in for the CQC public API, serving saved responses from a folder over real HTTP.

It answers /locations (paged, filtered by localAuthority), /locations/{id} and /providers/{id},
requires the subscription-key header, and can be told to fail some paths first (429, 503) or always.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

API_KEY = "test-key-123"
PAGE_SIZE = 200  # smaller than the real listing, so paging must be followed


class FakeCqcApi:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        listing = json.loads((folder / "locations.json").read_text(encoding="utf-8"))
        self.listing = listing["locations"]
        self.local_authority = "Oldham"
        self.hits: Counter[str] = Counter()
        self.fail_first: dict[str, list[int]] = {}   # path -> statuses to answer before the real one
        self.always_fail: int | None = None
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/public/v1"

    def __enter__(self) -> FakeCqcApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, path: str, query: dict[str, list[str]], key: str | None) -> tuple[int, bytes, dict]:
        with self._lock:
            self.hits[path] += 1
            if key != API_KEY:
                return 401, b'{"message": "Access denied due to invalid subscription key."}', {}
            if self.always_fail:
                return self.always_fail, b"{}", {}
            pending = self.fail_first.get(path)
            if pending:
                status = pending.pop(0)
                return status, b"{}", {"Retry-After": "1"} if status == 429 else {}
        prefix = "/public/v1"
        if not path.startswith(prefix):
            return 404, b"{}", {}
        path = path[len(prefix):]
        if path == "/locations":
            return 200, self._page(query), {}
        for kind in ("location", "provider"):
            if path.startswith(f"/{kind}s/"):
                key_id = path.split("/")[-1]
                file = self.folder / f"{kind}_details" / f"{kind}_{key_id}.json"
                return (200, file.read_bytes(), {}) if file.is_file() else (404, b"{}", {})
        return 404, b"{}", {}

    def _page(self, query: dict[str, list[str]]) -> bytes:
        wanted = query.get("localAuthority", [None])[0]
        items = self.listing if wanted in (None, self.local_authority) else []
        page = int(query.get("page", ["1"])[0])
        pages = max(1, math.ceil(len(items) / PAGE_SIZE))
        body = {
            "total": len(items), "page": page, "perPage": PAGE_SIZE, "totalPages": pages,
            "nextPageUri": f"/locations?page={page + 1}&perPage={PAGE_SIZE}" if page < pages else None,
            "locations": items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
        }
        return json.dumps(body).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                url = urlparse(self.path)
                status, body, headers = api._answer(url.path, parse_qs(url.query),
                                                    self.headers.get("Ocp-Apim-Subscription-Key"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler
