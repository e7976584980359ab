"""Model files: skops with trusted types only, a content-hash version, a card beside."""

from __future__ import annotations

import hashlib
import json
import pickle
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import skops.io as sio
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.pipeline import Pipeline

from classifier import ModelRefused, TrainedModel, load_model, load_scorer, save_model
from classifier.features import extract
from classifier.model import to_matrix
from classifier.persistence import TRUSTED_TYPES, _schema_text, card_path
from classifier.scorer import DEFAULT_MODEL_PATH
from classifier.synthetic import generate_tagged


def test_the_model_version_is_the_content_hash_and_survives_save_and_load(
    tiny_model: TrainedModel, tmp_path: Path
) -> None:
    version = save_model(tiny_model, tmp_path / "a.skops")
    assert version == "sha256:" + hashlib.sha256((tmp_path / "a.skops").read_bytes()).hexdigest()
    loaded, loaded_version = load_model(tmp_path / "a.skops")
    assert loaded_version == version
    assert save_model(loaded, tmp_path / "b.skops") == version  # same model, same bytes
    assert load_scorer(tmp_path / "b.skops").version == version


def test_the_same_bytes_are_unpacked_once_and_a_changed_file_is_read_again(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    model_file = tmp_path / "m.skops"
    model_file.write_bytes(tiny_model_path.read_bytes())
    first, version = load_model(model_file)
    again, again_version = load_model(model_file)
    assert again_version == version
    assert again.pipeline is first.pipeline  # unpacked once, by content hash
    model_file.write_bytes(tiny_model_path.read_bytes()[:5000])  # same path, other bytes
    with pytest.raises(ModelRefused):
        load_model(model_file)


def test_the_model_card_is_written_beside_the_model(
    tiny_model: TrainedModel, tiny_model_path: Path
) -> None:
    # tiny_model_path is tiny_model as save_model wrote it (once per session); the version
    # save_model returns is the content hash (see the first test).
    version = "sha256:" + hashlib.sha256(tiny_model_path.read_bytes()).hexdigest()
    card = json.loads(card_path(tiny_model_path).read_text())
    assert card["version"] == version
    assert card["thresholds"]["high"] == tiny_model.thresholds.high
    assert card["training_data"]["examples"] > 0
    assert card["model"]["recorded_not_used"] == ["has_caller_id", "sim_present", "dialect_text"]


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.touch, (self.marker,))


def test_a_pickle_file_is_refused_without_running_its_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    model_file = tmp_path / "evil.skops"
    model_file.write_bytes(pickle.dumps(_Exploit(marker)))
    with pytest.raises(ModelRefused):
        load_model(model_file)
    assert load_scorer(model_file).version == "none"
    assert not marker.exists()


def test_a_skops_file_with_an_untrusted_type_is_refused(tmp_path: Path) -> None:
    model_file = tmp_path / "odd.skops"
    sio.dump({"format": "siaga112-false-call/1", "thing": _Exploit(tmp_path / "x")}, model_file)
    with pytest.raises(ModelRefused, match="untrusted"):
        load_model(model_file)
    assert TRUSTED_TYPES == (
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
    )


def test_a_truncated_model_file_is_refused(tiny_model_path: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.skops"
    broken.write_bytes(tiny_model_path.read_bytes()[:5000])
    with pytest.raises(ModelRefused):
        load_model(broken)


def test_a_model_from_another_scikit_learn_version_is_refused(
    tiny_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sklearn

    monkeypatch.setattr(sklearn, "__version__", "0.0.1")
    with pytest.raises(ModelRefused, match="scikit-learn"):
        load_model(tiny_model_path)


class _Planted:
    """A type no model file may hold; building it would leave a mark."""

    marker: Path | None = None

    def __setstate__(self, state: dict[str, Any]) -> None:
        if _Planted.marker is not None:
            _Planted.marker.touch()
        self.__dict__.update(state)


def test_an_untrusted_type_deep_inside_a_pipeline_is_refused_before_anything_is_built(
    tiny_model: TrainedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one pass of skops.io.loads must audit the whole tree before it constructs: a file
    # whose pipeline ends in an unknown estimator is refused, naming it, and never built.
    marker = tmp_path / "built"
    monkeypatch.setattr(_Planted, "marker", marker)
    planted = Pipeline([("features", tiny_model.pipeline[0]), ("model", _Planted())])
    model_file = tmp_path / "planted.skops"
    save_model(TrainedModel(planted, None, tiny_model.thresholds, {}), model_file)
    with pytest.raises(ModelRefused, match=r"untrusted types.*_Planted"):
        load_model(model_file)
    assert not marker.exists()
    assert load_scorer(model_file).version == "none"


def test_the_vocabulary_is_saved_as_plain_ints_and_scores_the_same(
    tiny_model: TrainedModel, tmp_path: Path
) -> None:
    # skops writes each numpy integer as its own array file; a vocabulary of them made the
    # shipped model 10 767 files, most of each start's load time.
    model_file = tmp_path / "plain.skops"
    save_model(tiny_model, model_file)
    loaded, _ = load_model(model_file)
    vocabulary = loaded.pipeline[0].named_transformers_["text"].vocabulary_
    assert len(vocabulary) > 500
    assert all(type(index) is int for index in vocabulary.values())
    with zipfile.ZipFile(model_file) as archive:
        assert len(archive.namelist()) < 100
    unseen = generate_tagged(60, seed=11, split="test")
    rows = to_matrix([extract(t.example.report, t.example.history) for t in unseen])
    np.testing.assert_array_equal(
        loaded.pipeline.predict_proba(rows), tiny_model.pipeline.predict_proba(rows)
    )


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(_JSON)
def test_the_archive_schema_is_written_as_json_with_indent_2_writes_it(schema: Any) -> None:
    # The model's bytes (and so its version) do not depend on which encoder wrote the schema.
    assert _schema_text(schema) == json.dumps(schema, indent=2).encode()


def test_the_shipped_models_schema_is_written_back_byte_for_byte() -> None:
    with zipfile.ZipFile(DEFAULT_MODEL_PATH) as archive:
        stored = archive.read("schema.json")
    assert _schema_text(json.loads(stored)) == stored
