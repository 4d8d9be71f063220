"""The numbers a dealer gives: purchase and sales orders, quotes, claims, invoices, tracking
and containers, each found by its label in the twelve dealer languages or by its shape.
A coordinator finds mail by them (``search_key``), and rules read them as detectors.
"""

from __future__ import annotations

import re

import re2

from intake.message import Reference
from intake.understand.rules.words import fold


def search_key(value: str) -> str:
    """The form references are stored and searched by: letters and digits only, upper case,
    and without a leading letter prefix ("SO 12345", "so-12345" and "12345" are one key),
    because dealers write the same number with and without its label."""
    key = re.sub(r"[^0-9A-Z]", "", fold(value).upper())
    bare = key.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return bare if bare[:1].isdigit() else key


# A reference token: letters, digits and separators, with at least one digit; digit groups
# written apart ("QT 2026 118") belong to it when they have three digits or more.
_TOKEN = (r"(?P<ref>(?:(?!(?:of|on|in|at|to|for|the|and|von|vom|der|die|das|und|du|de|des|le|la|et|del|di|da|"
          r"van|na|ze|do|av|af|fra|og|och|is|ist|est|er|ar|je)\b)[a-z]{1,4}[ -]?)?"
          r"(?=[a-z0-9/._-]*\d)[a-z0-9][a-z0-9/._-]{1,30}[a-z0-9](?: \d{3,}(?![.,]\d))*)")
# What may stand between a label and its number: "no.", "nr", "n°", "#", ":", "č.", "nº".
GAP = (r"(?:\s*(?:[:#=(-]|(?:is|ist|est|es|er|ar|je|jest|e|ref|n[or°º]?|num(?:ber|ero|mer)?|c)\.?(?![a-z])"
        r"|n[°º])\s*){0,3}\s*")

LABELS: dict[str, list[str]] = {
    "po": [
        r"p\.?\s?o\.?", r"purchase order", r"our order", r"order", r"order number", r"order ref(?:erence)?",
        r"bestell(?:ung|nummer|-nr)?", r"auftrag(?:snummer)?", r"bon de commande", r"commande",
        r"pedido", r"orden de compra", r"ordine(?: d.acquisto)?", r"bestel(?:ling|nummer)", r"inkooporder",
        r"zamowieni[ea]", r"nr zamowienia", r"bestallning", r"ordernummer", r"inkopsorder",
        r"ordre(?:nummer)?", r"bestilling", r"indkobsordre", r"innkjopsordre", r"encomenda",
        r"nota de encomenda", r"objednavk[aouy]", r"cislo (?:nasi )?objednavky", r"zakazk[ay]",
    ],
    "sales_order": [
        r"s\.?\s?o\.?", r"sales order", r"order confirmation", r"your order", r"auftragsbestatigung",
        r"confirmation de commande", r"orderbevestiging", r"potwierdzenie zamowienia", r"orderbekraftelse",
        r"ordrebekraeftelse", r"ordrebekreftelse", r"potvrzeni objednavky",
    ],
    "quote": [
        r"quot(?:e|ation)", r"q(?=-)", r"offer", r"proposal", r"angebot(?:snummer)?", r"offre", r"devis",
        r"oferta", r"presupuesto", r"cotizacion", r"offerta", r"preventivo", r"offerte", r"offert",
        r"tilbud(?:det)?", r"proposta", r"orcamento", r"cotacao", r"nabid(?:ka|ky|ce|ku)", r"wycen[ay]",
        r"soumission", r"offertnummer",
    ],
    "claim": [
        r"rma", r"claim", r"complaint", r"reklamation", r"reclamation", r"reclamacion", r"reclamo",
        r"reclamatie", r"reklamacj[aiey]", r"reklamasjon", r"reklamace", r"reclamacao", r"ncr",
    ],
    "invoice": [
        r"invoice", r"inv", r"credit note", r"rechnung", r"gutschrift", r"facture", r"avoir", r"factura",
        r"fattura", r"factuur", r"faktur[ay]", r"fakturu", r"nota de credito", r"dobropis",
    ],
    "tracking": [
        r"tracking", r"awb", r"consignment", r"waybill", r"sendungsnummer", r"sendungsverfolgung",
        r"suivi", r"seguimiento", r"tracciamento", r"zending", r"przesylk[ia]", r"sporing", r"sparning",
        r"zasilk[ay]", r"rastreio", r"cmr",
    ],
}

