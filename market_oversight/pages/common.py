"""What every page shares: the read-only warehouse, cached queries, the signed-in user, the demo
banner, the CQC attribution, the market filters, charts with their text alternatives, downloads,
and the one error boundary that keeps tracebacks off the screen."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import altair as alt
import polars as pl
import streamlit as st

from market_oversight import export, fmt, roles, signin
from market_oversight.config import Settings, load_settings
from market_oversight.errors import MarketOversightError, NotFound, PermissionDenied
from market_oversight.paths import resolve_db
from market_oversight.queries import filters, search, serving
from market_oversight.queries.filters import MarketFilter
from market_oversight.risk.thresholds import Thresholds, load_thresholds

log = logging.getLogger("market_oversight.app")
T = TypeVar("T")

DEMO_ENV = signin.DEMO_ENV
DEMO_USER = signin.DEMO_USER
DEMO_BANNER = ("Demo data: fictional council Kingsmere. Every provider, place, figure and rating here "
               "is invented; do not use it to make decisions.")
ANY = "All"
CACHE_TTL_SECONDS = 600


# ---- data ----------------------------------------------------------------------------------------

def db_path() -> Path:
    return resolve_db(os.environ.get("MARKET_OVERSIGHT_DB"))


_PINNED_COPY = "market_oversight_serving_copy"


def pin_serving_copy() -> str:
    """Choose the newest published copy for this whole run, so that every query on a page reads
    one state even when a job publishes a newer copy half-way through the page (`run` calls it)."""
    copy = str(serving.newest_copy(db_path()))
    st.session_state[_PINNED_COPY] = copy
    return copy


def serving_copy() -> str:
    return st.session_state.get(_PINNED_COPY) or pin_serving_copy()


_LIVE_CASEWORK = "market_oversight_live_casework"


def pin_live_casework() -> serving.LiveCasework:
    """Read the casework that decides the RAG in force once per run (`run` calls it), so that a
    casework write shows on every page on the next render, and every query of a run agrees."""
    live = serving.live_casework(db_path())
    st.session_state[_LIVE_CASEWORK] = live
    return live


def live_casework() -> serving.LiveCasework:
    return st.session_state.get(_LIVE_CASEWORK) or pin_live_casework()


@st.cache_resource(max_entries=2)
def _read_side(path: str) -> serving.ReadSide:
    return serving.ReadSide(Path(path))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=512, show_spinner=False)
def _cached_call(copy: str, casework_key: str, query: str, args: tuple, kwargs: tuple,
                 _function: Callable[..., Any], _live: serving.LiveCasework) -> Any:
    # `query` (the function's qualified name) and `casework_key` key the cache; Streamlit does not
    # hash the underscored arguments.
    with _read_side(copy).cursor(_live) as cur:
        return _function(cur, *args, **dict(kwargs))


def cached_query(copy: str, live: serving.LiveCasework, function: Callable[..., T], *args: Any,
                 **kwargs: Any) -> T:
    """Call a query function of `market_oversight.queries` on serving copy `copy` with the live
    casework `live`, cached by its parameters, by the copy's path and by the casework's state (so
    neither a newly published copy nor a casework write is ever answered from the cache). Every page
    reads through it (`load`), and bench/concurrency.py's users too."""
    return _cached_call(copy, live.key, f"{function.__module__}.{function.__qualname__}", args,
                        tuple(sorted(kwargs.items())), function, live)


