"""Choose how the engine combines the offensive and hate models, by
cross-validation on the public training tweets (never on a validation split).

The engine reports an offensive-model span when its stacked score reaches a
*floor*: one for a span aimed at a person or naming a group (harassment,
bias: these count for hate too), one for language aimed at nobody
(profanity); and a hate-model span when the hate model passes its own threshold
and the offensive model's score on the document reaches a *gate* (hate is a
kind of offensive language; the hate model alone, fitted to tweets that are
almost half hateful, fires on ordinary political tweets). Both are chosen
here, jointly, to maximise the mean of the first two of these macro-F1s while
the third stays within ``DOMAIN_COST`` of the rules' alone:

* offensive: TweetEval offensive train, flagged = either floor or gated hate;
* hate: TweetEval hate train, flagged = the aimed floor or gated hate;
* domain: the corpus tuning posts (positive: any ``language.*`` label),
  flagged as for offensive, so that the profession's own vocabulary ("my
  nipples hurt so much") weighs in as much as tweets do.

Each model's scores on its own training items (tweets and corpus posts) are
out-of-fold (5 folds, the shipped recipe: same features, C, stack weights);
on the other tweet set they are the shipped model's (it never saw those
tweets). Every prediction is the rules' findings (the engine with the public
models switched off) or the models'.

Usage (from the project root; scikit-learn needed)::

    .venv/bin/python scripts/choose_public_floors.py

Writes ``src/postguard/data/public_floors.json`` and prints the grid.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
from typing import Any

import _public_data as pdata
from _training import ROOT

from postguard.detectors import _linear_model as lm
from postguard.detectors import _public_models as pm

OUT = ROOT / "src" / "postguard" / "data" / "public_floors.json"
FOLDS = 5
SEED = 20200918
LANGUAGE = frozenset({"language.profanity", "language.harassment", "language.bias"})
HATE = frozenset({"language.harassment", "language.bias"})
#: How much of the corpus posts' macro-F1 the models may cost (about one post; the rules were
#: written on those posts, so the rules alone score high there).
DOMAIN_COST = 0.002
GRID = [round(0.05 * k, 2) for k in range(1, 19)]


def out_of_fold(name: str, texts: list[str], labels: list[int]) -> Any:
    """The shipped recipe's stacked scores on its own training tweets, out-of-fold."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    model = pm.load_public_model(name)
    c = float(model.provenance["model"].split("C=")[1].split(",")[0])
    prepared = [pm.prepare(t, model.mask) for t in texts]
    y = np.array(labels)
    spec = lm.feature_spec({"tokenizer": lm.LANGUAGE_TOKENIZER})
    logits = np.zeros(len(texts))
    for fit, held in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts, y):
        vec = TfidfVectorizer(analyzer=spec.features, min_df=2, sublinear_tf=True)
        xf = vec.fit_transform([prepared[i] for i in fit])
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
        clf.fit(xf, y[fit])
        p = clf.predict_proba(vec.transform([prepared[i] for i in held]))[:, 1]
        logits[held] = [pm._logit(float(v)) for v in p]
    z = model.bias + model.weights[0] * logits
    extra = pm.stack_inputs(model.inputs, texts, model.mask)
    for w, name_ in zip(model.weights[1:], model.inputs, strict=True):
        z = z + w * np.array(extra[name_])
    return 1.0 / (1.0 + np.exp(-z))


def aimed(texts: list[str]) -> Any:
    """Whether the engine would report an offensive span of each text as
    harassment or bias (aimed at a person or naming a group), the whole text
    taken as the span."""
    import numpy as np

    from postguard.detectors.language import _offence_kind

    return np.array([_offence_kind(t, 0, len(t)) != "language.profanity" for t in texts])


def rule_flags(texts: list[str], family: frozenset[str]) -> Any:
    """Whether the engine's rules alone (public models off) give a finding of ``family``."""
    import numpy as np

    from postguard.content import Content, Context
    from postguard.detectors import language
    from postguard.engine import Report, default_engine

    saved = language._public_hits
    language._public_hits = lambda *args, **kwargs: None
    try:
        context = Context("personal", "post", "public", "outbound")
        reports = default_engine().check_many([Content(text=t, context=context) for t in texts])
    finally:
        language._public_hits = saved
    return np.array(
        [isinstance(r, Report) and bool(family & {f.category for f in r.findings}) for r in reports]
    )


