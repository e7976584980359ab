"""Where the console's focus is, read at once (no waiting): a keyboard-only call-taker's next
key goes there.

A ``<dialog>``'s ``close`` event comes in a task after it closed; until the console puts the
focus back, it is on the page's body. ``watch_focus_at_close`` notes where the focus is when
that event comes, before the console's own listeners for it run: a key typed between the two
went there, however fast the page ran (reading the focus right after a key races them).
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def focused_is_useful(page: Page) -> bool:
    """Whether the focus is on the queue or on intake's first field."""
    useful: bool = page.evaluate(
        "() => document.activeElement.matches('#queue button.q-item, #f-category')"
    )
    return useful


def has_focus(element: Locator) -> bool:
    """Whether the element has the focus now: no waiting, unlike ``to_be_focused``."""
    return bool(element.evaluate("el => el === document.activeElement"))


def focused_path(page: Page) -> str:
    """The focused element and its ancestors (tag#id.class[command]), for a failure's message."""
    path: str = page.evaluate(
        """() => {
          const parts = [];
          for (let e = document.activeElement; e; e = e.parentElement) {
            const command = e.dataset && e.dataset.command ? `[${e.dataset.command}]` : "";
            parts.push(`${e.tagName}#${e.id}.${e.className}${command}`);
          }
          return parts.join(" < ");
        }"""
    )
    return path


def watch_focus_at_close(page: Page) -> None:
    """Note the focus when the next dialog's close event comes (see ``had_focus_at_close``)."""
    # A capture listener on the document runs before the dialog's own listeners.
    page.evaluate(
        """() => {
          delete window.focusAtClose;
          const note = () => { window.focusAtClose = document.activeElement; };
          document.addEventListener("close", note, { capture: true, once: true });
        }"""
    )


def had_focus_at_close(element: Locator) -> bool:
    """Whether the element had the focus when the watched dialog's close event came."""
    element.page.wait_for_function("() => 'focusAtClose' in window")  # the event, not the focus
    return bool(element.evaluate("el => el === window.focusAtClose"))
