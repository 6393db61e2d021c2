"""Shared helpers of the ``train_*_model.py`` scripts.

Cross-validation, threshold selection, pruning and refitting, export to the
JSON read by ``postguard.detectors._linear_model`` and the check that the
pure-Python scorers reproduce scikit-learn. Importing this module puts the
project's ``src`` directory on ``sys.path``. scikit-learn and numpy are
imported inside the functions that need them, so that a script can still
skip (missing data) without them.

The scripts run as ``.venv/bin/python scripts/train_X.py``: Python puts the
``scripts`` directory first on ``sys.path``, so ``import _training`` works.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

#: A threshold objective: (precision, recall, f1) -> score (negative = not allowed).
Objective = Callable[[float, float, float], float]


def prf(
    labels: Sequence[int], preds: Sequence[bool], *, empty_precision: float = 0.0
) -> tuple[float, float, float]:
    """Precision, recall and F1; precision is ``empty_precision`` when nothing is predicted."""
    tp = sum(1 for y, p in zip(labels, preds, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, preds, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, preds, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else empty_precision
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def accuracy(labels: Sequence[int], preds: Sequence[bool]) -> float:
    correct = sum(1 for y, p in zip(labels, preds, strict=True) if bool(y) == p)
    return correct / len(labels)


def f_beta_objective(beta: float) -> Objective:
    """F-beta from precision and recall."""
    b2 = beta * beta

    def objective(p: float, r: float, _f1: float) -> float:
        return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0

    return objective


def f1_objective(_p: float, _r: float, f1: float) -> float:
    return f1


def best_threshold(
    labels: Sequence[int],
    probs: Sequence[float],
    objective: Objective,
    *,
    start: int = 5,
    ties_to_higher: bool = False,
) -> tuple[float, float]:
    """The threshold (0.01 grid, ``start``/100 to 0.95) maximising ``objective``, and its score.

    Negative scores are never chosen; with ``ties_to_higher`` an equal score
    moves the choice to the higher threshold.
    """
    best = (0.5, -1.0)
    for step in range(start, 96):
        t = step / 100
        score = objective(*prf(labels, [p >= t for p in probs]))
        if score >= 0 and (score > best[1] or (ties_to_higher and score == best[1])):
            best = (t, score)
    return best


def lowest_threshold(
    labels: Sequence[int],
    probs: Sequence[float],
    target_precision: float,
    *,
    start: int = 5,
    empty_precision: float = 0.0,
) -> float:
    """The lowest threshold (0.01 grid, from ``start``/100) whose precision reaches the target."""
    for step in range(start, 100):
        t = step / 100
        preds = [v >= t for v in probs]
        if prf(labels, preds, empty_precision=empty_precision)[0] >= target_precision:
            return t
    return 0.99


def sig(x: float, digits: int = 9) -> float:
    """``x`` rounded to ``digits`` significant digits (for compact JSON)."""
    return float(f"{x:.{digits}g}")


def vectorizer_factory(analyzer: Callable[[str], Any], min_df: int) -> Callable[..., Any]:
    """A TfidfVectorizer maker: fitted from data, or on a fixed vocabulary (then min_df 1)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    def vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            min_df=1 if vocabulary else min_df,
            sublinear_tf=True,
            vocabulary=vocabulary,
            dtype=np.float64,
        )

    return vectorizer


def classifier_factory(seed: int, *, balanced: bool) -> Callable[[float], Any]:
    """A LogisticRegression maker for a given C."""
    from sklearn.linear_model import LogisticRegression

    def classifier(c: float) -> LogisticRegression:
        if balanced:
            return LogisticRegression(
                C=c, class_weight="balanced", max_iter=5000, random_state=seed
            )
        return LogisticRegression(C=c, max_iter=5000, random_state=seed)

    return classifier


def fit_predict(
    texts: Sequence[str],
    y: Any,
    fit_idx: Sequence[int],
    val_idx: Sequence[int],
    vectorizer: Callable[..., Any],
    classifier: Callable[[], Any],
) -> Any:
    """Fit on ``fit_idx`` (a fresh vectorizer), return the probabilities of ``val_idx``."""
    vec = vectorizer()
    xf = vec.fit_transform([texts[i] for i in fit_idx])
    clf = classifier().fit(xf, y[list(fit_idx)])
    return clf.predict_proba(vec.transform([texts[i] for i in val_idx]))[:, 1]


def stratified_folds(texts: Sequence[str], y: Any, n_folds: int, seed: int) -> list[Any]:
    """Shuffled stratified folds; each item is its own group (sits in exactly one fold)."""
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(texts, y))


def out_of_fold(
    texts: Sequence[str],
    y: Any,
    folds: Sequence[Any],
    vectorizer: Callable[..., Any],
    classifier: Callable[[], Any],
) -> Any:
    """Out-of-fold probabilities of every text."""
    import numpy as np

    oof = np.zeros(len(texts))
    for fit_idx, val_idx in folds:
        oof[val_idx] = fit_predict(texts, y, fit_idx.tolist(), val_idx, vectorizer, classifier)
    return oof


