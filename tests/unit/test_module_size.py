"""Every module of the application is at most 300 lines (the read-side issue's rule): a module
that grows past it is named here, so it is split along a seam before it lands."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "domain",
    "formats",
    "dispatch",
    "projections",
    "classifier",
    "console_ui",
    "replay",
    "entrypoints",
    "simulator",
)
MAX_LINES = 300


def test_no_application_module_is_longer_than_300_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert len(sizes) > 100, sorted(sizes)  # the packages were found
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert too_long == {}, too_long
