"""Django ends a {# comment #} at the end of its line: one that runs onto the next is shown to visitors
as text. Longer notes use {% comment %}."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
UNCLOSED = re.compile(r"\{#(?![^\n]*#\})")


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_every_short_comment_closes_on_its_own_line(template):
    text = template.read_text()
    unclosed = [text.count("\n", 0, match.start()) + 1 for match in UNCLOSED.finditer(text)]
    assert not unclosed, f"{{# left open on line(s) {unclosed}: use {{% comment %}} for notes over a line"
