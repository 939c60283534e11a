"""The accessibility audit: axe-core (from the npm registry, `make assets`) injected into a page.

``axe_violations(page)`` runs axe over the whole document for WCAG 2.1 A and AA and
returns its violations; ``describe(violations)`` says what and where in a few
lines each, for an assertion message. The page's browser context must be made
with ``bypass_csp=True``: the application's Content-Security-Policy (rightly)
refuses the injected script otherwise. axe is a test tool only; it is never
served by the application.
"""

import os
import pathlib

import pytest

AXE_JS = pathlib.Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> pathlib.Path:
    if not AXE_JS.exists():
        message = f"{AXE_JS} is missing: `make assets` (npm ci) installs axe-core from package.json."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS


def axe_violations(page, tags: list[str] | None = None) -> list[dict]:
    """axe's violations on the page as it is now, for the given rule tags (WCAG 2.1 AA by default)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        tags or WCAG_21_AA,
    )


def describe(violations: list[dict], limit: int = 4) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:limit]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:240]}")
        if len(v["nodes"]) > limit:
            lines.append(f"    … and {len(v['nodes']) - limit} more")
    return "\n".join(lines)
