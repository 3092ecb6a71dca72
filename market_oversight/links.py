"""Every link we give people, made in one place: the app's pages (their URL paths, which app.py
routes) and CQC's public page for a location.

The CQC data we import stores each report's link into CQC's data API, which answers only with a
subscription key; that stored link is kept as data, but people are always sent to the public
location page, www.cqc.org.uk/location/<location id>, which opens for anyone.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

CQC_LOCATION_PAGE = "https://www.cqc.org.uk/location/"

# The app's pages that other places link to, by their url_path (app.py routes them by these).
PROFILE_PATH = "profile"
WATCHLIST_PATH = "watchlist"
CHASING_PATH = "returns-to-chase"
PROVIDER_PATH = "provider"
BRAND_PATH = "brand"


def cqc_location_page(location_id: str) -> str:
    """CQC's public page for a location: https://www.cqc.org.uk/location/1-123456789."""
    return CQC_LOCATION_PAGE + quote(location_id.strip(), safe="")


def app_page(base_url: str, path: str, **params: str) -> str:
    """A page of the app at `base_url` (no trailing slash), with its query parameters encoded."""
    query = f"?{urlencode(params, quote_via=quote)}" if params else ""
    return f"{base_url.rstrip('/')}/{path}{query}"


def profile(base_url: str, location_id: str) -> str:
    return app_page(base_url, PROFILE_PATH, location=location_id)
