"""References residents quote about what they sent us: short, easy to read out, and not a row number.

A row's id would tell anyone how many messages the directory gets and let them guess another's
reference, so each record gets eight random characters instead, from an alphabet without the
look-alikes 0/O, 1/I/L and 5/S, shown in two groups of four: "K7QM-4XPR".
"""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
REFERENCE_LENGTH = 9  # two groups of four and the dash between them


def new_reference() -> str:
    """A fresh random reference. With 29 ** 8 (500 billion) of them, a repeat is vanishingly rare,
    and the unique constraint on the column refuses one rather than mixing up two records."""
    characters = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{characters[:4]}-{characters[4:]}"
