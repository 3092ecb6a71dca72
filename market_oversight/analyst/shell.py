"""`market-oversight sql`: an interactive SQL prompt on the analysts' snapshot, read-only.

Nothing installs DuckDB's own command line, and the one on offer separately cannot read this
project's DuckDB files, so the prompt is ours: statements end with `;` and may span lines; results
print as DuckDB draws them (types under the names, long results shown head and tail); `.mart` lists
the documented views and `.describe NAME` a view's columns with their meaning. The snapshot is opened
read-only, so a write is refused with a message, never carried out; temporary tables still work.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import duckdb

from market_oversight.analyst.dictionary import read_specs

HISTORY = Path("~/.market_oversight_sql_history")
PROMPT, MORE = "market> ", "   ...> "
HELP = """\
Statements end with ';' and may span lines. Commands:
  .mart             the documented views (mart.*), each with what one row is
  .describe NAME    a view's columns, their types and what they mean
  .tables           every table and view in the snapshot, by schema
  .rows N           show at most N rows of a result (now {rows})
  .help             this text
  .quit             leave (or Ctrl-D)
The snapshot is read-only: `create temp table …` works for scratch work and goes when you leave."""


class Shell:
    """One session: the read-only connection, how many rows to show, and a statement being typed."""

    def __init__(self, con: duckdb.DuckDBPyConnection, rows: int = 40) -> None:
        self.con, self.rows = con, rows
        self.pending: list[str] = []
        self.failed = 0

    def feed(self, line: str) -> bool:
        """Take one line: a dot-command alone on a line, or SQL run once a line ends in ';'.
        False when the line asks to leave."""
        stripped = line.strip()
        if not self.pending and stripped.startswith("."):
            return self.command(stripped)
        if stripped or self.pending:
            self.pending.append(line.rstrip("\n"))
            if stripped.endswith(";"):
                self.finish()
        return True

    def finish(self) -> None:
        """Run what is left of a statement (input ended without its ';')."""
        statement, self.pending = "\n".join(self.pending), []
        if statement.strip():
            self.run_sql(statement)

    def run_sql(self, text: str) -> None:
        """Run each statement of `text` in turn, printing each result; stop at the first that fails."""
        try:
            for statement in self.con.extract_statements(text):
                result = self.con.sql(statement.query)
                if result is not None:
                    result.show(max_rows=self.rows)
        except duckdb.Error as exc:
            self.failed += 1
            print(_error_message(exc))

    def command(self, line: str) -> bool:
        """Carry out a dot-command; False when it asks to leave."""
        name, _, arg = line.partition(" ")
        actions: dict[str, Callable[[str], None]] = {
            ".mart": self._marts, ".describe": self._describe, ".tables": self._tables,
            ".rows": self._set_rows, ".help": lambda _: print(HELP.format(rows=self.rows)),
        }
        if name in (".quit", ".exit"):
            return False
        if name not in actions:
            print(f"unknown command {name}: .help lists the commands")
        else:
            actions[name](arg.strip())
        return True

    def _marts(self, _: str) -> None:
        specs = read_specs()
        width = max(len(name) for name in specs) + len("mart.")
        for name, spec in specs.items():
            print(f"{'mart.' + name:<{width}}  {spec.grain.rstrip('.')}")

    def _describe(self, arg: str) -> None:
        name = arg.removeprefix("mart.")
        spec = read_specs().get(name)
        if spec is None:
            print(f"no documented view {arg or '(none given)'}: .mart lists them")
            return
        types = dict(self.con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'mart' and table_name = $name", {"name": name}).fetchall())
        print(f"mart.{name}: {spec.description}\n{spec.grain[:1].upper()}{spec.grain[1:]}")
        width = max(len(c) for c in spec.columns)
        for column, meaning in spec.columns.items():
            print(f"  {column:<{width}}  {types.get(column, '?'):<10}  {meaning}")

    def _tables(self, _: str) -> None:
        self.run_sql("select table_schema as schema, table_name as name, table_type as kind "
                     "from information_schema.tables where table_catalog = current_database() "
                     "order by all")

    def _set_rows(self, arg: str) -> None:
        if not arg.isdigit() or int(arg) < 1:
            print(f".rows needs a whole number of at least 1, not {arg or '(nothing)'}")
            return
        self.rows = int(arg)


def _error_message(exc: duckdb.Error) -> str:
    text = str(exc).strip()
    if "read-only mode" in text:
        return ("refused: the analysts' snapshot is read-only and nothing in it can change; "
                "`create temp table …` holds scratch results for this session")
    return f"Error: {text}"


def _interactive(shell: Shell) -> None:
    """Lines typed at a terminal, with line editing and a history kept between sessions."""
    import readline

    history = HISTORY.expanduser()
    try:
        readline.read_history_file(history)
    except OSError:
        pass
    try:
        while True:
            try:
                line = input(MORE if shell.pending else PROMPT)
            except EOFError:
                print()
                return
            except KeyboardInterrupt:  # drop the statement being typed, as shells do
                print()
                shell.pending = []
                continue
            if not shell.feed(line):
                return
    finally:
        try:
            readline.write_history_file(history)
        except OSError:
            pass


def run(con: duckdb.DuckDBPyConnection, snapshot: Path, *, command: str | None, lines: TextIO) -> int:
    """The prompt on `con`: the statements of `command`, else lines typed at a terminal, else
    lines piped in. Returns how many statements failed or were refused."""
    shell = Shell(con)
    if command is not None:
        lines = io.StringIO(command)
    elif lines.isatty() and sys.stdout.isatty():
        print(f"Analysts' snapshot {snapshot}, read-only. .help for help, .mart for the documented views.")
        _interactive(shell)
        return shell.failed
    for line in lines:
        if not shell.feed(line):
            return shell.failed
    shell.finish()
    return shell.failed
