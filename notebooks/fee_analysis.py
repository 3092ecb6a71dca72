import marimo

__generated_with = "0.25.2"
app = marimo.App(
    width="medium",
    app_title="Fee analysis: fees against benchmarks, and the cost of an uplift",
)


@app.cell
def _():
    import altair as alt
    import marimo as mo
    import polars as pl

    from market_oversight import fmt
    from market_oversight.analyst import notebook_snapshot

    return alt, fmt, mo, notebook_snapshot, pl


@app.cell
def _(mo, notebook_snapshot):
    path, con, taken_at = notebook_snapshot()
    mo.md(
        f"""
        # Fee analysis

        What the council pays each service against its benchmarks (the council's usual rate, the
        Fair Cost of Care median, and for home care the Homecare Association's minimum price), and
        what it would cost each year to lift every fee below a benchmark up to it: for every
        provider, and for those the risk engine rates red or amber. Snapshot `{path}`, taken
        {taken_at:%d %B %Y %H:%M} UTC.

        **Assumptions** (write them in any paper that quotes these figures):

        - *As at* the latest month with a monthly return; fees and benchmarks in force on that day.
          A provider-wide rate applies to each of its locations that has no rate of its own.
        - Volumes come from each service's latest return in the three months to that date:
          council-funded residents of a care home, or council-funded hours of a home-care agency
          (hours delivered times the council's share of people supported), times 12 months.
        - Returns do not split residents by care category, so a home's council-funded residents are
          shared equally between the categories it has a rate for.
        - A week is 365.25 / 7 days; the cost is of the gap only (fee below benchmark), before any
          inflation uplift of the benchmark itself.
        """
    )
    return (con,)


@app.cell
def _(con, mo):
    fee_gaps = mo.sql(
        """
        with as_of as (
            select greatest(
                (select max(period) from mart.care_home_returns),
                (select max(period) from mart.home_care_returns)
            ) as as_of
        ),

        rates_in_force as (
            select f.*
            from mart.fee_rates as f
            cross join as_of as a
            where coalesce(f.funder, 'council') = 'council'
              and f.effective_from <= a.as_of
              and (f.effective_to is null or f.effective_to >= a.as_of)
        ),

        location_rates as (
            select location_id, care_category, amount as fee, unit
            from rates_in_force
            where location_id is not null
        ),

        provider_rates as (
            -- a provider-wide rate applies where the location has no rate of its own in that category
            select l.location_id, p.care_category, p.amount as fee, p.unit
            from rates_in_force as p
            join mart.locations as l on l.provider_id = p.provider_id and l.is_active
            where p.location_id is null
              and not exists (
                  select 1 from location_rates as o
                  where o.location_id = l.location_id and o.care_category = p.care_category
              )
        ),

        fees as (
            select * from location_rates
            union all
            select * from provider_rates
        ),

        benchmarks_in_force as (
            select b.care_category, b.benchmark, b.amount as benchmark_amount, b.unit, b.financial_year
            from mart.benchmarks as b
            cross join as_of as a
            where b.year_start <= a.as_of and a.as_of < b.year_start + interval 1 year
        ),

        latest_care_home as (
            select r.location_id, r.residents_council
            from mart.care_home_returns as r
            cross join as_of as a
            where r.period > a.as_of - interval 3 month
            qualify row_number() over (partition by r.location_id order by r.period desc) = 1
        ),

        latest_home_care as (
            select
                r.location_id,
                r.hours_delivered * r.people_council / nullif(r.people_supported, 0) as council_hours_month
            from mart.home_care_returns as r
            cross join as_of as a
            where r.period > a.as_of - interval 3 month
            qualify row_number() over (partition by r.location_id order by r.period desc) = 1
        ),

        volumes as (
            select
                f.location_id,
                f.care_category,
                case
                    when f.unit = 'week' then
                        ch.residents_council
                        / count(*) over (partition by f.location_id, f.unit) * 365.25 / 7
                    when f.unit = 'hour' then hc.council_hours_month * 12
                end as units_per_year
            from fees as f
            left join latest_care_home as ch on ch.location_id = f.location_id and f.unit = 'week'
            left join latest_home_care as hc on hc.location_id = f.location_id and f.unit = 'hour'
        ),

        final as (
            select
                a.as_of,
                b.financial_year,
                f.location_id,
                l.location_name,
                l.provider_id,
                l.provider_name,
                l.service_kind,
                f.care_category,
                f.unit,
                f.fee,
                b.benchmark,
                b.benchmark_amount,
                f.fee < b.benchmark_amount as below_benchmark,
                greatest(b.benchmark_amount - f.fee, 0) as gap,
                v.units_per_year,
                greatest(b.benchmark_amount - f.fee, 0) * coalesce(v.units_per_year, 0) as yearly_cost,
                coalesce(r.rag, 'not scored') as rag,
                coalesce(r.rag in ('red', 'amber'), false) as at_risk
            from fees as f
            cross join as_of as a
            join benchmarks_in_force as b using (care_category, unit)
            left join volumes as v using (location_id, care_category)
            left join mart.locations as l using (location_id)
            left join mart.risk_current as r using (location_id)
        )

        select * from final
        order by benchmark, care_category, location_id
        """,
        engine=con,
    )
    fee_gaps
    return (fee_gaps,)


