"""What people may type into one-line fields: one line, and no invisible control characters.

A line break in a name travels into email subjects (where Django refuses it, after the change is
committed), CSV rows and page titles, so it is refused where it is typed. The rule sits on the
model fields, so ModelForms, the admin and every import that calls full_clean apply it; plain
forms add `single_line` to their one-line fields.
"""

import unicodedata

from django.core.exceptions import ValidationError

# Every character str.splitlines() breaks a line at.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")

LINE_BREAK_MESSAGE = "This must be on one line: take out the line break."
CONTROL_CHARACTER_MESSAGE = "This must not contain tabs or other hidden control characters."


def single_line(value: str) -> None:
    """Refuse line breaks, tabs and other control characters; any letter, space or emoji is fine."""
    if any(character in LINE_BREAKS for character in value):
        raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_character")
