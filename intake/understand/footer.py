"""What a mail program, a phone or a company adds under a message: its contact block,
"Sent from my iPhone", terms and confidentiality notices. None of it is a request, yet it
names orders, prices and quotes, so it is cut from the new text before rules read it.
"""

from __future__ import annotations

import re

import re2

from intake.understand.rules.words import fold

# Legal and company boilerplate under a signature: terms of sale, confidentiality notices,
# company registration. It names orders, quotes and prices ("All orders are subject to our
# terms", "Presupuestos válidos 30 días") without asking for anything. Matched folded, with
# RE2: a long alternation of plain phrases is what it reads in one pass (eight times faster
# here than ``re``, which tries each phrase at each place).
_BOILERPLATE = re2.compile(
    r"terms and conditions|subject to our|confidential|intended (?:solely|only) for|if you have received this|"
    r"registered in (?:england|scotland|wales)|registered office|company (?:no|number|reg)|vat (?:no|reg)\b|"
    r"(?:prices|quotations|quotes) (?:quoted )?are valid|(?:please )?(?:contact|email|e-mail|write to) [\w.+-]+@[\w-]+\.|"
    r"geschaftsbedingungen|\bagb\b|vertraulich|amtsgericht|\bhrb\b|geschaftsfuhrer|ust-idnr|sitz der gesellschaft|"
    r"conditions generales|confidentiel|\bsiret\b|\brcs\b|capital de|devis valable|"
    r"condiciones generales|confidencial|registro mercantil|presupuestos validos|"
    r"condizioni generali|riservat|partita iva|p\.\s?iva|registro imprese|"
    r"algemene voorwaarden|vertrouwelijk|\bkvk\b|btw[- ]?nr|"
    r"warunk\w* sprzedazy|ogolne warunki|ogolnym warunkom|poufn|\bkrs\b|\bregon\b|"
    r"allmanna villkor|konfidentiell|org\.?\s?nr|organisationsnummer|"
    r"almindelige betingelser|fortrolig|\bcvr\b|alminnelige vilkar|konfidensiell|foretaksregisteret|"
    r"condicoes gerais|contribuinte|"
    r"obchodnimi podminkami|obchodni podminky|duvern|\bico\b|obchodnim rejstriku|"
    # The stock offer to answer questions that closes a business letter.
    r"if you have any (?:further )?questions|should you have any (?:further )?questions|"
    r"(?:do not|don't) hesitate to (?:contact|call|get in touch)|feel free to (?:contact|call|get in touch)|"
    r"(?:fur|bei) (?:ruck)?fragen stehen|stehen? (?:wir|ich) (?:ihnen )?(?:gerne|jederzeit) zur verfugung|"
    r"(?:restons|reste|sommes|suis) a (?:votre|ta) (?:entiere )?disposition|n'hesitez pas a (?:nous|me) contacter|"
    r"veuillez agreer|"
    r"qued(?:amos|o) a (?:su|vuestra|tu) (?:entera )?disposicion|no dud(?:e|en) en (?:contactar|ponerse)|"
    r"rest(?:iamo|o) a (?:vostra |sua |tua )?(?:completa )?disposizione|"
    r"voor (?:eventuele )?vragen (?:kunt u|kun je|staan wij)|mocht(?:en)? u (?:nog )?vragen hebben|neem gerust contact op|"
    r"w razie (?:jakichkolwiek )?pytan|pozostaj(?:emy|e) do (?:panstwa )?dyspozycji|"
    r"vid (?:eventuella )?fragor|tveka inte att kontakta|"
    r"ved (?:eventuelle )?sporgsmal|har (?:i|du) (?:yderligere )?sporgsmal|ved (?:eventuelle )?sporsmal|"
    r"har (?:dere|du) (?:flere )?sporsmal|"
    r"fic(?:amos|o) (?:ao seu dispor|a (?:sua |vossa )?(?:inteira )?disposicao)|estamos ao dispor|"
    r"v pripade (?:jakychkoli )?dotazu|(?:jsme|zustavame) vam k dispozici")


