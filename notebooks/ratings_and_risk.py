import marimo

__generated_with = "0.25.2"
app = marimo.App(
    width="medium",
    app_title="Ratings and risk: rating movements and the risk backtest",
)


@app.cell
def _():
    import os
    import tempfile
    from pathlib import Path

    import altair as alt
    import marimo as mo
    import polars as pl

    from market_oversight import fmt
    from market_oversight.analyst import notebook_snapshot, scratch_copy
    from market_oversight.errors import RiskError
    from market_oversight.risk.backtest import BacktestOptions, run_backtest
    from market_oversight.risk.thresholds import load_thresholds
    from market_oversight.vocab import RATING_RANK

    return (
        BacktestOptions,
        Path,
        RATING_RANK,
        RiskError,
        alt,
        fmt,
        load_thresholds,
        mo,
        notebook_snapshot,
        os,
        pl,
        run_backtest,
        scratch_copy,
        tempfile,
    )


@app.cell
def _(mo, notebook_snapshot):
    path, con, taken_at = notebook_snapshot()
    mo.md(
        f"""
        # Ratings and risk

        How CQC overall ratings moved, where the risk engine stands now and how it has moved, and a
        backtest of the engine: replaying monthly scores over the history and checking whether red
        and amber came before the events that matter. Snapshot `{path}`, taken
        {taken_at:%d %B %Y %H:%M} UTC.
        """
    )
    return con, path


@app.cell
def _(mo):
    mo.md("""
    ## Rating movements: each overall rating against the location's previous one
    """)
    return


@app.cell
def _(con, mo):
    rating_changes = mo.sql(
        """
        with overall as (
            select
                location_id,
                report_date,
                rating,
                lag(rating) over (partition by location_id order by report_date) as previous_rating
            from mart.ratings
            where key_question = 'overall'
        ),

        final as (
            select
                year(o.report_date) as report_year,
                l.service_kind,
                o.previous_rating,
                o.rating,
                count(*) as reports
            from overall as o
            join mart.locations as l using (location_id)
            where o.previous_rating is not null
            group by year(o.report_date), l.service_kind, o.previous_rating, o.rating
        )

        select * from final
        order by report_year, service_kind, previous_rating, rating
        """,
        engine=con,
    )
    rating_changes
    return (rating_changes,)


@app.cell
def _(RATING_RANK, mo, pl, rating_changes):
    mo.stop(rating_changes.is_empty(), mo.md("_No location has been rated twice in this snapshot yet._"))
    rank = pl.col("rating").replace_strict(RATING_RANK, default=None)
    previous_rank = pl.col("previous_rating").replace_strict(RATING_RANK, default=None)
    movements = rating_changes.with_columns(
        pl.when(rank < previous_rank).then(pl.lit("downgraded"))
        .when(rank > previous_rank).then(pl.lit("upgraded"))
        .when(rank == previous_rank).then(pl.lit("unchanged"))
        .otherwise(pl.lit("to or from not rated"))
        .alias("movement")
    )
    movements_by_year = (
        movements.group_by("report_year", "movement").agg(pl.col("reports").sum())
        .sort("report_year", "movement")
    )
    transition_matrix = (
        movements.group_by("previous_rating", "rating").agg(pl.col("reports").sum())
        .pivot(on="rating", index="previous_rating", values="reports", sort_columns=True)
        .fill_null(0)
        .sort("previous_rating")
    )
    mo.vstack([mo.md("From (rows) to (columns), all years:"), transition_matrix])
    return (movements_by_year,)


@app.cell
def _(alt, fmt, movements_by_year):
    (
        alt.Chart(movements_by_year, title="Overall rating movements by year of report")
        .mark_bar()
        .encode(
            x=alt.X("report_year:O", title="year"),
            y=alt.Y("reports:Q", title="reports"),
            color=alt.Color("movement:N", scale=alt.Scale(domain=list(fmt.MOVEMENT_COLOURS),
                                                          range=list(fmt.MOVEMENT_COLOURS.values()))),
            tooltip=["report_year", "movement", "reports"],
        )
        .properties(width=620, height=240)
    )
    return


@app.cell
def _(mo):
    mo.md("""
    ## The risk engine now, and over the scored dates
    """)
    return


@app.cell
def _(con, mo):
    rag_by_date = mo.sql(
        """
        select
            h.as_of,
            l.service_kind,
            h.rag,
            count(*) as services,
            count(h.override_rag) as overridden
        from mart.risk_history as h
        join mart.locations as l using (location_id)
        group by h.as_of, l.service_kind, h.rag
        order by h.as_of, l.service_kind, h.rag
        """,
        engine=con,
    )
    rag_by_date
    return (rag_by_date,)


@app.cell
def _(alt, fmt, mo, pl, rag_by_date):
    mo.stop(rag_by_date.is_empty(), mo.md("_No risk scores in this snapshot: run `market-oversight score`._"))
    latest_as_of = rag_by_date["as_of"].max()
    rag_now = (
        rag_by_date.filter(pl.col("as_of") == latest_as_of)
        .pivot(on="rag", index="service_kind", values="services")
        .fill_null(0)
        .sort("service_kind")
    )
    rag_chart = (
        alt.Chart(rag_by_date, title="Services by RAG at each scored date")
        .mark_bar()
        .encode(
            x=alt.X("as_of:T", title="as of"),
            y=alt.Y("sum(services):Q", title="services"),
            color=alt.Color("rag:N", scale=alt.Scale(domain=list(fmt.RAG_COLOURS),
                                                     range=list(fmt.RAG_COLOURS.values()))),
            tooltip=["as_of:T", "service_kind", "rag", "services", "overridden"],
        )
        .properties(width=620, height=220)
    )
    mo.vstack([mo.md(f"As of {latest_as_of:%d %B %Y}:"), rag_now, rag_chart])
    return


