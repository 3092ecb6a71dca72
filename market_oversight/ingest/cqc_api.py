"""Reading the CQC public API: over HTTP (paging, key header, bounded retries) or from a folder of
saved responses laid out as the API answers (locations.json, location_details/location_<id>.json,
providers.json, provider_details/provider_<id>.json)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from market_oversight.errors import SourceError, UnknownSourceFormat

API_KEY_HEADER = "Ocp-Apim-Subscription-Key"
API_KEY_ENV = "CQC_API_KEY"
FOLDER_LAYOUT = ("locations.json, location_details/location_<id>.json, "
                 "provider_details/provider_<id>.json")


class CqcApiError(SourceError):
    """The CQC API could not be read (refused, kept failing, or answered something unexpected)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: `attempts` tries in all, waiting base_delay * 2**n (or Retry-After) between."""
    attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0


@dataclass(frozen=True)
class ApiDocument:
    """One record as the API gave it: its ID, its bytes (for the content hash) and parsed JSON.
    `data` is None when the record is missing (HTTP 404 or no saved file) or not JSON."""
    key: str
    raw: bytes | None
    data: dict[str, Any] | None
    problem: str | None = None
    where: str | None = None           # the saved file or URL it was read from


@dataclass(frozen=True)
class ApiExtract:
    locations: list[ApiDocument]       # in listing order
    providers: dict[str, ApiDocument]  # by provider ID


def _parse_json(raw: bytes, where: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UnknownSourceFormat(f"is not JSON ({exc.__class__.__name__}: {exc}); expected a CQC API "
                                  "response", source=where) from None
    if not isinstance(data, dict):
        raise UnknownSourceFormat("is not a JSON object; expected a CQC API response", source=where)
    return data


def _listing_ids(page: dict[str, Any], where: str) -> list[str]:
    items = page.get("locations")
    if not isinstance(items, list):
        raise UnknownSourceFormat("has no 'locations' list; expected a CQC API page of locations "
                                  "(locations, totalPages, nextPageUri)", source=where)
    ids = []
    for n, item in enumerate(items, start=1):
        lid = item.get("locationId") if isinstance(item, dict) else None
        if not lid or not str(lid).strip():
            raise UnknownSourceFormat("a listed location has no locationId", source=where, row=n,
                                      field="locationId")
        ids.append(str(lid).strip())
    return ids


def _document(key: str, raw: bytes | None, where: str) -> ApiDocument:
    if raw is None:
        return ApiDocument(key, None, None, f"{where}: no record (the listing names it)", where)
    try:
        return ApiDocument(key, raw, _parse_json(raw, where), where=where)
    except UnknownSourceFormat as exc:
        return ApiDocument(key, raw, None, str(exc), where)


def _progress(total: int, what: str, enabled: bool):
    from tqdm import tqdm  # only when reading the API or a folder

    return tqdm(total=total, desc=what, unit="rec", file=sys.stderr, disable=not enabled, leave=False)


# --- saved folder --------------------------------------------------------------------------------

def read_saved_folder(folder: Path, *, progress: bool = False) -> ApiExtract:
    listing = folder / "locations.json"
    if not listing.is_file():
        raise UnknownSourceFormat(f"has no locations.json; expected a folder of saved CQC API "
                                  f"responses ({FOLDER_LAYOUT})", source=str(folder))
    ids = _listing_ids(_parse_json(listing.read_bytes(), str(listing)), str(listing))
    details = folder / "location_details"
    locations = []
    with _progress(len(ids), "locations", progress) as bar:
        for lid in ids:
            path = details / f"location_{lid}.json"
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                raw = None
            locations.append(_document(lid, raw, str(path)))
            bar.update()
    # As over HTTP, only the providers of the listed locations (so both give the same content hash).
    providers = {}
    for pid in _provider_ids(locations):
        path = folder / "provider_details" / f"provider_{pid}.json"
        if path.is_file():
            doc = _document(pid, path.read_bytes(), str(path))
            if doc.data is not None:
                providers[pid] = doc
    return ApiExtract(locations, providers)


def _provider_ids(locations: list[ApiDocument]) -> list[str]:
    return sorted({str(d.data["providerId"]).strip() for d in locations
                   if d.data and d.data.get("providerId")})


# --- HTTP ----------------------------------------------------------------------------------------

def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class CqcApiClient:
    """A small client for the CQC public API (v1), safe to share between threads."""

    def __init__(self, base_url: str, api_key: str | None, *, retry: RetryPolicy | None = None,
                 timeout: float = 30.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base = base_url.rstrip("/")
        headers = {"Accept": "application/json", "User-Agent": "market-oversight"}
        if api_key:
            headers[API_KEY_HEADER] = api_key
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.Client(headers=headers, timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: dict[str, Any] | None = None, *,
            missing_ok: bool = False) -> bytes | None:
        """The body of GET base+path, retrying 429 (after Retry-After), 5xx and network errors."""
        url = f"{self.base}{path}"
        last = ""
        for attempt in range(self.retry.attempts):
            try:
                response = self._http.get(url, params=params)
            except httpx.TransportError as exc:
                last, wait = f"{exc.__class__.__name__}: {exc}", None
            else:
                status = response.status_code
                if status == 200:
                    return response.content
                if status == 404 and missing_ok:
                    return None
                if status in (401, 403):
                    raise CqcApiError(f"the API refused the request (HTTP {status}); pass --api-key "
                                      f"or set ${API_KEY_ENV} to a valid subscription key", source=url)
                if status != 429 and status < 500:
                    raise CqcApiError(f"HTTP {status}; expected the CQC public API to answer 200",
                                      source=url)
                last, wait = f"HTTP {status}", _retry_after(response)
            if attempt + 1 < self.retry.attempts:
                delay = wait if wait is not None else self.retry.base_delay * 2 ** attempt
                self._sleep(min(delay, self.retry.max_delay))
        raise CqcApiError(f"still failing after {self.retry.attempts} attempts ({last}); expected the "
                          "CQC public API at this address", source=url)

    def location_ids(self, local_authority: str | None, per_page: int = 1000) -> list[str]:
        ids, page, total_pages = [], 1, 1
        while page <= total_pages:
            params: dict[str, Any] = {"page": page, "perPage": per_page}
            if local_authority:
                params["localAuthority"] = local_authority
            where = f"{self.base}/locations?page={page}"
            body = _parse_json(self.get("/locations", params) or b"", where)
            if not isinstance(body.get("totalPages"), int):
                raise UnknownSourceFormat("has no totalPages; expected a CQC API page of locations",
                                          source=where)
            total_pages = body["totalPages"]
            ids.extend(_listing_ids(body, where))
            page += 1
        return ids

    def documents(self, kind: str, keys: Iterable[str], *, workers: int = 4,
                  progress: bool = False) -> Iterator[ApiDocument]:
        """GET {base}/{kind}s/{key} for each key, a few at a time, in order."""
        keys = list(keys)

        def fetch(key: str) -> ApiDocument:
            path = f"/{kind}s/{quote(key, safe='')}"
            return _document(key, self.get(path, missing_ok=True), f"{self.base}{path}")

        with ThreadPoolExecutor(max_workers=workers) as pool, \
                _progress(len(keys), f"{kind}s", progress) as bar:
            for doc in pool.map(fetch, keys):
                bar.update()
                yield doc


def read_api(base_url: str, *, local_authority: str | None, api_key: str | None,
             retry: RetryPolicy | None = None, progress: bool = False) -> ApiExtract:
    client = CqcApiClient(base_url, api_key, retry=retry)
    try:
        ids = client.location_ids(local_authority)
        locations = list(client.documents("location", ids, progress=progress))
        providers = {d.key: d for d in client.documents("provider", _provider_ids(locations),
                                                        progress=progress)
                     if d.data is not None}
    finally:
        client.close()
    return ApiExtract(locations, providers)