# What a phone or a mail app adds under a message, on a short line of its own.
_MOBILE_SIGNATURE = re.compile(
    r"^[ \t]*(?:sent from (?:my|outlook|mail for|yahoo)|get outlook for|von meinem|gesendet von (?:meinem|outlook)|"
    r"envoy[ée] (?:de|depuis) (?:mon|outlook)|enviado desde (?:mi|outlook)|enviado do (?:meu|outlook)|inviato da|"
    r"(?:verzonden|verstuurd) (?:met|vanaf|van) (?:mijn|outlook)|wys[lł]ane z|skickat fr[aå]n (?:min|outlook)|"
    r"sendt fra (?:min|outlook)|odesl[aá]no z)\b[^\n]{0,40}$",
    re.IGNORECASE | re.MULTILINE)


def without_mobile_signature(text: str) -> str:
    """``text`` without "Sent from my iPhone" and its kin in the dealers' languages."""
    return _MOBILE_SIGNATURE.sub("", text).strip() if _MOBILE_SIGNATURE.search(text) else text


# A line of a signature's contact block: a labelled telephone number, a web address or an
# e-mail address ("Tel +44 1632 960000 | www.dealer.example.com", "M: 07700 900123").
_CONTACT_LINE = re.compile(
    r"(?:^|[\s|(])(?:tel|phone|mob|mobile|cell|fax|t|m|p|f|telefon|tlf|tfn|mobil|handy|t[ée]l[ée]phone|tel[ée]fono|"
    r"telefone|telemóvel|telefono|cellulare|gsm|kom|tel\.)\s*[:.]?\s*\+?\(?\d[\d ()./-]{6,}"
    r"|(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+",
    re.IGNORECASE)
MAX_CONTACT_LINES = 8
MAX_CONTACT_LINE = 90


def without_contact_block(text: str) -> str:
    """``text`` without the signature's contact block at its end: short lines of which one
    gives a labelled telephone, a web or an e-mail address, as the writer's mail program adds
    them after a name with no closing ("Can someone come and look? Oliver" / "Sales Office" /
    "Tel … | www…" / "New catalogue out now!"). A slogan in it is not a request. The first
    paragraph always stays, and so does a block that asks something."""
    paragraphs = re.split(r"\n[ \t]*\n", text.rstrip())
    end = len(paragraphs)
    while end > 1 and _is_contact_block(paragraphs[end - 1]):
        end -= 1
    return "\n\n".join(paragraphs[:end]) if end < len(paragraphs) else text


def _is_contact_block(paragraph: str) -> bool:
    lines = [line.strip() for line in paragraph.strip().splitlines() if line.strip()]
    return (2 <= len(lines) <= MAX_CONTACT_LINES and all(len(line) <= MAX_CONTACT_LINE for line in lines)
            and "?" not in paragraph and any(_CONTACT_LINE.search(line) for line in lines))


def without_boilerplate(text: str) -> str:
    """``text`` without the legal or company boilerplate paragraphs at its end. Only
    trailing ones go: "Please supply the goods below in accordance with our terms" at the
    top of a purchase order is the request itself, and the first paragraph always stays."""
    paragraphs = re.split(r"\n[ \t]*\n", text.rstrip())
    end = len(paragraphs)
    while end > 1 and _is_boilerplate(fold(paragraphs[end - 1])):
        end -= 1
    return "\n\n".join(paragraphs[:end]) if end < len(paragraphs) else text


# "Kindly revert with your terms and conditions" asks for ours; "subject to our terms" is theirs.
_YOURS_BEFORE = re.compile(r"\b(?:your|vos|votre|sus|vuestras|vuestros|ihre|ihren|vostre|vostri|uw|jullie|"
                           r"wasze|waszych|era|jeres|deres|vossas|vossos|vase|vasich)\s+(?:\w+\s+)?$")


def _is_boilerplate(folded: str) -> bool:
    return any(not _YOURS_BEFORE.search(folded, 0, m.start()) for m in _BOILERPLATE.finditer(folded))


