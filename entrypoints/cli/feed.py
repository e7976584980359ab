"""``siaga112 feed AGENCY``: the reference feed client.

Prints every message as one JSON line and keeps the last position in a state file (written
atomically: a temporary file, fsync, rename), so that after a crash, a network drop or a
server restart it resumes with ``after=<position>`` and misses nothing. A "resync" message
drops the saved position: the next connection starts with a fresh snapshot.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from websockets.exceptions import WebSocketException

from dispatch.settings import Settings
from entrypoints.cli.failures import UNREACHABLE, USAGE, CommandFailed

FATAL_CODES = {4400: "bad request", 4401: "bad token", 4403: "not allowed", 4404: "unknown agency"}
MAX_BACKOFF_S = 10.0


@dataclass
class FeedState:
    """What the client keeps between runs."""

    path: Path
    position: int | None = None

    @classmethod
    def load(cls, path: Path) -> FeedState:
        """The saved position, if any."""
        try:
            saved = json.loads(path.read_text())
        except (FileNotFoundError, ValueError):
            return cls(path)
        position = saved.get("position")
        return cls(path, position if isinstance(position, int) else None)

    def save(self, position: int | None) -> None:
        """Keep a position (atomically: never a half-written file)."""
        self.position = position
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with open(tmp, "w") as out:
            json.dump({"position": position}, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)


class FeedClosed(Exception):
    """Raised when the server refuses the feed for good (bad token, wrong agency)."""


class FeedUnreachable(Exception):
    """Raised when the server did not answer within the time the caller allowed."""


#: Messages that are the feed itself; heartbeats, pongs and errors are not counted.
FEED_MESSAGES = frozenset({"snapshot", "incident", "unit"})
#: HTTP answers to the upgrade that no retry will change.
FATAL_STATUSES = {401: "bad token", 403: "not allowed", 404: "no such feed"}

# Called after a failed attempt with what happened and the wait before the next one.
OnRetry = Callable[[str, float], None]


def feed_url(base: str, agency: str, after: int | None) -> str:
    """The websocket URL of an agency feed (``console`` for the console feed)."""
    base = base.rstrip("/")
    if base.startswith("http"):
        base = "ws" + base.removeprefix("http")
    path = "/ws/console" if agency == "console" else f"/ws/agencies/{quote(agency)}"
    return f"{base}{path}" + (f"?after={after}" if after is not None else "")


def follow(
    base_url: str,
    agency: str,
    token: str,
    state: FeedState,
    on_message: Callable[[dict[str, Any], str], bool],
    *,
    reconnect: bool = True,
    on_retry: OnRetry | None = None,
    give_up_after_s: float | None = None,
) -> None:
    """Follow a feed until ``on_message`` returns False; reconnects and resumes on drops.

    Raises FeedClosed when the server refuses (bad token, not allowed, unknown agency) and
    FeedUnreachable when no connection succeeded for ``give_up_after_s`` seconds.
    """
    from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI
    from websockets.sync.client import connect

    backoff = 0.5
    failing_since: float | None = None
    while True:
        url = feed_url(base_url, agency, state.position)
        try:
            with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
                backoff, failing_since = 0.5, None
                for text in ws:
                    message = json.loads(text)
                    going_on = on_message(message, str(text))  # shown first, then remembered
                    if message.get("type") == "resync":
                        state.save(None)
                    elif isinstance(message.get("position"), int):
                        state.save(message["position"])
                    if not going_on:
                        return
            problem = f"{url} closed the feed"
        except ConnectionClosed as closed:
            received = closed.rcvd
            if received is not None and received.code in FATAL_CODES:
                code, reason = received.code, received.reason
                raise FeedClosed(f"{FATAL_CODES[code]} ({code}): {reason}") from None
            why = f" ({received.code}: {received.reason})" if received and received.reason else ""
            problem = f"{url} closed the feed{why}"
        except InvalidURI:
            raise
        except InvalidStatus as refused:
            status = refused.response.status_code
            if status in FATAL_STATUSES:
                raise FeedClosed(f"{FATAL_STATUSES[status]} (HTTP {status})") from None
            problem = f"{url} answered HTTP {status}"
        except (OSError, WebSocketException, TimeoutError) as error:
            problem = f"cannot connect to {url}: {_reason(error)}"
        if not reconnect:
            return
        now = time.monotonic()
        failing_since = now if failing_since is None else failing_since
        if give_up_after_s is not None and now - failing_since >= give_up_after_s:
            raise FeedUnreachable(problem)
        if on_retry is not None:
            on_retry(problem, backoff)
        time.sleep(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_S)


def _reason(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, TimeoutError):
        return "timed out"
    text = str(error) or type(error).__name__
    return text[:1].lower() + text[1:]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``siaga112 feed``."""
    feed = sub.add_parser(
        "feed",
        help="print an agency's live feed as JSON lines, resuming from the last position",
        description="Connects to /ws/agencies/AGENCY (or /ws/console with AGENCY=console), "
        "prints each message as one JSON line and keeps the last position in a state file, "
        "so that it resumes where it stopped (after a drop, a restart of either side).",
    )
    feed.add_argument("agency", help="police, fire, medical, bpbd, sar, or console")
    feed.add_argument("--url", help="server URL (default http://SIAGA_HOST:SIAGA_PORT)")
    feed.add_argument("--token", help="bearer token (default: $SIAGA_TOKEN)")
    feed.add_argument("--state-file", type=Path, help="default <var>/feed-AGENCY.json")
    feed.add_argument(
        "--max-messages",
        type=_positive,
        help="exit after this many feed messages (snapshot, incident, unit)",
    )
    feed.add_argument(
        "--give-up-after",
        type=float,
        metavar="SECONDS",
        help="exit 3 when no connection succeeded for this long (default: retry forever)",
    )
    feed.set_defaults(handler=_feed)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, not {text}")
    return int(text)


def _feed(args: argparse.Namespace, settings: Settings) -> int:
    token = args.token or os.environ.get("SIAGA_TOKEN")
    if not token:
        raise CommandFailed("feed: give --token or set SIAGA_TOKEN", USAGE)
    url = args.url or f"http://{settings.host}:{settings.port}"
    state = FeedState.load(args.state_file or settings.var_dir / f"feed-{args.agency}.json")
    counted = 0

    def show(message: dict[str, Any], text: str, out: TextIO = sys.stdout) -> bool:
        nonlocal counted
        if message.get("type") == "error":
            return True  # a refusal is followed by its close code, reported once
        out.write(text + "\n")
        out.flush()
        counted += message.get("type") in FEED_MESSAGES
        return args.max_messages is None or counted < args.max_messages

    def retrying(problem: str, wait_s: float) -> None:
        print(f"siaga112 feed: {problem}; retrying in {wait_s:g} s", file=sys.stderr, flush=True)

    try:
        follow(
            url,
            args.agency,
            token,
            state,
            show,
            on_retry=retrying,
            give_up_after_s=args.give_up_after,
        )
    except FeedClosed as error:
        raise CommandFailed(
            f"feed refused: {error}; check the token (--token or SIAGA_TOKEN) and that its "
            f"role may read {args.agency!r}",
            USAGE,
        ) from None
    except FeedUnreachable as error:
        raise CommandFailed(
            f"feed: {error}; gave up after {args.give_up_after:g} s (is the server running?)",
            UNREACHABLE,
        ) from None
    return 0
