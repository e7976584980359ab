"""The reference client's state file and URLs (the live behaviour is in tests/e2e)."""

from __future__ import annotations

from pathlib import Path

from entrypoints.cli.feed import FeedState, feed_url


def test_the_position_is_kept_in_a_file_written_whole(tmp_path: Path) -> None:
    state = FeedState.load(tmp_path / "feeds" / "fire.json")
    assert state.position is None
    state.save(42)
    state.save(57)
    assert FeedState.load(state.path).position == 57
    assert sorted(p.name for p in state.path.parent.iterdir()) == ["fire.json"]


def test_a_resync_forgets_the_position_and_a_damaged_file_starts_afresh(tmp_path: Path) -> None:
    state = FeedState.load(tmp_path / "fire.json")
    state.save(42)
    state.save(None)
    assert FeedState.load(state.path).position is None
    state.path.write_text("{not json")
    assert FeedState.load(state.path).position is None


def test_feed_urls_resume_after_a_position() -> None:
    assert (
        feed_url("http://127.0.0.1:8112/", "fire", None) == "ws://127.0.0.1:8112/ws/agencies/fire"
    )
    assert feed_url("https://siaga", "police", 7) == "wss://siaga/ws/agencies/police?after=7"
    assert feed_url("ws://h:1", "console", 3) == "ws://h:1/ws/console?after=3"
