"""One week's changes as an e-mail: a plain-text part and an HTML part (tables and inline CSS, so it
reads the same in Outlook), a summary at the top, items grouped by urgency, one inline PNG chart and a
link to each provider's page in the app. Every value from the data goes through `escape`."""

from __future__ import annotations

from collections import Counter
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone
from html import escape as _escape
from urllib.parse import quote

from market_oversight.alerts.changes import KINDS, Item, Urgency, WeekChanges
from market_oversight.alerts.config import AlertSettings
from market_oversight import fmt
from market_oversight.fmt import RAG_COLOURS

PROFILE_PATH = "profile"  # the app's provider page (url_path of the profile page)
# The app's RAG colours (contrast-checked against white in tests/test_palette.py), and its grey.
COLOURS = {Urgency.ACT: RAG_COLOURS["red"], Urgency.REVIEW: RAG_COLOURS["amber"], Urgency.INFO: "#505a5f"}
FONT = "font-family:Arial,Helvetica,sans-serif;"
SERVICE_KIND_LABELS = {kind: label.lower() for kind, label in fmt.SERVICE_KIND_LABELS.items()}  # mid-sentence


def escape(value: object) -> str:
    return _escape("" if value is None else str(value), quote=True)


def profile_url(base_url: str, location_id: str) -> str:
    return f"{base_url}/{PROFILE_PATH}?location={quote(location_id, safe='')}"


def _web_link(url: str | None) -> bool:
    """Only http(s) links from the data become links (never javascript: or data:)."""
    return bool(url) and url.lower().startswith(("https://", "http://"))


def counts(changes: WeekChanges) -> Counter[Urgency]:
    return Counter(i.urgency for i in changes.items)


def subject(changes: WeekChanges, prefix: str) -> str:
    if not changes.items:
        return f"{prefix}: week {changes.week} - all clear"
    c = counts(changes)
    parts = [f"{c[u]} {u.label.lower()}" for u in Urgency if c[u]]
    return f"{prefix}: week {changes.week} - " + ", ".join(parts)


def _place(item: Item) -> str:
    parts = [item.provider_name, SERVICE_KIND_LABELS.get(item.service_kind or "", item.service_kind),
             item.local_authority, item.location_id]
    return " · ".join(str(p) for p in parts if p)


def _shown(group: list[Item], settings: AlertSettings) -> tuple[list[Item], int]:
    """The items of a group the e-mail lists, and how many more it leaves to the watchlist."""
    return group[:settings.max_items_per_group], max(0, len(group) - settings.max_items_per_group)


def _more(hidden: int, settings: AlertSettings) -> str:
    return f"... and {hidden} more in this group: see the watchlist, {settings.base_url}/watchlist"


def _period(changes: WeekChanges) -> str:
    return f"{changes.week.start:%a %d %b} to {changes.week.end:%a %d %b %Y}"


# --- plain text -------------------------------------------------------------------------------------

def text_body(changes: WeekChanges, settings: AlertSettings) -> str:
    lines = [f"Care market changes, week {changes.week} ({_period(changes)})", ""]
    if not changes.items:
        lines += ["All clear: no new CQC reports, risk changes, missing returns, registrations or",
                  "closures, placement suspensions or overdue actions this week.", ""]
    else:
        c = counts(changes)
        lines.append("Summary: " + ", ".join(f"{c[u]} {u.label.lower()}" for u in Urgency))
        by_kind = Counter(i.kind for i in changes.items)
        lines += [f"  {KINDS[k]}: {by_kind[k]}" for k in KINDS if by_kind[k]] + [""]
        for urgency in Urgency:
            group = [i for i in changes.items if i.urgency == urgency]
            if not group:
                continue
            lines += [f"== {urgency.label.upper()} ({len(group)}) ==", ""]
            shown, hidden = _shown(group, settings)
            for item in shown:
                lines.append(f"* {item.location_name or item.location_id}: {item.headline}")
                lines.append(f"  {_place(item)} · {item.event_date:%d %b %Y}")
                lines += [f"  - {d}" for d in item.details]
                lines.append(f"  Open: {profile_url(settings.base_url, item.location_id)}")
                if _web_link(item.link):
                    lines.append(f"  CQC report: {item.link}")
                lines.append("")
            if hidden:
                lines += [_more(hidden, settings), ""]
    lines += [f"Note: {n}" for n in changes.notes]
    lines += ["", "Sent once a week by Care Market Oversight. Each change is reported in one week only."]
    return "\n".join(lines) + "\n"


# --- HTML -------------------------------------------------------------------------------------------

def _summary_html(changes: WeekChanges) -> str:
    c = counts(changes)
    cells = "".join(
        f'<td align="center" bgcolor="{COLOURS[u]}" style="{FONT}padding:8px 12px;background:{COLOURS[u]};color:#ffffff;'
        f'font-size:14px;font-weight:bold;">{c[u]}<br><span style="font-size:11px;font-weight:normal;">'
        f'{escape(u.label)}</span></td><td width="8" style="font-size:1px;">&nbsp;</td>'
        for u in Urgency)
    by_kind = Counter(i.kind for i in changes.items)
    rows = "".join(
        f'<tr><td style="{FONT}font-size:13px;padding:2px 12px 2px 0;color:#333333;">{escape(KINDS[k])}</td>'
        f'<td align="right" style="{FONT}font-size:13px;padding:2px 0;color:#333333;">{by_kind[k]}</td></tr>'
        for k in KINDS if by_kind[k])
    return (f'<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>{cells}</tr></table>'
            f'<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin-top:10px;">'
            f'{rows}</table>')


