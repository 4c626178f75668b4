"""The import direction of the design: models <- eval <- training; serving and labelling -> models only."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"models": "rcrp.models", "eval": "rcrp.eval", "training": "rcrp.training",
           "serving": "rcrp.serving", "labelling": "rcrp.labelling"}
ALLOWED = {
    "models": set(),
    "eval": {"models"},
    "training": {"models", "eval"},
    "serving": {"models"},
    "labelling": {"models"},
}


def _imported_project_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "rcrp" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_imports_flow_one_way(folder):
    offenders = []
    for path in (ROOT / folder).rglob("*.py"):
        for pkg in _imported_project_packages(path) - {folder}:
            if pkg not in ALLOWED[folder]:
                offenders.append(f"{path.relative_to(ROOT)} imports rcrp.{pkg}")
    assert not offenders, offenders


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_and_cli_import_no_heavy_dependency():
    loaded = _modules_after("import rcrp.models.taxonomy, rcrp.models.settings, rcrp.models.call_files, rcrp.cli")
    heavy = {"datasets", "spacy", "torch", "transformers", "sklearn", "pyarrow", "mlflow", "label_studio_sdk"}
    assert not heavy & {m.split(".")[0] for m in loaded}
    assert not {m for m in loaded if m.startswith(("rcrp.training", "rcrp.serving", "rcrp.labelling", "rcrp.eval"))}


def test_serving_loads_no_training_code():
    loaded = _modules_after("import rcrp.serving.app, rcrp.service_commands")
    assert not {m for m in loaded if m.startswith(("rcrp.training", "rcrp.eval", "rcrp.labelling"))}
    # The service starts fast: no heavy library is imported until a model is loaded.
    assert not {"torch", "transformers", "datasets", "mlflow"} & {m.split(".")[0] for m in loaded}


def test_every_package_folder_is_listed_for_packaging():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    for folder, name in FOLDERS.items():
        assert config["package-dir"][name] == folder
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            dotted = ".".join((name, *rel.parts)) if rel.parts else name
            assert dotted in listed, f"{dotted} is missing from [tool.setuptools] packages"


def test_no_grab_bag_modules():
    names = {p.name for f in FOLDERS for p in (ROOT / f).rglob("*.py")}
    assert not names & {"utils.py", "helpers.py", "misc.py", "common.py"}
