"""Fast, explainable scoring with a fitted model's own parameters.

Calling the scikit-learn pipeline for one report costs ~2–7 ms (input validation, sparse
matrix assembly); intake allows 2 ms. This module reads the fitted parameters once (public
attributes plus the calibrated model's single base estimator) and computes the same
probabilities with a few numpy operations per *batch*, splitting the false-vs-genuine
log-odds exactly into per-word and per-feature contributions. One code path serves one
report or thousands. A unit test checks it against ``pipeline.predict_proba``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.pipeline import Pipeline

from classifier.features import META_GROUPS, META_NAMES, META_REFERENCE, Extracted
from classifier.inputs import CLASSES, GENUINE
from classifier.model import TrainedModel, to_matrix

_WORD_CACHE_LIMIT = 100_000
Floats = NDArray[np.float64]
Ints = NDArray[np.intp]


class IncompatibleModel(ValueError):
    """Raised when a fitted model does not have the shape this code expects."""


@dataclass(frozen=True)
class Scored:
    """Probabilities and the contributions that explain ``p_false``."""

    p_false: float
    p_class: dict[str, float]
    groups: dict[str, float]  # reason group -> log-odds contribution towards false
    words: dict[str, float]  # summary word -> log-odds contribution towards false
    #: p_false with the caller's past taken out where it pointed towards false (the report on
    #: its own; see ``safety.HISTORY_ALONE``). Equal to p_false when the past pointed the other way.
    p_without_history: float = 0.0


#: The reason groups that describe the caller's number rather than this report.
HISTORY_GROUPS = ("repeat_calls", "prior_false", "prior_silent", "prior_genuine")


def _calibrate(z: Floats, a: float | Floats, b: float | Floats) -> Floats:
    # sklearn's _SigmoidCalibration.predict: expit(-(a * z + b)); clipped to avoid overflow
    # (maximum and minimum: np.clip's dispatch costs ~30 µs a call on one report's arrays).
    t = np.minimum(np.maximum(a * z + b, -700.0), 700.0)
    return np.asarray(1.0 / (1.0 + np.exp(t)), dtype=np.float64)


def _base_and_calibrators(calibrated: Any) -> tuple[Any, list[tuple[float, float]]]:
    # CalibratedClassifierCV(ensemble=False) holds exactly one _CalibratedClassifier whose
    # ``estimator`` is the base model fitted on all data (sklearn 1.9; checked by a test).
    inner = calibrated.calibrated_classifiers_
    if len(inner) != 1 or not hasattr(inner[0], "estimator"):
        raise IncompatibleModel("expected CalibratedClassifierCV(ensemble=False)")
    pairs = [(float(c.a_), float(c.b_)) for c in inner[0].calibrators]
    return inner[0].estimator, pairs


@dataclass(frozen=True)
class _Tfidf:
    """The non-zero tf-idf entries of a batch, one per (row, term)."""

    row: Ints
    term: Ints
    value: Floats
    per_occurrence: Floats  # each n-gram occurrence's share of its entry's contribution
    z: Floats  # text log-odds per row
    sizes: Ints  # n-gram occurrences of each (row, word) slot, in slot order


class CompiledModel:
    """The fitted model as arrays, ready for sub-millisecond scoring."""

    def __init__(self, model: TrainedModel) -> None:
        features = model.pipeline.named_steps["features"]
        vectorizer = features.named_transformers_["text"]
        scaler = features.named_transformers_["meta"]
        base, calibrators = _base_and_calibrators(model.pipeline.named_steps["model"])
        self._vocabulary: dict[str, int] = {
            str(k): int(v) for k, v in vectorizer.vocabulary_.items()
        }
        n_text = len(self._vocabulary)
        weights = np.asarray(base.coef_[0], dtype=np.float64)
        if weights.shape[0] != n_text + len(META_NAMES) or len(calibrators) != 1:
            raise IncompatibleModel("feature count or calibrator count does not match")
        self._analyzer: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self._idf: Floats = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._w_text, self._w_meta = weights[:n_text], weights[n_text:]
        self._mean: Floats = np.asarray(scaler.mean_, dtype=np.float64)
        self._scale: Floats = np.asarray(scaler.scale_, dtype=np.float64)
        # Contributions are measured from a typical report, not from the training mean; the
        # intercept absorbs the difference, so the log-odds are unchanged.
        self._reference = np.array([META_REFERENCE[name] for name in META_NAMES])
        self._intercept = float(base.intercept_[0]) + float(
            self._w_meta @ ((self._reference - self._mean) / self._scale)
        )
        self._groups = tuple(dict.fromkeys(META_GROUPS.values()))
        membership = np.zeros((len(META_NAMES), len(self._groups)))
        for i, name in enumerate(META_NAMES):
            membership[i, self._groups.index(META_GROUPS[name])] = 1.0
        self._membership = membership
        self._history = [self._groups.index(g) for g in HISTORY_GROUPS if g in self._groups]
        self._calibration = calibrators[0]
        self._words: dict[str, Ints] = {}
        self._type = _TypeModel(model, n_text) if model.type_model is not None else None

    def score(self, row: Extracted) -> Scored:
        """Probabilities and contributions for one report."""
        return self.score_many([row])[0]

    def score_many(self, rows: Sequence[Extracted]) -> list[Scored]:
        """Probabilities and contributions for many reports at once."""
        if not rows:
            return []
        slots = [Counter(r.text.split()) for r in rows]
        text = self._tfidf(slots)
        meta = np.array([r.meta for r in rows], dtype=np.float64)
        contributions = (meta - self._reference) / self._scale * self._w_meta
        z = self._intercept + text.z + contributions.sum(axis=1)
        p_false = _calibrate(z, *self._calibration)
        kinds: list[str] = []
        shares: list[list[float]] = [[] for _ in rows]
        if self._type is not None:
            kinds = self._type.classes
            shares = self._type.shares(text, len(rows), (meta - self._mean) / self._scale).tolist()
        by_group = contributions @ self._membership
        history = by_group[:, self._history].sum(axis=1)
        p_alone = _calibrate(z - np.maximum(history, 0.0), *self._calibration).tolist()
        groups = by_group.tolist()
        words = self._word_contributions(slots, text)
        out: list[Scored] = []
        for i, p in enumerate(p_false.tolist()):
            p_class = dict.fromkeys(CLASSES, 0.0)
            p_class[GENUINE] = 1.0 - p
            for name, share in zip(kinds, shares[i], strict=True):
                p_class[name] = p * share
            contributions_i = dict(zip(self._groups, groups[i], strict=True))
            out.append(Scored(p, p_class, contributions_i, words[i], p_alone[i]))
        return out

    def _word_terms(self, word: str) -> Ints:
        terms = self._words.get(word)
        if terms is None:
            vocabulary = self._vocabulary
            found = [vocabulary[g] for g in self._analyzer(word) if g in vocabulary]
            terms = np.array(found, dtype=np.intp)
            if len(self._words) >= _WORD_CACHE_LIMIT:
                self._words.clear()
            self._words[word] = terms
        return terms

    def _tfidf(self, slots: list[Counter[str]]) -> _Tfidf:
        """Sublinear-tf × idf, l2-normalised per row, exactly as the fitted vectorizer does."""
        pieces: list[Ints] = []
        owners: list[int] = []
        for row, words in enumerate(slots):
            for word, times in words.items():
                terms = self._word_terms(word)
                pieces.append(terms if times == 1 else np.tile(terms, times))
                owners.append(row)
        sizes = np.array([len(p) for p in pieces], dtype=np.intp)
        occurrence_row = np.repeat(np.array(owners, dtype=np.intp), sizes)
        occurrences = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.intp)
        vocabulary_size = len(self._idf)
        keys, inverse, counts = np.unique(
            occurrence_row * vocabulary_size + occurrences, return_inverse=True, return_counts=True
        )
        row, term = keys // vocabulary_size, keys % vocabulary_size
        value = (1.0 + np.log(counts)) * self._idf[term]
        norm = np.sqrt(np.bincount(row, weights=value * value, minlength=len(slots)))
        value = value / np.where(norm > 0, norm, 1.0)[row]
        entry = value * self._w_text[term]
        z = np.bincount(row, weights=entry, minlength=len(slots)).astype(np.float64)
        return _Tfidf(row, term, value, (entry / counts)[inverse], z, sizes)

    def _word_contributions(
        self, slots: list[Counter[str]], text: _Tfidf
    ) -> list[dict[str, float]]:
        slot_of = np.repeat(np.arange(len(text.sizes)), text.sizes)
        sums = np.bincount(slot_of, weights=text.per_occurrence, minlength=len(text.sizes)).tolist()
        out: list[dict[str, float]] = []
        start = 0
        for words in slots:
            out.append(dict(zip(words, sums[start : start + len(words)], strict=True)))
            start += len(words)
        return out


class _TypeModel:
    """P(kind | false) from the calibrated multinomial type model."""

    def __init__(self, model: TrainedModel, n_text: int) -> None:
        base, calibrators = _base_and_calibrators(model.type_model)
        coef = np.asarray(base.coef_, dtype=np.float64)
        self.classes = [str(c) for c in base.classes_]
        intercept = np.asarray(base.intercept_, dtype=np.float64)
        self._binary = len(self.classes) == 2
        if self._binary:  # binary LR has one row: the second class against the first
            coef, intercept = (
                np.vstack([-coef[0], coef[0]]),
                np.array([-intercept[0], intercept[0]]),
            )
            calibrators = [calibrators[0], calibrators[0]]
        self._text: Floats = np.ascontiguousarray(coef[:, :n_text].T)
        self._meta: Floats = np.ascontiguousarray(coef[:, n_text:].T)
        self._intercept: Floats = intercept
        self._a = np.array([a for a, _ in calibrators])
        self._b = np.array([b for _, b in calibrators])

    def shares(self, text: _Tfidf, n_rows: int, scaled: Floats) -> Floats:
        """Rows of P(kind | false), columns in ``classes`` order."""
        # The sparse rows times the text coefficients, summed per row without building a
        # scipy matrix (its construction cost more than the product for one report).
        by_row = np.zeros((n_rows, self._text.shape[1]))
        np.add.at(by_row, text.row, text.value[:, None] * self._text[text.term])
        z = self._intercept + scaled @ self._meta + by_row
        if self._binary:
            # sklearn calibrates the positive class and sets the other to 1 - p.
            p1 = _calibrate(z[:, 1], self._a[1], self._b[1])
            return np.column_stack([1.0 - p1, p1])
        p = _calibrate(z, self._a, self._b)
        total = p.sum(axis=1, keepdims=True)
        shares = np.divide(p, total, out=np.full_like(p, 1.0 / p.shape[1]), where=total > 0)
        return np.asarray(np.minimum(shares, 1.0), dtype=np.float64)


def reference_proba(pipeline: Pipeline, rows: Sequence[Extracted]) -> Floats:
    """``p_false`` straight from scikit-learn (for tests)."""
    return np.asarray(pipeline.predict_proba(to_matrix(rows))[:, 1], dtype=np.float64)
