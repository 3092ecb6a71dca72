"""One week's e-mail as content, in the words a quality assurance officer acts on, before any layout:
the standing position first (red and amber now by kind of service, and the change since the week
before), then each change with what happened, why it matters, what to do next and its links, most
urgent and most at risk first. Long lists of missing returns are summarised per provider.

Both parts of the e-mail (plain text and HTML, `render`) draw this same digest, so they carry the
same content; every link is made by `market_oversight.links`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from market_oversight import fmt, links
from market_oversight.alerts.changes import KINDS, Item, Urgency, WeekChanges
from market_oversight.alerts.config import AlertSettings
from market_oversight.alerts.standing import Place, Standing

SUMMARY_LINES = 20          # a list summarised per provider takes at most this many lines
RETURNS_LISTED = 5          # more missing returns than this are summarised per provider
RED_LISTED = 20             # a quiet week lists at most this many red locations

WHY = {
    "report": "CQC's rating is the regulator's judgement of the care people get here; a poor or falling "
              "rating is the clearest sign that care may not be safe.",
    "risk": "The risk score now puts it among the services most likely to fail or give poor care, "
            "weighed by how many people would be affected.",
    "flags": "Each new flag adds to its likelihood of failing or giving poor care.",
    "returns": "Without its monthly return the risk score runs on older figures: changes in occupancy, "
               "staffing and concerns go unseen.",
    "register": "A closed service's residents or clients need care elsewhere, and local capacity falls; "
                "a new one adds capacity and a provider to get to know.",
    "suspension": "While a placement suspension is in force, no new placements may be made there.",
    "concern": "The council's concerns process is where it works with the provider and other agencies "
               "to make care safe; serious concerns or a large-scale enquiry make it red on every list.",
    "review": "A placement suspension should last no longer than the concerns behind it: its review "
              "decides whether placements may resume.",
    "action": "An action agreed in casework is past its due date.",
    "notice": "CQC's Market Oversight scheme watches the largest providers' finances; a notice says CQC "
              "thinks this provider may fail, and the council must be ready to meet its residents' needs "
              "(Care Act 2014, s.48-52 and 55-56).",
    "contingency": "If this provider failed, its contingency plan is what the council would work from; an "
                   "out-of-date plan sends the team to look for beds and carers in a hurry.",
}
NEXT = {
    ("report", Urgency.ACT): "Contact the provider and CQC today; consider a quality visit and whether to "
                             "suspend placements.",
    ("report", Urgency.REVIEW): "Read the report and agree at this week's quality meeting whether a visit or "
                                "an action plan is needed.",
    ("report", Urgency.INFO): "No action needed unless it changes your view of the service.",
    ("risk", Urgency.ACT): "Review the flags on its profile with the contract manager this week and record "
                           "the actions agreed in casework.",
    ("risk", Urgency.REVIEW): "Review the flags on its profile and decide whether to monitor it more closely.",
    ("flags", Urgency.REVIEW): "Check the new flags on its profile against what you know of the service.",
    ("flags", Urgency.INFO): "No action needed now; the flags are on its profile.",
    ("returns", Urgency.REVIEW): "Chase the provider: the Returns to chase page has a reminder to send.",
    ("register", Urgency.ACT): "Check where the people it served are now placed.",
    ("register", Urgency.INFO): "No action needed; add it to your market contacts.",
    ("suspension", Urgency.ACT): "Make sure brokerage and social work teams know, and set the review date.",
    ("suspension", Urgency.INFO): "Let brokerage know that placements may resume.",
    ("concern", Urgency.ACT): "Make sure brokerage, social work teams, the ICB and CQC know; agree the "
                              "multi-agency meeting and whether to suspend placements.",
    ("concern", Urgency.REVIEW): "Agree the monitoring visits and the improvement plan with the provider.",
    ("concern", Urgency.INFO): "Keep the improvement plan's remaining actions under review.",
    ("review", Urgency.REVIEW): "Hold the review: lift the suspension, narrow it, or set the next review date.",
    ("action", Urgency.REVIEW): "Close the action in casework, or agree a new date with its owner.",
    ("notice", Urgency.ACT): "Rehearse the provider's failure and check its contingency plan with its "
                             "owner this week.",
    ("contingency", Urgency.REVIEW): "Review the plan with its owner and record the review on the "
                                     "provider's page.",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One change at one location, in words."""
    urgency: Urgency
    title: str                     # the location's name
    place: str                     # provider, kind of service, area, CQC ID and date
    headline: str                  # what happened, in one line
    happened: tuple[str, ...]      # the figures behind it
    why: str
    next: str
    links: tuple[Link, ...]        # the profile first


