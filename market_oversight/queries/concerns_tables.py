"""The provider-concerns panel's headings, lines and tables, from one location's concerns
(`concerns.location_concerns`): pure functions, no Streamlit. What people typed stays as typed."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from market_oversight import fmt


def heading(concern: dict, provider_name: str | None) -> str:
    """A concern's heading: its stage and since when (or when it closed), and what it is about."""
    about = ("this service" if concern["location_id"]
             else f"every service of {provider_name or concern['provider_id']}")
    stage = fmt.concern_stage(concern["stage"])
    if concern["is_open"]:
        return f"{stage} since {fmt.long_date(concern['stage_since'])}, about {about}"
    return f"Closed {fmt.long_date(concern['closed_on'])}: {stage.lower()}, about {about}"


def opened_line(concern: dict) -> str:
    return (f"Lead officer: {concern['lead_officer']}. Agencies: {', '.join(concern['agencies']) or 'none recorded'}. "
            f"Opened {fmt.long_date(concern['opened_on'])} by {concern['opened_by']}.")


@dataclass(frozen=True)
class ConcernParts:
    """One concern's stages, meetings, improvement-plan actions and linked enquiries."""
    stages: pl.DataFrame
    meetings: pl.DataFrame
    actions: pl.DataFrame
    enquiries: pl.DataFrame

    @property
    def open_actions(self) -> pl.DataFrame:
        return self.actions.filter(pl.col("done_on").is_null())

    def tab_labels(self, can_change: bool) -> list[str]:
        return [f"Stages ({self.stages.height})", f"Meetings ({self.meetings.height})",
                f"Improvement plan ({self.open_actions.height} open)",
                f"Safeguarding enquiries ({self.enquiries.height})",
                *(["Change stage or close"] if can_change else [])]

    def stages_for_people(self) -> pl.DataFrame:
        s = self.stages
        return s.select(fmt.texts(s["entered_on"], fmt.long_date).alias("From"),
                        fmt.texts(s["stage"], fmt.concern_stage).alias("Stage"),
                        pl.col("reason").alias("Why"), pl.col("recorded_by").alias("By"))

    def actions_for_people(self) -> pl.DataFrame:
        a = self.actions
        return a.select(pl.col("title").alias("Action"), pl.col("owner").alias("Owner"),
                        fmt.texts(a["due_date"], fmt.long_date).alias("Due"),
                        fmt.texts(a["done_on"], fmt.long_date).alias("Done"))

    def enquiries_for_people(self) -> pl.DataFrame:
        e = self.enquiries
        return e.select(pl.col("reference").alias("Reference"),
                        fmt.texts(e["enquiry_date"], fmt.long_date).alias("Date"),
                        pl.col("recorded_by").alias("Linked by"))


def parts(concern_id: str, stages: pl.DataFrame, meetings: pl.DataFrame, actions: pl.DataFrame,
          enquiries: pl.DataFrame) -> ConcernParts:
    """The rows of one concern, out of a location's concerns."""
    mine = pl.col("concern_id") == concern_id
    return ConcernParts(stages.filter(mine), meetings.filter(mine), actions.filter(mine), enquiries.filter(mine))


def open_action_labels(open_actions: pl.DataFrame) -> dict[str, str]:
    return {r["plan_action_id"]: f"{r['title']} (due {fmt.long_date(r['due_date'])})"
            for r in open_actions.iter_rows(named=True)}
