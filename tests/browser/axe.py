"""axe-core in the browser tests: run the WCAG 2.1 A/AA rules (and axe's best practices, reported as minor) on the
page a Playwright test has open, and return what it found by rule.

The pages have a strict Content-Security-Policy (no inline scripts without the nonce), so axe is not added as a
<script>: Playwright evaluates the vendored file through the DevTools protocol, which the page's CSP does not govern.
Nothing is served from tests/browser/vendor/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], elementRef: false,
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, tags: v.tags, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


@cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Finding:
    """One rule's violation on one screen: its impact as axe rates it, and the elements (CSS targets)."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...] = field(default=())
    wcag: bool = True

    @property
    def blocking(self) -> bool:
        """Serious or critical under a WCAG 2.1 A/AA rule (best-practice rules count as minor)."""
        return self.wcag and self.impact in BLOCKING

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:4]) + (" …" if len(self.targets) > 4 else "")
        return f"{self.rule} ({self.impact}, {len(self.targets)}×: {shown}) {self.help}"


def run_axe(page, best_practice: bool = True) -> list[Finding]:
    """Inject axe-core into `page` (once) and return its violations, the blocking ones first."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(_source())
    tags = [*WCAG_TAGS, *(["best-practice"] if best_practice else [])]
    found = []
    for v in page.evaluate(RUN, tags):
        wcag = any(tag in WCAG_TAGS for tag in v["tags"])
        found.append(Finding(v["id"], v["impact"] or "minor", v["help"], tuple(v["targets"]), wcag))
    return sorted(found, key=lambda f: (not f.blocking, f.rule))


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
