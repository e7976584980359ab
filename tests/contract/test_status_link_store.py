"""The status-link store keeps each link durably, by the hash of its token only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from adapters.status_link_store import open_status_link_store
from adapters.storage import sqlite_sidecar
from dispatch.settings import Settings
from dispatch.status_links import StoredLink, token_hash


def test_a_link_is_found_by_its_token_hash_after_the_store_is_opened_again(
    any_settings: Settings,
) -> None:
    token = "Zq3-token-never-stored_x"
    link = StoredLink(
        token_hash(token), uuid.uuid4(), datetime(2026, 11, 22, 1, 30, tzinfo=UTC), "operator:t"
    )
    open_status_link_store(any_settings, object()).add(link)

    again = open_status_link_store(any_settings, object())
    assert again.find(token_hash(token)) == link
    assert again.find(token) is None
    if any_settings.backend == "sqlite":
        stored = sqlite_sidecar(any_settings, "status-links").read_bytes()
        assert token.encode() not in stored and token_hash(token).encode() in stored
