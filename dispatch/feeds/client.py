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

from dispatch.settings import Settings

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
) -> None:
    """Follow a feed until ``on_message`` returns False; reconnects and resumes on drops."""
    from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
    from websockets.sync.client import connect

    backoff = 0.5
    while True:
        url = feed_url(base_url, agency, state.position)
        try:
            with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
                backoff = 0.5
                for text in ws:
                    message = json.loads(text)
                    going_on = on_message(message, str(text))  # shown first, then remembered
                    if message.get("type") == "resync":
                        state.save(None)
                    elif isinstance(message.get("position"), int):
                        state.save(message["position"])
                    if not going_on:
                        return
        except ConnectionClosed as closed:
            if closed.rcvd is not None and closed.rcvd.code in FATAL_CODES:
                code, reason = closed.rcvd.code, closed.rcvd.reason
                raise FeedClosed(f"{FATAL_CODES[code]} ({code}): {reason}") from None
        except InvalidURI:
            raise
        except (OSError, InvalidHandshake, TimeoutError):
            pass
        if not reconnect:
            return
        time.sleep(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_S)


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
    feed.add_argument("--max-messages", type=int, help="exit after this many messages")
    feed.set_defaults(handler=_feed)


def _feed(args: argparse.Namespace, settings: Settings) -> int:
    token = args.token or os.environ.get("SIAGA_TOKEN")
    if not token:
        print("siaga112: give --token or set SIAGA_TOKEN", file=sys.stderr)
        return 2
    url = args.url or f"http://{settings.host}:{settings.port}"
    state = FeedState.load(args.state_file or settings.var_dir / f"feed-{args.agency}.json")
    printed = 0

    def show(message: dict[str, Any], text: str, out: TextIO = sys.stdout) -> bool:
        nonlocal printed
        out.write(text + "\n")
        out.flush()
        printed += 1
        return args.max_messages is None or printed < args.max_messages

    try:
        follow(url, args.agency, token, state, show)
    except FeedClosed as error:
        print(f"siaga112: feed refused: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0
