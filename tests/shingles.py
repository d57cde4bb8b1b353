"""Hashed 8-word runs ("shingles") of text, to check that content never copies a source's sentences.

Only hashes of the sources are kept in tests/data/, never their text.
"""

from __future__ import annotations

import hashlib
import re

SIZE = 8


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def shingle_hashes(text: str, size: int = SIZE) -> set[str]:
    tokens = words(text)
    return {
        hashlib.sha256(" ".join(tokens[i : i + size]).encode()).hexdigest()[:16] for i in range(len(tokens) - size + 1)
    }
