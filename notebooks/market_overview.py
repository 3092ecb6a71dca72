import marimo

__generated_with = "0.25.2"
app = marimo.App(
    width="medium",
    app_title="Market overview (Market Position Statement)",
)


@app.cell
def _():
    import altair as alt
    import marimo as mo

    from market_oversight import fmt
    from market_oversight.analyst import notebook_snapshot

    return alt, fmt, mo, notebook_snapshot


@app.cell
def _(mo, notebook_snapshot):
    path, con, taken_at = notebook_snapshot()
    mo.md(
        f"""
        # Market overview

        Capacity, occupancy and quality of the care market, for the Market Position Statement.
        From the analysts' read-only snapshot `{path}` taken {taken_at:%d %B %Y %H:%M} UTC.
        Services are CQC locations; *area* is the integrated care board (ICB) area within each
        local authority.
        """
    )
    return (con,)


@app.cell
def _(mo):
    mo.md("""
    ## Capacity now: active services and registered beds, by area and kind
    """)
    return


@app.cell
def _(con, mo):
    capacity = mo.sql(
        """
        select
            local_authority,
            icb_name as area,
            service_kind,
            count(*) as services,
            cast(sum(beds) as bigint) as registered_beds,
            count(*) filter (where not has_registered_manager) as without_registered_manager,
            count(*) filter (where dormant) as dormant
        from mart.locations
        where is_active
        group by local_authority, icb_name, service_kind
        order by local_authority, area, service_kind
        """,
        engine=con,
    )
    capacity
    return


@app.cell
def _(mo):
    mo.md("""
    ## Quality: latest overall CQC rating, by kind of service and area
    """)
    return


@app.cell
def _(con, mo):
    ratings_by_area = mo.sql(
        """
        select
            service_kind,
            icb_name as area,
            coalesce(latest_overall_rating, 'Not rated') as latest_overall_rating,
            count(*) as services,
            round(100 * count(*) / sum(count(*)) over (partition by service_kind, icb_name), 1)
                as share_pct
        from mart.locations
        where is_active
        group by service_kind, icb_name, coalesce(latest_overall_rating, 'Not rated')
        order by service_kind, area, services desc
        """,
        engine=con,
    )
    ratings_by_area
    return (ratings_by_area,)


@app.cell
def _(alt, fmt, mo, ratings_by_area):
    mo.stop(ratings_by_area.is_empty(), mo.md("_No services in this snapshot yet._"))
    rating_chart = (
        alt.Chart(ratings_by_area, title="Latest overall rating (share of active services)")
        .mark_bar()
        .encode(
            x=alt.X("sum(share_pct):Q", title="% of services"),
            y=alt.Y("service_kind:N", title=None),
            row=alt.Row("area:N", title=None),
            color=alt.Color(
                "latest_overall_rating:N",
                sort=list(fmt.RATING_COLOURS),
                # the app's rating colours (market_oversight.fmt), the same in every chart
                scale=alt.Scale(domain=list(fmt.RATING_COLOURS), range=list(fmt.RATING_COLOURS.values())),
                title="rating",
            ),
            tooltip=["area", "service_kind", "latest_overall_rating", "services", "share_pct"],
        )
        .properties(height=60, width=520)
    )
    rating_chart
    return


@app.cell
def _(mo):
    mo.md("""
    ## Occupancy of care homes: the last 12 months of returns, by area
    """)
    return


@app.cell
def _(con, mo):
    occupancy_by_month = mo.sql(
        """
        -- beds-weighted occupancy: occupied beds over beds, of the homes that made a return
        select
            r.period,
            l.icb_name as area,
            count(*) as returns,
            cast(sum(r.beds) as bigint) as beds,
            cast(sum(r.occupied_beds) as bigint) as occupied_beds,
            round(sum(r.occupied_beds) / nullif(sum(r.beds), 0), 4) as occupancy,
            cast(sum(r.vacant_beds_accepting) as bigint) as vacant_beds_accepting
        from mart.care_home_returns as r
        join mart.locations as l using (location_id)
        where r.beds is not null and r.occupied_beds is not null
        group by r.period, l.icb_name
        order by r.period, area
        """,
        engine=con,
    )
    occupancy_by_month
    return (occupancy_by_month,)


