"""Attachments as evidence: a PDF named like a purchase order, a drawing sent for approval.

A dealer's ERP sends its order as "PO 55123.pdf" or "Bestellung_2026-1184.pdf" under a
one-line covering note, and an approved drawing comes back as "layout rev B signed.pdf":
the file's name says what the mail is when its words do not. Names are matched folded
(case and accents ignored), in the twelve dealer languages.
"""

from __future__ import annotations

import re

from intake.understand.rules.words import fold

_PO_FILE = re.compile(
    r"(?<![a-z])(po|p\.o|purchase[ _-]?order|order|bestellung|bestell|auftrag|bc|bdc|bon[ _-]de[ _-]commande|commande|"
    r"pedido|oc|orden[ _-]de[ _-]compra|ordem[ _-]de[ _-]compra|ordine|bestelling|bestelbon|inkooporder|zamowienie|"
    r"bestallning|ordre|bestilling|encomenda|objednavka)(?![a-z])", re.I)
_DRAWING_FILE = re.compile(
    r"(\.(dwg|dxf|dwf|rvt|skp|step|stp|ifc)$|(?<![a-z])(drawing|dwg|drw|layout|plan|zeichnung|dessin|plano|disegno|"
    r"tekening|rysunek|ritning|tegning|desenho|vykres|approval|freigabe|aprobacion|approvazione|goedkeuring|"
    r"akceptacja|zatwierdzenie|godkannande|godkendelse|godkjenning|aprovacao|schvaleni)(?![a-z]))", re.I)
_DOCUMENT_TYPES = ("application/pdf", "application/vnd.ms-excel", "application/vnd.openxmlformats", "text/csv")


def po_attachment(names_and_types: list[tuple[str, str]]) -> list[str]:
    """Attachments named like a purchase order (PDF, spreadsheet or CSV)."""
    return [name for name, ctype in names_and_types
            if _PO_FILE.search(fold(name)) and (ctype.startswith(_DOCUMENT_TYPES)
                                                 or name.lower().endswith((".pdf", ".xls", ".xlsx", ".csv")))]


def drawing_attachment(names_and_types: list[tuple[str, str]]) -> list[str]:
    """Attachments that are drawings: CAD files, or PDFs named as a drawing or layout."""
    return [name for name, _ctype in names_and_types if _DRAWING_FILE.search(fold(name))]
