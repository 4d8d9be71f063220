"""Stage 2, step 3: guess the language a dealer wrote in.

The guess picks the receipt template and lets rules test ``language``. py3langid ships its
model inside the package, so nothing is downloaded at run time. The guess is restricted to
the languages dealers are known to write in; a text too short to judge gets "".
"""

from __future__ import annotations

import re
import threading

LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "pt", "sv", "da", "no", "cs"]
MIN_LETTERS = 12
MAX_CHARS = 600

_LETTERS = re.compile(r"[^\W\d_]")
_identifier = None
_lock = threading.Lock()


def _get_identifier():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                ident = LanguageIdentifier.from_model_file(MODEL_FILE)
                ident.set_languages(LANGUAGES)
                _identifier = ident
    return _identifier


def guess_language(text: str) -> str:
    sample = text[:MAX_CHARS]
    if len(_LETTERS.findall(sample[:200])) < MIN_LETTERS:
        return ""
    lang, _score = _get_identifier().classify(sample)
    return lang
