"""Order lines: the rows of goods a dealer lists when ordering or asking a price.

"6 x Wear lockers, RAL 9006", "- 8 bureaux Ouse OHA-1400", a pasted spreadsheet with a
quantity column, an ERP purchase order's rows, "Quantità: 6 - Articolo: ...". A line of
goods is strong evidence of an order whatever words surround it; rules read it as
``detect: [order_lines]``. Counts of days, sizes and money are not goods.
"""

from __future__ import annotations

import re

from intake.understand.quantities import TIME_AND_SIZE

_COUNTS_TIME_OR_SIZE = re.compile(rf"{TIME_AND_SIZE}\b", re.IGNORECASE)
_UNITS = (r"x|×|pcs?\.?|pieces?|units?|no\.?|nos|off|ea|stk\.?|stuck|st\.?|stuks?|szt\.?|sztuk[ia]?|ks|kusu|"
          r"uds?\.?|unidades|unid\.?|pz\.?|pezzi|pcs|pieces|pièces|pces|u\.|un\.?|unidades|stykker|styck")
_BULLET = r"(?:[-*•·–>]|\d{1,2}[.)]\s)?"
# "6 x Wear lockers", "- 8 bureaux Ouse OHA-1400", "12 pcs SC-1000", "Pos. 2: 4 Stk ..."
_LINE_QTY_UNIT = re.compile(rf"^[ \t]*{_BULLET}[ \t]*(?:pos\.?\s*\d+[:.]?\s*)?(\d{{1,4}})\s*(?:{_UNITS})\s+\S", re.I | re.M)
# The unit or label before the count, as a trade counter writes it: "qty 6 - HNG-75 hinges",
# "x4 FD30 intumescent strip".
_LINE_UNIT_FIRST = re.compile(rf"^[ \t]*{_BULLET}[ \t]*(?:q\.?ty|qt[ée]|x|×)[ \t]*[:.]?[ \t]*(\d{{1,4}})(?![\d.,])"
                              r"[ \t]*(?:[-–:][ \t]*)?(?=[^\W_])(.+)$", re.I | re.M)
_INLINE_QTY_X = re.compile(r"(?<![\w.,])(\d{1,4})\s?[x×]\s+(?=[^\W\d])", re.I)
# A count as a threshold, not goods: "free embroidery on orders over 50 pieces", "ab 100 Stück",
# "à partir de 20 pièces", "more than 30 units".
_THRESHOLD_BEFORE = re.compile(r"(?<![^\W\d_])(?:over|above|more than|at least|min\.?|minimum|from|up to|under|below|"
                               r"less than|ab|über|mehr als|plus de|à partir de|dès|más de|a partir de|oltre|più di|"
                               r"vanaf|meer dan|powyżej|över|acima de|mais de)[ \t]*$", re.I)
# Counting units that only ever follow a quantity: "24 stk. Wear WL-4D", "6 pcs SC-1000".
_INLINE_QTY_UNIT = re.compile(r"(?<![\w.,])(\d{1,4})\s?(?:pcs|pces|stk|stck|stück|szt|ks|uds|unid|pz|pezzi|"
                              r"stuks|st\.?|units|pieces|pièces|unidades|sztuk[ia]?|kusů|kusy)\.?\s+(?=[^\W\d])", re.I)
# The count after the goods, at the end of the line, as export dealers write an order:
# "Executive chair Aston, black leather - 24 nos", "Meeting table 2400x1200: 2 pcs".
_TRAILING_QTY_UNIT = re.compile(r"^(?=[^\n]*?[^\W\d_])[^\n]*[-–:=][ \t]*(\d{1,5})[ \t]*(?:nos|pcs|pces|pieces|units|"
                                r"sets|stk|stück|szt|ks|uds|unid|un|pz|pezzi|stuks|st)\.?[ \t]*$", re.I | re.M)
