"""The import pipeline's side of deduplication: finds, among the pool's open publications, those a batch could
duplicate, hands them with the batch to the algorithm of `offers.dedup`, and returns where each new publication
goes: an existing offer, or a new group.

Finding them stays cheap at a million offers (docs/offers-dedup.md): `PoolIndex` lives for one import run,
reads each blocking key's distinct sorted titles from `DedupBlock` once, keeps the publications the run stores,
and per batch record keeps only the block members whose title passes the algorithm's word-order test (one C call
over the block's distinct titles) and whose employer does not rule them out; a title's members (publication id,
employer key, valid SIRET) are read the first time it passes. Only those, and the other open publications of
their offers (the algorithm needs whole groups to refuse merging two employers), are read and fingerprinted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models.functions import Substr

from offers.canonical import CanonicalOffer
from offers.dedup import PoolRecord
from offers.dedup.keys import (
    DESCRIPTION_CHARS,  # pool records are compared on the same text as new ones
    Fingerprint,
    fingerprint,
)
from offers.dedup.matching import close_titles, employers_compatible
from offers.models import DedupBlock, Publication

KEY_LENGTH = DedupBlock._meta.get_field("key").max_length
_CHUNK = 500  # ids or keys per IN (...) clause
_CANDIDATE_FIELDS = [
    "pk",
    "offer_id",
    "source__name",
    "external_id",
    "title",
    "employer_name",
    "siret",
    "siret_valid",
    "commune_id",
    "commune_code",
    "postal_code",
    "commune_name",
    "latitude",
    "longitude",
    "contract_type",
    "contract_label",
    "rome_code",
    "published_at",
    "url",
]


@dataclass(slots=True)
class Assignment:
    offer_id: int | None  # an existing offer, or None: a new offer shared by the batch items of `group`
    group: int
    signals: dict = field(default_factory=dict)


def _dedup():
    from offers import dedup

    return dedup


def block_keys(print_: Fingerprint) -> list[str]:
    """The blocks of offers.dedup (place — INSEE code or postal code + name — × each of the two main title
    words), as stored: two publications of one job share at least one."""
    return [key[:KEY_LENGTH] for key in print_.block_keys()]


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Block:
    """One blocking key's distinct sorted titles and, per title once read, its members (publication id, employer
    key, valid SIRET). Most members of a big block share their title with others and most titles fail the cut: a
    block is read as its distinct titles, then only the members of the titles that pass are read."""

    __slots__ = ("ids", "employers", "sirets", "titles", "members_of_title", "_title_number")

    def __init__(self):
        self.ids: list[int] = []
        self.employers: list[str] = []
        self.sirets: list[str] = []
        self.titles: list[str] = []
        # Per distinct title, its members' positions; None until they are read from the database.
        self.members_of_title: list[list[int] | None] = []
        self._title_number: dict[str, int] = {}

    def add_title(self, sorted_title: str) -> None:
        """A title the database holds members of, not read yet."""
        if sorted_title not in self._title_number:
            self._title_number[sorted_title] = len(self.titles)
            self.titles.append(sorted_title)
            self.members_of_title.append(None)

    def add(self, pk: int, sorted_title: str, employer: str, siret: str) -> None:
        """A member the run has just stored. Under a title whose members are not read yet, nothing to do: the
        batch that reads them finds it in the database (written by an earlier batch on the same connection)."""
        number = self._title_number.setdefault(sorted_title, len(self.titles))
        if number == len(self.titles):
            self.titles.append(sorted_title)
            self.members_of_title.append([])
        if (members := self.members_of_title[number]) is not None:
            members.append(self._append(pk, employer, siret))

    def read_members(self, sorted_title: str, rows: list[tuple[int, str, str]]) -> None:
        """The members (pk, employer, siret) the database holds under this title."""
        self.members_of_title[self._title_number[sorted_title]] = [
            self._append(pk, employer, siret) for pk, employer, siret in rows
        ]

    def _append(self, pk: int, employer: str, siret: str) -> int:
        self.ids.append(pk)
        self.employers.append(employer)
        self.sirets.append(siret)
        return len(self.ids) - 1


class PoolIndex:
    """The pool's open publications as one import run sees them (see the module's docstring)."""

    def __init__(self):
        # A first load into an empty pool has nothing to read: every block it needs is the run's own.
        self.pool_was_empty = not DedupBlock.objects.exists()
        self.blocks: dict[str, _Block] = {}
        self.records: dict[int, object] = {}  # publication id -> dedup.PoolRecord
        self.offer_of: dict[int, int] = {}  # publication id -> offer id
        # offer id -> its open publications, for the offers read once or created by the run (entries may
        # outlive a publication that moved: offer_of has the last word)
        self.members_of: dict[int, list[int]] = {}

    def candidates(
        self, prints: list[Fingerprint], exclude: set[tuple[str, str]]
    ) -> list[tuple[int, object]]:
        """(offer id, PoolRecord) of the open publications the batch (its fingerprints) could duplicate, with
        the other open publications of their offers; `exclude`: the batch's (source, source_id)."""
        keys = {key for print_ in prints for key in block_keys(print_)}
        self._load_blocks([key for key in keys if key not in self.blocks])
        passing = []  # (fingerprint, block, numbers of the block's titles that pass the title cut)
        unread: set[tuple[str, str]] = set()  # (key, title) whose members must be read
        for print_ in prints:
            for key in block_keys(print_):
                block = self.blocks[key]
                numbers = close_titles(print_.sorted_title, block.titles)
                passing.append((print_, block, numbers))
                unread.update((key, block.titles[n]) for n in numbers if block.members_of_title[n] is None)
        self._load_members(sorted(unread))
        close: set[int] = set()
        for print_, block, numbers in passing:
            for title_number in numbers:
                close.update(
                    block.ids[i]
                    for i in block.members_of_title[title_number]
                    if employers_compatible(
                        print_.employer, print_.siret, block.employers[i], block.sirets[i]
                    )
                )
        self._load_records([pk for pk in close if pk not in self.records])
        offers = {self.offer_of[pk] for pk in close if pk in self.offer_of}
        unread = sorted(offer for offer in offers if offer not in self.members_of)
        for offer in unread:
            self.members_of[offer] = []
        for chunk in _chunks(unread):
            # In no order (a set of members): the model's ordering would join the sources to sort them.
            for pk, offer in (
                Publication.objects.filter(offer_id__in=chunk, closed_at__isnull=True)
                .order_by()
                .values_list("pk", "offer_id")
            ):
                self.members_of[offer].append(pk)
        members = {pk for offer in offers for pk in self.members_of[offer]}
        self._load_records([pk for pk in members if pk not in self.records])
        found = []
        for pk in sorted(members):
            record = self.records.get(pk)
            if record is not None and (record.source, record.source_id) not in exclude:
                found.append((self.offer_of[pk], record))
        return found

    def remember(self, pk: int, offer_id: int, record: object, *, new_offer: bool) -> None:
        """A publication the run has just stored (new or updated) in `offer_id` (`new_offer`: created by this
        batch): later batches find it without a query."""
        self.records[pk] = record
        self.offer_of[pk] = offer_id
        if new_offer:
            self.members_of.setdefault(offer_id, [])
        if offer_id in self.members_of and pk not in self.members_of[offer_id]:
            self.members_of[offer_id].append(pk)
        print_ = record.fingerprint
        for key in block_keys(print_):
            if key in self.blocks:
                self.blocks[key].add(pk, print_.sorted_title, print_.employer, print_.siret)

    def _load_blocks(self, keys: list[str]) -> None:
        for key in keys:
            self.blocks[key] = _Block()
        if self.pool_was_empty:
            return
        for chunk in _chunks(sorted(keys)):
            # The distinct titles come from the covering index alone, in its order (key, title, …).
            rows = DedupBlock.objects.filter(key__in=chunk).order_by().values_list("key", "title").distinct()
            for key, title in rows:
                self.blocks[key].add_title(title)

    def _load_members(self, pairs: list[tuple[str, str]]) -> None:
        """Read the members of these (key, title): one join with a list of pairs per chunk, through the
        covering index (an OR of pairs would make PostgreSQL visit the table)."""
        table, quote = DedupBlock._meta.db_table, connection.ops.quote_name
        members: dict[tuple[str, str], list[tuple[int, str, str]]] = {pair: [] for pair in pairs}
        with connection.cursor() as cursor:
            for chunk in _chunks(pairs):
                values = ", ".join(["(%s, %s)"] * len(chunk))
                cursor.execute(
                    f"WITH wanted (key, title) AS (VALUES {values}) "
                    f"SELECT d.key, d.title, d.publication_id, d.employer, d.siret FROM {quote(table)} d "
                    "JOIN wanted w ON d.key = w.key AND d.title = w.title",
                    [value for pair in chunk for value in pair],
                )
                for key, title, pk, employer, siret in cursor.fetchall():
                    members[(key, title)].append((pk, employer, siret))
        for (key, title), rows in members.items():
            self.blocks[key].read_members(title, rows)

    def _load_records(self, pks: list[int]) -> None:
        for chunk in _chunks(sorted(pks)):
            rows = (
                Publication.objects.filter(pk__in=chunk, closed_at__isnull=True, offer__isnull=False)
                .order_by()
                .values(*_CANDIDATE_FIELDS, description_start=Substr("description", 1, DESCRIPTION_CHARS))
            )
            for row in rows:
                offer = _as_canonical(row)
                self.records[row["pk"]] = PoolRecord(
                    offer.source, offer.source_id, offer.published_at, fingerprint(offer)
                )
                self.offer_of[row["pk"]] = row["offer_id"]


