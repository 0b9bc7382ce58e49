"""environment.yml (conda) lists the same dependencies as pyproject.toml."""
from __future__ import annotations

import re
import tomllib

from helpers import ROOT


def _split(spec: str) -> tuple[str, str]:
    name = re.match(r"[A-Za-z0-9_.\-]+", spec).group(0)
    return name.lower().replace("_", "-"), spec[len(name):].replace(" ", "")


def test_conda_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(_split(s) for s in project["dependencies"])
    conda = {}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        item = line.strip()
        if item.startswith("- ") and not item.startswith(("- pip", "- -e")):
            name, spec = _split(item[2:])
            if name != "python":  # the interpreter itself ("python-docx" is a package)
                conda[name] = spec
    assert conda == wanted


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    assert "- python>=3.11" in (ROOT / "environment.yml").read_text(encoding="utf-8")
