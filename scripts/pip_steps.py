"""Run pip and say what it is doing, one line per step, instead of pages of output
or half a minute of silence (``make setup`` installs the package with it).

    python scripts/pip_steps.py install -e ".[dev]"

pip's own output is kept in memory; when pip fails it is printed in full and the
exit code is pip's. Standard library only: it runs in a fresh virtual environment.
"""
from __future__ import annotations

import os
import subprocess
import sys

#: A line of pip's output that starts a step (matched at the start, after spaces) -> what to say.
STEPS: tuple[tuple[str, str], ...] = (
    ("Obtaining ", "reading the project (pyproject.toml)"),
    ("Installing build dependencies", "preparing the build tools (setuptools)"),
    ("Getting requirements to build", "reading the package's requirements"),
    ("Collecting ", "resolving the dependencies"),
    ("Requirement already satisfied", "resolving the dependencies"),
    ("Downloading ", "downloading the packages not yet installed"),
    ("Building editable for", "building the package"),
    ("Building wheels for", "building the package"),
    ("Installing collected packages:", "installing {n} {packages}"),
    ("Successfully installed", "done"),
)


def step_of(line: str) -> str | None:
    """What to say for ``line`` of pip's output, or None when it starts no step."""
    text = line.strip()
    for prefix, said in STEPS:
        if text.startswith(prefix):
            n = len(text.split(":", 1)[1].split(",")) if said.startswith("installing") else 0
            return said.format(n=n, packages="package" if n == 1 else "packages")
    return None


def main(args: list[str]) -> int:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PIP_PROGRESS_BAR="off")
    process = subprocess.Popen([sys.executable, "-m", "pip", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
    log: list[str] = []
    said: set[str] = set()
    assert process.stdout is not None
    for line in process.stdout:
        log.append(line)
        step = step_of(line)
        if step and step not in said:
            said.add(step)
            print(f"  pip: {step}", flush=True)
    code = process.wait()
    if code:
        sys.stdout.write("".join(log))
        print(f"  pip failed (exit {code}); its output is above", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
