import math

import pytest

from diagnosis import tension


def test_threshold_is_thirty():
    assert not tension.significant(None)
    assert not tension.significant(29.9)
    assert tension.significant(30)


def test_offers_per_job_seeker_needs_thirty_job_seekers():
    assert tension.offers_per_job_seeker(60, 30) == 2
    assert tension.offers_per_job_seeker(60, 29) is None
    assert tension.offers_per_job_seeker(None, 100) is None


def test_log_ratio_smooths_zero_counts_and_respects_threshold():
    assert tension.log_ratio(0, 99.5) == pytest.approx(math.log(0.5 / 100))
    assert tension.log_ratio(40, 0) == pytest.approx(math.log(40.5 / 0.5))
    assert tension.log_ratio(10, 20) is None  # neither volume reaches 30


def test_share_is_published_from_thirty_projects():
    assert tension.share(15, 30) == 0.5
    assert tension.share(15, 29) is None
    assert tension.share(None, 100) is None


def test_zscores_centre_and_reduce_known_values_only():
    z = tension.zscores([1.0, None, 3.0])
    assert z == [-1.0, None, 1.0]
    assert tension.zscores([2.0, 2.0]) == [0.0, 0.0]


def test_composite_renormalises_weights_to_known_components():
    # 0.3 and 0.5 over 0.8: ratio 1, difficulty -1 -> (0.3 - 0.5) / 0.8
    assert tension.composite({"ratio": 1.0, "difficulty": -1.0}) == pytest.approx(-0.25)
    assert tension.composite({"ratio": 2.0, "difficulty": None}) == 2.0
    assert tension.composite({"ratio": None, "difficulty": None}) is None


def test_composite_scores_standardise_each_component_before_combining():
    scores = tension.composite_scores([0.0, 1.0, 2.0], [0.2, 0.2, 0.8])
    assert scores[2] > scores[1] > scores[0]
    assert sum(scores) == pytest.approx(0.0)


def test_quintile_classes():
    classes = tension.quintile_classes([float(i) for i in range(10)] + [None])
    assert classes[:10] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert classes[10] is None


def test_spearman_ignores_unknown_pairs():
    rho, pairs = tension.spearman([1, 2, 3, None], [10, 20, 30, 40])
    assert rho == pytest.approx(1.0) and pairs == 3
    assert tension.spearman([1, None], [1, 2]) == (None, 1)