def index_blocks(publications: list[tuple[int, Fingerprint]], *, replace: list[int]) -> None:
    """Write the blocking keys of these stored publications ((id, fingerprint)); `replace`: ids of publications
    that already had keys (updated ones), deleted first."""
    from offers.services import fast_insert

    for chunk in _chunks(replace):
        DedupBlock.objects.filter(publication_id__in=chunk).delete()
    fast_insert(
        DedupBlock,
        returning_ids=False,
        objects=[
            {
                "key": key,
                "publication_id": pk,
                "title": print_.sorted_title[:300],
                "employer": print_.employer[:300],
                "siret": print_.siret,
            }
            for pk, print_ in publications
            for key in block_keys(print_)
        ],
    )


def _as_canonical(row: dict) -> CanonicalOffer:
    return CanonicalOffer(
        source=row["source__name"],
        source_id=row["external_id"],
        title=row["title"],
        employer_name=row["employer_name"],
        siret=row["siret"],
        siret_valid=row["siret_valid"],
        description=row.get("description_start", ""),
        # As normalise.py fills the in-memory record: the resolved commune, else the code as received.
        commune_code=row["commune_id"] or row["commune_code"],
        postal_code=row["postal_code"],
        commune_name=row["commune_name"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        contract_type=row["contract_type"],
        contract_label=row["contract_label"],
        # JobPosting publications without a contract type: dedup reads the possible contracts from employmentType.
        raw={"employmentType": [t.strip() for t in row["contract_label"].split(",")]}
        if not row["contract_type"] and row["contract_label"]
        else {},
        rome_code=row["rome_code"],
        published_at=row["published_at"],
        url=row["url"],
    )


def assign(batch: list[PoolRecord], pool: PoolIndex) -> list[Assignment]:
    """Where each publication of the batch goes (same order). Publications already in an offer keep it when the
    algorithm still puts them with it."""
    try:
        incremental = _dedup().assign_incremental
    except (ImportError, AttributeError):
        return unassigned([None] * len(batch))
    keys = {(record.source, record.source_id) for record in batch}
    prints = [record.fingerprint for record in batch]
    results = incremental(batch, pool.candidates(prints, keys), fingerprints=prints)
    return [Assignment(r.offer_id, r.group, r.signals) for r in results]


def unassigned(offer_ids: list[int | None]) -> list[Assignment]:
    """Without the algorithm: a publication stays in the offer it had, or gets its own."""
    return [Assignment(offer_id, index) for index, offer_id in enumerate(offer_ids)]


def full_rebuild() -> list[tuple[list[int], dict[int, dict]]]:
    """Groups of open publication ids from a full deduplication: [(members, {pk: signals})]."""
    rows = list(
        Publication.objects.filter(closed_at__isnull=True).values(
            *_CANDIDATE_FIELDS, description_start=Substr("description", 1, DESCRIPTION_CHARS)
        )
    )
    offers = [_as_canonical(row) for row in rows]
    try:
        groups = _dedup().cluster(offers)
    except (ImportError, AttributeError):
        return [([row["pk"]], {}) for row in rows]
    return [
        ([rows[i]["pk"] for i in members], {rows[i]["pk"]: s for i, s in signals.items()})
        for members, signals in groups
    ]
