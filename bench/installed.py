"""A non-editable install of this checkout, as ``pip install`` and pre-commit make it, in a throwaway venv.

Why: this README's set-up makes an editable install, whose import finder (setuptools') imports ``pathlib`` into
every Python process of the environment and is asked for each of the package's modules; a user's pre-commit
hook runs an installed wheel. :mod:`benchmark` (a) times both. The wheel is built from a copy of the working
tree (so nothing is written into the checkout) by the benchmark venv's pip, in its isolated build environment
(pyproject.toml's build requirements, from pip's cache or the index), and installed without its dependencies
(pip compiles its modules, as an install does). The throwaway venv is made as ``python -m venv`` makes one,
with pip and setuptools (whose ``distutils-precedence.pth`` every process of such an environment runs), and
reaches the dependencies through a ``.pth`` line naming the benchmark venv's ``site-packages`` (a path line:
that directory's own ``.pth`` files, the editable finder among them, are not run). Standard library only.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

COPIED_OUT = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "tests", "bench", "examples")


def install_wheel(repo: Path, where: Path) -> Path:
    """Install ``repo`` (non-editable) into a new venv in ``where``; the venv's ``sam-shift-lint``."""
    source = where / "source"
    shutil.copytree(repo, source, ignore=COPIED_OUT)
    environment = where / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)  # as `python -m venv`: pip and setuptools, whose .pth runs too
    python = environment / "bin" / "python"
    wheels = where / "wheels"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(source)], check=True, stdout=subprocess.DEVNULL)
    wheel = next(wheels.glob("sam_shift_lint-*.whl"))
    install = [*pip, "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)]  # compiles, as installs do
    subprocess.run(install, check=True, stdout=subprocess.DEVNULL)
    target_site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True
    ).stdout.strip())
    (target_site / "benchmark-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    command = environment / "bin" / "sam-shift-lint"
    subprocess.run([str(command), "--version"], check=True, stdout=subprocess.DEVNULL)
    return command
