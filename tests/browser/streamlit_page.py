"""What the browser tests do to a Streamlit page: wait for it, check it with axe-core, photograph it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page

from market_oversight.accessibility import KNOWN_ISSUES, KnownIssue
from market_oversight.paths import PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
AXE_REPORTS = OUTPUT / "axe"

# A laptop's and a phone's width, for pages checked at both.
WIDTHS = {"laptop-1366": {"width": 1366, "height": 768}, "phone-390": {"width": 390, "height": 844}}


@contextmanager
def page_at(browser: Browser, app_url: str, viewport: dict[str, int]) -> Iterator[Page]:
    """A page of the app in a fresh browser context of this viewport, closed afterwards."""
    context = browser.new_context(viewport=viewport, base_url=app_url)
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the Public Sector Bodies Accessibility Regulations' bar.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def settle(page: Page, *, timeout: float = 30_000) -> None:
    """Wait until the page's script has run: a heading is drawn and Streamlit no longer shows
    its running indicator, and nothing on the page is greyed out as stale."""
    page.locator("h1").first.wait_for(state="visible", timeout=timeout)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')
                 && !document.querySelector('[data-testid="stSkeleton"]')""",
        timeout=timeout,
    )
    layout_still(page, timeout=timeout)  # charts and tables draw after the script finishes


# The widths of the charts' drawings and of the page, as one string to compare between samples.
_LAYOUT_NOW = """() => {
    const drawn = [...document.querySelectorAll(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')];
    const main = document.querySelector('[data-testid="stMain"]');
    const now = drawn.map(e => e.getBoundingClientRect().width).join()
        + '|' + (main ? main.scrollWidth + 'x' + main.scrollHeight : '')
        + '|' + document.documentElement.scrollWidth;
    window.__layoutSame = window.__layout === now ? (window.__layoutSame || 0) + 1 : 0;
    window.__layout = now;
    return window.__layoutSame >= 2;
}"""


def layout_still(page: Page, *, timeout: float = 30_000) -> None:
    """Wait until the page's layout has stopped moving: the charts' drawn widths and the page's
    size the same over three samples 100 ms apart (rather than a fixed pause)."""
    page.wait_for_function(_LAYOUT_NOW, polling=100, timeout=timeout)


def charts_drawn(page: Page, *, timeout: float = 30_000) -> None:
    """Wait until every chart on the page has drawn (Vega draws after the script has finished, and
    a chart wider than the window shows only then) and the layout is still."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(c => c.querySelector('canvas, svg'))""", timeout=timeout)
    layout_still(page, timeout=timeout)


def charts_redrawn(page: Page, *, timeout: float = 30_000) -> None:
    """After the window is resized: wait until the charts have redrawn to their new width (Vega
    follows its container's size) and the layout is still."""
    page.evaluate("() => { window.__layout = undefined; }")
    charts_drawn(page, timeout=timeout)


def sideways_overflow(page: Page) -> float:
    """How many CSS pixels the page (or Streamlit's main area, which scrolls itself) is wider than
    the window once its charts have drawn: more than 1 means the reader must scroll sideways
    (WCAG 1.4.10)."""
    charts_drawn(page)
    return page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return Math.max(document.documentElement.scrollWidth - window.innerWidth,"
        " m ? m.scrollWidth - m.clientWidth : 0); }")


def type_in_search(page: Page, text: str) -> None:
    """Type into the search in the menu, a key at a time and without Enter, as a reader does (at a
    phone's width the menu is opened first)."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.is_visible():
        expand.click()
    search = page.get_by_role("searchbox", name="Find a location or provider")
    search.click()
    search.press_sequentially(text, delay=40)


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    settle(page)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save test-output/screenshots/<name>.png. Streamlit scrolls its main area, not the document,
    so a whole-page picture is taken by making the window as tall as the content for a moment."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], [data-testid=\"stSidebarContent\"]')]"
        ".map(e => e.scrollHeight), document.documentElement.scrollHeight)"
    )
    if full_page and viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 12_000)})
        layout_still(page)
        page.screenshot(path=str(path))
        page.set_viewport_size(viewport)
    else:
        page.screenshot(path=str(path))
    return path


def _is_streamlits(rule: str, target: str) -> KnownIssue | None:
    """The known Streamlit issue (market_oversight.accessibility) that explains this violation."""
    return next((k for k in KNOWN_ISSUES if k.axe_rule == rule and re.search(k.selector, target)), None)


def axe_check(page: Page, name: str) -> tuple[list[str], list[str]]:
    """Run axe-core (WCAG 2.2 A and AA rules) on the page as drawn now. Returns (ours, streamlit's):
    one line per serious or critical violating element, split by whether a known Streamlit issue
    explains it. The full report is saved to test-output/axe/<name>.json."""
    results = Axe().run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"],
    })
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.json").write_text(json.dumps(results.response["violations"], indent=2))
    ours, streamlits = [], []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            line = f"{violation['id']} ({violation['impact']}): {target} — {violation['help']}\n    {node['html'][:300]}"
            known = _is_streamlits(violation["id"], target)
            (streamlits if known else ours).append(line + (f" [{known.upstream}]" if known else ""))
    return ours, streamlits


def tab_to(page: Page, target: Locator, *, max_presses: int = 120) -> int:
    """Press Tab until the target has the keyboard focus; returns how many presses it took."""
    handle = target.element_handle()
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("el => el === document.activeElement", handle):
            return presses
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{max_presses} presses of Tab never reached {target}; focus ended on {focused}")


def focus_is_visible(page: Page, margin: int = 12) -> bool:
    """Whether the focused element looks different from the same element unfocused (WCAG 2.4.7):
    the area around it is photographed focused, then after blur(), then focus is given back."""
    handle = page.evaluate_handle("() => document.activeElement")
    box = handle.as_element().bounding_box()
    assert box, "the focused element is not on screen"
    clip = {"x": max(0, box["x"] - margin), "y": max(0, box["y"] - margin),
            "width": box["width"] + 2 * margin, "height": box["height"] + 2 * margin}
    page.wait_for_timeout(250)  # focus rings fade in
    focused = page.screenshot(clip=clip)
    page.evaluate("el => el.blur()", handle)
    page.wait_for_timeout(250)
    unfocused = page.screenshot(clip=clip)
    page.evaluate("el => el.focus()", handle)
    page.wait_for_timeout(100)
    assert page.evaluate("el => el === document.activeElement", handle), "could not give the focus back"
    return focused != unfocused