@app.cell
def _(fee_gaps, mo):
    mo.stop(
        fee_gaps.is_empty(),
        mo.md("_No fee rates, benchmarks or returns in force in this snapshot yet: "
              "load fee rates, benchmarks and monthly returns, then take a new snapshot._"),
    )
    as_of = fee_gaps["as_of"].max()
    benchmarks_held = ", ".join(sorted(fee_gaps["benchmark"].unique()))
    mo.md(
        f"""
        As at **{as_of:%d %B %Y}** (financial year {fee_gaps['financial_year'][0]}). Benchmarks held
        for that year: {benchmarks_held}. A benchmark not published for the year is left out, not
        carried over from another year.
        """
    )
    return (as_of,)


@app.cell
def _(as_of, fee_gaps, mo, pl):
    fees_vs_benchmarks = (
        fee_gaps.group_by("care_category", "unit", "benchmark")
        .agg(
            pl.col("benchmark_amount").first().round(2),
            pl.col("fee").median().round(2).alias("median_fee"),
            pl.col("fee").min().round(2).alias("lowest_fee"),
            pl.len().alias("rates"),
            pl.col("below_benchmark").sum().alias("rates_below"),
            (pl.col("below_benchmark").mean() * 100).round(1).alias("pct_below"),
        )
        .sort("care_category", "benchmark")
    )
    mo.vstack([mo.md(f"## Fees against benchmarks, as at {as_of:%d %B %Y}"), fees_vs_benchmarks])
    return


@app.cell
def _(as_of, mo):
    mo.md(
        f"""
        ## Yearly cost of lifting every fee below a benchmark up to it

        As at {as_of:%d %B %Y}. *At risk* means rated red or amber in the latest risk score.
        """
    )
    return


@app.cell
def _(as_of, fee_gaps, mo, pl):
    def uplift(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.filter(pl.col("below_benchmark"))
            .group_by("benchmark", "care_category")
            .agg(
                pl.col("location_id").n_unique().alias("services_below"),
                pl.col("units_per_year").sum().round(0).alias("council_units_per_year"),
                pl.col("yearly_cost").sum().round(0).alias("yearly_cost"),
            )
            .sort("benchmark", "care_category")
        )

    uplift_all = uplift(fee_gaps)
    uplift_at_risk = uplift(fee_gaps.filter(pl.col("at_risk")))
    uplift_totals = (
        uplift_all.group_by("benchmark")
        .agg(pl.col("yearly_cost").sum().alias("all providers"))
        .join(
            uplift_at_risk.group_by("benchmark").agg(pl.col("yearly_cost").sum().alias("red or amber")),
            on="benchmark",
            how="left",
        )
        .with_columns(pl.col("red or amber").fill_null(0.0), pl.lit(as_of).alias("as_of"))
        .sort("benchmark")
    )
    _scored = fee_gaps["rag"].ne("not scored").any()
    mo.vstack([
        uplift_totals,
        mo.md("" if _scored else "_No risk scores in this snapshot: run `market-oversight score` "
              "for the red-or-amber figures._"),
    ])
    return uplift_all, uplift_at_risk


@app.cell
def _(mo, uplift_all, uplift_at_risk):
    mo.vstack([
        mo.md("### All providers, by benchmark and care category"), uplift_all,
        mo.md("### Providers rated red or amber"), uplift_at_risk,
    ])
    return


@app.cell
def _(as_of, fee_gaps, mo, pl):
    uplift_by_provider = (
        fee_gaps.filter(pl.col("benchmark") == "council_usual_rate", pl.col("below_benchmark"))
        .group_by("provider_id", "provider_name")
        .agg(
            pl.col("location_id").n_unique().alias("services_below"),
            pl.col("at_risk").any().alias("any_at_risk"),
            pl.col("yearly_cost").sum().round(0).alias("yearly_cost_to_council_usual_rate"),
        )
        .sort("yearly_cost_to_council_usual_rate", descending=True)
    )
    mo.vstack([
        mo.md(f"### Providers most below the council's usual rate, as at {as_of:%d %B %Y}"),
        uplift_by_provider.head(15),
    ])
    return


@app.cell
def _(alt, as_of, fee_gaps, fmt, pl):
    ratios = fee_gaps.filter(pl.col("benchmark") == "council_usual_rate").with_columns(
        (pl.col("fee") / pl.col("benchmark_amount")).alias("fee_to_usual_rate")
    )
    (
        alt.Chart(ratios, title=f"Fee as a share of the council's usual rate, by RAG, {as_of:%B %Y}")
        .mark_point(filled=True, size=60, opacity=0.8)
        .encode(
            x=alt.X("fee_to_usual_rate:Q", title="fee / council usual rate", axis=alt.Axis(format="%"),
                    scale=alt.Scale(zero=False)),
            y=alt.Y("care_category:N", title=None),
            # the app's RAG colours and shapes (market_oversight.fmt): never colour alone
            color=alt.Color("rag:N", scale=alt.Scale(domain=list(fmt.RAG_OR_NOT_SCORED_COLOURS),
                                                     range=list(fmt.RAG_OR_NOT_SCORED_COLOURS.values()))),
            shape=alt.Shape("rag:N", scale=alt.Scale(domain=list(fmt.RAG_OR_NOT_SCORED_SHAPES),
                                                     range=list(fmt.RAG_OR_NOT_SCORED_SHAPES.values()))),
            tooltip=["location_name", "provider_name", "care_category", "fee", "benchmark_amount", "rag"],
        )
        .properties(width=620, height=200)
    )
    return


if __name__ == "__main__":
    app.run()