def select_c(
    texts: Sequence[str],
    y: Any,
    folds: Sequence[Any],
    c_grid: Sequence[float],
    vectorizer: Callable[..., Any],
    classifier: Callable[[float], Any],
    choose: Callable[[Sequence[int], Sequence[float]], tuple[float, float]],
    label: str,
    score_name: str,
    threshold_name: str = "threshold",
) -> tuple[float, float, Any]:
    """C (ties: the smaller) and threshold by cross-validation: (C, threshold, out-of-fold)."""
    results: dict[float, tuple[float, float, Any]] = {}
    labels = y.tolist()
    for c in c_grid:
        oof = out_of_fold(texts, y, folds, vectorizer, partial(classifier, c))
        t, score = choose(labels, oof.tolist())
        results[c] = (t, score, oof)
        print(f"  cv {label}C={c}: {threshold_name} {t:.2f}, {score_name} {score:.3f}")
    c_best = max(results, key=lambda c: (results[c][1], -c))
    t_best, _score, oof = results[c_best]
    return c_best, t_best, oof


def rounded_prf(labels: Sequence[int], preds: Sequence[bool]) -> dict[str, float]:
    p, r, f1 = prf(labels, preds)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)}


def prune_and_refit_heads(
    texts: Sequence[str],
    ys: Mapping[str, Any],
    cs: Mapping[str, float],
    vectorizer: Callable[..., Any],
    classifier: Callable[[float], Any],
    max_features: int,
    min_weight: float = 1e-4,
) -> tuple[Any, list[str], dict[str, Any], dict[str, Any]]:
    """Fit every head on everything, keep the strongest features of any head, refit.

    Refitting on the kept vocabulary makes the exported model exactly the
    evaluated one. Returns (vectorizer, kept terms, classifiers, probabilities).
    """
    import numpy as np

    vec = vectorizer()
    x_all = vec.fit_transform(texts)
    names_out = vec.get_feature_names_out()
    strength = np.zeros(len(names_out))
    for head, c in cs.items():
        clf = classifier(c).fit(x_all, ys[head])
        strength = np.maximum(strength, np.abs(clf.coef_[0]))
    order = np.argsort(-strength)[:max_features]
    kept = sorted(str(names_out[i]) for i in order if strength[i] > min_weight)
    vec = vectorizer({term: i for i, term in enumerate(kept)})
    x_kept = vec.fit_transform(texts)
    final = {head: classifier(c).fit(x_kept, ys[head]) for head, c in cs.items()}
    sk_prob = {head: clf.predict_proba(x_kept)[:, 1] for head, clf in final.items()}
    return vec, kept, final, sk_prob


def head_terms(
    kept: Sequence[str], idf: Any, coefs: Sequence[Any], digits: int = 9
) -> dict[str, list[float]]:
    """The exported ``terms``: term -> [idf, weight of each head]."""
    return {
        t: [sig(float(idf[i]), digits)] + [sig(float(coef[i]), digits) for coef in coefs]
        for i, t in enumerate(kept)
    }


def load_exported(blob: dict[str, Any], fmt: str) -> Any:
    """The blob as the detectors will read it (after a JSON round trip)."""
    from postguard.detectors import _linear_model as lm

    return lm.linear_model_from_json(json.loads(json.dumps(blob)), fmt)


def max_head_diff(model: Any, texts: Sequence[str], sk_prob: Mapping[str, Any]) -> float:
    """Largest gap between scikit-learn and the single and batched pure-Python scorers."""
    heads = list(sk_prob)
    py = [model.scores(t) for t in texts]
    max_diff = max(abs(py[i][h] - float(sk_prob[h][i])) for i in range(len(texts)) for h in heads)
    for h in heads:
        batched = model.score_many(texts, h)
        max_diff = max(
            max_diff, *(abs(a - float(b)) for a, b in zip(batched, sk_prob[h], strict=True))
        )
    return max_diff


def max_single_diff(model: Any, texts: Sequence[str], sk_prob: Sequence[float]) -> float:
    """Largest gap between scikit-learn and the single and batched pure-Python scorers."""
    single = [model.score(t) for t in texts]
    batched = model.score_many(texts)
    return max(
        abs(a - b) for probs in (single, batched) for a, b in zip(probs, sk_prob, strict=True)
    )


def reproduces(max_diff: float) -> bool:
    if max_diff >= 1e-6:
        print(f"FAILED: pure-Python scores differ from scikit-learn by {max_diff:.2e}")
        return False
    return True


def write_model(out: Path, blob: dict[str, Any], note: str) -> Path:
    """Write the compact JSON and its Markdown note (same name, ``.md``); return the note path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(blob, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    note_path = out.with_suffix(".md")
    note_path.write_text(note, "utf-8")
    return note_path


def cv_table(prov: dict[str, Any]) -> str:
    """The note's per-head cross-validation rows (head, positives, C, threshold, P, R, F1)."""
    return "\n".join(
        f"| {head} (`{prov['heads'][head]}`) | {fig['positives']} | {fig['C']} | "
        f"{fig['threshold']:.2f} | {fig['precision']:.3f} | {fig['recall']:.3f} | "
        f"{fig['f1']:.3f} |"
        for head, fig in prov["cv"].items()
    )


def leave_one_split_out_table(prov: dict[str, Any]) -> str:
    """The note's rows for each head scored on a split left out of training."""
    return "\n".join(
        f"| {head} | {split} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} |"
        for head, fig in prov["cv"].items()
        for split, f in fig["leave_one_split_out"].items()
    )


def report_written(out: Path, note: Path, max_diff: float, scoring: str) -> None:
    """The closing lines every training script prints after writing its model."""
    print(f"pure Python vs scikit-learn: max abs diff {max_diff:.1e}")
    print(scoring)
    print(f"wrote {out} and {note}")
