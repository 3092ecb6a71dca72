"""Find anything: locations, providers and CQC brands by name, postcode or CQC ID, for the search on
every page and for opening the profile, the provider page or the brand page by name."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import polars as pl

from market_oversight import fmt
from market_oversight.errors import NotFound
from market_oversight.store import query

LOCATION = "location"
PROVIDER = "provider"
BRAND = "brand"
KINDS = (LOCATION, PROVIDER, BRAND)
EXACT = 1  # search.sql's rank: 0 for an exact CQC ID, 1 for an exact name, more for partial matches
SUGGESTIONS = 8  # as many as the sidebar shows while typing
CHOICES = 50  # as many as a page lists when a name matches several
CQC_ID = re.compile(r"^\d-\d+$")  # 1-123456789: CQC's location and provider IDs
BRAND_ID = re.compile(r"^BD\d+$")  # BD123: CQC's brand IDs (typed in lower case: found by the search)
ID_PATTERNS = {LOCATION: CQC_ID, PROVIDER: CQC_ID, BRAND: BRAND_ID}
HOW_TO_FIND = {
    LOCATION: "A CQC location ID looks like 1-123456789 (from the watchlist or a CQC page); or type part "
              "of the location's name or its postcode.",
    PROVIDER: "A CQC provider ID looks like 1-101234567; or type part of the provider's name in "
              "“Find a location or provider”.",
    BRAND: "A CQC brand ID looks like BD123; or type part of the brand's name in “Find a location or "
           "provider”. A location's profile names its brand where CQC records one.",
}


def search(con: duckdb.DuckDBPyConnection, typed: str, *, kinds: tuple[str, ...] = KINDS,
           limit: int = SUGGESTIONS) -> pl.DataFrame:
    """Locations, providers and brands whose name, postcode or CQC ID hold every word typed (in any case,
    parts of words too), best first; at most `limit` (one more is fetched, so callers can say
    there are more). Empty when nothing but spaces or punctuation was typed."""
    return query(con, "queries/search", typed=typed, kinds=list(kinds), limit=limit + 1)


@dataclass(frozen=True)
class Found:
    """What a name or ID typed into a page opens: `id` when it names one location (provider, brand),
    else the candidates to choose from (none when nothing matches)."""
    id: str | None
    candidates: pl.DataFrame


def resolve(con: duckdb.DuckDBPyConnection, typed: str, kind: str) -> Found:
    """The one location (provider, brand) an ID or name typed means: a CQC ID as typed (whether it
    exists is the page's query to say), the only one of that exact name, or the only match of a
    part of a name; otherwise the matches, best first, for the reader to choose. NotFound, saying
    how to find one, when no name matches."""
    if ID_PATTERNS[kind].match(typed.strip()):
        return Found(typed.strip(), pl.DataFrame())
    matches = search(con, typed, kinds=(kind,), limit=CHOICES)
    if matches.is_empty():
        raise NotFound(f"There is no {kind} named {typed.strip()!r} in the data. {HOW_TO_FIND[kind]}")
    best = matches.filter(pl.col("rank") == matches["rank"][0])
    if (best["rank"][0] <= EXACT and best.height == 1) or matches.height == 1:
        return Found(matches["id"][0], matches.head(0))
    return Found(None, matches.head(CHOICES))


def detail(row: dict) -> str:
    """What a result is and where, with its CQC ID, in words (shown under its name, which alone
    may be shared by several)."""
    where = f", {row['local_authority']}" if row["local_authority"] else ""
    if row["kind"] == PROVIDER:
        return f"Provider of {fmt.plural(row['locations'], 'location')}{where}; {row['id']}"
    if row["kind"] == BRAND:
        return f"Brand (a group of providers) with {fmt.plural(row['locations'], 'location')}{where}; {row['id']}"
    status = ", deregistered" if not row["is_active"] else ""
    place = ", ".join(p for p in (row["postcode"], row["local_authority"]) if p)
    return f"{fmt.service_kind(row['service_kind'])}, {place or fmt.MISSING}{status}; {row['id']}"
