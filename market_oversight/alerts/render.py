"""One week's e-mail laid out: a plain-text part and an HTML part, both drawn from the same digest
(`digest.py`: the standing position, then each change in words, with its links), so they carry the
same content. The HTML is nested tables with inline CSS (no stylesheet, no flexbox, no web fonts), so
Outlook's Word renderer lays it out as browsers do; it is fluid up to 640 px wide (a fixed 640 px
table for Outlook on Windows, which ignores max-width) and the chart scales with it. Every value from
the data goes through `escape`."""

from __future__ import annotations

from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from html import escape as _escape

from market_oversight.alerts.changes import Urgency, WeekChanges
from market_oversight.alerts.config import AlertSettings
from market_oversight.alerts.digest import Digest, Entry, Link, Position, Section, Summary, digest, subject
from market_oversight.fmt import RAG_COLOURS

__all__ = ["build_message", "escape", "html_body", "subject", "text_body"]

# The app's RAG colours (contrast-checked against white in tests/test_palette.py), and its grey.
COLOURS = {Urgency.ACT: RAG_COLOURS["red"], Urgency.REVIEW: RAG_COLOURS["amber"], Urgency.INFO: "#505a5f"}
FONT = "font-family:Arial,Helvetica,sans-serif;"
LINK = "color:#1d5fa7;"
WRAP = "word-break:break-word;overflow-wrap:anywhere;"   # a long name never widens the e-mail
FOOTER = "Sent once a week by Care Market Oversight. Each change is reported in one week only."


def escape(value: object) -> str:
    return _escape("" if value is None else str(value), quote=True)


# --- plain text -------------------------------------------------------------------------------------

def _position_text(p: Position) -> list[str]:
    lines = [p.heading.upper(), *p.lines]
    if p.by_kind:
        lines += ["", "  Kind of service: red (change since a week before), amber (change)"]
        lines += [f"  {r.label}: {r.red} red ({r.red_change}), {r.amber} amber ({r.amber_change})"
                  for r in p.by_kind]
    if p.red:
        lines += ["", "Red now:"] + [f"* {e.title} - {e.headline}\n  {e.place}\n  {e.links[0].url}" for e in p.red]
    if p.red_more:
        lines.append(f"{p.red_more[0]}: {p.red_more[1].label}, {p.red_more[1].url}")
    return lines + [""]


def _entry_text(e: Entry) -> list[str]:
    lines = [f"* {e.title}: {e.headline}", f"  {e.place}"]
    lines += [f"  - {d}" for d in e.happened]
    lines += [f"  Why it matters: {e.why}", f"  What to do next: {e.next}"]
    lines += [f"  {link.label}: {link.url}" for link in e.links]
    return lines + [""]


def _summary_text(s: Summary) -> list[str]:
    return ([f"* {s.title}", *(f"  - {line}" for line in s.lines), f"  Why it matters: {s.why}",
             f"  What to do next: {s.next}", f"  {s.link.label}: {s.link.url}", ""])


def _section_text(s: Section) -> list[str]:
    lines = [f"== {s.urgency.label.upper()} ({s.count}) ==", ""]
    for summary in s.summaries:
        lines += _summary_text(summary)
    for e in s.entries:
        lines += _entry_text(e)
    if s.more:
        lines += [f"{s.more[0]}: {s.more[1].label}, {s.more[1].url}", ""]
    return lines


def text_body(changes: WeekChanges, settings: AlertSettings) -> str:
    d = digest(changes, settings)
    lines = [d.title, d.period, "", *_position_text(d.position)]
    if d.sections:
        lines.append("WHAT CHANGED THIS WEEK: " + ", ".join(f"{n} {u.label.lower()}" for u, n in d.counts))
        lines += [f"  {label}: {n}" for label, n in d.by_kind] + [""]
        for section in d.sections:
            lines += _section_text(section)
    lines += [f"Note: {n}" for n in d.notes]
    lines += ["", FOOTER]
    return "\n".join(lines) + "\n"


# --- HTML -------------------------------------------------------------------------------------------

def _a(link: Link) -> str:
    return f'<a href="{escape(link.url)}" style="{LINK}">{escape(link.label)}</a>'


def _para(text: str, size: int = 13, colour: str = "#222222", extra: str = "") -> str:
    return f'<div style="{FONT}{WRAP}font-size:{size}px;color:{colour};padding-top:4px;{extra}">{text}</div>'


