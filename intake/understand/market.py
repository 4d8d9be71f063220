"""What a message says about the market, for the managers' digest: which competitors and
product lines it names, whether it compares prices, and whether it asks for something not
in the range. Each is a small detector over the sentences of the newly written text, so
quoted history is not counted again, and each finding keeps the sentence it came from.

Competitors and product lines are the site's own (``lists: competitors`` and ``products``
in rules.yaml), matched the way rules match: case and accents folded, and each word also
by its stem in the message's language. The phrases for price comparisons and requests for
new things are how dealers put them in the twelve languages, written as plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from intake.understand.rules.words import fold, forms, language_of, plain

try:
    import ahocorasick
except ImportError:  # pragma: no cover - the substring tests give the same answer
    ahocorasick = None

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n\s*\n|\n(?=\s*[-*•])")
MAX_SENTENCE = 300

# A dealer saying someone else is cheaper, or asking us to match a price.
PRICE_COMPARISON = [
    "cheaper", "better price", "lower price", "beat the price", "price match", "match the price", "undercut",
    "günstiger", "billiger", "besseren preis", "besseres angebot", "niedrigeren preis",
    "moins cher", "meilleur prix", "prix plus bas", "moins chère",
    "más barato", "mas barato", "mejor precio", "precio más bajo",
    "più economico", "piu economico", "prezzo migliore", "prezzo più basso",
    "goedkoper", "betere prijs", "lagere prijs",
    "taniej", "tańszy", "tańsza", "lepsza cena", "niższa cena", "lepszą cenę",
    "billigare", "bättre pris", "lägre pris",
    "billigere", "bedre pris", "lavere pris",
    "mais barato", "melhor preço", "preço mais baixo",
    "levnější", "levnejsi", "lepší cena", "nižší cena", "lepší cenu",
]

# A dealer asking for something we may not make: an opening for a new product or option.
OPPORTUNITY = [
    "do you do", "do you make", "do you offer", "do you supply", "do you have a", "do you sell",
    "is it possible to", "would it be possible", "any plans", "are you planning", "would you consider",
    "can you make", "could you make",
    "bieten sie auch", "gibt es auch", "ist es möglich", "wäre es möglich", "planen sie", "haben sie auch",
    "proposez-vous", "est-il possible", "serait-il possible", "avez-vous prévu", "faites-vous",
    "ofrecen", "es posible", "sería posible", "tienen previsto", "fabrican",
    "offrite", "è possibile", "sarebbe possibile", "avete in programma", "producete",
    "bieden jullie", "is het mogelijk", "zou het mogelijk", "maken jullie", "zijn er plannen",
    "czy oferujecie", "czy jest możliwe", "czy byłoby możliwe", "czy planujecie", "czy produkujecie",
    "erbjuder ni", "är det möjligt", "skulle det vara möjligt", "planerar ni", "tillverkar ni",
    "tilbyder i", "er det muligt", "ville det være muligt", "planlægger i", "laver i",
    "tilbyr dere", "er det mulig", "ville det være mulig", "planlegger dere", "lager dere",
    "vocês oferecem", "é possível", "seria possível", "têm planos", "fabricam",
    "nabízíte", "je možné", "bylo by možné", "plánujete", "vyrábíte",
]


@dataclass(frozen=True)
class Mention:
    kind: str  # competitor, product, price_comparison, opportunity
    name: str  # the list entry, or the phrase that was found
    sentence: str


def sentences(text: str) -> list[str]:
    out = []
    for s in _SENTENCE.split(text):
        s = " ".join(s.split())
        if len(s) >= 3:
            out.append(s if len(s) <= MAX_SENTENCE else s[: MAX_SENTENCE - 1] + "…")
    return out


def _plain_phrases(phrases: list[str]) -> list[tuple[str, str]]:
    return [(p, plain(p)) for p in phrases]


_PRICE = _plain_phrases(PRICE_COMPARISON)
_OPPORTUNITY = _plain_phrases(OPPORTUNITY)


@lru_cache(maxsize=1)
def _phrase_finder():
    """One automaton of every price-comparison and opportunity phrase: most messages have
    none, and one pass says so where a hundred substring tests would."""
    if ahocorasick is None:
        return None
    automaton = ahocorasick.Automaton()
    for _, as_plain in (*_PRICE, *_OPPORTUNITY):
        automaton.add_word(as_plain, as_plain)
    automaton.make_automaton()
    return automaton


def market_facts(text: str, lang: str, *, competitors: tuple[str, ...] = (),
                 products: tuple[str, ...] = (), text_forms: tuple[str, str] | None = None) -> list[Mention]:
    """Every mention in ``text`` (the newly written part of a message), sentence by sentence;
    each name at most once per message. ``text_forms``: ``forms(text, lang)`` when the
    caller has them already (the parser works them out for the rules)."""
    lang = language_of(lang)
    stemmed, plain_words = text_forms or forms(text, lang)
    # Only what the whole text names is looked for sentence by sentence, and only in the
    # sentences whose folded letters could hold it: stemming every sentence again cost more
    # than all the rest of this.
    watched = [w for w in _watched(competitors, products, lang)
               if w[2] in plain_words or (len(w[3]) > 4 and w[3] in stemmed)]
    said = _phrases_in(plain_words)
    price = [p for p in _PRICE if p[1] in said]
    opportunity = [p for p in _OPPORTUNITY if p[1] in said]
    if not (watched or price or opportunity):
        return []  # nothing anywhere in the text: most messages, and no sentence to look at
    needles = [n for w in watched for n in _needles(w[2], w[3])] + [p[1].split()[0] for p in (*price, *opportunity)]
    found: list[Mention] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, name: str, sentence: str) -> None:
        if (kind, name) not in seen:
            seen.add((kind, name))
            found.append(Mention(kind, name, sentence))

    for sentence in sentences(text):
        folded = fold(sentence)
        if not any(n in folded for n in needles):
            continue
        stemmed, plain_words = forms(sentence, lang)
        for kind, name, as_plain, as_stem in watched:
            if as_plain in plain_words or (len(as_stem) > 4 and as_stem in stemmed):
                add(kind, name, sentence)
        for phrase, as_plain in price:
            if as_plain in plain_words:
                add("price_comparison", phrase, sentence)
                break
        for phrase, as_plain in opportunity:
            if as_plain in plain_words:
                add("opportunity", phrase, sentence)
                break
    return found


def _needles(as_plain: str, as_stem: str) -> tuple[str, ...]:
    """What a sentence's folded text holds when it names an entry: the first of its plain
    words, or the start of its stem (stemming may change a word's end: "compani")."""
    first = as_plain.split()[0] if as_plain.split() else as_plain
    stem = as_stem.split()[0] if len(as_stem.strip()) > 4 else ""
    return (first, stem[: max(3, len(stem) - 2)]) if stem else (first,)


@lru_cache(maxsize=64)
def _watched(competitors: tuple[str, ...], products: tuple[str, ...], lang: str
             ) -> tuple[tuple[str, str, str, str], ...]:
    """Each listed name as (kind, name, plain form, stem form): the same for every message."""
    return (tuple(("competitor", name, plain(name), forms(name, lang)[0]) for name in competitors)
            + tuple(("product", name, plain(name), forms(name, lang)[0]) for name in products))


def _phrases_in(plain_words: str) -> set[str]:
    """The price-comparison and opportunity phrases (plain forms) found in a text."""
    finder = _phrase_finder()
    if finder is not None:
        return {found for _end, found in finder.iter(plain_words)}
    return {p for _, p in (*_PRICE, *_OPPORTUNITY) if p in plain_words}
