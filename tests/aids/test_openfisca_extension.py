"""The extension's OpenFisca YAML tests (src/openfisca_reseau_emploi/tests/*.yaml), one pytest case each."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.tools import assert_near

import openfisca_reseau_emploi
from aids.engine.system import tax_benefit_system

TESTS_DIR = Path(openfisca_reseau_emploi.__file__).parent / "tests"


def _cases():
    for path in sorted(TESTS_DIR.glob("*.yaml")):
        for index, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield pytest.param(case, id=f"{path.stem}[{index}] {case['name']}")


def test_every_rule_file_has_tests():
    assert len(list(_cases())) >= 20


@pytest.mark.parametrize("case", list(_cases()))
def test_yaml_case(case):
    system = tax_benefit_system()
    builder = SimulationBuilder()
    builder.set_default_period(str(case["period"]))
    inputs = {
        name: (value.isoformat() if hasattr(value, "isoformat") else value)
        for name, value in case["input"].items()
    }
    simulation = builder.build_from_dict(system, inputs)
    for variable, expected in case["output"].items():
        value = simulation.calculate(variable, str(case["period"]))
        if value.dtype == bool:
            assert list(value) == list(np.atleast_1d(expected)), variable
        else:
            assert_near(
                value,
                expected,
                absolute_error_margin=case.get("absolute_error_margin", 0.01),
                message=variable,
            )
