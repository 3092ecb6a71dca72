"""The settings: one typed object, every default in defaults.toml, a bad file refused at load with
the file, the section and the key named."""

from __future__ import annotations

import ast
import dataclasses
import re
import tomllib
import typing
from pathlib import Path

import pytest

from market_oversight import config
from market_oversight.cli import main
from market_oversight.config import CONFIG_ENV, DEFAULTS, Settings, load_settings, settings_from
from market_oversight.errors import ConfigError
from market_oversight.paths import PROJECT_ROOT


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "council.toml"
    path.write_text(text, encoding="utf-8")
    return path


# (the council's file, where the problem is, what is wrong)
BAD = [
    ("[colours]\nred = 1", "[colours]", "is not a known section"),
    ("[returns]\ndue_day = 20", "[returns] due_day", "is not a known key"),
    ("[returns]\ndue_day_of_following_month = 29", "[returns] due_day_of_following_month", "between 1 and 28"),
    ("[returns]\ndue_day_of_following_month = 0", "[returns] due_day_of_following_month", "between 1 and 28"),
    ("[returns]\ndue_day_of_following_month = 14.5", "[returns] due_day_of_following_month", "a whole number"),
    ('[returns]\ndue_day_of_following_month = "14"', "[returns] due_day_of_following_month", "a whole number"),
    ("returns = 14", "[returns]", "must be a table"),
    ('[contracts]\njudge = "whoever"', "[contracts] judge", "one of gx, sql, auto"),
    ("[contracts]\ngx_max_rows = 0", "[contracts] gx_max_rows", "at least 1"),
    ('[app]\nbase_url = "oversight.example"', "[app] base_url", "http:// or https://"),
    ('[access]\nadministrators = "ada@council.example"', "[access] administrators", "must be a list"),
    ("[access]\ndata_officers = [1]", "[access] data_officers", "a list of text"),
    ('[alerts]\nrecipients = ["not an address"]', "[alerts] recipients", "is not an e-mail address"),
    ('[alerts]\nfrom_address = "robot"', "[alerts] from_address", "is not an e-mail address"),
    ("[alerts]\nrecipients = []", "[alerts] recipients", "is empty and there are no routes"),
    ('[alerts]\nsend_all_clear = "yes"', "[alerts] send_all_clear", "true or false"),
    ("[alerts]\nmax_items_per_group = 0", "[alerts] max_items_per_group", "at least 1"),
    ("[alerts]\nmax_items_per_group = true", "[alerts] max_items_per_group", "a whole number"),
    ('[[alerts.routes]]\nname = "North"', "[alerts.routes[0]] recipients", "is missing"),
    ('[[alerts.routes]]\nrecipients = ["a@b.example"]\nservice_kinds = ["hospital"]',
     "[alerts.routes[0]] service_kinds", "one of care_home, home_care, other"),
    ('[[alerts.routes]]\nrecipients = ["a@b.example"]\nteam = "x"', "[alerts.routes[0]] team", "is not a known key"),
    ('[alerts.smtp]\nport = "twenty-five"', "[alerts.smtp] port", "a whole number"),
    ("[alerts.smtp]\nport = 70000", "[alerts.smtp] port", "between 1 and 65535"),
    ('[alerts.smtp]\npassword = "in-the-file"', "[alerts.smtp] password", "must not be in a file"),
    ('[analyst]\nsnapshot_keep = "seven"', "[analyst] snapshot_keep", "a whole number"),
    ("[uploads]\nmax_megabytes = -1", "[uploads] max_megabytes", "at least"),
    ('[uploads]\nallowed_types = ["csv", "pdf"]', "[uploads] allowed_types", "one of csv, xlsx, ods"),
    ("[uploads]\nallowed_types = []", "[uploads] allowed_types", "must not be empty"),
    ('[accessibility]\ncontact = ""', "[accessibility] contact", "must not be empty"),
    ('[risk]\nthresholds = "no-such-file.toml"', "[risk] thresholds", "which is not a file"),
]


