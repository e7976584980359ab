"""Every browser test closes the pages it opened: the browser is shared by the whole session,
and an open console keeps rendering every live delta (ten left open slowed every later test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser


@pytest.fixture(autouse=True)
def close_the_pages_a_test_opened(request: pytest.FixtureRequest) -> Iterator[None]:
    if "browser" not in request.fixturenames:
        yield
        return
    browser: Browser = request.getfixturevalue("browser")
    before = set(browser.contexts)
    yield
    for context in set(browser.contexts) - before:
        context.close()
