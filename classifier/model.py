"""Training: a calibrated linear model on character n-grams of the summary plus metadata.

Two calibrated logistic regressions share one feature pipeline:

* ``pipeline`` — ``features → CalibratedClassifierCV(LogisticRegression)`` for *false vs
  genuine*. ``p_false`` and the band come from it, and because it is linear, every score
  splits exactly into per-feature contributions (the reasons).
* ``type_model`` — on false calls only, *which kind* (prank, silent, accidental,
  non_emergency); ``p_class[c] = p_false × P(c | false)``.

Sigmoid calibration with ``ensemble=False`` keeps one base model (small file, exact
explanations); its folds are grouped (by template in synthetic data, by caller number in real
data) so calibration is not fooled by near-duplicates.
"""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sklearn
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from classifier.features import FEATURE_VERSION, META_NAMES, RECORDED_ONLY, Extracted, extract
from classifier.importance import check_metadata
from classifier.inputs import (
    CLASSES,
    FALSE_CLASSES,
    GENUINE,
    IGNORED_DISPOSITIONS,
    LabeledExample,
    input_problems,
)
from classifier.thresholds import Thresholds

DEFAULT_MAX_FEATURES = 20_000
#: Stronger regularisation than sklearn's default: on held-out template families it keeps the
#: model leaning on metadata and widely shared n-grams rather than one template's wording.
DEFAULT_C = 0.3
CV_FOLDS = 5
#: The kind-of-false-call model is secondary (p_class); a sample keeps training fast.
TYPE_MODEL_MAX_ROWS = 6_000
TYPE_MODEL_FOLDS = 3


class TrainingDataError(ValueError):
    """Raised when the examples cannot train a model (unknown label, too few of a class)."""


@dataclass(frozen=True)
class TrainedModel:
    """A fitted false-call model, its thresholds and the facts for its model card."""

    pipeline: Pipeline
    type_model: CalibratedClassifierCV | None
    thresholds: Thresholds
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def type_classes(self) -> tuple[str, ...]:
        """The false-call kinds the type model knows."""
        if self.type_model is None:
            return ()
        return tuple(str(c) for c in self.type_model.classes_)


def to_matrix(rows: Sequence[Extracted]) -> NDArray[np.object_]:
    """The pipeline's input: column 0 the normalised text, then the numeric features."""
    matrix = np.empty((len(rows), 1 + len(META_NAMES)), dtype=object)
    matrix[:, 0] = [r.text for r in rows]
    if rows:
        matrix[:, 1:] = np.array([r.meta for r in rows], dtype=np.float64)
    return matrix


def _features(max_features: int) -> ColumnTransformer:
    text = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        lowercase=False,  # features.extract already normalised the text
        min_df=3,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float64,
    )
    return ColumnTransformer([("text", text, 0), ("meta", StandardScaler(), slice(1, None))])


def _classifier(c: float, splits: list[tuple[NDArray[np.int64], NDArray[np.int64]]]) -> Any:
    base = LogisticRegression(C=c, class_weight="balanced", solver="newton-cg", max_iter=500)
    return CalibratedClassifierCV(base, method="sigmoid", cv=splits, ensemble=False)


def _splits(
    y: NDArray[Any], groups: Sequence[str], seed: int, max_folds: int = CV_FOLDS
) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    smallest = min(Counter(y.tolist()).values())
    folds = max(2, min(max_folds, smallest, len(set(groups))))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [(tr, te) for tr, te in splitter.split(np.zeros(len(y)), y, groups)]


def _fit(estimator: Any, x: Any, y: NDArray[Any], splits: list[Any]) -> None:
    estimator.fit(x, y)
    # The index lists were only needed while fitting; keep the saved file small and stable.
    calibrated = estimator[-1] if isinstance(estimator, Pipeline) else estimator
    calibrated.set_params(cv=len(splits))


