"""What was already granted: yearly caps, one-off aids, non-cumulation."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from aids.models import Periodicity
from jobseekers.models import AidRequest
from jobseekers.selectors import aid_warnings, granted_in_year, open_warnings
from tests.jobseekers.factories import AidFactory, AidRequestFactory, JobSeekerFactory


def _granted(record, aid, amount, decided_on=None, status=AidRequest.Status.GRANTED):
    return AidRequestFactory(
        jobseeker=record,
        aid=aid,
        status=status,
        amount_requested=amount,
        amount_granted=amount,
        decided_on=decided_on or timezone.localdate(),
    )


def test_yearly_cap_warns_only_beyond_what_remains(db):
    record = JobSeekerFactory()
    aid = AidFactory(periodicity=Periodicity.PER_TRIP, amount_max=Decimal("500"))
    _granted(record, aid, Decimal("400"))
    _granted(record, aid, Decimal("300"), decided_on=date(timezone.localdate().year - 1, 6, 1))  # last year
    assert aid_warnings(record=record, aid=aid, amount=Decimal("100")) == []
    [warning] = aid_warnings(record=record, aid=aid, amount=Decimal("100.01"))
    assert "Plafond annuel" in warning and "400.00 €" in warning and "reste 100.00 €" in warning


def test_refused_and_cancelled_requests_do_not_count(db):
    record = JobSeekerFactory()
    aid = AidFactory(periodicity=Periodicity.YEARLY, amount_max=Decimal("200"))
    _granted(record, aid, Decimal("200"), status=AidRequest.Status.REFUSED)
    _granted(record, aid, Decimal("200"), status=AidRequest.Status.CANCELLED)
    assert aid_warnings(record=record, aid=aid, amount=Decimal("200")) == []


def test_one_off_aid_already_granted(db):
    record = JobSeekerFactory()
    licence = AidFactory(
        label="Aide au permis B", periodicity=Periodicity.ONE_OFF, amount_max=Decimal("1200")
    )
    assert aid_warnings(record=record, aid=licence) == []
    _granted(record, licence, Decimal("1200"), decided_on=date(2024, 3, 1), status=AidRequest.Status.PAID)
    [warning] = aid_warnings(record=record, aid=licence)
    assert "ponctuelle déjà accordée" in warning and "01/03/2024" in warning


def test_non_cumulable_aids_warn_both_ways(db):
    record = JobSeekerFactory()
    region = AidFactory(label="Aide au permis de la Région", non_cumulable_with=["permis-ft"])
    france_travail = AidFactory(id="permis-ft", label="Aide au permis France Travail")
    _granted(record, france_travail, Decimal("1200"))
    [warning] = aid_warnings(record=record, aid=region)
    assert "ne se cumule pas avec « Aide au permis France Travail »" in warning and "accordée" in warning
    other_record = JobSeekerFactory()
    AidRequestFactory(jobseeker=other_record, aid=region)  # in progress
    [warning] = aid_warnings(record=other_record, aid=france_travail)
    assert "Aide au permis de la Région" in warning and "en cours" in warning


def test_granted_in_year_sums_by_aid_with_cap_and_remaining(db):
    record = JobSeekerFactory()
    mobility = AidFactory(label="Mobilité", periodicity=Periodicity.PER_TRIP, amount_max=Decimal("5000"))
    childcare = AidFactory(label="Garde", periodicity=Periodicity.ONE_OFF)
    year = timezone.localdate().year
    _granted(record, mobility, Decimal("62.50"), decided_on=date(year, 1, 10))
    _granted(record, mobility, Decimal("37.50"), decided_on=date(year, 1, 20), status=AidRequest.Status.PAID)
    _granted(record, childcare, Decimal("400"), decided_on=date(year, 1, 5))
    _granted(record, childcare, Decimal("400"), decided_on=date(year - 1, 1, 5))
    AidRequestFactory(jobseeker=record, aid=mobility, status=AidRequest.Status.SENT)
    lines = {line.aid.label: line for line in granted_in_year(record, year=year)}
    assert lines["Mobilité"].count == 2 and lines["Mobilité"].amount == Decimal("100.00")
    assert lines["Mobilité"].remaining == Decimal("4900.00")
    assert lines["Garde"].count == 1 and lines["Garde"].cap is None


def test_open_warnings_of_the_requests_in_progress(db):
    record = JobSeekerFactory()
    a = AidFactory(non_cumulable_with=[])
    b = AidFactory(non_cumulable_with=[a.pk])
    first = AidRequestFactory(jobseeker=record, aid=a)
    second = AidRequestFactory(jobseeker=record, aid=b, status=AidRequest.Status.SENT)
    warnings = open_warnings(record)
    assert set(warnings) == {first.pk, second.pk}
