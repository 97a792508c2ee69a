"""The demo data loads, is marked as demo, shows the workflow, and loads again without duplicates."""

from accounts import demo as accounts_demo
from jobseekers import demo
from jobseekers.models import AidRequest, JobSeeker, Need
from tests.factories import CommuneFactory, DepartementFactory
from tests.jobseekers.factories import AidFactory


def test_demo_loads_once_and_is_marked(db, fake_engine):
    nord = DepartementFactory(code="59", name="Nord")
    for code, name in [("80021", "Amiens"), ("80001", "Abbeville")]:
        CommuneFactory(code=code, name=name)
    for code, name in [("59350", "Lille"), ("59183", "Dunkerque")]:
        CommuneFactory(code=code, name=name, departement=nord)
    aids = [AidFactory(id="france-travail-aide-mobilite"), AidFactory(id="france-travail-aide-garde-enfants")]
    fake_engine(aids)
    accounts_demo.load()
    first = demo.load()
    assert sum("created" in line for line in first) == 5
    second = demo.load()
    assert all("up to date" in line for line in second)
    assert JobSeeker.objects.count() == 3 and all(JobSeeker.objects.values_list("is_demo", flat=True))
    assert Need.objects.count() == 2 and AidRequest.objects.count() == 2
    granted = AidRequest.objects.get(aid_id="france-travail-aide-mobilite")
    assert granted.status == "granted" and granted.amount_granted is not None
    assert [e.status for e in granted.events.all()] == ["to_send", "sent", "granted"]
    karim = JobSeeker.objects.get(last_name="Exemple")
    assert karim.followups.count() == 2 and karim.consents.filter(scope="share_record").exists()
