"""axe-core audit for browser tests: fail on serious or critical WCAG 2.1 AA violations."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page) -> None:
    results = _axe.run(page, options=_OPTIONS)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in bad
    )
    assert not bad, f"axe violations on {page.url}:\n{details}"
