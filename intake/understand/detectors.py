"""Structure as evidence: what a message's shape says, whatever words surround it.

A dealer who places an order lists lines ("6 x Wear lockers, RAL 9006") and gives a purchase-order
number; one who chases a delivery gives a tracking or container number; one who reports a fault gives
a claim number. Each detector here is a small pure function over text (or attachment names) that
returns what it found, so rules can use it as a condition (``detect: [order_lines]``), the case can
show it, and a coordinator can search by it. Labels are matched on the folded text (case and accents
ignored), in the twelve dealer languages. The rows of goods themselves are found by ``order_lines``,
counts of goods by ``quantities``, the order, quote, claim and tracking numbers by ``references``.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- dates asked for
# Month names (and the usual abbreviations) in the dealer languages.
MONTHS = (
    r"(?:października|septiembre|diciembre|fevereiro|listopada|listopadu|noviembre|september|septembre|settembre|augustus|december|"
    r"desember|dezember|dezembro|dicembre|décembre|febbraio|februari|february|kwietnia|november|novembre|novembro|prosince|setembro|"
    r"sierpnia|stycznia|września|července|augusti|czerwca|febrero|februar|février|gennaio|grudnia|janeiro|januari|january|janvier|"
    r"juillet|october|octobre|octubre|oktober|ottobre|outubro|agosto|aprile|august|března|giugno|januar|května|luglio|lutego|maggio|"
    r"června|abril|april|avril|dubna|enero|julho|julio|junho|junio|ledna|lipca|maart|marca|march|marts|marzo|março|srpna|února|října|"
    r"août|juin|juli|july|june|juni|maio|maja|mars|mayo|märz|sept|září|apr|aug|dec|dez|feb|jan|jul|jun|mai|maj|mar|may|mei|nov|oct|"
    r"okt|sep)\b"
)
_DATES = re.compile(
    r"(?<![\w.])(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}\.?(?![\d.]))(?![\w])"
    rf"|(?<![\w])\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:of\s+|de\s+|di\s+)?{MONTHS}\.?(?:\s+\d{{4}})?"
    r"|(?<![\w])(?:week|wk|kw|kalenderwoche|semaine|sem\.?|semana|settimana|week|tydzień|vecka|v\.|uge|uke|"
    r"týden)\s*\d{1,2}(?![\w])",
    re.IGNORECASE)


# An amount of money: a currency sign or code before or after the number ("£180",
# "180 €", "EUR 1.250,00", "4 500 kr", "1200 zł", "3 900 Kč"); "2 euro pallets" are pallets.
_CURRENCY = r"(?:[£$€]|eur|euro|euros|gbp|usd|chf|sek|nok|dkk|pln|czk|kr|zł|zl|kč|kc)"
_AMOUNT = r"\d{1,3}(?:[ .,'’]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MONEY = re.compile(rf"(?<![\w])(?:{_CURRENCY}\.?\s?(?:{_AMOUNT})(?![\d])|(?:{_AMOUNT})\s?{_CURRENCY}(?![\w])(?!\s?-?pal))",
                    re.IGNORECASE)


# What any amount of money holds, as plain text: most messages name none, and testing for
# these costs a tenth of looking for an amount.
_MONEY_HINTS = ("£", "$", "€", "eur", "gbp", "usd", "chf", "sek", "nok", "dkk", "pln", "czk", "kr", "zł", "zl", "kč", "kc")


def money(text: str) -> list[str]:
    """Amounts of money named in the text: a price quoted, offered or checked."""
    folded = text.casefold()
    if not any(hint in folded for hint in _MONEY_HINTS):
        return []
    return [m.group(0).strip() for m in _MONEY.finditer(text)]


# Goods given by their size: "2400 x 2125", "140 x 200 cm", "60x60x2", a small size written
# tight ("10x8 summerhouse", "8x6 shed": with spaces, "3 x 4" counts), in metres with their
# unit, "4,5 x 3,0 m", "4.0m x 3.0m", and one width in metres ("the 4m Solent", "Markise 4,5 m").
_SIDE = r"\d{1,4}(?:[.,]\d{1,2})?"
_DIMENSIONS = re.compile(
    r"(?<![\w.,£$€])(?:\d{2,4}(?:\s*[x×]\s*\d{2,4}){1,2}(?:\s?(?:mm|cm|m)\b)?(?![\w.,]\d)"
    r"|\d{1,4}[x×]\d{1,4}(?:[x×]\d{1,4})?(?:\s?(?:mm|cm|m|ft)\b|')?(?![\w.,]?\d)"
    rf"|{_SIDE}\s?(?:mm|cm|m)?\s*[x×]\s*{_SIDE}\s?(?:mm|cm|m)\b"
    r"|\d{1,2}(?:[.,]\d{1,2})?\s?m(?![\w²]))", re.IGNORECASE)


def dimensions(text: str) -> list[str]:
    """Sizes written width by height ("a sectional door 2400 x 2125"): goods specified for
    making, as one is ordered without a count ("merci de nous livrer une porte 2400 x 2000")."""
    return [m.group(0) for m in _DIMENSIONS.finditer(text)]


def dates(text: str) -> list[str]:
    """Dates and delivery weeks written in the text ("by 12.12.2026", "3rd December",
    "KW 48", "semaine 48", "uge 48"): what a dealer asks for or refers to."""
    return [m.group(0).strip() for m in _DATES.finditer(text)]


# Part of a count: "4 of the 6", "4 von 6", "4 chaises sur 6", "4 de las 6", "4 z 6".
_PART_OF = re.compile(
    r"(?<![\w.,])(\d{1,4})\s+(?:[^\W\d_]+\s+){0,2}?"
    r"(?:out of|of the|of|von|sur|de las|de los|de|su|van de|van|ze|z|av|af|das|dos)\s+(\d{1,4})(?!\w|[.,]\d)",
    re.IGNORECASE)


def part_counts(text: str) -> list[str]:
    """"4 of 6" and its kin, the first fewer: what came against what should have ("only 4 of the 6 came")."""
    return [m.group(0) for m in _PART_OF.finditer(text) if int(m.group(1)) < int(m.group(2))]
