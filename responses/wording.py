"""A question's wording as compared across consultations: the one definition of the key
stored on every question (`Question.wording_key`) and searched for earlier answers.

Apart from the models so that they can store it and the search can use it, with no
import circle between them.
"""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """Wording as compared: casefolded, punctuation and quotes dropped, spacing collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        c for c in folded if not unicodedata.category(c).startswith("P") and c not in "`´"
    )
    return " ".join(kept.split())
