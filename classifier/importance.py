"""Does one metadata value alone tell false calls from genuine ones? Then the data lies.

In life, location, duration, channel and the hour overlap between genuine and false calls:
nearly every smartphone call carries a location (AML), and pranks can last as long as real
reports. A training set in which one metadata column alone separates the classes teaches the
model a shortcut that real calls will not follow (a real emergency without that value would
look false). Training therefore measures each metadata column's own ROC AUC (false vs
genuine) and refuses to fit when one exceeds ``SEPARATION_LIMIT``; the figures go into the
model card. Keyword and context counts read the summary and are not metadata.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import roc_auc_score

from classifier.features import META_NAMES, Extracted

SEPARATION_LIMIT = 0.9
_TEXT_DERIVED = ("kw_", "ctx_")


class MetadataShortcut(ValueError):
    """Raised when one metadata feature alone separates false from genuine calls."""


def metadata_names() -> tuple[str, ...]:
    """The model inputs that do not come from the summary's words."""
    return tuple(n for n in META_NAMES if not n.startswith(_TEXT_DERIVED))


def single_feature_auc(rows: Sequence[Extracted], y_false: NDArray[np.int64]) -> dict[str, float]:
    """Each metadata feature's separation on its own: max(AUC, 1 - AUC), 0.5 = none."""
    if not rows or len(set(y_false.tolist())) < 2:
        return {}
    matrix = np.array([r.meta for r in rows], dtype=np.float64)
    out: dict[str, float] = {}
    for name in metadata_names():
        column = matrix[:, META_NAMES.index(name)]
        auc = float(roc_auc_score(y_false, column)) if np.ptp(column) > 0 else 0.5
        out[name] = round(max(auc, 1.0 - auc), 4)
    return dict(sorted(out.items(), key=lambda item: item[1], reverse=True))


def check_metadata(
    rows: Sequence[Extracted], y_false: NDArray[np.int64], limit: float = SEPARATION_LIMIT
) -> dict[str, object]:
    """The model card's feature-importance section; raises when one feature is a shortcut."""
    separation = single_feature_auc(rows, y_false)
    worst = next(iter(separation.items()), ("none", 0.5))
    if worst[1] > limit:
        raise MetadataShortcut(
            f"metadata feature {worst[0]!r} alone separates false from genuine calls "
            f"(AUC {worst[1]:.3f} > {limit}): the data teaches a shortcut"
        )
    return {
        "check": f"no metadata feature alone separates the classes (max(AUC, 1-AUC) <= {limit})",
        "strongest_single_features": dict(list(separation.items())[:8]),
    }
