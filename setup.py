"""Package discovery only; all other metadata is in setup.cfg.

The cfn-lint rule pack lives in ``rules/`` at the top of the checkout (so that
``cfn-lint --append-rules=rules/`` works from a checkout) and installs as ``sam_shift_lint.rules``.
setup.cfg cannot combine ``packages = find:`` with that mapping, and a hand-written package list
silently drops new subpackages from wheels (an editable install still finds them, so nothing
fails until a non-editable install), hence this file.
"""
from setuptools import find_namespace_packages, setup

PACKAGES = find_namespace_packages(
    include=["sam_shift_lint", "sam_shift_lint.*"],
    exclude=["*.__pycache__", "*.__pycache__.*"],
)

setup(
    packages=PACKAGES + ["sam_shift_lint.rules"],
    package_dir={"sam_shift_lint.rules": "rules"},
)
