"""Hypothesis-generated SAM templates and IAM policies through check, every report format, ``--fix`` and
``--diff`` (in-process; ``fuzzkit/oracle.py`` lists the properties). Derandomized: the same examples every run."""
from __future__ import annotations

from pathlib import Path

import pytest
from fuzzkit.cases import ALIASES, PLACEMENTS, TYPES, generated_policy, generated_template
from fuzzkit.choose import HypothesisChooser
from fuzzkit.oracle import Case, Options
from helpers import check_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=100, derandomize=True, deadline=None, database=None, print_blob=False,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-generated")


def _with_options(case: Case, choose: HypothesisChooser) -> Case:
    """Fix options drawn independently of the template (so shrinking can simplify each)."""
    return Case(case.raw, case.name, choose.chance(0.3), choose.pick(ALIASES), choose.pick(TYPES), choose.pick(PLACEMENTS), case.format, case.origin)


@SETTINGS
@given(st.data())
def test_generated_templates(workdir: Path, data: st.DataObject) -> None:
    choose = HypothesisChooser(data)
    case = _with_options(generated_template(choose, hostile=choose.pick((0.0, 0.5, 1.0)), small=not choose.chance(0.2)), choose)
    check_case(case, str(workdir), Options(ruamel=choose.chance(0.1), render_all=choose.chance(0.3)))


@settings(SETTINGS, max_examples=60)
@given(st.data())
def test_generated_policies(workdir: Path, data: st.DataObject) -> None:
    choose = HypothesisChooser(data)
    case = _with_options(generated_policy(choose), choose)
    check_case(case, str(workdir), Options(ruamel=choose.chance(0.1), render_all=choose.chance(0.3)))
