import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.real_data
def test_employer_matching_quality_on_the_real_offers():
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "companies_employer_matching.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    precision, recall = map(
        float, re.search(r"confirmed\) \(score ≥ 92\): precision ([\d.]+), recall ([\d.]+)", output).groups()
    )
    assert precision >= 0.98 and recall >= 0.9, output
