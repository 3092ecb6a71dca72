"""What import-linter cannot see (`make test` runs it on pyproject.toml's contracts): a module named
in a string, or an import allowed to fail, hides a dependency from the layers contract."""

from __future__ import annotations

import re

from market_oversight.paths import PROJECT_ROOT

HIDDEN = re.compile(r"import_module\(|__import__\(|find_spec\(|except\s*\(?[\w\s,]*(ImportError|ModuleNotFoundError)")


def test_the_package_names_every_module_it_imports_and_needs_each() -> None:
    # given every module of the package
    found = [f"{path.relative_to(PROJECT_ROOT)}:{n}: {line.strip()}"
             for path in sorted((PROJECT_ROOT / "market_oversight").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if HIDDEN.search(line)]
    # then none imports by a string or carries on when an import fails
    assert found == []


def test_the_check_sees_each_pattern() -> None:
    for line in ('module = importlib.import_module(name)', 'except ImportError:',
                 'except (ImportError, AttributeError):', 'except ModuleNotFoundError as exc:',
                 'TABULAR = importlib.util.find_spec("x") is not None'):
        assert HIDDEN.search(line), line