@app.cell
def _(alt, mo, occupancy_by_month):
    mo.stop(
        occupancy_by_month.is_empty(),
        mo.md("_No care-home returns in this snapshot yet: occupancy appears once returns are loaded._"),
    )
    import polars as pl

    last_month = occupancy_by_month["period"].max()
    recent = occupancy_by_month.filter(
        pl.col("period") > pl.lit(last_month).dt.offset_by("-12mo")
    )
    occupancy_last_12 = (
        recent.group_by("area")
        .agg(pl.col("occupied_beds").sum(), pl.col("beds").sum(), pl.col("returns").sum())
        .with_columns((pl.col("occupied_beds") / pl.col("beds")).round(4).alias("occupancy"))
        .sort("area")
    )
    occupancy_chart = (
        alt.Chart(occupancy_by_month, title="Care-home occupancy by month")
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title="month"),
            y=alt.Y("occupancy:Q", title="occupied beds / beds", axis=alt.Axis(format="%"),
                    scale=alt.Scale(zero=False)),
            color=alt.Color("area:N", title="area"),
            tooltip=["period:T", "area", "occupancy", "beds", "occupied_beds", "returns"],
        )
        .properties(width=640, height=260)
    )
    mo.vstack([mo.md(f"Last 12 months to {last_month:%B %Y}:"), occupancy_last_12, occupancy_chart])
    return


@app.cell
def _(mo):
    mo.md("""
    ## Home care: people supported and hours delivered by month
    """)
    return


@app.cell
def _(con, mo):
    home_care_by_month = mo.sql(
        """
        select
            period,
            count(*) as returns,
            cast(sum(people_supported) as bigint) as people_supported,
            cast(sum(people_council) as bigint) as people_council_funded,
            round(sum(hours_delivered)) as hours_delivered,
            count(*) filter (where can_take_more_hours) as agencies_with_spare_capacity,
            round(sum(extra_hours_available)) as extra_hours_available_per_week
        from mart.home_care_returns
        group by period
        order by period
        """,
        engine=con,
    )
    home_care_by_month
    return (home_care_by_month,)


@app.cell
def _(alt, home_care_by_month, mo):
    mo.stop(
        home_care_by_month.is_empty(),
        mo.md("_No home-care returns in this snapshot yet._"),
    )
    (
        alt.Chart(home_care_by_month, title="Home-care hours delivered by month")
        .mark_area(opacity=0.6)
        .encode(x=alt.X("period:T", title="month"), y=alt.Y("hours_delivered:Q", title="hours"),
                tooltip=["period:T", "hours_delivered", "people_supported", "returns"])
        .properties(width=640, height=220)
    )
    return


@app.cell
def _(mo):
    mo.md("""
    ## Change over time: services and beds registered at each year end
    """)
    return


@app.cell
def _(con, mo):
    capacity_by_year = mo.sql(
        """
        with year_ends as (
            -- each year end, the last one being the register's latest snapshot date
            select least(make_date(y, 12, 31), (select max(snapshot_date) from mart.locations)) as year_end
            from range(
                (select year(min(registration_date)) from mart.locations),
                (select year(max(snapshot_date)) from mart.locations) + 1
            ) as t(y)
        ),

        final as (
            select
                e.year_end,
                l.service_kind,
                count(*) as services,
                cast(sum(l.beds) as bigint) as registered_beds,
                count(*) filter (where year(l.registration_date) = year(e.year_end)) as registered_in_year,
                count(*) filter (where year(l.deregistration_date) = year(e.year_end)) as closing_in_year
            from year_ends as e
            join mart.locations as l
              on l.registration_date <= e.year_end
             and (l.deregistration_date is null or l.deregistration_date > e.year_end)
            group by e.year_end, l.service_kind
        )

        select * from final
        order by year_end, service_kind
        """,
        engine=con,
    )
    capacity_by_year
    return (capacity_by_year,)


@app.cell
def _(alt, capacity_by_year, mo):
    mo.stop(capacity_by_year.is_empty(), mo.md("_No register in this snapshot yet._"))
    (
        alt.Chart(capacity_by_year, title="Registered services at each year end")
        .mark_line(point=True)
        .encode(x=alt.X("year_end:T", title="year end"), y=alt.Y("services:Q"),
                color=alt.Color("service_kind:N", title="kind"),
                tooltip=["year_end:T", "service_kind", "services", "registered_beds",
                         "registered_in_year", "closing_in_year"])
        .properties(width=640, height=220)
    )
    return


@app.cell
def _(con, mo):
    rating_mix_by_year = mo.sql(
        """
        -- the overall rating each registered location held at each year end (its latest report by then)
        with year_ends as (
            select distinct least(make_date(year(report_date), 12, 31),
                                  (select max(report_date) from mart.ratings)) as year_end
            from mart.ratings
        ),

        held as (
            select e.year_end, r.location_id, r.rating
            from year_ends as e
            join mart.ratings as r
              on r.key_question = 'overall' and r.report_date <= e.year_end
            qualify row_number() over (partition by e.year_end, r.location_id order by r.report_date desc) = 1
        ),

        final as (
            select h.year_end, l.service_kind, h.rating, count(*) as services
            from held as h
            join mart.locations as l using (location_id)
            where l.registration_date <= h.year_end
              and (l.deregistration_date is null or l.deregistration_date > h.year_end)
            group by h.year_end, l.service_kind, h.rating
        )

        select * from final
        order by year_end, service_kind, rating
        """,
        engine=con,
    )
    rating_mix_by_year
    return


if __name__ == "__main__":
    app.run()