def load(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`cached_query` on the copy and the live casework pinned for this run."""
    return cached_query(serving_copy(), live_casework(), function, *args, **kwargs)


# ---- who is using the app ------------------------------------------------------------------------

def is_demo() -> bool:
    return signin.demo_mode()


@st.cache_resource(max_entries=1)
def settings() -> Settings:
    return load_settings()


@st.cache_resource(max_entries=1)
def thresholds() -> Thresholds:
    """The risk thresholds in force: the defaults, then the council's file named in the settings."""
    return load_thresholds(settings=settings())


def current_user() -> roles.User:
    """The signed-in user and their role; in demo mode, the demo administrator."""
    if is_demo():
        return DEMO_USER
    if not st.user.get("is_logged_in", False):
        raise PermissionDenied("You are not signed in. Sign in with your council account to use "
                               "Care Market Oversight.")
    return signin.user_from_claims(settings(), st.user.to_dict())


# ---- page furniture ------------------------------------------------------------------------------

def page_header(title: str, intro: str | None = None) -> None:
    """The demo banner (in demo mode), the page's heading (a question it answers) and a line
    saying what the page is for."""
    if is_demo():
        st.info(DEMO_BANNER, icon=":material/info:")
    st.title(title)
    if intro:
        st.write(intro)


def cqc_attribution(as_of: date | None) -> None:
    st.caption(
        f"Source: Care Quality Commission, data as of {fmt.long_date(as_of)}. "
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )


def market_filters(key: str) -> MarketFilter:
    """Local authority, ICB and kind of service, each "All" by default."""
    options = load(filters.choices)
    left, middle, right = st.columns(3)
    la = left.selectbox("Local authority", [ANY, *_unique(options, "local_authority")], key=f"{key}-la")
    icb_options = options if la == ANY else options.filter(pl.col("local_authority") == la)
    icb = middle.selectbox("Integrated care board (ICB)", [ANY, *_unique(icb_options, "icb_name")],
                           key=f"{key}-icb")
    kinds = _unique(options, "service_kind")
    kind = right.selectbox("Kind of service", [ANY, *kinds], key=f"{key}-kind",
                           format_func=lambda k: k if k == ANY else fmt.service_kind(k))
    return MarketFilter(
        local_authority=None if la == ANY else la,
        icb_name=None if icb == ANY else icb,
        service_kind=None if kind == ANY else kind,
    )


def _unique(df: pl.DataFrame, column: str) -> list[str]:
    return sorted(v for v in df[column].unique().to_list() if v is not None)


def downloads(df: pl.DataFrame, name: str, *, key: str, xlsx: bool = True, title: str | None = None,
              as_of: str | None = None) -> None:
    """CSV (and XLSX) downloads of a table, with cells made safe for spreadsheets; the XLSX opens
    with `title` and the `as_of` line above the table when given."""
    columns = st.columns(2 if xlsx else 1)
    # Files are made when asked for (a callable), not on every run of the page.
    columns[0].download_button(f"Download {name} (CSV)", lambda: export.to_csv(df), file_name=f"{_slug(name)}.csv",
                               mime="text/csv", key=f"{key}-csv", on_click="ignore")
    if xlsx:
        columns[1].download_button(
            f"Download {name} (XLSX)", lambda: export.to_xlsx(df, title=title, as_of=as_of), file_name=f"{_slug(name)}.xlsx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}-xlsx")


def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def table(df: pl.DataFrame, empty: str) -> None:
    """A table as wide as the page, or the sentence `empty` when it has no rows."""
    if df.is_empty():
        st.write(empty)
    else:
        st.dataframe(df, hide_index=True, width="stretch")


def chart(figure: alt.Chart | alt.LayerChart | list[alt.Chart], summary: str, data: pl.DataFrame | None, name: str,
          *, key: str, on_select: str = "ignore", selection_mode: str | None = None) -> Any:
    """A chart with its text alternative: a one-sentence summary above it, and its data as a table
    with a download beside it (data=None when the page shows the same data as a table already).
    A list of charts (small multiples) is drawn one under another, each as wide as the page: a
    faceted or concatenated chart keeps a fixed width and would make a phone scroll sideways."""
    st.write(summary)
    kwargs: dict[str, Any] = {"key": key}
    if on_select != "ignore":
        kwargs.update(on_select=on_select, selection_mode=selection_mode)
    if isinstance(figure, list):
        for i, part in enumerate(figure):
            event = st.altair_chart(part, width="stretch", key=f"{key}-{i}")
    else:
        event = st.altair_chart(figure, width="stretch", **kwargs)
    if data is None:
        return event
    with st.expander(f"{name}: the data in this chart as a table"):
        st.dataframe(data, hide_index=True, width="stretch")
        downloads(data, name, key=f"{key}-data", xlsx=False)
    return event


def legend_above(columns: int) -> alt.Legend:
    """A legend above the chart, not beside it (beside it, it took a third of a phone's width), in
    as many columns as fit a phone's width with the longest label."""
    return alt.Legend(orient="top", direction="horizontal", columns=columns)


def rag_scale(*, not_scored: bool = False) -> alt.Scale:
    """Colours of RAG in words; with `not_scored`, "Not scored" too (a value outside a scale's domain
    is not drawn as itself, and the legend would not name it)."""
    colours = {fmt.rag(r): c for r, c in fmt.RAG_COLOURS.items()}
    if not_scored:
        colours[fmt.rag(None)] = fmt.NOT_SCORED_COLOUR
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def rag_shape_scale(*, not_scored: bool = False) -> alt.Scale:
    shapes = {fmt.rag(r): s for r, s in fmt.RAG_CHART_SHAPES.items()}
    if not_scored:
        shapes[fmt.rag(None)] = fmt.NOT_SCORED_CHART_SHAPE
    return alt.Scale(domain=list(shapes), range=list(shapes.values()))


def service_kind_scale() -> alt.Scale:
    return alt.Scale(domain=[fmt.service_kind(k) for k in fmt.SERVICE_KIND_COLOURS],
                     range=list(fmt.SERVICE_KIND_COLOURS.values()))


def rating_scale() -> alt.Scale:
    return alt.Scale(domain=[fmt.rating(r) for r in fmt.RATING_COLOURS],
                     range=list(fmt.RATING_COLOURS.values()))


def today() -> date:
    return date.today()


def show_error(exc: MarketOversightError) -> None:
    st.error(fmt.message(str(exc)), icon=":material/error:")


# ---- find anything -------------------------------------------------------------------------------

PROFILE_PAGE = "market_oversight/pages/profile.py"
PROVIDER_PAGE = "market_oversight/pages/provider.py"
BRAND_PAGE = "market_oversight/pages/brand.py"
REHEARSAL_PAGE = "market_oversight/pages/rehearsal.py"


def result_links(results: pl.DataFrame) -> None:
    """Each search result as a link named by it, what it is and where written under it: a location
    opens its profile, a provider its company page, a brand its group page."""
    for row in results.iter_rows(named=True):
        page, icon = _OPENS[row["kind"]]
        st.page_link(page, label=row["name"], icon=icon, query_params={row["kind"]: row["id"]})
        st.caption(search.detail(row))


# What a search result of each kind opens (its query parameter is the kind's name).
_OPENS = {search.LOCATION: (PROFILE_PAGE, ":material/home_health:"),
          search.PROVIDER: (PROVIDER_PAGE, ":material/domain:"),
          search.BRAND: (BRAND_PAGE, ":material/hub:")}


def opened(param: str, kind: str, heading: str, fetch: Callable[[Any, str], dict],
           chooser: Callable[[], None] | None = None) -> dict | None:
    """The row `fetch` (a query function) gives for the location (or provider) that `?param=`
    names, by CQC ID or by name; None when it is empty. A name opens the page again with its ID in
    the address (so that it can be shared); a name that matches several lists them to choose from,
    and one that matches nothing, or an ID not in the data, says so: each under the page's
    `heading`, then the `chooser`, and the page stops there."""
    typed = (st.query_params.get(param) or "").strip()
    if not typed:
        return None
    try:
        found = load(search.resolve, typed, kind)
        if found.id is None:
            page_header(heading)
            st.write(f"Several {kind}s match “{typed}”. Choose one:")
            result_links(found.candidates)
        elif found.id != typed:
            st.query_params[param] = found.id
            st.rerun()
        else:
            return load(fetch, found.id)
    except NotFound as exc:
        page_header(heading)
        show_error(exc)
    if chooser:
        chooser()
    st.stop()


@st.fragment
def find_anything() -> None:
    """The search on every page (in the menu): suggestions while typing, each a link. A fragment,
    so that typing reruns only the search, not the page under it."""
    typed = st.text_input("Find a location or provider", key="find-anything", type="search", live="300ms",
                          placeholder="Name, postcode or CQC ID",
                          help="Type part of a care home's, agency's, provider's or brand's name, a postcode, "
                               "or a CQC location, provider or brand ID. Every word typed must match.")
    if not (typed or "").strip():
        return
    results = load(search.search, typed)
    if results.is_empty():
        st.caption(f"Nothing matches “{typed.strip()}”. Try fewer words, or part of a word.")
        return
    result_links(results.head(search.SUGGESTIONS))
    if results.height > search.SUGGESTIONS:
        st.caption(f"The first {search.SUGGESTIONS} shown: type more to narrow them.")


# ---- routing and the error boundary --------------------------------------------------------------

def run(pages: list[st.Page], profile: st.Page) -> None:
    """Route, and run the chosen page inside the one error boundary: our named errors are shown as
    their message; anything else as a plain message with a reference, the traceback only in the log.
    A link with `?location=` to any page opens the provider profile (the alert e-mails' links)."""
    pin_serving_copy()
    pin_live_casework()
    # every page listed: Streamlit folds a menu of more than twelve behind "View 3 more", which hid
    # the uploads, the e-mail preview and the accessibility statement
    page = st.navigation(pages, expanded=True)
    location = st.query_params.get("location")
    if location and page.url_path != profile.url_path:
        st.switch_page(profile, query_params={"location": location})
    try:
        settings()  # a bad configuration is refused on every page, naming the key, before any runs
        with st.sidebar:
            find_anything()
        page.run()
    except MarketOversightError as exc:
        show_error(exc)
    except Exception:  # the boundary: Streamlit's own stop and rerun signals are not Exceptions
        reference = uuid.uuid4().hex[:8]
        log.exception("page %s failed (reference %s)", page.title, reference)
        st.error(
            "Sorry, this page could not be shown because of a problem in the app. Reload the page to "
            f"try again. If it happens again, tell the data team and quote reference {reference}.",
            icon=":material/error:",
        )