@app.cell
def _(con, mo):
    flags_now = mo.sql(
        """
        select f.flag, f.domain, count(*) as services, round(avg(f.points), 1) as mean_points
        from mart.risk_flags as f
        where f.as_of = (select max(as_of) from mart.risk_current)
        group by f.flag, f.domain
        order by services desc, f.flag
        """,
        engine=con,
    )
    flags_now
    return


@app.cell
def _(mo, os):
    replay_months = int(os.environ.get("MARKET_OVERSIGHT_BACKTEST_MONTHS", "12"))
    mo.md(
        f"""
        ## Backtest of the risk engine

        Replays the current thresholds on the past, monthly, over the last {replay_months} months
        whose six-month horizon has been observed (set `MARKET_OVERSIGHT_BACKTEST_MONTHS` for more),
        on a scratch copy of the snapshot in a temporary folder: the snapshot and the warehouse are
        never written. Events are the demo's hidden truth where the snapshot has it, otherwise what
        the warehouse observed (downgrades, deregistrations, placement suspensions). See
        `docs/risk.md` for the method.
        """
    )
    return (replay_months,)


@app.cell
def _(
    BacktestOptions,
    Path,
    RiskError,
    con,
    fmt,
    load_thresholds,
    mo,
    path,
    replay_months,
    run_backtest,
    scratch_copy,
    tempfile,
):
    has_truth = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'demo_truth' and table_name = 'events'"
    ).fetchall()[0][0] and con.execute("select count(*) from demo_truth.events").fetchall()[0][0]
    events = "demo_truth" if has_truth else "observed"
    last_data = con.execute(
        "select max(d) from (select max(period) as d from mart.care_home_returns "
        "union all select max(period) from mart.home_care_returns)"
    ).fetchall()[0][0]
    backtest, backtest_error = None, None
    if last_data is None:
        backtest_error = "no monthly returns in this snapshot yet"
    else:
        # the 15th of each month, the last one six months (the horizon) before the latest returns
        def _fifteenth(months_back):
            _m = last_data.year * 12 + last_data.month - 1 - months_back
            return last_data.replace(year=_m // 12, month=_m % 12 + 1, day=15)

        _start, _end = _fifteenth(6 + replay_months - 1), _fifteenth(6)
        with tempfile.TemporaryDirectory(prefix="backtest-") as _folder:
            _scratch = scratch_copy(path, Path(_folder))
            try:
                backtest = run_backtest(_scratch, load_thresholds(),
                                        BacktestOptions(horizon_months=6, events=events, start=_start, end=_end))
            except RiskError as exc:
                backtest_error = str(exc)
    mo.stop(backtest is None, mo.md(f"_No backtest: {backtest_error}._"))
    # written as the app writes figures (market_oversight.fmt): counts with commas, shares as %
    _auc = backtest["roc_auc"]
    backtest_summary = {
        "events": backtest["events_source"],
        "replayed": f"{fmt.long_date(backtest['first_as_of'])} to {fmt.long_date(backtest['last_as_of'])} "
                    f"({fmt.plural(backtest['as_of_dates'], 'date')})",
        "location-dates": fmt.count(backtest["location_dates"]),
        "with an event within 6 months": fmt.count(backtest["positives"]),
        "ROC AUC of likelihood": fmt.MISSING if _auc is None else f"{_auc:.2f}",
        f"precision in the top {fmt.percent(backtest['top_share'])}": fmt.percent(backtest["precision_top"], 1),
        "red/amber precision": fmt.percent(backtest["red_amber"]["precision"], 1),
        "red/amber recall": fmt.percent(backtest["red_amber"]["recall"], 1),
        "events warned beforehand": f"{backtest['events_warned']:,} of {backtest['events_replayed']:,}",
        "median lead (months)": fmt.table_value("months", backtest["median_lead_months"]),
    }
    mo.vstack([mo.md("### Backtest results"), mo.ui.table([{"measure": k, "value": v}
                                                            for k, v in backtest_summary.items()],
                                                           selection=None)])
    return (backtest,)


@app.cell
def _(alt, backtest, mo, pl):
    indicators = pl.DataFrame(backtest["indicators"], infer_schema_length=None)
    mo.stop(indicators.is_empty(), mo.md("_No likelihood flag was raised over the replayed dates._"))
    lift_chart = (
        alt.Chart(indicators.drop_nulls("lift"), title="Lift of each flag: event rate when raised / base rate")
        .mark_bar()
        .encode(x=alt.X("lift:Q"), y=alt.Y("flag:N", sort="-x", title=None),
                tooltip=["flag", "raised", "precision", "lift", "roc_auc_drop"])
        .properties(width=560, height=alt.Step(16))
    )
    drop_chart = (
        alt.Chart(indicators.drop_nulls("roc_auc_drop"), title="ROC AUC lost without each flag")
        .mark_bar()
        .encode(x=alt.X("roc_auc_drop:Q", title="AUC drop"), y=alt.Y("flag:N", sort="-x", title=None),
                tooltip=["flag", "roc_auc_drop", "roc_auc_without"])
        .properties(width=560, height=alt.Step(16))
    )
    mo.vstack([lift_chart, drop_chart, indicators])
    return


if __name__ == "__main__":
    app.run()