@dataclass(frozen=True)
class Summary:
    """A long list summarised per provider, with a link to the page that lists every one."""
    urgency: Urgency
    title: str
    lines: tuple[str, ...]
    why: str
    next: str
    link: Link


@dataclass(frozen=True)
class Section:
    urgency: Urgency
    count: int                     # every change in it, listed or not
    summaries: tuple[Summary, ...]
    entries: tuple[Entry, ...]
    more: tuple[str, Link] | None  # "... and N more", beyond max_items_per_group


@dataclass(frozen=True)
class KindRow:
    label: str
    red: str
    red_change: str
    amber: str
    amber_change: str


@dataclass(frozen=True)
class Position:
    """Where the market stands: the first thing every e-mail says."""
    heading: str
    lines: tuple[str, ...]         # a sentence or two
    by_kind: tuple[KindRow, ...]
    red: tuple[Entry, ...]         # listed in a week with no changes
    red_more: tuple[str, Link] | None


@dataclass(frozen=True)
class Digest:
    subject: str
    title: str
    period: str
    position: Position
    counts: tuple[tuple[Urgency, int], ...]
    by_kind: tuple[tuple[str, int], ...]
    sections: tuple[Section, ...]
    notes: tuple[str, ...]


def _plural_verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _change_since(now: int, before: int) -> str:
    return fmt.change(now - before) or "No change"


def _position(standing: Standing, quiet: bool, settings: AlertSettings) -> Position:
    if standing.scored_on is None:
        return Position("Where the market stands", ("No risk score yet: run `market-oversight score`.",),
                        (), (), None)
    red, amber = len(standing.red), len(standing.amber)
    red_before = sum(1 for p in standing.before if p.rag == "red")
    amber_before = sum(1 for p in standing.before if p.rag == "amber")
    heading = f"Where the market stands (risk score of {fmt.long_date(standing.scored_on)})"
    since = (f"A week before: {fmt.plural(red_before, 'location')} red and {amber_before} amber."
             if standing.scored_before else "No score a week before to compare with.")
    if quiet:
        lines = (f"No new concerns this week; {fmt.plural(red, 'location')} "
                 f"{_plural_verb(red, 'remains', 'remain')} red and {amber} amber.", since)
    else:
        lines = (f"{fmt.plural(red, 'location')} {_plural_verb(red, 'is', 'are')} red and {amber} amber.", since)
    rows = tuple(KindRow(fmt.service_kind(k.service_kind), fmt.count(k.red), _change_since(k.red, k.red_before),
                         fmt.count(k.amber), _change_since(k.amber, k.amber_before))
                 for k in standing.by_kind())
    listed = standing.red[:RED_LISTED] if quiet else ()
    more = None
    if quiet and red > RED_LISTED:
        more = (f"... and {red - RED_LISTED} more red locations",
                Link("see the watchlist", links.app_page(settings.base_url, links.WATCHLIST_PATH)))
    return Position(heading, lines, rows, tuple(_red_entry(p, settings) for p in listed), more)


def _place_words(provider: str | None, kind: str | None, area: str | None, location_id: str,
                 when: str | None = None) -> str:
    parts = [provider, fmt.service_kind(kind).lower() if kind else None, area, f"CQC ID {location_id}", when]
    return " · ".join(p for p in parts if p)


def _links(settings: AlertSettings, location_id: str) -> tuple[Link, ...]:
    return (Link("Open its profile in Care Market Oversight", links.profile(settings.base_url, location_id)),
            Link("Its page on the CQC website", links.cqc_location_page(location_id)))


def _red_entry(p: Place, settings: AlertSettings) -> Entry:
    return Entry(Urgency.ACT, p.location_name or p.location_id,
                 _place_words(p.provider_name, p.service_kind, p.local_authority, p.location_id),
                 f"{fmt.rag(p.rag)}: likelihood {fmt.count(p.likelihood)}, impact {fmt.impact(p.impact)}",
                 (), "", "", _links(settings, p.location_id))


