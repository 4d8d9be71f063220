"""Where the files that ship with intake live: default rules, templates, sample mail.

In a source checkout they are at the top of the repository (``rules.yaml``,
``templates/``, ``samples/``); an installed wheel carries copies in ``intake/defaults/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def default_file(name: str) -> Path:
    for base in (_PACKAGE / "defaults", _PACKAGE.parent):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"packaged file {name!r} is missing from this installation")