@pytest.mark.parametrize("text, where, problem", BAD, ids=[w for _, w, _ in BAD])
def test_a_bad_key_or_value_is_refused_naming_the_file_section_and_key(
        tmp_path: Path, text: str, where: str, problem: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: {where} ")
    assert problem in str(caught.value)


def test_a_bad_file_stops_a_command_at_start_with_the_key_named(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path, "[returns]\ndue_day_of_following_month = 31")
    assert main(["score", "--db", str(tmp_path / "nothing.duckdb"), "--config", str(path)]) == 2
    assert "[returns] due_day_of_following_month must be between 1 and 28" in capsys.readouterr().err
    assert not (tmp_path / "nothing.duckdb").exists()   # refused before the warehouse was opened


def test_the_defaults_are_complete_and_hold_nothing_undeclared() -> None:
    # every key of defaults.toml is a field, and every field a key (so none has a default in code)
    def keys(cls: type, prefix: str = "") -> set[str]:
        out = set()
        for f in dataclasses.fields(cls):
            if f.name == "source":
                continue
            hint = typing.get_type_hints(cls)[f.name]
            nested = dataclasses.is_dataclass(hint)
            out |= keys(hint, f"{prefix}{f.name}.") if nested else {prefix + f.name}
        return out

    def toml_keys(table: dict, prefix: str = "") -> set[str]:
        return set().union(*(toml_keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
                             for k, v in table.items()))

    assert toml_keys(tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))) == keys(Settings)
    settings = settings_from(None)
    assert settings.returns.due_day_of_following_month == tomllib.loads(
        DEFAULTS.read_text(encoding="utf-8"))["returns"]["due_day_of_following_month"]


def test_no_settings_dataclass_carries_a_default() -> None:
    sections = [c for c in vars(config).values()
                if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == config.__name__]
    with_defaults = [f"{c.__name__}.{f.name}" for c in sections for f in dataclasses.fields(c)
                     if f.name != "source" and (f.default is not dataclasses.MISSING
                                                or f.default_factory is not dataclasses.MISSING)]
    assert len(sections) >= 10 and with_defaults == []


def _settings_keys() -> set[str]:
    return set(re.findall(r"^(\w+) =", DEFAULTS.read_text(encoding="utf-8"), re.MULTILINE))


@pytest.mark.slow
def test_no_code_path_carries_a_literal_default_for_a_settings_key() -> None:
    # `.get("<a settings key>", default)`, the old dict-of-sections `.section(...)`, or a module
    # constant named after a settings key (DEFAULT_DUE_DAY) would be a second place for a default
    keys = _settings_keys()
    found = []
    for path in sorted((PROJECT_ROOT / "market_oversight").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(PROJECT_ROOT)}:{getattr(node, 'lineno', 0)}"
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "get" and len(node.args) == 2
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in keys):
                found.append(f"{where} .get({node.args[0].value!r}, ...)")
            if isinstance(node, ast.Attribute) and node.attr == "section":
                found.append(f"{where} .section")
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    name = getattr(target, "id", "").lower()
                    if name.startswith("default_") and any(k.startswith(name[8:]) for k in keys):
                        found.append(f"{where} {name.upper()} = {node.value.value!r}")
    assert found == []


def test_the_council_file_from_the_environment_and_from_the_flag(tmp_path: Path, monkeypatch) -> None:
    from_env = tmp_path / "env.toml"
    from_env.write_text("[analyst]\nsnapshot_keep = 3\n", encoding="utf-8")
    flag = _write(tmp_path, "[analyst]\nsnapshot_keep = 2\n")
    monkeypatch.setenv(CONFIG_ENV, str(from_env))
    assert load_settings().analyst.snapshot_keep == 3
    assert load_settings(flag).analyst.snapshot_keep == 2     # --config wins over the environment
    assert load_settings(flag).source == str(flag)
    # what the council's file leaves out comes from defaults.toml
    assert load_settings(flag).returns == settings_from(None).returns
    monkeypatch.delenv(CONFIG_ENV)
    assert load_settings().source == str(DEFAULTS)


def test_a_problem_in_the_defaults_is_named_after_defaults_toml(monkeypatch) -> None:
    broken = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    del broken["analyst"]["snapshot_keep"]
    monkeypatch.setattr(config, "read_toml", lambda path: broken)
    with pytest.raises(ConfigError, match=re.escape(f"{DEFAULTS}: [analyst] snapshot_keep is missing")):
        settings_from(None)


def test_a_thresholds_file_is_found_beside_the_council_file(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text("", encoding="utf-8")
    path = _write(tmp_path, '[risk]\nthresholds = "ours.toml"\n')
    assert load_settings(path).risk.thresholds == tmp_path / "ours.toml"
    assert settings_from(None).risk.thresholds is None


def test_values_are_normalised_once(tmp_path: Path) -> None:
    s = load_settings(_write(tmp_path, '[alerts]\nrecipients = [" QA@Council.example "]\n'
                                       '[uploads]\nallowed_types = ["CSV"]\nmax_megabytes = 2\n'))
    assert s.alerts.recipients == ("qa@council.example",)
    assert s.uploads.allowed_types == ("csv",) and s.uploads.max_megabytes == 2.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.returns.due_day_of_following_month = 1  # type: ignore[misc]
