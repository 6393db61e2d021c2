"""Readers for the public labelled data in ``../shared/data`` and the corpus
tuning splits, shared by ``train_public_models.py`` and ``eval_public_models.py``.

Held-out choice (fixed before any model was fitted, and never tuned on):
the TweetEval validation splits (``offensive/val``, ``hate/val``,
``sentiment/val``). TweetEval's sentiment validation tweets are also in the
SemEval-2017 training files, so :func:`semeval_negative` drops every
SemEval tweet whose text matches one of them.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from _training import ROOT

#: ``../shared/data`` beside the project, or ``$POSTGUARD_SHARED_DATA`` (a worktree
#: elsewhere).
DATA = Path(os.environ.get("POSTGUARD_SHARED_DATA", ROOT.parent / "shared" / "data"))
CORPUS = ROOT / "corpus"
#: The corpus files the models may learn from (the test splits are never opened).
POST_SPLITS = ("posts-dev.jsonl", "posts-dev2.jsonl", "posts-dev3.jsonl")
COMMENT_SPLITS = ("comments-dev.jsonl", "comments-dev2.jsonl", "comments-dev3.jsonl")


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    labels: list[int]


def missing(paths: list[Path]) -> Path | None:
    """The first path that does not exist, if any."""
    return next((p for p in paths if not p.exists()), None)


def tweeteval_paths(task: str, split: str) -> list[Path]:
    folder = DATA / "tweeteval" / task
    return [folder / f"{split}_text.txt", folder / f"{split}_labels.txt"]


def tweeteval(task: str, split: str) -> Labelled:
    """TweetEval ``task``/``split`` (labels as in its ``mapping.txt``)."""
    text_path, label_path = tweeteval_paths(task, split)
    texts = text_path.read_text("utf-8").splitlines()
    labels = [int(x) for x in label_path.read_text("utf-8").splitlines()]
    if len(texts) != len(labels):
        raise ValueError(f"{text_path}: {len(texts)} texts but {len(labels)} labels")
    return Labelled(texts, labels)


def tweeteval_negative(split: str) -> Labelled:
    """TweetEval sentiment as negative (1) versus neutral or positive (0)."""
    data = tweeteval("sentiment", split)
    return Labelled(data.texts, [int(label == 0) for label in data.labels])


_KEY_DROP = re.compile(r"@\w+|https?://\S+")
_KEY_SPACE = re.compile(r"\W+")


def _key(text: str) -> str:
    return _KEY_SPACE.sub(" ", _KEY_DROP.sub(" ", html.unescape(text).lower())).strip()


def semeval_paths() -> list[Path]:
    return [DATA / "semeval2017-sentiment"]


def semeval_negative(exclude: list[str]) -> Labelled:
    """SemEval-2017 task 4A training tweets (all files, 2013-2016), negative = 1,
    without duplicates and without any tweet whose text is in ``exclude``."""
    held = {_key(t) for t in exclude}
    seen: set[str] = set()
    texts: list[str] = []
    labels: list[int] = []
    for path in sorted((DATA / "semeval2017-sentiment").glob("*.tsv")):
        for line in path.read_text("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            text = html.unescape("\t".join(parts[2:]))
            key = _key(text)
            if not key or key in held or key in seen:
                continue
            seen.add(key)
            texts.append(text)
            labels.append(int(parts[1] == "negative"))
    return Labelled(texts, labels)


_RT = re.compile(r"(?:^|\s)RT\b:?")


def davidson_paths() -> list[Path]:
    return [DATA / "davidson-offensive" / "labeled_data.csv"]


def davidson(positive_classes: frozenset[int]) -> Labelled:
    """Davidson et al. 2017 (0 hate, 1 offensive, 2 neither), cleaned like TweetEval."""
    texts: list[str] = []
    labels: list[int] = []
    with davidson_paths()[0].open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tweet = _RT.sub(" ", html.unescape(row["tweet"]))
            texts.append(" ".join(tweet.split()))
            labels.append(int(int(row["class"]) in positive_classes))
    return Labelled(texts, labels)


def corpus_paths(splits: tuple[str, ...]) -> list[Path]:
    return [CORPUS / name for name in splits]


def corpus(splits: tuple[str, ...], positive: frozenset[str]) -> Labelled:
    """Corpus items of ``splits``; positive when a label is in ``positive``."""
    texts: list[str] = []
    labels: list[int] = []
    for path in corpus_paths(splits):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                texts.append(str(obj["text"]))
                labels.append(int(bool(positive & set(obj.get("labels", [])))))
    return Labelled(texts, labels)


def bootstrap(
    labels: list[int], preds: list[bool], metric: str, rounds: int = 1000, seed: int = 9
) -> tuple[float, float, float]:
    """``metric`` ("f1" of the positive class, or "macro_f1") and its 95 %
    percentile bootstrap interval (items resampled with replacement)."""
    import numpy as np

    y = np.asarray(labels, dtype=bool)
    p = np.asarray(preds, dtype=bool)
    rng = np.random.default_rng(seed)

    def score(idx: object) -> float:
        yy, pp = y[idx], p[idx]
        tp = float(np.sum(yy & pp))
        fp = float(np.sum(~yy & pp))
        fn = float(np.sum(yy & ~pp))
        tn = float(np.sum(~yy & ~pp))
        f_pos = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        if metric == "f1":
            return f_pos
        f_neg = 2 * tn / (2 * tn + fn + fp) if tn + fn + fp else 0.0
        return (f_pos + f_neg) / 2

    point = score(np.arange(len(y)))
    samples = sorted(score(rng.integers(0, len(y), len(y))) for _ in range(rounds))
    return point, samples[int(0.025 * rounds)], samples[int(0.975 * rounds) - 1]
