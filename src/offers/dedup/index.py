"""The cluster index: fingerprints of the pool's publications, blocks (place x title word), union-find clusters.

Incremental: `add` compares each new publication only with the members of its blocks (same place and one of
its two longest title words), so a batch costs in proportion to its size, not to the pool's. Within a block, one
C call (rapidfuzz `cdist`) first keeps the members whose title passes the word-order test `compare` requires
anyway (same score, same threshold): a big town's "responsable" block holds thousands of members, of which a
handful have a close title, and only those go through the full comparison. A full rebuild is
the same `add` over all publications in a fixed order (publication date, source, id), which is why the
incremental result equals the rebuild when batches arrive in time order.

Two clusters are not merged when they would then hold two different employers, SIRETs, contract types or
communes: a publication without employer cannot bridge two employers' jobs.
"""

from __future__ import annotations

import os
import pickle
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from .keys import Fingerprint, contracts_compatible, fingerprint
from .matching import EMPLOYER_MIN, close_titles, compare, strength

INDEX_VERSION = 2
MAX_BLOCK = 5000  # beyond, a block (a very common title word in a big town) is compared by its newest members


@dataclass(slots=True)
class _Summary:
    employers: set[str] = field(default_factory=set)
    sirets: set[str] = field(default_factory=set)
    contracts: list[frozenset[str]] = field(default_factory=list)
    communes: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, print_: Fingerprint) -> _Summary:
        return cls(
            employers={print_.employer} if print_.employer else set(),
            sirets={print_.siret} if print_.siret else set(),
            contracts=[print_.contracts] if print_.contracts else [],
            communes={print_.commune_code} if print_.commune_code else set(),
        )

    def absorb(self, other: _Summary) -> None:
        self.employers |= other.employers
        self.sirets |= other.sirets
        self.contracts += other.contracts
        self.communes |= other.communes

    def conflicts(self, other: _Summary) -> bool:
        if len(self.sirets | other.sirets) > 1:
            return True
        if not all(
            contracts_compatible(mine, theirs) for mine in self.contracts for theirs in other.contracts
        ):
            return True
        if len(self.communes | other.communes) > 1:
            return True
        if self.sirets & other.sirets:  # one establishment, whatever the spelling of its name
            return False
        return any(
            fuzz.token_set_ratio(mine, theirs) < EMPLOYER_MIN
            for mine in self.employers
            for theirs in other.employers
            if mine != theirs
        )


