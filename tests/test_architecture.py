"""The README's architecture is true: the apps' order there is INSTALLED_APPS' order, and no app imports an app
below it, not even inside a function. Every project module is parsed (its imports read with `ast`, never run).

`smartsite` is the site package: its root (`smartsite.urls`, `smartsite.views`, `smartsite.i18n`: the URLconf,
the home page, the script catalogs) sits above every app and is imported by none; the rest (settings,
spreadsheet, private files, object storage) sits below every app and imports none. `devtools` and `bench`
(development tools) and `tests` may import anything; nothing in the product imports them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
SITE_ROOT = ("smartsite.urls", "smartsite.views", "smartsite.i18n")
TOOLS = ("devtools", "bench")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    line: int
    target: str  # the imported module, dotted


def readme_order() -> list[str]:
    """Return the apps in the order the README's architecture diagram lists them."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    diagram = section.split("```", 2)[1]
    return re.findall(r"^([a-z_]+)\s", diagram, flags=re.M)


def project_apps() -> list[str]:
    """Return the project's own apps in INSTALLED_APPS order (the packages at the top of the repository)."""
    return [app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app / "apps.py").is_file()]


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT / "site" if path.is_relative_to(ROOT / "site") else ROOT)
    parts = list(relative.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[Import]:
    return imports_in(path.read_text(encoding="utf-8"), module_name(path))


def imports_in(source: str, module: str) -> list[Import]:
    """Every absolute import in a module, at any depth, and every `import_module("…")` of a literal name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [Import(module, node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append(Import(module, node.lineno, node.args[0].value))
    return found


def project_modules() -> list[Path]:
    packages = dict.fromkeys([*project_apps(), *TOOLS])
    paths = [p for package in packages for p in sorted((ROOT / package).rglob("*.py"))]
    return paths + sorted((ROOT / "site" / "smartsite").rglob("*.py"))


def layer(module: str, order: list[str]) -> int | None:
    """Return a module's place from the bottom (smartsite's utilities) to the top (the site root, the tools)."""
    top = module.split(".", 1)[0]
    if module.startswith(SITE_ROOT) and top == "smartsite":
        return len(order) + 1
    if top == "smartsite":
        return -1
    if top in order:
        return order.index(top)
    if top in TOOLS:
        return len(order) + 2
    return None  # Django, Wagtail, the standard library …


def violations(imports: list[Import], order: list[str]) -> list[str]:
    found = []
    for imp in imports:
        mine, theirs = layer(imp.module, order), layer(imp.target, order)
        if theirs is None or imp.module.split(".", 1)[0] == imp.target.split(".", 1)[0] and mine == theirs:
            continue
        if imp.module.split(".", 1)[0] in TOOLS:
            continue
        if theirs > mine:
            found.append(f"{imp.module}:{imp.line} imports {imp.target}")
    return found


def test_the_readme_lists_the_apps_in_installed_apps_order():
    assert readme_order() == [app for app in project_apps() if app != "devtools"] + ["devtools"]


def test_no_app_imports_one_below_it():
    order = [app for app in project_apps() if app not in TOOLS]
    imports = [imp for path in project_modules() for imp in imports_of(path)]
    assert len({imp.module for imp in imports}) > 250  # every module was read, the migrations included
    assert violations(imports, order) == []


def test_the_check_finds_an_upward_import_even_inside_a_function():
    """The test itself can fail: a lower app importing a higher one, at any depth, is named."""
    order = ["audit", "communities", "checklists", "pilots"]
    source = "import os\n\ndef later():\n    from pilots.models import Pilot\n    return Pilot\n"
    found = violations(imports_in(source, "communities.probe"), order)
    assert found == ["communities.probe:4 imports pilots.models.Pilot"]
    late = 'def later():\n    return importlib.import_module("checklists.models")\n'
    assert violations(imports_in(late, "audit.probe"), order) == ["audit.probe:2 imports checklists.models"]
    assert violations([Import("smartsite.spreadsheet", 1, "checklists.models")], order)
    assert violations([Import("checklists.views", 1, "smartsite.urls")], order)
    assert violations([Import("checklists.views", 1, "devtools.demo")], order)
    assert not violations([Import("pilots.views", 1, "communities.policy"),
                           Import("smartsite.urls", 1, "pilots.public"),
                           Import("checklists.views", 1, "smartsite.private_files"),
                           Import("devtools.demo", 1, "pilots.models")], order)
