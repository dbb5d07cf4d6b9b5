"""The shape of the code (docs/architecture.md): no import cycles, template tags only in templates'
reach, and each app importing only the apps it is built on.

The project's modules are read with `ast`, never imported, so every import counts: at the top of a
module or inside a function, absolute or relative.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = ("mkdirectory", "initiatives", "indicators")

# Each app, and the apps it may import. Everything not named may not be imported; the project
# settings and URLs (mkdirectory) name apps as strings, never by import.
BUILT_ON = {
    "initiatives": set(),  # the shared core: organisations, services, publishing, audit, places
    "indicators": {"initiatives"},
    "initiatives.search": {"initiatives"},
    "initiatives.accounts": {"initiatives"},
    # The manage area counts residents' reports, and staff's work to do gathers every app's queue.
    "initiatives.editing": {
        "initiatives",
        "initiatives.accounts",
        "initiatives.enquiries",
        "initiatives.feedback",
        "initiatives.search",
    },
    "initiatives.enquiries": {"initiatives"},
    "initiatives.feedback": {"initiatives"},
    "initiatives.opendata": {"initiatives", "indicators", "initiatives.search"},
    "initiatives.public": {"initiatives", "indicators", "initiatives.search"},
    "initiatives.demo": {"initiatives", "indicators", "initiatives.search"},
    "mkdirectory": set(),
}


def module_files(root: Path, packages) -> dict[str, Path]:
    """Every module of the packages under `root`, by dotted name (a package by its own name)."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _imported_names(module: str, path: Path) -> set[str]:
    """The dotted names a module imports, relative imports resolved, `from x import y` as x.y.

    A name stands for the module it is in (x.y is module x.y if there is one, else a name in x).
    """
    package_parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module
            names.update(f"{source}.{alias.name}" for alias in node.names)
    return names


def _nearest_module(name: str, modules) -> str | None:
    """The module a dotted name lives in (`initiatives.models.Service` is in `initiatives.models`)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which of the given modules each one imports."""
    graph = {}
    for module, path in modules.items():
        targets = (_nearest_module(name, modules) for name in _imported_names(module, path))
        graph[module] = {target for target in targets if target and target != module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that starts and ends at the same module, or None."""
    done, path, on_path = set(), [], set()

    def visit(module):
        path.append(module)
        on_path.add(module)
        for target in sorted(graph.get(module, ())):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done and (cycle := visit(target)):
                return cycle
        on_path.discard(path.pop())
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done and (cycle := visit(module)):
            return cycle
    return None


def app_of(module: str) -> str:
    """The app a module belongs to: the longest app name it starts with."""
    return max((app for app in BUILT_ON if module == app or module.startswith(app + ".")), key=len)


def is_template_tag_module(name: str) -> bool:
    return "templatetags" in name.split(".")


# The project ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project():
    modules = module_files(ROOT, PROJECT_PACKAGES)
    return modules, import_graph(modules)


def test_the_project_has_no_import_cycle(project):
    _, graph = project
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_only_template_tag_modules_import_template_tag_modules(project):
    """Formatting, judgements and charts are plain modules; a template tag only wraps one of them."""
    modules, _ = project
    offenders = [
        f"{module} imports {name}"
        for module, path in modules.items()
        if not is_template_tag_module(module)
        for name in sorted(_imported_names(module, path))
        if is_template_tag_module(name)
    ]
    assert offenders == []


def test_each_app_imports_only_the_apps_it_is_built_on(project):
    _, graph = project
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if app_of(target) != app_of(module) and app_of(target) not in BUILT_ON[app_of(module)]
    )
    assert offenders == []


def test_every_app_of_the_project_is_in_the_table(project):
    """A new app is placed among the others before it can import anything."""
    modules, _ = project
    apps = {module.removesuffix(".apps") for module in modules if module.endswith(".apps")}
    assert apps - set(BUILT_ON) == set()


def test_the_apps_built_on_one_another_form_no_cycle():
    assert find_cycle(BUILT_ON) is None


# The checker itself, on a tree made for it --------------------------------------------------------


def write_modules(root: Path, sources: dict[str, str]) -> dict[str, Path]:
    for name, source in sources.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return module_files(root, ["shop"])


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        pytest.param(
            {
                "shop/__init__.py": "",
                "shop/models.py": "from .prices import total\n",
                "shop/prices.py": "def total():\n    from shop.models import Basket\n",
            },
            ["shop.models", "shop.prices", "shop.models"],
            id="relative-import-and-import-inside-a-function",
        ),
        pytest.param(
            {
                "shop/__init__.py": "",
                "shop/a.py": "import shop.b\n",
                "shop/b.py": "from shop import c\n",
                "shop/c.py": "from . import a\n",
            },
            ["shop.a", "shop.b", "shop.c", "shop.a"],
            id="three-modules",
        ),
    ],
)
def test_a_cycle_is_found(tmp_path, sources, expected):
    assert find_cycle(import_graph(write_modules(tmp_path, sources))) == expected


def test_one_way_imports_are_not_a_cycle(tmp_path):
    modules = write_modules(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/models.py": "from django.db import models\n",
            "shop/views.py": "from .models import Basket\nfrom shop import models\n",
            "shop/templatetags/__init__.py": "",
            "shop/templatetags/money.py": "from ..views import price\n",
        },
    )
    graph = import_graph(modules)
    assert graph["shop.views"] == {"shop.models"}
    assert graph["shop.templatetags.money"] == {"shop.views"}
    assert find_cycle(graph) is None


def test_a_template_tag_import_is_recognised_wherever_it_comes_from():
    assert is_template_tag_module("indicators.templatetags.figures")
    assert is_template_tag_module("django.contrib.humanize.templatetags.humanize")
    assert not is_template_tag_module("indicators.formatting")


def test_a_module_belongs_to_its_most_specific_app():
    assert app_of("initiatives.editing.views") == "initiatives.editing"
    assert app_of("initiatives.models") == "initiatives"
    assert app_of("initiatives.search") == "initiatives.search"