def _next(item: Item) -> str:
    step = NEXT.get((item.kind, item.urgency), "")
    if item.action_title:
        due = item.action_due
        owner = f", {item.action_owner}" if item.action_owner else ""
        step += (f" Casework action due {fmt.long_date(due)}: {item.action_title}{owner}." if due
                 else f" Open casework action: {item.action_title}{owner}.")
    return step.strip()


def entry(item: Item, settings: AlertSettings) -> Entry:
    return Entry(
        item.urgency, item.location_name or item.location_id,
        _place_words(item.provider_name, item.service_kind, item.local_authority, item.location_id,
                     fmt.long_date(item.event_date)),
        item.headline, item.details, WHY[item.kind], _next(item), _links(settings, item.location_id))


def _returns_summary(items: list[Item], settings: AlertSettings) -> Summary:
    """Missing returns per provider, most returns first, in at most SUMMARY_LINES lines."""
    by_provider: dict[str, list[Item]] = defaultdict(list)
    for i in items:
        by_provider[i.provider_id or i.location_id].append(i)
    ranked = sorted(by_provider.values(), key=lambda g: (-len(g), (g[0].provider_name or "").casefold()))
    names = Counter(g[0].provider_name for g in ranked)
    lines = []
    for group in ranked:
        first = group[0]
        name = first.provider_name or first.location_name or first.location_id
        if first.provider_name and names[first.provider_name] > 1:   # two companies, one name
            name += f" (CQC provider ID {first.provider_id})"
        places = len({i.location_id for i in group})
        lines.append(f"{name}: {fmt.plural(len(group), 'return')} missing at {fmt.plural(places, 'location')}")
    if len(lines) > SUMMARY_LINES:
        rest = ranked[SUMMARY_LINES - 1:]
        lines = lines[:SUMMARY_LINES - 1] + [
            f"... and {fmt.plural(len(rest), 'more provider')} with "
            f"{fmt.plural(sum(len(g) for g in rest), 'return')} missing"]
    providers = fmt.plural(len(ranked), "provider")
    return Summary(items[0].urgency, f"{fmt.plural(len(items), 'monthly return')} now missing, from {providers}",
                   tuple(lines), WHY["returns"], NEXT[("returns", Urgency.REVIEW)],
                   Link("See every return to chase", links.app_page(settings.base_url, links.CHASING_PATH)))


def _section(urgency: Urgency, group: list[Item], settings: AlertSettings) -> Section:
    returns = [i for i in group if i.kind == "returns"]
    summarised = len(returns) > RETURNS_LISTED
    listed = [i for i in group if not (summarised and i.kind == "returns")]
    shown, hidden = listed[:settings.max_items_per_group], max(0, len(listed) - settings.max_items_per_group)
    more = None
    if hidden:
        more = (f"... and {hidden} more in this group",
                Link("see the watchlist", links.app_page(settings.base_url, links.WATCHLIST_PATH)))
    return Section(urgency, len(group), (_returns_summary(returns, settings),) if summarised else (),
                   tuple(entry(i, settings) for i in shown), more)


def subject(changes: WeekChanges, prefix: str) -> str:
    red = len(changes.standing.red)
    if not changes.items:
        where = (f"{fmt.plural(red, 'location')} {_plural_verb(red, 'remains', 'remain')} red" if red
                 else "none red")
        return f"{prefix}: week {changes.week} - no new concerns; {where}"
    c = Counter(i.urgency for i in changes.items)
    parts = [f"{c[u]} {u.label.lower()}" for u in Urgency if c[u]]
    return f"{prefix}: week {changes.week} - " + ", ".join(parts) + f"; {red} red"


def digest(changes: WeekChanges, settings: AlertSettings) -> Digest:
    c = Counter(i.urgency for i in changes.items)
    kinds = Counter(i.kind for i in changes.items)
    sections = tuple(_section(u, [i for i in changes.items if i.urgency == u], settings)
                     for u in Urgency if c[u])
    return Digest(
        subject=subject(changes, settings.subject_prefix),
        title=f"Care market, week {changes.week}",
        period=f"{fmt.long_date(changes.week.start)} to {fmt.long_date(changes.week.end)}",
        position=_position(changes.standing, not changes.items, settings),
        counts=tuple((u, c[u]) for u in Urgency),
        by_kind=tuple((KINDS[k], kinds[k]) for k in KINDS if kinds[k]),
        sections=sections, notes=changes.notes)