def _table(rows: str, extra: str = "") -> str:
    return (f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
            f'style="width:100%;{extra}">{rows}</table>')


def _position_html(p: Position) -> str:
    out = [f'<div style="{FONT}font-size:16px;font-weight:bold;color:#1f3a5f;">{escape(p.heading)}</div>']
    out += [_para(escape(line), 14 if i == 0 else 13, "#222222", "font-weight:bold;" if i == 0 else "")
            for i, line in enumerate(p.lines)]
    if p.by_kind:
        cell = f'style="{FONT}{WRAP}font-size:13px;padding:5px 6px;border-bottom:1px solid #e3e6ea;"'
        head = f'style="{FONT}font-size:12px;color:#505a5f;padding:5px 6px;text-align:left;border-bottom:2px solid #b1b4b6;"'
        rows = (f'<tr><th {head}>Kind of service</th><th {head}>Red</th><th {head}>Change</th>'
                f'<th {head}>Amber</th><th {head}>Change</th></tr>')
        rows += "".join(f'<tr><td {cell}>{escape(r.label)}</td><td {cell}>{escape(r.red)}</td>'
                        f'<td {cell}>{escape(r.red_change)}</td><td {cell}>{escape(r.amber)}</td>'
                        f'<td {cell}>{escape(r.amber_change)}</td></tr>' for r in p.by_kind)
        out.append(_table(rows, "margin-top:8px;border-collapse:collapse;"))
    if p.red:
        out.append(_para("Red now:", 13, "#222222", "font-weight:bold;padding-top:12px;"))
        out.append(_table("".join(_entry_html(e, brief=True) for e in p.red), "border-top:1px solid #e3e6ea;"))
    if p.red_more:
        out.append(_para(f"{escape(p.red_more[0])}: {_a(p.red_more[1])}"))
    return "".join(out)


def _bar(urgency: Urgency) -> str:
    colour = COLOURS[urgency]
    return f'<td width="5" bgcolor="{colour}" style="width:5px;background:{colour};font-size:1px;">&nbsp;</td>'


def _entry_html(e: Entry, *, brief: bool = False) -> str:
    happened = "".join(_para(escape(d), 12, "#444444") for d in e.happened)
    advice = "" if brief else (_para(f"<b>Why it matters:</b> {escape(e.why)}", 12, "#333333")
                               + _para(f"<b>What to do next:</b> {escape(e.next)}", 12, "#333333"))
    links = " &nbsp;|&nbsp; ".join(_a(link) for link in e.links)
    return (
        f'<tr>{_bar(e.urgency)}<td style="{FONT}{WRAP}padding:8px 10px;border-bottom:1px solid #e3e6ea;">'
        f'<div style="font-size:14px;font-weight:bold;"><a href="{escape(e.links[0].url)}" '
        f'style="{LINK}text-decoration:none;">{escape(e.title)}</a></div>'
        f'<div style="font-size:12px;color:#505a5f;">{escape(e.place)}</div>'
        f'{_para(escape(e.headline))}{happened}{advice}'
        f'<div style="font-size:12px;padding-top:5px;">{links}</div></td></tr>')


def _summary_html(s: Summary) -> str:
    lines = "".join(_para(escape(line), 12, "#444444") for line in s.lines)
    return (
        f'<tr>{_bar(s.urgency)}<td style="{FONT}{WRAP}padding:8px 10px;border-bottom:1px solid #e3e6ea;">'
        f'<div style="font-size:14px;font-weight:bold;color:#222222;">{escape(s.title)}</div>{lines}'
        + _para(f"<b>Why it matters:</b> {escape(s.why)}", 12, "#333333")
        + _para(f"<b>What to do next:</b> {escape(s.next)}", 12, "#333333")
        + f'<div style="font-size:12px;padding-top:5px;">{_a(s.link)}</div></td></tr>')


def _section_html(s: Section) -> str:
    rows = "".join(_summary_html(x) for x in s.summaries) + "".join(_entry_html(e) for e in s.entries)
    if s.more:
        rows += (f'<tr><td colspan="2" style="{FONT}padding:8px 10px;font-size:13px;color:#333333;">'
                 f'{escape(s.more[0])}: {_a(s.more[1])}</td></tr>')
    return (f'<tr><td style="{FONT}padding:18px 0 6px 0;font-size:16px;font-weight:bold;'
            f'color:{COLOURS[s.urgency]};">{escape(s.urgency.label)} ({s.count})</td></tr>'
            f'<tr><td>{_table(rows, "border-top:1px solid #e3e6ea;")}</td></tr>')


