"""/docs and /redoc are this server's own pages, under the console's policy."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from console_ui.security import CONTENT_SECURITY_POLICY


def test_the_documentation_pages_load_only_from_this_server_under_the_consoles_policy(
    shared_client: TestClient,
) -> None:
    client = shared_client
    console = client.get("/")
    docs = client.get("/docs")
    redoc = client.get("/redoc")

    assert console.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert docs.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert redoc.headers["content-security-policy"] == CONTENT_SECURITY_POLICY.replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    )
    for page in (docs, redoc):
        assert page.status_code == 200
        assert "<script>" not in page.text  # no inline script: the policy would refuse it
        sources = re.findall(r'(?:src|href|spec-url)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        for source in sources:
            answer = client.get(source)
            assert answer.status_code == 200, source
            assert b"cdn.redoc.ly" not in answer.content


def test_an_unknown_documentation_asset_is_404(shared_client: TestClient) -> None:
    client = shared_client
    assert client.get("/docs/assets/../../pyproject.toml").status_code == 404
    assert client.get("/docs/assets/swagger-ui-bundle.js.map").status_code == 404