_GREETED = re.compile(
    r"\A\s*(?i:(?:hi|hello|hey|dear|good morning|good afternoon|morning|afternoon|hallo|liebe[rs]?|sehr geehrte[rs]?|"
    r"guten (?:tag|morgen)|moin|servus|bonjour|bonsoir|cher|ch[èe]re|salut|hola|buen(?:os|as) (?:d[íi]as|tardes)|"
    r"estimad[oa]s?|querid[oa]|buongiorno|buonasera|ciao|salve|gentile|egregio|car[oa]|hoi|beste|geachte|"
    r"goedemorgen|goedemiddag|dzie[ńn] dobry|witam|szanown[ya]|cze[śs][ćc]|hej|hejsan|god morgon|goddag|k[æa]re|"
    r"hei|kj[æa]re|god dag|ol[áa]|bom dia|boa tarde|prezad[oa]|dobr[ýy] den|ahoj|v[áa][žz]en[ýáy]|mil[ýá])[ \t]+)"
    r"(?i:(?:mr|mrs|ms|miss|dr|herr|frau|monsieur|madame|mme|se[ñn]or|se[ñn]ora|sr|sra|don|do[ñn]a|signor|signora|"
    r"sig|dott|heer|mevrouw|dhr|mevr|pan|pani|panie|pane|pan[íi]|senhor|senhora)\.?[ \t]+)?"
    r"((?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*[ \t]*){1,3})(?=[,!\n]|\Z)")
_NAME_WORD = re.compile(r"[^\W_]+")
# Who a letter to many is addressed to says what it is ("Dear Customer": a supplier's statement).
_ADDRESSEES = frozenset("""customer customers client clients partner partners dealer dealers member members subscriber
    subscribers sir sirs madam kunde kunden kundin geschäftspartner händler partenaire partenaires revendeur revendeurs
    cliente clientes clienti distribuidor distribuidores rivenditore rivenditori klant klanten relatie klient klienci
    kund kunder zákazník zákazníku zákazníci parceiro parceiros""".split())


def greeted_name_hidden(text: str) -> str:
    """The text with the name in its opening greeting made "qq" word for word ("Hallo Herr
    Price," greets Mr Price; it asks no price). Every word keeps its place, so positions in
    the text still match the words keywords are found in."""
    m = _GREETED.match(text)
    if not m or any(w.casefold() in _ADDRESSEES for w in _NAME_WORD.findall(m.group(1))):
        return text
    return text[:m.start(1)] + _NAME_WORD.sub("qq", m.group(1)) + text[m.end(1):]


# "Ciao Jo, come va? Ti mando l'ordine ...": the opening "how are you?" is a courtesy, not a
# question the mail asks. Only at the start of a line or after a greeting's comma or a full
# stop: "è arrivato tutto bene?" asks whether all came well.
_COURTESY = re.compile(
    r"(?:^|(?<=[\n,.!])[ \t]*)[ \t]*¿?(?:"
    r"how are (?:you|you all|things|you doing|you keeping)(?: with you| doing| today)?|how's (?:it going|things|life|business)(?: with you)?|"
    r"hope (?:all is|you are|you're) (?:well|good)|all good (?:with you|your end)|you ok|"
    r"wie geht(?:'s|s| es)(?: (?:dir|ihnen|euch))?(?: so)?|alles gut bei (?:dir|ihnen|euch)|wie läuft(?:'s|s)|"
    r"(?:comment )?ça va(?: bien)?|comment allez-vous|comment vas-tu|tout va bien(?: chez vous)?|"
    r"qué tal(?: todo| estás| estáis| va todo| os va)?|cómo (?:estás|estáis|está|va todo|van las cosas|os va)|"
    r"come (?:va|stai|state|sta|vanno le cose)|tutto bene|"
    r"hoe gaat (?:het|het met je|het met jullie|het ermee)|alles goed(?: met je| met jullie| daar)?|"
    r"jak się (?:masz|macie|pan ma|pani ma)|co słychać|jak leci|"
    r"hur mår (?:du|ni)|hur är läget|hur går det|allt väl|"
    r"hvordan går det|hvordan har (?:du|i|dere) det|alt vel|"
    r"tudo bem(?: por aí| convosco| contigo)?|como (?:está|estás|estão|vai|vão as coisas|vai tudo)|"
    r"jak se (?:máte|máš|vede)|jak to jde)[ \t]*\?",
    re.IGNORECASE | re.MULTILINE)
COURTESY_SCAN = 300  # characters from the start: an opening's place


def courtesy_question_told(text: str) -> str:
    """The text with the "?" of an opening "how are you?" made a full stop, so rules that ask
    whether the mail asks something do not count it. Nothing moves: one sign for another."""
    head = text[:COURTESY_SCAN]
    if "?" not in head:
        return text
    return _COURTESY.sub(lambda m: m.group(0)[:-1] + ".", head) + text[COURTESY_SCAN:]
