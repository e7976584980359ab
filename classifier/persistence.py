"""Model files: skops (never pickle or joblib), a content-hash version, a model card beside.

``skops`` writes a zip of a JSON schema plus ``.npy`` arrays, naming arrays after ``id()``
and stamping entries with the current time. ``save_model`` rewrites that zip canonically
(ids renumbered in schema order, fixed timestamps, sorted entries), so the same fitted model
always gives the same bytes and therefore the same version hash. Loading refuses any type
outside ``TRUSTED_TYPES`` plus skops' own defaults, and a different scikit-learn version.

Loading is part of every server start, so it reads the file once: ``skops.io.loads`` with
``trusted=TRUSTED_TYPES`` builds the tree of what the file declares, audits every node of it
against the trusted types and raises before constructing anything when one is outside them
(the separate ``get_untrusted_types`` pre-check walked the same tree a second time: 0.45 s
of CPU at each start). ``save_model`` writes the text vocabulary's indices as plain ints:
skops stores each numpy integer as its own array file, and the 10 767 of them took 0.65 s of
the 0.8 s a load cost.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import sklearn
import skops.io as sio
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import Pipeline
from skops.io.exceptions import UntrustedTypesFoundException

from classifier.features import FEATURE_VERSION
from classifier.model import TrainedModel
from classifier.thresholds import Thresholds

FORMAT = "siaga112-false-call/1"
#: The only types beyond skops' defaults a model file may contain (checked before loading).
TRUSTED_TYPES: tuple[str, ...] = (
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class ModelRefused(ValueError):
    """Raised when a model file is missing, corrupt, untrusted or from another version."""


def version_of(data: bytes) -> str:
    """The model version: the SHA-256 of the file's bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def find_model_file(version: str, dirs: Iterable[Path]) -> Path | None:
    """The model file (``*.skops``) whose content hash is ``version``, first found in ``dirs``."""
    for directory in dirs:
        for path in sorted(Path(directory).glob("*.skops")):
            if _version_of(path, path.stat().st_mtime_ns, path.stat().st_size) == version:
                return path
    return None


@functools.lru_cache(maxsize=64)
def _version_of(path: Path, _mtime: int, _size: int) -> str:
    return version_of(path.read_bytes())


def card_path(path: Path) -> Path:
    """Where the model card of a model file lives (``x.skops`` → ``x.card.json``)."""
    return path.with_suffix(".card.json")


def save_model(model: TrainedModel, path: Path) -> str:
    """Write the model file and its card; return the version hash."""
    _plain_vocabularies(model.pipeline)
    state: dict[str, Any] = {
        "format": FORMAT,
        "feature_version": FEATURE_VERSION,
        "sklearn_version": sklearn.__version__,
        "pipeline": model.pipeline,
        "type_model": model.type_model,
        "thresholds": model.thresholds.to_dict(),
    }
    data = _canonical(sio.dumps(state))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    version = version_of(data)
    card = {
        **model.card,
        "version": version,
        "file": path.name,
        "size_bytes": len(data),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "thresholds": model.thresholds.to_dict(),
    }
    card_path(path).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return version


