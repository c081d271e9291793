"""The layout of DEVELOPING.md: no import cycle between modules, and every folder imports
only from the folders below it:

    core < sub_in_crit < crit_in_sub < theorem < run < commands, cli

(sub_in_crit and crit_in_sub are siblings; crit_in_sub may import sub_in_crit, not the
reverse).  Imports are read from the source with ``ast`` -- module level and inside
functions alike, relative imports resolved -- so nothing is imported to check them.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "verify"

#: Folder (first component under verify/) -> its level; a module may import only from
#: its own level or lower ones.  The package's __init__ (the public API) sits on top.
LEVELS = {"core": 0, "sub_in_crit": 1, "crit_in_sub": 2, "theorem": 3, "run": 4,
          "commands": 5, "cli": 5, "__main__": 6, "": 7}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    """Dotted name of a source file under ``root`` (``verify/core/rank.py`` -> ``verify.core.rank``)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, name: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``source`` (module ``name``) imports, anywhere in it."""
    package = name if is_package else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                if len(base) == 0:
                    raise ValueError(f"{name}: relative import beyond the top package")
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module
            # ``from pkg import mod`` imports the module pkg.mod; else the names live in mod.
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:               # ``verify.core.rank.x`` -> ``verify.core.rank``
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(files)
    return {m: imports_of(p.read_text(), m, p.name == "__init__.py", known) for m, p in files.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), plus self-loops."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def level(module: str) -> int:
    parts = module.split(".")[1:]          # drop "verify"
    return LEVELS[parts[0] if parts else ""]


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Edges from a folder to a folder above it in LEVELS (or to an unknown folder)."""
    return sorted((a, b) for a, bs in graph.items() for b in bs if level(b) > level(a))


# --- the checks can fail ---------------------------------------------------------------------


def test_cycle_detector_finds_a_synthetic_cycle():
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert find_cycles(g) == [["a", "b", "c"], ["e"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_layer_check_finds_a_synthetic_upward_import():
    g = {"verify.core.rank": {"verify.theorem.case"}, "verify.theorem.case": {"verify.core.rank"},
         "verify.sub_in_crit.strata": {"verify.crit_in_sub.converse"},
         "verify.crit_in_sub.converse": {"verify.sub_in_crit.strata"}}
    assert upward_imports(g) == [("verify.core.rank", "verify.theorem.case"),
                                 ("verify.sub_in_crit.strata", "verify.crit_in_sub.converse")]


def test_relative_imports_are_resolved_inside_functions_too(tmp_path):
    pkg = tmp_path / "verify"
    for sub in ("core", "theorem"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "core" / "rank.py").write_text("def f():\n    from ..theorem.case import run_case\n")
    (pkg / "theorem" / "case.py").write_text("from ..core import rank\nfrom . import case\n")
    g = import_graph(pkg)
    assert g["verify.core.rank"] == {"verify.theorem.case"}
    assert g["verify.theorem.case"] == {"verify.core.rank"}
    assert find_cycles(g) == [["verify.core.rank", "verify.theorem.case"]]
    assert upward_imports(g) == [("verify.core.rank", "verify.theorem.case")]


# --- the package itself ---------------------------------------------------------------------


def test_every_module_is_in_a_known_folder():
    graph = import_graph()
    unknown = [m for m in graph if (m.split(".")[1:] or [""])[0] not in LEVELS]
    assert not unknown, f"modules outside the folders of DEVELOPING.md: {unknown}"
    for folder in ("core", "sub_in_crit", "crit_in_sub", "theorem", "run", "commands"):
        assert (PACKAGE / folder / "__init__.py").exists(), folder


def test_no_import_cycle_between_modules():
    cycles = find_cycles(import_graph())
    assert not cycles, f"import cycles: {cycles}"


def test_folders_import_only_from_folders_below():
    bad = upward_imports(import_graph())
    assert not bad, "imports from a folder to one above it: " + ", ".join(f"{a} -> {b}" for a, b in bad)


@pytest.mark.parametrize("folder", ["core", "sub_in_crit", "crit_in_sub", "theorem", "run"])
def test_each_folder_has_modules(folder):
    assert any(p.name != "__init__.py" for p in (PACKAGE / folder).glob("*.py"))


def test_module_names_in_strings_exist():
    """Modules named in strings (imported by name, e.g. the sweep's preload list) exist: a
    stale dotted path would fail silently at run time, not at import time."""
    known = set(import_graph())
    stale = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr)
                      and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and re.fullmatch(r"verify(\.\w+)+", node.value) and node.value not in known:
                stale.append(f"{path.relative_to(ROOT)}: {node.value}")
    assert not stale, stale


def test_public_api_names_resolve():
    import verify
    for name in verify.__all__:
        assert getattr(verify, name) is not None, name
