"""False-call classifier for Siaga112: annotates a report, never decides about it.

The dispatch core builds a :class:`ReportInput` and :class:`CallerHistory` at intake and
calls ``load_scorer(...).score(report, history, now)``; the :class:`Score` (band, reasons,
model version, feature values, safety rule) is recorded in the ``Scored`` event.
"""

from classifier.inputs import CLASSES, CallerHistory, LabeledExample, ReportInput
from classifier.model import TrainedModel, train
from classifier.persistence import ModelRefused, load_model, save_model
from classifier.score import Reason, Score
from classifier.scorer import BatchScorer, SafeScorer, Scorer, load_scorer
from classifier.thresholds import Thresholds

__all__ = [
    "CLASSES",
    "BatchScorer",
    "CallerHistory",
    "LabeledExample",
    "ModelRefused",
    "Reason",
    "ReportInput",
    "SafeScorer",
    "Score",
    "Scorer",
    "Thresholds",
    "TrainedModel",
    "load_model",
    "load_scorer",
    "save_model",
    "train",
]
