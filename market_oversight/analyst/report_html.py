"""One self-contained HTML page from a notebook's outputs: no script, no stylesheet or font to fetch,
nothing that needs the network, so a report opens on a locked-down machine.

What each output becomes: marimo's `mo.md` (anything with HTML `.text`) its HTML; an altair chart an
inline SVG drawn by vl-convert with its data inlined; a polars frame (or `mo.ui.table`'s data) a
table whose cells are written by `fmt.table_value`; a `Stack` (what `mo.vstack`/`mo.hstack` give
during a report run) its items in turn; a `Section` (the market report's) its title, text, table,
chart and note. Colours and RAG/rating shapes are the app's (`fmt`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from market_oversight import fmt
from market_oversight.vocab import RAG, RATINGS

MAX_ROWS = 100  # a longer table shows its first rows and says how many it has

_CSS = f"""
body {{ font-family: Arial, Helvetica, sans-serif; color: {fmt.INK}; margin: 0; line-height: 1.4; }}
main {{ max-width: 960px; margin: 0 auto; padding: 16px; }}
h1 {{ font-size: 2rem; }} h2 {{ font-size: 1.5rem; margin-top: 2rem; }} h3 {{ font-size: 1.2rem; }}
code {{ font-family: Consolas, monospace; word-break: break-all; }}
.output {{ margin: 1rem 0; }}
.stack-h {{ display: flex; flex-wrap: wrap; gap: 16px; }}
.table-wrap {{ overflow-x: auto; max-width: 100%; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }}
th, td {{ border-bottom: 1px solid #b1b4b6; padding: 4px 8px; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
caption {{ text-align: left; font-weight: bold; padding: 4px 0; }}
.chart svg {{ max-width: 100%; height: auto; }}
.note {{ color: #505a5f; font-size: 0.9rem; }}
footer {{ color: #505a5f; font-size: 0.8rem; border-top: 1px solid #b1b4b6; margin-top: 2rem; padding-top: 8px; }}
"""


@dataclass(frozen=True)
class Stack:
    """`mo.vstack` / `mo.hstack` as a report run sees them: the original items, not their HTML."""
    items: Sequence[Any]
    horizontal: bool = False


@dataclass(frozen=True)
class Html:
    """HTML made here (a report's heading), drawn as it is, like marimo's own Html."""
    text: str

    def _mime_(self) -> tuple[str, str]:
        return "text/html", self.text


def heading(title: str, *lines: str) -> Html:
    """A report's title and the paragraphs under it, escaped."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return Html(f"<h1>{html.escape(title)}</h1>{paragraphs}")


@dataclass(frozen=True)
class Section:
    """A part of a report that is not a notebook cell's own output (the market report's parts):
    shown in marimo as its HTML (`_mime_`), rendered here the same way."""
    title: str
    text: str = ""
    table: pl.DataFrame | None = None
    chart: Any = None
    notes: tuple[str, ...] = field(default=())

    def _mime_(self) -> tuple[str, str]:
        return "text/html", render_item(self)


def render_page(title: str, items: Iterable[Any], footer: str = "") -> str:
    """The whole page: `items` in order, each as `render_item` draws it."""
    body = "\n".join(f'<div class="output">{part}</div>' for part in map(render_item, items) if part)
    foot = f"<footer>{html.escape(footer)}</footer>" if footer else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n{foot}\n</main>\n</body>\n</html>\n"
    )


def render_item(item: Any) -> str:
    """One output as HTML ("" for nothing to show)."""
    if item is None:
        return ""
    if isinstance(item, Section):
        return _section(item)
    if isinstance(item, Stack):
        parts = "".join(f"<div>{p}</div>" for p in map(render_item, item.items) if p)
        return f'<div class="{"stack-h" if item.horizontal else "stack-v"}">{parts}</div>'
    if isinstance(item, pl.DataFrame):
        return table(item)
    if _is_ui_table(item):
        return render_item(_table_data(item._data))
    if hasattr(item, "to_json") and hasattr(item, "mark_bar"):  # an altair chart
        return chart_svg(item)
    if isinstance(item, list) and all(isinstance(r, dict) for r in item):
        return render_item(_table_data(item))
    if isinstance(getattr(item, "text", None), str):  # mo.md and any other marimo Html
        return item.text
    return f"<pre>{html.escape(str(item))}</pre>"


def table(frame: pl.DataFrame, caption: str = "") -> str:
    """A frame as an HTML table, every value written by its column's rule (`fmt.table_value`)."""
    head = "".join(f'<th scope="col">{html.escape(fmt.table_heading(c))}</th>' for c in frame.columns)
    rows = []
    for row in frame.head(MAX_ROWS).iter_rows(named=True):
        rows.append("<tr>" + "".join(_cell(c, v) for c, v in row.items()) + "</tr>")
    more = ""
    if frame.height > MAX_ROWS:
        more = f'<p class="note">The first {MAX_ROWS:,} of {frame.height:,} rows.</p>'
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>{more}")


def _cell(column: str, value: Any) -> str:
    text = html.escape(fmt.table_value(column, value))
    colour = _colour(column, value)
    style = f' style="color:{colour};font-weight:bold"' if colour else ""
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    cls = ' class="num"' if numeric else ""
    return f"<td{cls}{style}>{text}</td>"


def _colour(column: str, value: Any) -> str | None:
    if column == "rag" and value in RAG:
        return fmt.RAG_COLOURS[value]
    if column in fmt.RATING_COLUMNS and value in RATINGS:
        return fmt.RATING_COLOURS[value]
    return None


def chart_svg(chart: Any) -> str:
    """An altair chart as inline SVG, its data inlined in the spec (never written to files)."""
    import altair as alt
    import vl_convert

    with alt.data_transformers.enable("default", max_rows=None):
        spec = chart.to_json()
    svg = vl_convert.vegalite_to_svg(spec)
    # Inline SVG in HTML needs no namespace; dropping it leaves no URL of any kind in the page.
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    return f'<div class="chart" role="img">{svg}</div>'


def _section(section: Section) -> str:
    parts = [f"<h2>{html.escape(section.title)}</h2>"]
    if section.text:
        parts.append(f"<p>{html.escape(section.text)}</p>")
    if section.table is not None:
        parts.append(table(section.table))
    if section.chart is not None:
        parts.append(chart_svg(section.chart))
    parts += [f'<p class="note">{html.escape(n)}</p>' for n in section.notes]
    return "\n".join(parts)


def _is_ui_table(item: Any) -> bool:
    return type(item).__name__ == "table" and hasattr(item, "_data")


def _table_data(data: Any) -> pl.DataFrame | Any:
    if isinstance(data, list) and all(isinstance(r, dict) for r in data):
        return pl.DataFrame(data, infer_schema_length=None)
    return data
