"""The composite against the official 2021 classes, on the real file (docs/tension-method.md reports the figures)."""

import pytest
from django.conf import settings

from core.sync import SyncReport
from diagnosis.check import check_against_official
from diagnosis.sources.labour import read_tension

pytestmark = pytest.mark.real_data


def test_composite_ranks_like_the_official_classes_on_the_2021_file():
    path = settings.DATA_DIR / "labour_market/mobiville/cities-tension-utf8.csv"
    report = SyncReport()
    rows = list(read_tension(path, dataset_code="check", report=report).values())
    assert len(rows) == 27135 and not report.rejected
    result = check_against_official(rows)
    assert result.pairs == 26042  # cells reaching 30 offers or job seekers
    assert result.overall == pytest.approx(0.478, abs=0.005)
    assert len(result.per_basin) == 390
    assert result.basin_median("32") == pytest.approx(0.450, abs=0.01)
    # a shuffled composite would not correlate: the check can fail
    shuffled = [
        dict(row, tension_class=rows[(i * 7919) % len(rows)]["tension_class"]) for i, row in enumerate(rows)
    ]
    assert abs(check_against_official(shuffled).overall) < 0.05
