"""Helpers of the page tests in Chromium: the demo installation served by a real `lms
serve`, signing in as a demo person, axe-core's check of a page, and screenshots at phone
and desktop widths (saved under test-artifacts/, which git ignores)."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "pathway-demo"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG A/AA violations on the page, one line each."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                      "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                         f"at {targets}")
    return found


def screenshot(page, name: str) -> Path:
    """A full-page screenshot under test-artifacts/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def overflows_sideways(page) -> bool:
    """Whether the page is wider than the window (the phone would scroll sideways)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth > window.innerWidth + 1")


def sign_in_as(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login page."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
