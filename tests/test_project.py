"""Which folder is the project: the rule of ``config.find_project``, the line
every command prints, and a non-editable install that must never take the
folder above site-packages for the project."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from helpers import PLAN, ROOT

from ntm_analysis import cli
from ntm_analysis.config import PROJECT_ENV, ProjectNotFound, find_project, source_checkout


def project_folder(path: Path) -> Path:
    (path / "data" / "raw").mkdir(parents=True)
    return path


def test_an_explicit_folder_comes_first(tmp_path):
    here = project_folder(tmp_path / "here")
    found = find_project(tmp_path / "named", cwd=here, environ={PROJECT_ENV: str(tmp_path / "env")})
    assert found.root == (tmp_path / "named").resolve() and found.how == "--project"
    assert found.raw == (tmp_path / "named" / "data" / "raw").resolve()


def test_then_the_environment_variable(tmp_path):
    here = project_folder(tmp_path / "here")
    found = find_project(cwd=here, environ={PROJECT_ENV: str(tmp_path / "env")})
    assert found.root == (tmp_path / "env").resolve() and found.how == PROJECT_ENV


def test_then_the_current_folder_when_it_holds_data_raw(tmp_path):
    here = project_folder(tmp_path / "here")
    found = find_project(cwd=here, environ={})
    assert found.root == here.resolve() and found.how == "the current folder"
    assert found.processed == here.resolve() / "data" / "processed" and found.figures == here.resolve() / "figures"


def test_then_the_source_checkout(tmp_path):
    found = find_project(cwd=tmp_path, environ={})  # tmp_path has no data/raw
    assert found.root == ROOT and found.how == "the source checkout"
    assert source_checkout() == ROOT


def test_an_installed_copy_is_not_a_project(tmp_path):
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "ntm_analysis" / "reference", site / "ntm_analysis" / "reference")
    assert source_checkout(site / "ntm_analysis") is None
    (site / "pyproject.toml").write_text('[project]\nname = "something-else"\n', encoding="utf-8")
    assert source_checkout(site / "ntm_analysis") is None  # another project's pyproject is not ours
    with pytest.raises(ProjectNotFound, match="--project DIR hoặc NTM_PROJECT=DIR"):
        find_project(cwd=tmp_path, environ={}, package_dir=site / "ntm_analysis")


def test_commands_print_the_folders_they_read_and_write(tmp_path, monkeypatch, capsys):
    project = project_folder(tmp_path / "mine")
    shutil.copy(PLAN, project / "data" / "raw" / PLAN.name)
    monkeypatch.chdir(project)
    monkeypatch.delenv(PROJECT_ENV, raising=False)
    assert cli.main(["sources"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (f"đọc: {project.resolve() / 'data' / 'raw'}; ghi: không có "
                     f"(thư mục dự án theo thư mục hiện tại: {project.resolve()})")
    assert cli.main(["build", "--no-figures"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"đọc: {project.resolve() / 'data' / 'raw'}; "
                                          f"ghi: {project.resolve() / 'data' / 'processed'} (thư mục dự án")
    assert (project / "data" / "processed" / "criteria.csv").exists()
    assert cli.main(["build", "--no-figures"]) == 0  # up to date: the folders still say which project
    out = capsys.readouterr().out.splitlines()
    assert str(project.resolve()) in out[0] and out[1].startswith("kết quả đã cập nhật")
    assert cli.main(["validate", str(PLAN)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"đọc: {PLAN.parent}; ghi: không có"
    out_dir = tmp_path / "tidy"
    assert cli.main(["tidy", str(PLAN), "--out", str(out_dir)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"đọc: {PLAN}; ghi: {out_dir.resolve()}"


def test_explicit_folders_need_no_project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(PROJECT_ENV, str(tmp_path / "elsewhere"))
    raw = project_folder(tmp_path / "p") / "data" / "raw"
    assert cli.main(["sources", "--raw", str(raw)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"đọc: {raw.resolve()}; ghi: không có"
    assert cli.main(["sources", "--project", str(tmp_path / "nowhere")]) == 1
    captured = capsys.readouterr()
    assert "không tồn tại" in captured.err and str(tmp_path / "nowhere") in captured.out


def _site_packages(python: Path) -> Path:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def test_a_non_editable_install_never_takes_site_packages_for_the_project(tmp_path):
    """pip installs the package (``pip install SRC``, not editable) into a fresh venv;
    from a folder without data/raw/ the command says so, from a project folder it
    uses that folder. The new venv sees this venv's libraries (pandas…) through a
    .pth line placed after its own site-packages, so nothing is downloaded."""
    source = tmp_path / "src"  # a copy, so that building leaves nothing in the checkout
    shutil.copytree(ROOT / "ntm_analysis", source / "ntm_analysis",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # this venv's pip installs into the new one: `pip install SRC`, not editable, no dependencies
    install = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet",
                              "--python", str(python), "install", "--no-deps", str(source)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    site = _site_packages(python)
    (site / "zz_borrowed_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in (PROJECT_ENV, "PYTHONPATH")}
    where = subprocess.run([str(python), "-c", "import ntm_analysis; print(ntm_analysis.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site)  # the installed copy, not the checkout

    empty = tmp_path / "empty"
    empty.mkdir()
    command = [str(venv / "bin" / "ntm-analysis"), "sources"]
    refused = subprocess.run(command, capture_output=True, text=True, cwd=empty, env=env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "không tìm thấy thư mục dự án" in refused.stderr and "--project DIR" in refused.stderr
    assert "Traceback" not in refused.stderr and str(site.parent) not in refused.stdout

    project = project_folder(tmp_path / "project")
    shutil.copy(PLAN, project / "data" / "raw" / PLAN.name)
    shutil.copy(PLAN.with_name(PLAN.stem + ".meta.json"), project / "data" / "raw")
    found = subprocess.run(command, capture_output=True, text=True, cwd=project, env=env)
    assert found.returncode == 0, found.stdout + found.stderr
    assert found.stdout.splitlines()[0] == (f"đọc: {project / 'data' / 'raw'}; ghi: không có "
                                            f"(thư mục dự án theo thư mục hiện tại: {project})")
    assert "ke-hoach-05-KH-UBND-2021-lao-cai" in found.stdout
    named = subprocess.run(command, capture_output=True, text=True, cwd=empty, env=env | {PROJECT_ENV: str(project)})
    assert named.returncode == 0 and f"theo NTM_PROJECT: {project}" in named.stdout.splitlines()[0]
