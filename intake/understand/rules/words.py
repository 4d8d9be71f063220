"""Words as rules compare them: stemmed in the message's language, then case and accents folded.

A coordinator writes `bestellen` in rules.yaml and means every form of the word a dealer
might use: "Bestellung", "bestellt", "Ersatzteilbestellung". So keywords and message text
go through the same steps before they are compared:

1. split into words (letters and digits; everything else separates words);
2. each word stemmed with the Snowball stemmer of the message's language (PyStemmer: the
   C build of the Snowball algorithms, all twelve dealer languages, no word lists to load,
   so a worker holds nothing but a few small stemmer objects);
3. the stem case-folded and its accents removed, so "zamowienie" written on a keyboard
   without Polish letters meets "zamówienie".

A keyword is stemmed with the same stemmer as the text it is compared with, so an English
phrase in a message detected as German still meets the English keyword: both sides went
through the German stemmer. The stemmer is chosen by the language of the message; a text
too short to tell is stemmed as English.

Stemming gives no single form for every inflection ("commande" → "command", "commandons"
→ "commandon"), so a keyword of five letters or more also matches a longer word that starts
with it. In languages that build compounds (German, Dutch and the Scandinavian languages),
such a keyword also matches the end of a word: `anfrage` finds "Preisanfrage".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import Stemmer

STEMMERS = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian", "nl": "dutch",
    "pl": "polish", "sv": "swedish", "da": "danish", "no": "norwegian", "pt": "portuguese", "cs": "czech",
}
DEFAULT_LANGUAGE = "en"
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no"})
# Words each stemmer remembers: enough for a trade's vocabulary; more only holds the order
# numbers and names of mail long gone, in every worker.
STEM_CACHE = 4000
# Shortest stem that may match the start (or, in compounding languages, the end) of a longer word.
MIN_PARTIAL = 5

_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th",
                       "ß": "ss"})
_MARKS = re.compile(r"[\u0300-\u036f]+")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case and accents folded away; letters that NFKD does not split are mapped by hand."""
    text = text.casefold().translate(_FOLD)
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return text


def language_of(lang: str) -> str:
    """The stemmer language for a detected language code ("nb"/"nn" are Norwegian)."""
    lang = (lang or "").lower()[:2]
    if lang in ("nb", "nn"):
        return "no"
    return lang if lang in STEMMERS else DEFAULT_LANGUAGE


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS[lang], STEM_CACHE)


# English contractions, spelt out, so that "haven't arrived" is "have not arrived" as a
# rule writes it. Each keeps its count of words ("haven" "t" -> "have" "not"), so word n of
# a text is word n however it was written.
_CONTRACTED = re.compile(r"(\b(?:ca|wo|sha|ai))?n['’]t\b")
_SPELT_OUT = {"ca": "can not", "wo": "will not", "sha": "shall not", "ai": "is not"}
# "we're going to need", "we'll take", "I'd like": the verb after a pronoun. "'s" is left
# alone: it is "is", "has" or whose.
_CONTRACTED_VERB = re.compile(r"(?<=[a-z])['’](re|ll|ve|m|d)\b")
_VERB = {"re": " are", "ll": " will", "ve": " have", "m": " am", "d": " would"}