# A label ends its word, perhaps in a plural ("orders 4410 and 4411", "Bestellungen") or run
# into its number's abbreviation ("Bestellnr. 4471"); "ordered BW-60" names no order "ED BW-60".
_LABEL_END = r"(?:s|es|en|er|e)?(?:(?![a-z])|(?=n[or]\.?(?![a-z])))"
_REF_RE = {
    # Longest label first, so "offerte 7741" is not "offer" and a reference "TE 7741".
    kind: re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted(labels, key=len, reverse=True)) + r")" + _LABEL_END
                     + GAP + _TOKEN)
    for kind, labels in LABELS.items()
}
# Which kinds' labels a text names at all, found in one pass (RE2 reads them all at once):
# the label patterns above are then tried only for those kinds. Each is the kind's labels
# alone, anywhere, so it finds at least every place its full pattern could match.
_LABEL_KINDS = tuple(LABELS)
_LABEL_SET = re2.Set.SearchSet(re2.Options())
for _kind in _LABEL_KINDS:
    _LABEL_SET.Add("|".join(label.replace("(?=-)", "-") for label in LABELS[_kind]))
_LABEL_SET.Compile()
_DIGIT = re.compile(r"\d")

# Shapes that are references whatever the label: ISO 6346 containers, quote and PO codes.
_CONTAINER = re.compile(r"(?<![A-Za-z0-9])([A-Z]{3}U\s?\d{6}-?\d)(?![A-Za-z0-9])")
_SHAPED = {
    "quote": re.compile(r"(?<![a-z0-9])((?:q|qt|quo|qu|ang|of|off)-?\d{2,}(?:[-/]\d+)*)(?![a-z0-9])"),
    "po": re.compile(r"(?<![a-z0-9])((?:po|p/o)-\d{3,}(?:[-/][a-z0-9]+)*)(?![a-z0-9])"),
}
# A reference is a number, not a year or a date alone.
# Nor a measurement ("add to the order: 4.2m of upstand", "order: 900x600").
_NOT_A_REF = re.compile(r"^(?:19|20)\d\d$|^\d{1,2}[./-]\d{1,2}([./-]\d{2,4})?$|^\d{1,2}$"
                        r"|^\d+(?:[.,]\d+)?(?:mm|cm|m|m2|m3|kg|g|l|ml|kw|lfm|bm)$|^\d+(?:[.,]\d+)?x\d+(?:[.,]\d+)?(?:mm|cm|m)?$")


def references(text: str) -> list[Reference]:
    """Every labelled reference in ``text``, in order of appearance, each once."""
    folded = fold(text)
    found: list[tuple[int, Reference]] = []
    seen: set[tuple[str, str]] = set()
    taken: list[tuple[int, int]] = []  # where references already found stand

    def add(pos: int, kind: str, value: str) -> None:
        value = value.strip("._-/ ")
        end = pos + len(value)
        if _NOT_A_REF.match(value) or not any(ch.isdigit() for ch in value):
            return
        if any(a <= pos and end <= b for a, b in taken):
            return  # "7731/B" inside "PO-7731/B", found already
        key = (kind, search_key(value))
        if key not in seen:
            seen.add(key)
            taken.append((pos, end))
            found.append((pos, Reference(kind, value.upper(), search_key(value))))

    if not _DIGIT.search(folded):  # every reference has a digit
        return []
    for m in _CONTAINER.finditer(text):
        add(m.start(), "container", m.group(1).replace(" ", ""))
    for kind, pattern in _SHAPED.items():
        for m in pattern.finditer(folded):
            add(m.start(), kind, m.group(1))
    # The most generic labels ("order") last, so "sales order 123" is a sales order.
    labelled = {_LABEL_KINDS[i] for i in _LABEL_SET.Match(folded) or ()}
    for kind in ("sales_order", "quote", "claim", "invoice", "tracking", "po"):
        if kind not in labelled:
            continue
        for m in _REF_RE[kind].finditer(folded):
            add(m.start("ref"), kind, m.group("ref"))
    # A shaped quote code ("Q-26-1281") is a quote even when a PO label stands before it.
    quotes = {r.key for _, r in found if r.kind == "quote"}
    found = [(p, r) for p, r in found if r.kind == "quote" or r.key not in quotes]
    return [r for _, r in sorted(found, key=lambda pr: pr[0])]