def macro_f1(y: Any, pred: Any) -> float:
    import numpy as np

    tp = float(np.sum(y & pred))
    fp = float(np.sum(~y & pred))
    fn = float(np.sum(y & ~pred))
    tn = float(np.sum(~y & ~pred))
    pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    neg = 2 * tn / (2 * tn + fp + fn) if tn else 0.0
    return (pos + neg) / 2


def main() -> int:
    import numpy as np

    needed = pdata.tweeteval_paths("offensive", "train") + pdata.tweeteval_paths("hate", "train")
    absent = pdata.missing(needed)
    if absent is not None:
        print(f"skipped: {absent} is not available.", file=sys.stderr)
        return 0
    off_data = pdata.tweeteval("offensive", "train")
    hate_data = pdata.tweeteval("hate", "train")
    posts = pdata.corpus(pdata.POST_SPLITS, LANGUAGE)
    hate_posts = pdata.corpus(pdata.POST_SPLITS, frozenset({"language.bias"}))
    offensive, hate = pm.load_public_model("offensive"), pm.load_public_model("hate")
    n = len(off_data.texts)
    off_oof = out_of_fold("offensive", off_data.texts + posts.texts, off_data.labels + posts.labels)
    hate_oof = out_of_fold(
        "hate", hate_data.texts + hate_posts.texts, hate_data.labels + hate_posts.labels
    )
    m = len(hate_data.texts)
    sets = {
        "offensive": (
            np.array(off_data.labels, dtype=bool),
            off_oof[:n],
            np.array(hate.scores(off_data.texts)),
            aimed(off_data.texts),
            rule_flags(off_data.texts, LANGUAGE),
        ),
        "hate": (
            np.array(hate_data.labels, dtype=bool),
            np.array(offensive.scores(hate_data.texts)),
            hate_oof[:m],
            aimed(hate_data.texts),
            rule_flags(hate_data.texts, HATE),
        ),
        "domain": (
            np.array(posts.labels, dtype=bool),
            off_oof[n:],
            hate_oof[m:],
            aimed(posts.texts),
            rule_flags(posts.texts, LANGUAGE),
        ),
    }
    grid: dict[tuple[float, float, float], dict[str, float]] = {}
    for floor, unaimed, gate in itertools.product(GRID, GRID, [0.0, *GRID]):
        row = {}
        for task, (y, off, hat, at, rules) in sets.items():
            gated = (hat >= hate.threshold) & (off >= gate)
            if task != "hate":
                pred = rules | (at & (off >= floor)) | (~at & (off >= unaimed)) | gated
            else:
                pred = rules | (at & (off >= floor)) | gated
            row[task] = macro_f1(y, pred)
        row["mean"] = (row["offensive"] + row["hate"]) / 2
        grid[(floor, unaimed, gate)] = row
    y_dom, *_rest, rules_dom = sets["domain"]
    allowed = macro_f1(y_dom, rules_dom) - DOMAIN_COST
    print(f"domain macro-F1 of the rules alone {allowed + DOMAIN_COST:.3f}")
    # Ties (to 3 decimals) go to the higher floors and gate: fewer findings.
    floor, unaimed, gate = max(
        (k for k in grid if grid[k]["domain"] >= allowed),
        key=lambda k: (round(grid[k]["mean"], 3), k),
    )
    best = grid[(floor, unaimed, gate)]
    print("aimed-floor unaimed-floor gate offensive hate domain mean")
    for (f, u, g), row in sorted(grid.items()):
        if sum((f == floor, u == unaimed, g == gate)) >= 2:
            print(
                f"{f:.2f} {u:.2f} {g:.2f} {row['offensive']:.3f} {row['hate']:.3f} "
                f"{row['domain']:.3f} "
                f"{row['mean']:.3f}"
            )
    print(f"chosen: aimed floor {floor:.2f}, unaimed {unaimed:.2f}, gate {gate:.2f}: {best}")
    blob = {
        "aimed_floor": floor,
        "unaimed_floor": unaimed,
        "hate_gate": gate,
        "cv": {k: round(v, 4) for k, v in best.items()},
        "selection": "mean of out-of-fold macro-F1 (rules or models) on TweetEval offensive "
        "train and TweetEval hate train, keeping the corpus tuning posts' macro-F1 within "
        f"{DOMAIN_COST} of the rules' alone; floors and gate in steps of 0.05 "
        "(scripts/choose_public_floors.py)",
        "offensive_threshold": offensive.threshold,
        "hate_threshold": hate.threshold,
        "chosen": dt.date.today().isoformat(),
    }
    OUT.write_text(json.dumps(blob, indent=1) + "\n", "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
