"""Which cases a person asked for: the same filter for every way of reading them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseFilter:
    open_only: bool = False
    overdue: bool = False
    category: str | None = None
    review: bool = False  # only open cases the rules were unsure of, the oldest first
    reference_key: str | None = None  # a number the dealer gave, as ``references.search_key`` forms it
    limit: int = 200
