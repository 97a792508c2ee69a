"""The description sketch of offers.dedup.keys: a sample of the text's distinct word pairs, and what it estimates."""

import random

import numpy as np

from core.text import fold
from offers.dedup.keys import SKETCH_SIZE, description_similarity, description_sketch


def distinct_pairs(text: str) -> set[str]:
    words = fold(text).split()
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def test_the_sketch_counts_the_distinct_word_pairs_and_keeps_the_smallest_hashes():
    rng = random.Random(3)
    vocabulary = [f"mot{n}" for n in range(40)] + ["équipe", "Œuvre", "h/f", "2e"]
    for _ in range(200):
        text = " ".join(rng.choices(vocabulary, k=rng.randint(0, 300)))
        sketch, size = description_sketch(text)
        assert size == len(distinct_pairs(text))
        assert len(sketch) == min(size, SKETCH_SIZE)
        assert sketch.dtype == np.uint32 and np.all(np.diff(sketch.astype(np.int64)) > 0)  # sorted, distinct


def test_a_pair_hashes_the_same_wherever_it_is_in_the_text():
    text, _ = description_sketch("Accueil des clients, vente en magasin")
    assert np.array_equal(text, description_sketch("ACCUEIL  des clients -- vente en magasin")[0])
    longer, size = description_sketch("Missions : accueil des clients, vente en magasin et inventaires")
    assert size == 8 and np.isin(text, longer).all()
    assert not np.isin(
        description_sketch("clients accueil")[0], description_sketch("accueil clients")[0]
    ).any()


def test_similarity_is_the_containment_of_the_shorter_text():
    rng = random.Random(5)
    words = [f"w{n}" for n in range(2000)]
    long_text = " ".join(rng.choices(words, k=600))
    relayed = " ".join(long_text.split()[:300])  # a job board keeps the first half
    other = " ".join(rng.choices(words, k=600))
    assert description_similarity(description_sketch(long_text), description_sketch(long_text)) == 1.0
    assert description_similarity(description_sketch(long_text), description_sketch(relayed)) > 0.8
    assert description_similarity(description_sketch(long_text), description_sketch(other)) < 0.1
    assert description_similarity(description_sketch(long_text), description_sketch("un")) is None
