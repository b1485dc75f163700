# SPDX-License-Identifier: Apache-2.0
"""The compiled module's type stubs (bindings/python/earlyhelp/_core/*.pyi, written by
scripts/generate_stubs) parse, ship beside the module, and name every public function, class and
class member the module has: a binding added without regenerating the stubs fails here."""
import ast
import inspect
import pathlib

import earlyhelp
import earlyhelp._core as core

STUBS = pathlib.Path(earlyhelp.__file__).parent / "_core"


def _stub_names(path):
    tree = ast.parse(path.read_text(), str(path))
    names, members = set(), {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
            members[node.name] = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            members[node.name] |= {t.id for n in node.body if isinstance(n, (ast.AnnAssign, ast.Assign))
                                   for t in ([n.target] if isinstance(n, ast.AnnAssign) else n.targets)
                                   if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names, members


def _modules():
    yield core, STUBS / "__init__.pyi"
    for name, mod in inspect.getmembers(core, inspect.ismodule):
        if mod.__name__.startswith("earlyhelp._core."):
            yield mod, STUBS / f"{name}.pyi"


def test_every_public_name_of_the_module_has_a_stub():
    missing = []
    for mod, stub in _modules():
        assert stub.exists(), f"no stub {stub.name} for {mod.__name__}: run scripts/generate_stubs"
        names, members = _stub_names(stub)
        for name, obj in vars(mod).items():
            if name.startswith("_") or inspect.ismodule(obj):
                continue
            if name not in names:
                missing.append(f"{mod.__name__}.{name}")
            elif inspect.isclass(obj) and name in members:
                for m in vars(obj):
                    if not m.startswith("_") and m not in members[name]:
                        missing.append(f"{mod.__name__}.{name}.{m}")
    assert not missing, f"run scripts/generate_stubs; without a stub: {', '.join(sorted(missing)[:20])}"


def test_stubs_are_python_and_typed_marker_ships():
    for stub in STUBS.glob("*.pyi"):
        ast.parse(stub.read_text(), str(stub))
    assert (pathlib.Path(earlyhelp.__file__).parent / "py.typed").exists()
