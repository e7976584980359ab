"""The headers of every page this server sends a browser: the console, the boards, /docs.

One Content-Security-Policy for all of them: the browser itself refuses anything not from this
server, so no CDN, font or tile can sneak in, and a page that tried would break visibly.

One page needs one thing more: ReDoc (/redoc) writes its styles into ``<style>`` elements from
its script, before any nonce could reach it, so that page alone allows inline *styles*. Scripts,
connections, images and fonts stay this server's only, so an inline style can neither run code
nor load anything from elsewhere.
"""

from __future__ import annotations


def content_security_policy(*, inline_styles: bool = False) -> str:
    """The policy (``inline_styles`` for a page whose library writes ``<style>`` elements)."""
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return (
        f"default-src 'self'; script-src 'self'; style-src {styles}; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )


def headers(*, inline_styles: bool = False) -> dict[str, str]:
    """The headers of a page or file sent to a browser."""
    return {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": content_security_policy(inline_styles=inline_styles),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


CONTENT_SECURITY_POLICY = content_security_policy()
HEADERS = headers()
