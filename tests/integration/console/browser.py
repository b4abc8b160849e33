"""Playwright on Debian's chromium, and axe-core injected into the page under test."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

# Debian's package; Playwright's own browser download is not used.
CHROMIUM = Path(os.environ.get("TAPWATCH_CHROMIUM", "/usr/bin/chromium"))
# `make setup` fetches axe-core with npm into the shared cache (never into the repo).
AXE_JS = Path(
    os.environ.get(
        "TAPWATCH_AXE_JS",
        Path.home() / ".cache" / "tapwatch" / "npm" / "node_modules" / "axe-core" / "axe.min.js",
    )
)
BLOCKING_IMPACTS = ("serious", "critical")


def require_browser() -> None:
    """Fail (not skip) when the browser or axe is missing: `make setup` installs both."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (apt-get install chromium)")
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `make setup` (npm installs axe-core)")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical axe-core violations of the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
