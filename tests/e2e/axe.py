"""axe-core in a test page: the accessibility violations a screen reader user would hit."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"  # MPL-2.0
SERIOUS = ("serious", "critical")


def serious_violations(page: Page) -> list[str]:
    """Each serious or critical axe-core violation on the page, as "rule: target …" lines."""
    # Evaluated through the browser's devtools channel: the app's CSP (script-src 'self') rightly
    # refuses an injected <script>, and the test must not weaken it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
            .map((v) => ({ id: v.id, impact: v.impact,
                           targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }))"""
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['targets'])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]