# The same without a unit, in a list of two or more lines one under the other: "Vista 55 1200
# white - 6" / "End caps - 20", "Embouts : 20". One such line alone may be anything.
# Searched from the dash or colon, not from the start of each line: a pattern that starts
# by reading the whole line back and forth costs fifty microseconds a message.
_TRAILING_COUNT = re.compile(r"[ \t][-–:][ \t]*([1-9]\d{0,3})[ \t]*$", re.M)
# A code then its count: "KP-40 x6, SK-2 x12".
_CODE_X_COUNT = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{0,4}-?\d+[A-Z0-9-]*[ \t]?[x×][ \t]?(\d{1,4})(?![\w])")
_LINE_QTY = re.compile(rf"^[ \t]*{_BULLET}[ \t]*(\d{{1,4}})[ \t]+(?=[^\W\d])(.+)$", re.M)
# A product code or a size/finish on the line: "OHA-1400", "SC1000", "1600x800", "RAL 9006".
_CODE = re.compile(r"(?<![\w])(?:[A-Z]{1,5}-?\d{2,}[A-Z0-9-]*|\d{3,4}\s?[x×]\s?\d{3,4}|RAL\s?\d{4}|L\d{3,4})(?![\w])")
# A line of a specification: a label, then counts of sizes ("Unterschränke: 3 x 60, 2 x 40",
# "worktop: 2 x 3m oak").
_SPEC_LINE = re.compile(r"^[ \t]*[^\W\d_][^:\n]{0,40}:[ \t]*(\d{1,3})[ \t]?[x×][ \t]?\d{1,4}(?!\d)", re.M)
# A row of a purchase order as ERP systems print it: (position,) product code, description,
# quantity and unit, perhaps prices after: "10   KP-40   Tête de pompe   20   U   112,00".
_TABLE_ROW = re.compile(
    r"^[ \t]*(?:\d{1,4}[ \t]+)?(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{1,20}[ \t]+"
    r"[^\n]*?[^\W\d_]{2,}[^\n]*?[ \t](\d{1,5})[ \t]+"
    r"(?i:st|stk|stck|pcs?|ea|pz|uds?|u|un|ks|szt|units?|each|kpl|set|pce)\.?(?![^\W\d_])", re.M)

# A size run, as clothing and footwear are ordered: counts against three or more sizes on a
# line ("S 10, M 35, L 40, XL 25", "XS: 4 / S: 12 / M: 20").
_SIZE_COUNT = r"(?<![\w-])(?:[2-5]?X{0,3}[SL]|M)[ \t]*[:=-]?[ \t]*\d{1,4}(?![\w.,]\d)"
_SIZE_RUN = re.compile(rf"{_SIZE_COUNT}(?:[ \t]*[,;/|][ \t]*{_SIZE_COUNT}){{2,}}")


# The header of a table with a quantity column, as ERP systems and spreadsheets print a
# purchase order ("Item  Description  Qty", "Artikel | Omschrijving | Aantal").
_QTY_COLUMN = re.compile(
    r"^(?=[^\n]*(?:\t|[ ]{2,}|\|))[^\n]*(?<![^\W_])(?:q\.?ty|quantity|quantities|menge|anzahl|quantit[ée]|q\.?t[ée]|q\.?t[àa]|"
    r"cantidad|cant\.|quantit[àa]|qt[àa]|aantal|ilo[śs][ćc]|antal|antall|quantidade|qtd|mno[žz]stv[íi]|po[čc]et)"
    r"(?![^\W_])[^\n]*$", re.I | re.M)
# A row of such a table: a code or words, then a count in a column of its own; or the
# count first ("6 | AX-160-WH | Stůl Axis 160").
_COLUMN_COUNT = re.compile(r"(?:\t|[ ]{2,}|\|)[ \t]*(\d{1,5})(?:[.,]0+)?[ \t]*(?:\||\t|[ ]{2,}|$)")
_FIRST_COLUMN_COUNT = re.compile(r"^[ \t]*(\d{1,5})(?:[.,]0+)?[ \t]*(?:\||\t|[ ]{2,})(?=[^\n]*[^\W\d_])")
# A count under its label beside an article under its own, as a form or a hurried list
# writes it: "Quantità: 6 - Articolo: scrivania Axis", "Artikel: Axis\nMenge: 6", "Artikel: Axis,
# aantal 6". A form's "Quantity: 25" of brochures names no article.
_LABELLED_COUNT = re.compile(
    r"(?<![^\W_])(?:q\.?ty|quantity|menge|anzahl|quantit[ée]|q\.?t[ée]|cantidad|quantit[àa]|q\.?t[àa]|aantal|"
    r"ilo[śs][ćc]|antal|antall|quantidade|qtd|mno[žz]stv[íi]|po[čc]et)\.?(?:[ \t]*[:=][ \t]*|[ \t]+)(\d{1,5})(?!\d|[.,]\d)", re.I)