def _item_html(item: Item, settings: AlertSettings) -> str:
    url = profile_url(settings.base_url, item.location_id)
    details = "".join(f'<div style="{FONT}font-size:12px;color:#444444;padding-top:3px;">{escape(d)}</div>'
                      for d in item.details)
    report = (f' &nbsp;|&nbsp; <a href="{escape(item.link)}" style="color:#1d5fa7;">CQC report</a>'
              if _web_link(item.link) else "")
    return (
        f'<tr><td width="5" bgcolor="{COLOURS[item.urgency]}" style="background:{COLOURS[item.urgency]};'
        f'font-size:1px;">&nbsp;</td>'
        f'<td style="{FONT}padding:8px 10px;border-bottom:1px solid #e3e6ea;">'
        f'<div style="font-size:14px;font-weight:bold;"><a href="{escape(url)}" style="color:#1d5fa7;'
        f'text-decoration:none;">{escape(item.location_name or item.location_id)}</a></div>'
        f'<div style="font-size:12px;color:#666666;">{escape(_place(item))} · '
        f'{escape(f"{item.event_date:%d %b %Y}")}</div>'
        f'<div style="font-size:13px;color:#222222;padding-top:4px;">{escape(item.headline)}</div>'
        f'{details}'
        f'<div style="font-size:12px;padding-top:5px;"><a href="{escape(url)}" style="color:#1d5fa7;">'
        f'Open in Care Market Oversight</a>{report}</div></td></tr>')


def _groups_html(changes: WeekChanges, settings: AlertSettings) -> str:
    out = []
    for urgency in Urgency:
        group = [i for i in changes.items if i.urgency == urgency]
        if not group:
            continue
        shown, hidden = _shown(group, settings)
        more = (f'<tr><td colspan="2" style="{FONT}padding:8px 10px;font-size:13px;color:#333333;">... and '
                f'{hidden} more in this group: <a href="{escape(settings.base_url)}/watchlist" '
                f'style="color:#1d5fa7;">see the watchlist</a></td></tr>' if hidden else "")
        out.append(
            f'<tr><td style="{FONT}padding:18px 0 6px 0;font-size:16px;font-weight:bold;'
            f'color:{COLOURS[urgency]};">{escape(urgency.label)} ({len(group)})</td></tr>'
            f'<tr><td><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
            f'style="border-top:1px solid #e3e6ea;">'
            + "".join(_item_html(i, settings) for i in shown) + more + "</table></td></tr>")
    return "".join(out)


def html_body(changes: WeekChanges, settings: AlertSettings, chart_cid: str | None) -> str:
    title = f"Care market changes, week {changes.week}"
    if changes.items:
        top = _summary_html(changes)
    else:
        top = (f'<div style="{FONT}font-size:14px;color:#1e7d32;font-weight:bold;">All clear</div>'
               f'<div style="{FONT}font-size:13px;color:#333333;padding-top:4px;">No new CQC reports, risk '
               'changes, missing returns, registrations or closures, placement suspensions or overdue '
               'actions this week.</div>')
    chart = (f'<tr><td style="padding-top:16px;"><img src="cid:{escape(chart_cid)}" width="600" '
             'alt="Bar chart: locations red or amber at each recent score date" '
             'style="display:block;width:100%;max-width:600px;height:auto;border:0;"></td></tr>'
             if chart_cid else "")
    notes = "".join(f'<div style="{FONT}font-size:12px;color:#666666;padding-top:4px;">Note: {escape(n)}</div>'
                    for n in changes.notes)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title></head>'
        '<body style="margin:0;padding:0;background:#f3f5f7;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f3f5f7">'
        '<tr><td align="center" style="padding:16px;">'
        '<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" '
        'style="width:640px;max-width:100%;background:#ffffff;">'
        f'<tr><td bgcolor="#1f3a5f" style="{FONT}background:#1f3a5f;color:#ffffff;padding:14px 20px;">'
        f'<div style="font-size:18px;font-weight:bold;">{escape(title)}</div>'
        f'<div style="font-size:12px;color:#cfd8e3;">{escape(_period(changes))}</div></td></tr>'
        '<tr><td style="padding:16px 20px 20px 20px;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
        f'<tr><td>{top}</td></tr>{chart}{_groups_html(changes, settings)}'
        f'<tr><td style="padding-top:14px;">{notes}'
        f'<div style="{FONT}font-size:11px;color:#888888;padding-top:10px;">Sent once a week by Care Market '
        'Oversight. Each change is reported in one week only.</div></td></tr>'
        '</table></td></tr></table></td></tr></table></body></html>')


# --- the message ------------------------------------------------------------------------------------

def build_message(changes: WeekChanges, settings: AlertSettings, recipient: str,
                  chart_png: bytes | None) -> EmailMessage:
    domain = settings.from_address.rsplit("@", 1)[1]
    msg = EmailMessage()
    msg["Subject"] = subject(changes, settings.subject_prefix)
    msg["From"] = settings.from_address
    msg["To"] = recipient
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    msg["Message-ID"] = make_msgid(idstring=f"alerts.{changes.week}", domain=domain)
    msg["X-Market-Oversight-Week"] = str(changes.week)
    msg.set_content(text_body(changes, settings))
    cid = make_msgid(idstring="chart", domain=domain)[1:-1] if chart_png and changes.items else None
    msg.add_alternative(html_body(changes, settings, cid), subtype="html")
    if cid:
        msg.get_payload()[1].add_related(chart_png, "image", "png", cid=f"<{cid}>",
                                         disposition="inline", filename="rag-trend.png")
    return msg
