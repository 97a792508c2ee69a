"""ROME coding quality: cross-validation on the real coded offers of DATA_DIR/offers/francetravail_offers_dev.jsonl,
compared at ROME v3 parent level (`code_rome_parent`), plus speed.

    .venv/bin/python bench/offers_coding_quality.py [--data-dir DIR] [--folds 5] [--seed 0] [--split-seed N]

Split: GroupKFold on the folded title + employer name, so the re-posts of one job never sit on both sides;
`--split-seed N` shuffles which groups go to which fold (groups stay whole), so a model change can be checked on
other splits than the default one it may have been tuned on. Each
fold trains the product's model (`offers.coding.train`, its own calibration included, on the training part
only) and codes the held-out offers from their title and description. Reported: top-1 and top-3 accuracy at
family level (the first three candidates, one family each), the share of offers at or above the model's
auto-coding threshold and the accuracy there, the calibration (mean confidence vs accuracy), two baselines,
batch throughput and single-offer latency.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import numpy as np  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402


def fuzzy_title_baseline(referential, test) -> float:
    """Best rapidfuzz WRatio match of the title among the appellation labels."""
    from rapidfuzz import fuzz, process

    from core.text import fold

    labels = [fold(label) for label, _, _ in referential.appellations]
    codes = [code for _, code, _ in referential.appellations]
    right = 0
    for example in test:
        match = process.extractOne(fold(example["title"]), labels, scorer=fuzz.WRatio)
        right += bool(match) and referential.parent(codes[match[2]]) == referential.parent(
            example["rome_code"]
        )
    return right / len(test)


def shuffled_group_ids(groups: list[str], seed: int) -> np.ndarray:
    """Each group replaced by its rank in a seeded permutation: GroupKFold then balances other groups into the
    folds (it breaks ties between groups of one size by label), and every group stays whole."""
    unique_groups = sorted(set(groups))
    rank = dict(zip(unique_groups, np.random.default_rng(seed).permutation(len(unique_groups)), strict=True))
    return np.array([rank[group] for group in groups])


def measure_speed(args, examples: list[dict]) -> None:
    """Speed, on the model trained on every coded offer (what the app ships). The machine may be shared: CPU time
    (time.process_time, children included for the worker processes) is given next to wall time."""
    from offers.coding import model as coding_model
    from offers.coding.parallel import available_cpus, classify_parallel

    coder = coding_model.train(args.data_dir, seed=args.seed)
    batch = examples * 4
    coder.classify(batch[:10], top_k=5)  # compiled kernels loaded
    started, cpu = time.perf_counter(), time.process_time()
    sequential = coder.classify(batch, top_k=5)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"batch, one process: {len(batch) / cpu:,.0f} offers per CPU second, {len(batch) / wall:,.0f} offers/s "
        f"wall ({len(batch)} offers, {cpu:.2f} s CPU, {wall:.2f} s wall)"
    )
    workers = available_cpus()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    parallel = classify_parallel(coder, batch, top_k=5, workers=workers)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
    assert parallel == sequential, "classify_parallel must give the single-process results"
    print(
        f"batch, classify_parallel on {workers} processes: {len(batch) / wall:,.0f} offers/s wall, "
        f"{len(batch) / cpu:,.0f} offers per CPU second (parent + workers, {cpu:.2f} s CPU, {wall:.2f} s wall)"
    )
    walls, cpus = [], []
    for example in examples[:500]:
        started, cpu = time.perf_counter(), time.process_time()
        coder.classify([example], top_k=5)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    cpus.sort()
    print(
        f"single offer (500 offers, warm): wall median {statistics.median(walls):.2f} ms, "
        f"p95 {walls[int(len(walls) * 0.95)]:.2f} ms; CPU median {statistics.median(cpus):.2f} ms, "
        f"p95 {cpus[int(len(cpus) * 0.95)]:.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--seed", type=int, default=0, help="training seed (the model's own calibration folds)"
    )
    parser.add_argument(
        "--split-seed",
        type=int,
        default=None,
        help="shuffle the group-to-fold assignment with this seed (default: GroupKFold on the groups as they are)",
    )
    parser.add_argument("--no-speed", action="store_true", help="quality only, skip the speed measures")
    args = parser.parse_args()
    if args.data_dir is None:
        import django

        django.setup()
        from django.conf import settings

        args.data_dir = Path(settings.DATA_DIR)

    from offers.coding import model as coding_model
    from offers.coding.examples import OFFERS_FILE, read_francetravail_examples
    from offers.coding.referential import load_referential

    referential = load_referential(args.data_dir)
    examples = read_francetravail_examples(args.data_dir / OFFERS_FILE, referential)
    groups = [example["group"] for example in examples]
    split_groups = groups if args.split_seed is None else shuffled_group_ids(groups, args.split_seed)
    print(
        f"{len(examples)} coded offers, {len(set(groups))} title+employer groups, {args.folds}-fold GroupKFold"
        + ("" if args.split_seed is None else f", groups shuffled with split seed {args.split_seed}")
    )

    top1 = top3 = auto = auto_right = 0
    confidences, corrects = [], []
    reference_only_right = 0
    thresholds = []
    train_seconds = []
    for fold_number, (train_index, test_index) in enumerate(
        GroupKFold(args.folds).split(examples, groups=split_groups)
    ):
        train = [examples[i] for i in train_index]
        test = [examples[i] for i in test_index]
        started = time.process_time()
        coder = coding_model.train(args.data_dir, seed=args.seed, offer_examples=train)
        train_seconds.append(time.process_time() - started)
        thresholds.append(coder.threshold)
        ranked = coder.classify(test, top_k=5)
        for example, candidates in zip(test, ranked, strict=True):
            truth = coder.family(example["rome_code"])
            families = [coder.family(code) for code, _ in candidates]
            right = families[0] == truth
            top1 += right
            top3 += truth in families[:3]
            confidences.append(candidates[0][1])
            corrects.append(right)
            if candidates[0][1] >= coder.threshold:
                auto += 1
                auto_right += right
        if fold_number == 0:
            bare = coding_model.train(args.data_dir, seed=args.seed, offer_examples=[])
            reference_only = bare.classify(test, top_k=1)
            reference_only_right = sum(
                bare.family(r[0][0]) == bare.family(e["rome_code"])
                for e, r in zip(test, reference_only, strict=True)
            ) / len(test)
            fuzzy = fuzzy_title_baseline(referential, test)
            first_fold_size = len(test)
        print(
            f"  fold {fold_number + 1}: {len(test)} offers, threshold {coder.threshold:.3f}, "
            f"trained in {train_seconds[-1]:.1f} s CPU"
        )

    count = len(examples)
    print(
        f"baseline, fuzzy title match to appellations (fold 1, {first_fold_size} offers): top-1 {fuzzy:.1%}"
    )
    print(f"baseline, referential only, no coded offers (fold 1): top-1 {reference_only_right:.1%}")
    print(
        f"offers.coding, ROME v3 parent level: top-1 {top1 / count:.2%} ({top1}/{count})   "
        f"top-3 {top3 / count:.2%} ({top3}/{count})"
    )
    print(
        f"auto-coding threshold (per fold, out-of-fold calibrated): {statistics.mean(thresholds):.3f} on average; "
        f"{auto / count:.1%} of offers at or above it, {auto_right / max(auto, 1):.1%} right there"
    )
    confidences, corrects = np.array(confidences), np.array(corrects)
    print("calibration (confidence bin: offers, mean confidence, accuracy):")
    for low, high in ((0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01)):
        mask = (confidences >= low) & (confidences < high)
        if mask.any():
            print(
                f"  [{low:.2f}, {min(high, 1):.2f}): {mask.sum():4d}  {confidences[mask].mean():.3f}  "
                f"{corrects[mask].mean():.3f}"
            )

    if not args.no_speed:
        measure_speed(args, examples)
    return 0 if top1 / count >= 0.88 and top3 / count >= 0.96 else 1


if __name__ == "__main__":
    sys.exit(main())