class DedupIndex:
    def __init__(self):
        self.keys: list[tuple[str, str]] = []  # (source, source_id) of each member
        self.fingerprints: list[Fingerprint] = []
        self.position: dict[tuple[str, str], int] = {}
        self.blocks: dict[str, list[int]] = defaultdict(list)
        self.block_titles: dict[str, list[str]] = defaultdict(list)  # each block member's sorted title
        self.parent: list[int] = []
        # root -> what its cluster holds, for clusters of two or more (a lone member's is its fingerprint's):
        # a million lone members would otherwise cost a million sets.
        self.summaries: dict[int, _Summary] = {}
        self.signals: list[dict] = []  # per member: the signals of its strongest match ({} when alone)
        self.matched_with: list[int | None] = []

    def __len__(self) -> int:
        return len(self.keys)

    # -- union-find ------------------------------------------------------------------------------------------
    def root(self, member: int) -> int:
        parent = self.parent
        while parent[member] != member:
            parent[member] = parent[parent[member]]
            member = parent[member]
        return member

    def _union(self, a: int, b: int, *, check: bool = True) -> bool:
        root_a, root_b = self.root(a), self.root(b)
        if root_a == root_b:
            return True
        if check and self._summary(root_a).conflicts(self._summary(root_b)):
            return False
        keep, gone = min(root_a, root_b), max(root_a, root_b)  # the older member names the cluster
        self.parent[gone] = keep
        summary = self.summaries.get(keep) or _Summary.of(self.fingerprints[keep])
        summary.absorb(self.summaries.pop(gone, None) or _Summary.of(self.fingerprints[gone]))
        self.summaries[keep] = summary
        return True

    def _summary(self, root: int) -> _Summary:
        return self.summaries.get(root) or _Summary.of(self.fingerprints[root])

    # -- adding publications ---------------------------------------------------------------------------------
    def add(
        self,
        offers: Iterable,
        *,
        same_cluster_as: Iterable[int | None] | None = None,
        fingerprints: list[Fingerprint] | None = None,
        match: bool = True,
    ) -> list[int]:
        """Add publications (CanonicalOffer-like) and cluster them; returns their member positions.

        A publication already in the index (same source and source_id) keeps its position and cluster.
        `same_cluster_as` optionally gives, per offer, a member it is known to share a cluster with (the
        pipeline's existing groups); `fingerprints`, per offer, its fingerprint when already computed. With
        `match=False` the publications only join the blocks, compared with nothing (a pool already grouped)."""
        positions = []
        links = list(same_cluster_as) if same_cluster_as is not None else None
        for number, offer in enumerate(offers):
            key = (offer.source, offer.source_id)
            if key in self.position:
                positions.append(self.position[key])
                continue
            member = self._append(
                key, fingerprints[number] if fingerprints is not None else fingerprint(offer)
            )
            known = links[number] if links is not None else None
            if known is not None:
                self._union(member, known, check=False)
            if match:
                self._match(member)
            else:
                for block_key in self.fingerprints[member].block_keys():
                    self.blocks[block_key].append(member)
                    self.block_titles[block_key].append(self.fingerprints[member].sorted_title)
            positions.append(member)
        return positions

    def _append(self, key: tuple[str, str], print_: Fingerprint) -> int:
        member = len(self.keys)
        self.keys.append(key)
        self.fingerprints.append(print_)
        self.position[key] = member
        self.parent.append(member)
        self.signals.append({})
        self.matched_with.append(None)
        return member

    def _match(self, member: int) -> None:
        print_ = self.fingerprints[member]
        candidates: set[int] = set()
        for block_key in print_.block_keys():
            block, titles = self.blocks[block_key], self.block_titles[block_key]
            if block:
                start = max(0, len(block) - MAX_BLOCK)
                candidates.update(block[start + i] for i in close_titles(print_.sorted_title, titles[start:]))
            block.append(member)
            titles.append(print_.sorted_title)
        matches = []
        for other in sorted(candidates):
            signals = compare(print_, self.fingerprints[other])
            if signals is not None:
                matches.append((strength(signals), -other, other, signals))
        # Strongest match first: it explains the grouping, and joins first when two clusters compete.
        for _, _, other, signals in sorted(matches, reverse=True):
            if self._union(member, other) and not self.signals[member]:
                self.signals[member] = signals
                self.matched_with[member] = other

    # -- reading ---------------------------------------------------------------------------------------------
    def cluster_of(self, member: int) -> int:
        """The cluster id: position of the cluster's oldest member (stable while the index grows)."""
        return self.root(member)

    def clusters(self) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for member in range(len(self.keys)):
            groups[self.root(member)].append(member)
        return dict(groups)

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")  # one per writer
        with temporary.open("wb") as handle:
            pickle.dump({"version": INDEX_VERSION, "index": self}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
        return path

    @staticmethod
    def load(path: Path | str) -> DedupIndex:
        with Path(path).open("rb") as handle:
            payload = pickle.load(handle)
        if not isinstance(payload, dict) or payload.get("version") != INDEX_VERSION:
            raise ValueError(f"{path}: not a deduplication index of version {INDEX_VERSION}; rebuild it")
        return payload["index"]


def time_order(offers: list) -> list[int]:
    """Positions of `offers` in the order a rebuild adds them: publication date, then source and id."""
    return sorted(
        range(len(offers)),
        key=lambda i: (
            offers[i].published_at is None,
            offers[i].published_at.timestamp() if offers[i].published_at else 0,
            offers[i].source,
            offers[i].source_id,
        ),
    )
