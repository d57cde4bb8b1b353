"""Conformance with Discord's OpenAPI description: the trimmed copy, its licence, and the checker."""

from __future__ import annotations

from functools import cache
from typing import Any

from tests.conformance.openapi import Conformance

# Emulators started by the current test; tests/e2e/conftest.py checks them when the test ends.
checked_emulators: list[Any] = []


@cache
def conformance() -> Conformance:
    """One checker for the whole run, so its counts of operations and fields cover the suite."""
    return Conformance.load()
