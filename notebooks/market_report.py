import marimo

__generated_with = "0.25.2"
app = marimo.App(
    width="medium",
    app_title="Monthly market report (Market Position Statement figures)",
)


@app.cell
def _():
    import marimo as mo

    from market_oversight.analyst import market_report, open_snapshot, snapshot_path

    return market_report, mo, open_snapshot, snapshot_path


@app.cell
def _(market_report, mo, open_snapshot, snapshot_path):
    # The same sections as the download on the app's overview page (market_oversight.analyst.market_report);
    # figures from 1 to 4 locations are suppressed there, so this report can go to members and the ICB.
    path = snapshot_path()
    con = open_snapshot(path)
    area = market_report.default_area(con)
    as_of = market_report.as_of_date(con)
    return area, as_of, con, path


@app.cell
def _(area, as_of, market_report, mo, path):
    mo.stop(as_of is None, mo.md("# Monthly market report\n\n_No CQC data in this snapshot yet._"))
    mo.vstack([market_report.title_block(area, as_of), mo.md(f"From the analysts' read-only snapshot `{path}`.")])
    return


@app.cell
def _(area, as_of, con, market_report, mo):
    mo.stop(as_of is None)
    report_sections = market_report.sections(con, area, as_of)
    mo.vstack(report_sections)
    return (report_sections,)


if __name__ == "__main__":
    app.run()
