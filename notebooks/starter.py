import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="Starter: the analysts' snapshot")


@app.cell
def _():
    import marimo as mo

    from market_oversight.analyst import open_snapshot, snapshot_path

    return mo, open_snapshot, snapshot_path


@app.cell
def _(mo, open_snapshot, snapshot_path):
    # The read-only analysts' copy: $MARKET_OVERSIGHT_SNAPSHOT if set, else latest.duckdb beside the
    # warehouse named by $MARKET_OVERSIGHT_DB (else var/warehouse.duckdb). Writes are refused.
    path = snapshot_path()
    con = open_snapshot(path)
    mo.md(f"# Starter\n\nConnected **read-only** to `{path}`. See `docs/data_dictionary.md` "
          "for every view and column.")
    return (con,)


@app.cell
def _(con, mo):
    taken = mo.sql(
        """
        select taken_at_utc, warehouse, schema_version
        from meta.snapshot
        """,
        engine=con,
    )
    taken
    return


@app.cell
def _(con, mo):
    marts = mo.sql(
        """
        -- every analyst-facing view (schema mart); the data dictionary describes each column
        select table_name as view, count(*) as columns
        from information_schema.columns
        where table_catalog = current_database() and table_schema = 'mart'
        group by table_name
        order by table_name
        """,
        engine=con,
    )
    marts
    return


@app.cell
def _(con, mo):
    example = mo.sql(
        """
        -- your query here: for example, active services by kind and latest overall rating
        select service_kind, latest_overall_rating, count(*) as services
        from mart.locations
        where is_active
        group by all
        order by service_kind, services desc
        """,
        engine=con,
    )
    example
    return


if __name__ == "__main__":
    app.run()
