"""References residents quote about what they sent us: short, easy to read out, and not a row number.

A row's id would tell anyone how many messages the directory gets and let them guess another's
reference, so each record gets eight random characters instead, from an alphabet without the
look-alikes 0/O, 1/I/L and 5/S, shown in two groups of four: "K7QM-4XPR".
"""

import secrets

from django.db import models

ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
REFERENCE_LENGTH = 9  # two groups of four and the dash between them


def new_reference() -> str:
    """A fresh random reference. With 29 ** 8 (500 billion) of them, a repeat is vanishingly rare,
    and the unique constraint on the column refuses one rather than mixing up two records."""
    characters = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{characters[:4]}-{characters[4:]}"


def reference_field(*, about: str) -> models.CharField:
    """The reference column of a record residents send: random, unique, never edited."""
    return models.CharField(
        max_length=REFERENCE_LENGTH,
        unique=True,
        default=new_reference,
        editable=False,
        help_text=f"What the resident quotes when they ask about their {about}; shown to them and emailed.",
    )


def references_fill(model) -> None:
    """Give every row of `model` without a reference a distinct one (for the migrations that add
    the column to existing rows, before it becomes unique)."""
    rows = list(model.objects.filter(reference__isnull=True).only("pk"))
    taken = set(model.objects.exclude(reference__isnull=True).values_list("reference", flat=True))
    for row in rows:
        row.reference = new_reference()
        while row.reference in taken:
            row.reference = new_reference()
        taken.add(row.reference)
    model.objects.bulk_update(rows, ["reference"], batch_size=500)