def _counts_html(d: Digest) -> str:
    cells = "".join(
        f'<td align="center" width="33%" bgcolor="{COLOURS[u]}" style="{FONT}padding:8px 4px;'
        f'background:{COLOURS[u]};color:#ffffff;font-size:14px;font-weight:bold;">{n}<br>'
        f'<span style="font-size:11px;font-weight:normal;">{escape(u.label)}</span></td>'
        + ('<td width="6" style="width:6px;font-size:1px;">&nbsp;</td>' if u != Urgency.INFO else "")
        for u, n in d.counts)
    kinds = "".join(f'<tr><td style="{FONT}{WRAP}font-size:12px;padding:2px 12px 2px 0;color:#333333;">'
                    f'{escape(label)}</td><td style="{FONT}font-size:12px;padding:2px 0;color:#333333;">{n}</td></tr>'
                    for label, n in d.by_kind)
    return (f'<div style="{FONT}font-size:16px;font-weight:bold;color:#1f3a5f;padding-top:18px;">'
            'What changed this week</div>'
            f'{_table(f"<tr>{cells}</tr>", "margin-top:8px;")}'
            f'<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin-top:10px;">'
            f'{kinds}</table>')


def html_body(changes: WeekChanges, settings: AlertSettings, chart_cid: str | None) -> str:
    d = digest(changes, settings)
    chart = (f'<tr><td style="padding-top:16px;"><img src="cid:{escape(chart_cid)}" width="600" '
             'alt="Bar chart: locations red or amber at each recent score date" '
             'style="display:block;width:100%;max-width:600px;height:auto;border:0;"></td></tr>'
             if chart_cid else "")
    changed = (f'<tr><td>{_counts_html(d)}</td></tr>' + "".join(_section_html(s) for s in d.sections)
               if d.sections else "")
    notes = "".join(_para(f"Note: {escape(n)}", 12, "#505a5f") for n in d.notes)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(d.title)}</title></head>'
        '<body style="margin:0;padding:0;background:#f3f5f7;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f3f5f7" '
        'style="width:100%;background:#f3f5f7;">'
        '<tr><td align="center" style="padding:12px 8px;">'
        '<!--[if mso]><table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0">'
        '<tr><td><![endif]-->'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" '
        'style="width:100%;max-width:640px;background:#ffffff;">'
        f'<tr><td bgcolor="#1f3a5f" style="{FONT}background:#1f3a5f;color:#ffffff;padding:14px 16px;">'
        f'<div style="font-size:18px;font-weight:bold;">{escape(d.title)}</div>'
        f'<div style="font-size:12px;color:#cfd8e3;">{escape(d.period)}</div></td></tr>'
        '<tr><td style="padding:14px 16px 18px 16px;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;">'
        f'<tr><td>{_position_html(d.position)}</td></tr>{chart}{changed}'
        f'<tr><td style="padding-top:14px;">{notes}'
        f'{_para(escape(FOOTER), 11, "#505a5f", "padding-top:10px;")}</td></tr>'
        '</table></td></tr></table>'
        '<!--[if mso]></td></tr></table><![endif]-->'
        '</td></tr></table></body></html>')


# Python folds a subject of 70-odd characters by breaking straight after "Subject:", which mail clients
# show with a leading space; lines up to RFC 5322's 998 characters keep every header on one line.
MAIL_POLICY = policy.default.clone(max_line_length=998)


# --- the message ------------------------------------------------------------------------------------

def build_message(changes: WeekChanges, settings: AlertSettings, recipient: str,
                  chart_png: bytes | None) -> EmailMessage:
    domain = settings.from_address.rsplit("@", 1)[1]
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = subject(changes, settings.subject_prefix)
    msg["From"] = settings.from_address
    msg["To"] = recipient
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    msg["Message-ID"] = make_msgid(idstring=f"alerts.{changes.week}", domain=domain)
    msg["X-Market-Oversight-Week"] = str(changes.week)
    msg.set_content(text_body(changes, settings))
    cid = make_msgid(idstring="chart", domain=domain)[1:-1] if chart_png else None
    msg.add_alternative(html_body(changes, settings, cid), subtype="html")
    if cid:
        msg.get_payload()[1].add_related(chart_png, "image", "png", cid=f"<{cid}>",
                                         disposition="inline", filename="rag-trend.png")
    return msg