# Mail as typed in a hurry, one word for one word: "can u resend invoce 66300, we never
# recieved it", "tjs rien reçu pour la cde", "q precio tiene", "qto custa". Misspellings and
# texting shorthand that are no word of any dealer language, and "u", which is (Dutch "u",
# Polish and Czech "u"): keywords are read through the same table, so a Polish "u klienta"
# still meets the Polish keyword it is.
_TYPED = {
    "u": "you", "ur": "your", "thx": "thanks", "thanx": "thanks", "plz": "please", "wot": "what", "wots": "what",
    "qoute": "quote", "qoutes": "quotes", "qouted": "quoted", "qoutation": "quotation", "quoatation": "quotation",
    "quotaion": "quotation", "recieved": "received", "recieve": "receive", "recived": "received",
    "recieving": "receiving", "invoce": "invoice", "invoive": "invoice", "invioce": "invoice",
    "delivary": "delivery", "delievery": "delivery", "deliverey": "delivery", "deliverd": "delivered",
    "orderd": "ordered", "ordred": "ordered", "ahed": "ahead", "catalouge": "catalogue",
    "catalouges": "catalogues", "catologue": "catalogue", "brouchure": "brochure", "broshure": "brochure",
    "brouchures": "brochures", "swatchs": "swatches", "damged": "damaged", "damadged": "damaged",
    "scrached": "scratched", "scratced": "scratched", "replacment": "replacement", "replacments": "replacements",
    "tommorow": "tomorrow", "tomorow": "tomorrow", "availble": "available", "availabilty": "availability",
    "aproval": "approval", "aproved": "approved", "cancell": "cancel", "recieipt": "receipt",
    "r": "are", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow", "guarentee": "guarantee",
    "gaurantee": "guarantee", "leakin": "leaking", "b4": "before", "yday": "yesterday",
    "cb": "combien", "tjs": "toujours", "cde": "commande", "cdes": "commandes", "qd": "quand", "bjr": "bonjour",
    "q": "qué", "xq": "porque", "tb": "también", "qto": "quanto", "qdo": "quando", "obg": "obrigado",
    "grz": "grazie", "cmq": "comunque", "eig": "eigentlich",
}


def _spelt_out(text: str) -> str:
    if "'" in text or "’" in text:
        text = _CONTRACTED.sub(lambda m: _SPELT_OUT[m.group(1)] if m.group(1) else " not", text)
        text = _CONTRACTED_VERB.sub(lambda m: _VERB[m.group(1)], text)
    return text


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, accents kept (the stemmers need them)."""
    found = _WORD.findall(_spelt_out(text.casefold()))
    if not _TYPED.keys().isdisjoint(found):
        found = [_TYPED.get(w, w) for w in found]
    return found


def stems(text: str, lang: str) -> list[str]:
    """Each word of ``text`` as its folded stem in ``lang`` (a code from STEMMERS)."""
    found = words(text)
    if not found:
        return []
    stemmed = _stemmer(lang).stemWords(found)
    return [s if s.isascii() else fold(s) for s in stemmed]


def normalise(text: str, lang: str) -> str:
    """The text as rules search it: folded stems separated by single spaces, padded: ' a b '."""
    return " " + " ".join(stems(text, lang)) + " "


def forms(text: str, lang: str) -> tuple[str, str]:
    """(stemmed, plain) forms of a text, padded, from one split into words; word n of
    one is word n of the other."""
    found = words(text)
    if not found:
        return " ", " "
    stemmed = _stemmer(lang).stemWords(found)
    return (" " + " ".join(s if s.isascii() else fold(s) for s in stemmed) + " ",
            " " + " ".join(w if w.isascii() else fold(w) for w in found) + " ")


# A sentence ends at a full stop, question or exclamation mark followed by a space or the
# end of the text; not at a line break or a colon, so "please send: (list)" stays one
# sentence with its list, and "1.5" one number.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


def sentence_numbers(text: str) -> list[int]:
    """For word n of ``text`` (as ``words`` splits it), the number of its sentence."""
    # As ``words`` splits it: case folding may split a word. Spelling out a contraction or a
    # misspelling keeps the count of words, so it is not needed here.
    # A sentence end is followed by a space, so no word runs across one: the words of
    # each stretch between two ends are counted whole.
    text = text.casefold()
    out: list[int] = []
    start = sentence = 0
    for m in _SENTENCE_END.finditer(text):
        out += [sentence] * len(_WORD.findall(text, start, m.end()))
        start, sentence = m.end(), sentence + 1
    out += [sentence] * len(_WORD.findall(text, start))
    return out


def question_sentences(text: str) -> frozenset[int]:
    """The numbers (as ``sentence_numbers`` counts them) of the sentences that end in a question mark."""
    return frozenset(i for i, m in enumerate(_SENTENCE_END.finditer(text)) if "?" in m.group())


def plain(text: str) -> str:
    """Folded words without stemming, padded: the language-independent form of a keyword."""
    return " " + " ".join(fold(w) for w in words(text)) + " "