def train(
    examples: Iterable[LabeledExample],
    *,
    seed: int,
    groups: Sequence[str] | None = None,
    thresholds: Thresholds | None = None,
    max_features: int = DEFAULT_MAX_FEATURES,
    c: float = DEFAULT_C,
    data_description: str = "",
) -> TrainedModel:
    """Fit the model on labelled examples (final dispositions; duplicates and tests skipped).

    ``groups`` (one per example, e.g. caller number or template id) keeps related reports in
    the same calibration fold. Raises ``MetadataShortcut`` when one metadata feature alone
    separates false from genuine calls (see :mod:`classifier.importance`).
    """
    rows, labels, kept_groups, skipped = _prepare(examples, groups)
    y_false = np.array([label != GENUINE for label in labels], dtype=np.int64)
    counts = Counter(labels)
    if min(int(y_false.sum()), len(y_false) - int(y_false.sum())) < 2:
        raise TrainingDataError(f"need at least 2 genuine and 2 false examples, got {counts}")
    importance = check_metadata(rows, y_false)  # raises MetadataShortcut
    x = to_matrix(rows)
    pipeline = Pipeline([("features", _features(max_features)), ("model", None)])
    splits = _splits(y_false, kept_groups, seed)
    pipeline.set_params(model=_classifier(c, splits))
    _fit(pipeline, x, y_false, splits)
    type_model = _fit_type_model(pipeline, x, labels, kept_groups, seed, c)
    card = {
        "training_data": {
            "description": data_description,
            "examples": len(labels),
            "skipped_invalid_or_ignored": skipped,
            "class_counts": {cls: counts.get(cls, 0) for cls in CLASSES},
            "seed": seed,
        },
        "model": {
            "features": "char_wb 2-5-gram TF-IDF of the normalised summary + metadata",
            "max_text_features": max_features,
            "text_features": len(pipeline[0].named_transformers_["text"].vocabulary_),
            "meta_features": list(META_NAMES),
            "recorded_not_used": list(RECORDED_ONLY),
            "classifier": f"LogisticRegression(C={c}, balanced) + sigmoid calibration",
            "feature_version": FEATURE_VERSION,
            "sklearn_version": sklearn.__version__,
            "python_version": platform.python_version(),
        },
        "feature_importance": importance,
    }
    return TrainedModel(pipeline, type_model, thresholds or Thresholds.from_cost_ratio(), card)


def _prepare(
    examples: Iterable[LabeledExample], groups: Sequence[str] | None
) -> tuple[list[Extracted], list[str], list[str], int]:
    rows: list[Extracted] = []
    labels: list[str] = []
    kept_groups: list[str] = []
    skipped = 0
    for i, example in enumerate(examples):
        if example.label not in CLASSES and example.label not in IGNORED_DISPOSITIONS:
            raise TrainingDataError(f"unknown label {example.label!r}")
        if example.label in IGNORED_DISPOSITIONS or input_problems(example.report, example.history):
            skipped += 1
            continue
        rows.append(extract(example.report, example.history))
        labels.append(example.label)
        kept_groups.append(groups[i] if groups is not None else f"row{i}")
    return rows, labels, kept_groups, skipped


def _fit_type_model(
    pipeline: Pipeline,
    x: NDArray[np.object_],
    labels: list[str],
    groups: list[str],
    seed: int,
    c: float,
) -> CalibratedClassifierCV | None:
    counts = Counter(label for label in labels if label in FALSE_CLASSES)
    usable = {label for label, n in counts.items() if n >= 2}
    if len(usable) < 2:
        return None
    rows = np.flatnonzero([label in usable for label in labels])
    if len(rows) > TYPE_MODEL_MAX_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(rows, TYPE_MODEL_MAX_ROWS, replace=False))
    y = np.array(labels, dtype=object)[rows].astype(str)
    features = pipeline[0].transform(x[rows])
    kept = [groups[i] for i in rows]
    splits = _splits(y, kept, seed, TYPE_MODEL_FOLDS)
    model: CalibratedClassifierCV = _classifier(c, splits)
    _fit(model, features, y, splits)
    return model