_ARTICLE_LABEL = re.compile(
    r"(?<![^\W_])(?:item|article|art\.|artikel|articolo|art[íi]culo|artigo|product|produkt|producto|prodotto|"
    r"produit|code|code article|kod|kód|ref\.?|r[ée]f\.?|referencia|varenr|artikelnr|model|modell|modelo|"
    r"description|d[ée]signation|descrizione|descripci[óo]n|omschrijving|beskrivelse|beskrivning|nazwa|"
    r"towar|popis|zbo[žz][íi])(?:[ \t]*[:=]|[ \t]+(?=[A-Z0-9-]*\d)(?-i:[A-Z0-9][A-Z0-9-]{2,})(?![\w-]))", re.I)


def _table_rows(text: str) -> list[str]:
    """The rows under a header with a quantity column, up to the first blank line."""
    found = []
    for header in _QTY_COLUMN.finditer(text):
        for line in text[header.end():].lstrip("\n").split("\n")[:200]:
            if not line.strip() or set(line.strip()) <= set("-=_|+ "):
                if found:
                    break
                continue
            count = _COLUMN_COUNT.search(line)
            last = count and int(count.group(1)) > 0 and any(c.isalpha() for c in line[:count.start()])
            first = _FIRST_COLUMN_COUNT.match(line)
            if last or (first and int(first.group(1)) > 0):
                found.append(line.strip())
    return found


def order_lines(text: str) -> list[str]:
    """Lines that read like an order line: a quantity with a unit, or with a product code."""
    found: list[str] = []
    if "\n" in text and ("  " in text or "\t" in text or "|" in text):  # columns, or no table
        found.extend(line for line in _table_rows(text) if line not in found)
    for m in _LINE_QTY_UNIT.finditer(text):
        found.append(_line_at(text, m.start()))
    inline = [m for m in (*_INLINE_QTY_X.finditer(text), *_INLINE_QTY_UNIT.finditer(text))
              if not _THRESHOLD_BEFORE.search(text, max(0, m.start() - 16), m.start())]
    for m in (*inline, *_TABLE_ROW.finditer(text),
              *_SPEC_LINE.finditer(text), *_TRAILING_QTY_UNIT.finditer(text), *_labelled_counts(text),
              *_CODE_X_COUNT.finditer(text)):
        line = _line_at(text, m.start())
        if line not in found:
            found.append(line)
    for m in _SIZE_RUN.finditer(text):
        if (line := _line_at(text, m.start())) not in found:
            found.append(line)
    for m in _LINE_UNIT_FIRST.finditer(text):
        line = _line_at(text, m.start())
        if int(m.group(1)) > 0 and not _COUNTS_TIME_OR_SIZE.match(m.group(2)) and line not in found:
            found.append(line)
    trailing = [m for m in _TRAILING_COUNT.finditer(text)
                if any(c.isalpha() for c in text[text.rfind("\n", 0, m.start()) + 1:m.start()])]
    for i, m in enumerate(trailing):
        line = _line_at(text, m.start())
        if line not in found and any(0 <= j < len(trailing) and _adjacent(text, *sorted((m.start(), trailing[j].start())))
                                     for j in (i - 1, i + 1)):
            found.append(line)
    counted = [m for m in _LINE_QTY.finditer(text)
               if int(m.group(1)) > 0 and not _COUNTS_TIME_OR_SIZE.match(m.group(2))]
    for i, m in enumerate(counted):
        line = _line_at(text, m.start())
        # A code or size says "product"; so does a list: two counted lines one under the
        # other ("- 30 cajas de azulejo blanco" / "- 10 sacos de cemento cola").
        in_list = any(0 <= j < len(counted) and _adjacent(text, *sorted((m.start(), counted[j].start())))
                      for j in (i - 1, i + 1))
        if line not in found and (_CODE.search(m.group(2)) or in_list):
            found.append(line)
    return found


def item_count(lines: list[str]) -> int:
    """Items on the order lines: one line may list several, one after another ("4 x jockey
    wheels 48mm, 2 x lighting boards, 6 x ratchet straps"), as a hurried order does."""
    return sum(max(1, len(_INLINE_QTY_X.findall(line))) for line in lines)


def _labelled_counts(text: str) -> list[re.Match]:
    """Labelled counts with an article labelled on their line or the line above."""
    found = []
    for m in _LABELLED_COUNT.finditer(text):
        if int(m.group(1)) == 0:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        above_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        end = text.find("\n", m.end())
        if _ARTICLE_LABEL.search(text, above_start, end if end >= 0 else len(text)):
            found.append(m)
    return found


def _adjacent(text: str, first: int, second: int) -> bool:
    """Whether the lines at two positions follow each other (no line between them)."""
    return text.count("\n", first, second) == 1


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)].strip()
