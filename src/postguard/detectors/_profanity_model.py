"""alt-profanity-check's model, scored without scikit-learn.

The package pickles a scikit-learn ``TfidfVectorizer`` and a
``CalibratedClassifierCV`` over five ``LinearSVC``s; unpickling them imports
scikit-learn and SciPy, about 2 s of CPU for every new process. The fitted
parameters are exported once by ``scripts/export_profanity_model.py`` into
``data/profanity_model.npz`` (see ``data/profanity_model.md``), and this
module reproduces the vectorizer's arithmetic for the settings it was fitted
with: ``str.lower``, tokens ``(?u)\\b\\w\\w+\\b`` (stdlib ``re``, as
scikit-learn uses), English stop words dropped (none is in the vocabulary),
unigrams, raw counts times smoothed idf, L2-normalised rows. A test checks
the scores against the package's ``predict_prob``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def default_path() -> Path:
    return Path(str(resources.files("postguard") / "data" / "profanity_model.npz"))


class ProfanityModel:
    """Mean sigmoid-calibrated probability over the five linear classifiers."""

    def __init__(self, path: Path | None = None) -> None:
        with np.load(path or default_path(), allow_pickle=False) as data:
            words = data["vocabulary"].tolist()
            self.idf: NDArray[np.float64] = data["idf"]
            #: One column per classifier, one row per vocabulary word.
            self.weights: NDArray[np.float64] = data["weights"]
            self.intercepts: NDArray[np.float64] = data["intercepts"]
            self.slopes: NDArray[np.float64] = data["slopes"]
            self.offsets: NDArray[np.float64] = data["offsets"]
        self.vocabulary: dict[str, int] = {word: index for index, word in enumerate(words)}

    def decisions(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Each classifier's w·x + b for each text (rows: texts)."""
        vocabulary = self.vocabulary
        rows: list[int] = []
        ids: list[int] = []
        counts: list[int] = []
        for row, text in enumerate(texts):
            found = Counter(
                index
                for index in map(vocabulary.get, _TOKEN.findall(text.lower()))
                if index is not None
            )
            rows.extend([row] * len(found))
            ids.extend(found.keys())
            counts.extend(found.values())
        n = len(texts)
        out = np.zeros((n, self.weights.shape[1]))
        if ids:
            row_of = np.array(rows, dtype=np.intp)
            feature = np.array(ids, dtype=np.intp)
            values = np.array(counts, dtype=np.float64) * self.idf[feature]
            norms = np.sqrt(np.bincount(row_of, weights=values * values, minlength=n))
            values /= norms[row_of]
            contributions = values[:, None] * self.weights[feature]
            for column in range(out.shape[1]):
                out[:, column] = np.bincount(row_of, weights=contributions[:, column], minlength=n)
        decision: NDArray[np.float64] = out + self.intercepts
        return decision

    def calibrated(self, decision: NDArray[np.float64]) -> NDArray[np.float64]:
        """Mean over classifiers of 1 / (1 + exp(a·d + b)) (scikit-learn's sigmoid calibration)."""
        probs = 1.0 / (1.0 + np.exp(decision * self.slopes + self.offsets))
        mean: NDArray[np.float64] = probs.mean(axis=-1)
        return mean

    def scores(self, texts: Sequence[str]) -> NDArray[np.float64]:
        if not texts:
            return np.zeros(0)
        return self.calibrated(self.decisions(texts))
