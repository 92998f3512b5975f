"""The user guides show pictures the screenshot walk takes: every image a guide names exists in
docs/images and is taken by tests/web/test_guide_screenshots.py (so `make screenshots` refreshes it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ROOT / "docs" / "guides"
WALK = (ROOT / "tests" / "web" / "test_guide_screenshots.py").read_text(encoding="utf-8")


def test_there_is_a_guide_for_every_audience() -> None:
    assert {p.stem for p in GUIDES.glob("*.md")} >= {"officer", "representative", "legal-desk", "customer",
                                                     "requester"}


def test_every_picture_a_guide_shows_exists_and_is_taken_by_the_screenshot_walk() -> None:
    named = {name for guide in GUIDES.glob("*.md")
             for name in re.findall(r"\]\(\.\./images/([\w-]+)\.png\)", guide.read_text(encoding="utf-8"))}
    assert named
    for name in sorted(named):
        assert (ROOT / "docs" / "images" / f"{name}.png").is_file(), f"docs/images/{name}.png is missing"
        assert f'"{name}"' in WALK, f"no screenshot step takes {name}"
