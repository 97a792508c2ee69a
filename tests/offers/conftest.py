from types import SimpleNamespace

import pytest

from tests.factories import BassinFactory, CommuneFactory, DepartementFactory, ZoneEmploiFactory


@pytest.fixture
def communes(db):
    """Amiens, Abbeville (45 km away), Lille (100 km) and Paris arrondissement-free, with their postal codes."""
    somme = DepartementFactory(code="80", name="Somme")
    nord = DepartementFactory(code="59", name="Nord")
    paris = DepartementFactory(code="75", name="Paris")
    amiens_bassin = BassinFactory(code="3202", name="AMIENS")
    lille_bassin = BassinFactory(code="3216", name="LILLE")
    zone = ZoneEmploiFactory()
    return {
        "amiens": CommuneFactory(
            code="80021",
            name="Amiens",
            search_name="amiens",
            departement=somme,
            bassin=amiens_bassin,
            zone_emploi=zone,
            postal_codes="80000 80080 80090",
            latitude=49.8942,
            longitude=2.2957,
            population=133000,
        ),
        "abbeville": CommuneFactory(
            code="80001",
            name="Abbeville",
            search_name="abbeville",
            departement=somme,
            bassin=amiens_bassin,
            zone_emploi=zone,
            postal_codes="80100",
            latitude=50.1054,
            longitude=1.8352,
            population=22000,
        ),
        "lille": CommuneFactory(
            code="59350",
            name="Lille",
            search_name="lille",
            departement=nord,
            bassin=lille_bassin,
            zone_emploi=zone,
            postal_codes="59000 59160 59260 59777 59800",
            latitude=50.6311,
            longitude=3.0468,
            population=236000,
        ),
        "paris": CommuneFactory(
            code="75056",
            name="Paris",
            search_name="paris",
            departement=paris,
            bassin=None,
            zone_emploi=None,
            region=paris.region,
            postal_codes="75001 75008 75009",
            latitude=48.8589,
            longitude=2.347,
            population=2100000,
        ),
    }


class FakeCoder:
    """Stands for offers.coding's RomeCoder: bakery words -> D1102 (sure), cleaning -> K2204 (sure), anything
    else -> M1805 with a low confidence. Candidates: one code per family, best first."""

    threshold = 0.6

    def classify(self, items, top_k=5):
        results = []
        for item in items:
            text = f"{item['title']} {item['description']}".lower()
            if "boulang" in text:
                best = [("D1102", 0.93), ("D1104", 0.04)]
            elif "nettoy" in text or "entretien" in text:
                best = [("K2204", 0.9), ("K2303", 0.05)]
            else:
                best = [("M1805", 0.35), ("M1806", 0.2)]
            filler = [(f"A{1101 + i}", 0.001) for i in range(max(0, top_k - len(best)))]
            results.append((best + filler)[:top_k])
        return results


@pytest.fixture
def fake_coder(monkeypatch):
    from offers import rome_coding

    coder = FakeCoder()
    monkeypatch.setattr(rome_coding, "_coder", lambda: coder)
    return coder


class FakeDedup:
    """Stands for offers.dedup: same employer (folded) + same commune + same contract = same job; signals in
    the module's shape."""

    @staticmethod
    def key(offer):
        from offers.dedup import PoolRecord, fingerprint

        print_ = offer.fingerprint if isinstance(offer, PoolRecord) else fingerprint(offer)
        return (print_.employer, print_.commune_code, print_.contracts)

    @classmethod
    def signals(cls, offer):
        contract = next(iter(cls.key(offer)[2]), "")
        return {"place": "commune", "employer": 100, "title": 100, "contract": contract, "days": 0}

    def assign_incremental(self, batch, existing, *, fingerprints=None):
        known = {self.key(o): offer_id for offer_id, o in existing}
        groups, results = {}, []
        for index, offer in enumerate(batch):
            key = self.key(offer)
            if key in known:
                results.append(SimpleNamespace(offer_id=known[key], group=index, signals=self.signals(offer)))
            elif key in groups:
                results.append(SimpleNamespace(offer_id=None, group=groups[key], signals=self.signals(offer)))
            else:
                groups[key] = index
                results.append(SimpleNamespace(offer_id=None, group=index, signals={}))
        return results

    def cluster(self, offers):
        groups = {}
        for index, offer in enumerate(offers):
            groups.setdefault(self.key(offer), []).append(index)
        return [(members, {i: self.signals(offers[i]) for i in members[1:]}) for members in groups.values()]


@pytest.fixture
def fake_dedup(monkeypatch):
    from offers import clustering

    dedup = FakeDedup()
    monkeypatch.setattr(clustering, "_dedup", lambda: dedup)
    return dedup