def load_model(path: Path) -> tuple[TrainedModel, str]:
    """Read a model file (trusted types only) and its card; return the model and its version.

    Unpacking a model takes about a second; what skops unpacked is kept in-process by content
    hash, so the same bytes are unpacked once (a changed file has another hash and is read
    afresh). The format and version checks and the card are done on every call.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelRefused(f"cannot read {path}: {error}") from error
    version = version_of(data)
    with _LOADED_LOCK:
        state = _LOADED.get(version)
    if state is None:
        state = _unpack(data, path)
        with _LOADED_LOCK:
            _LOADED[version] = state
            while len(_LOADED) > _LOADED_LIMIT:
                del _LOADED[next(iter(_LOADED))]
    model = _from_state(state, path)
    card_file = card_path(path)
    card: dict[str, Any] = json.loads(card_file.read_text()) if card_file.exists() else {}
    return TrainedModel(model.pipeline, model.type_model, model.thresholds, card), version


#: What skops unpacked, by model version (content hash); fitted estimators are only read.
_LOADED: dict[str, Any] = {}
_LOADED_LIMIT = 4
_LOADED_LOCK = threading.Lock()


def _unpack(data: bytes, path: Path) -> Any:
    # loads audits the whole tree (skops' defaults plus TRUSTED_TYPES) before it constructs
    # any object, and raises UntrustedTypesFoundException naming what it refused.
    try:
        state = sio.loads(data, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as error:
        raise ModelRefused(f"{path} contains untrusted types: {error}") from error
    except Exception as error:  # skops raises many kinds; any of them means "do not use"
        raise ModelRefused(f"cannot load {path}: {error}") from error
    return state


def _plain_vocabularies(pipeline: Pipeline) -> None:
    """Make each text vectorizer's ``vocabulary_`` map to Python ints (same values)."""
    for _, step in pipeline.steps:
        for _, transformer, _ in getattr(step, "transformers_", []):
            vocabulary = getattr(transformer, "vocabulary_", None)
            if isinstance(vocabulary, dict):
                transformer.vocabulary_ = {term: int(i) for term, i in vocabulary.items()}


def _from_state(state: Any, path: Path) -> TrainedModel:
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ModelRefused(f"{path} is not a {FORMAT} model file")
    if state.get("sklearn_version") != sklearn.__version__:
        raise ModelRefused(
            f"{path} was trained with scikit-learn {state.get('sklearn_version')}, "
            f"this is {sklearn.__version__}: retrain it"
        )
    if state.get("feature_version") != FEATURE_VERSION:
        raise ModelRefused(f"{path} uses feature version {state.get('feature_version')}")
    pipeline, type_model = state.get("pipeline"), state.get("type_model")
    if not isinstance(pipeline, Pipeline) or not (
        type_model is None or isinstance(type_model, CalibratedClassifierCV)
    ):
        raise ModelRefused(f"{path} does not hold the expected estimators")
    thresholds = Thresholds.from_dict(state.get("thresholds") or {})
    return TrainedModel(pipeline, type_model, thresholds)


def _canonical(data: bytes) -> bytes:
    """The same skops archive with ids, file names, order and timestamps made deterministic."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        schema = json.loads(source.read("schema.json"))
        blobs = {name: source.read(name) for name in source.namelist() if name != "schema.json"}
    ids: dict[int, int] = {}
    files: dict[str, str] = {}
    _renumber(schema, ids, files)
    if set(files) != set(blobs):
        raise ModelRefused("unexpected entries in the skops archive")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        entries = [("schema.json", _schema_text(schema))]
        entries += sorted((new, blobs[old]) for old, new in files.items())
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=9)
    return out.getvalue()


def _schema_text(schema: Any) -> bytes:
    """``json.dumps(schema, indent=2)``, byte for byte, written by orjson when it can be.

    The standard library's encoder works in Python once it indents: 0.4 s for the shipped
    model's 9 MB schema, against 0.01 s for orjson, which writes the same bytes for it. The
    two differ on floats (``1e-05`` against ``0.00001``), text outside ASCII and DEL (which
    json escapes) and integers beyond 64 bits (which orjson refuses): then json writes it.
    """
    if not _holds_a_float(schema):
        with contextlib.suppress(orjson.JSONEncodeError):
            fast = orjson.dumps(schema, option=orjson.OPT_INDENT_2)
            if fast.isascii() and b"\x7f" not in fast:
                return fast
    return json.dumps(schema, indent=2).encode()


def _holds_a_float(node: Any) -> bool:
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _renumber(node: Any, ids: dict[int, int], files: dict[str, str]) -> None:
    if isinstance(node, list):
        for item in node:
            _renumber(item, ids, files)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("__id__"), int):
        node["__id__"] = ids.setdefault(node["__id__"], len(ids))
    if isinstance(node.get("file"), str) and "__loader__" in node:
        old = node["file"]
        suffix = old.rsplit(".", 1)[-1]
        node["file"] = files.setdefault(old, f"{len(files)}.{suffix}")
    for value in node.values():
        _renumber(value, ids, files)
