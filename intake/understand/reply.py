"""Stage 2, step 2: separate what the dealer newly wrote from quoted history and signature.

Rules must judge a message by its new words: a dealer's "thanks, received" above a quoted
order is not a second order. mail-parser-reply knows the reply headers that mail clients
write in each of the dealers' languages ("On ... wrote:", "Am ... schrieb", "Le ... a écrit",
Outlook's "From:/Sent:" block, ...).
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache

import re2
from mailparser_reply.parser import EmailMessage

# The dealer languages the library knows reply headers for (it has none for Norwegian or
# Portuguese); English is always included.
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs"]
# The new text is at the top. Only the part above the first ">"-quoted line (and at most
# MAX_SCAN characters) is given to the reply parser: its patterns are costly on long quoted
# histories, and what lies below the first quote is never new text.
MAX_SCAN = 16_000
_QUOTED_LINE = re.compile(r"^[ \t]*>", re.MULTILINE)
_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=8)
def _letters_pattern(n: int) -> re.Pattern:
    # Letters and the rest are disjoint classes, so each try ends in one pass.
    return re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{n}}}")


def letters_at_least(text: str, n: int) -> bool:
    """Whether ``text`` has ``n`` letters: stops reading at the n-th."""
    return _letters_pattern(n).match(text) is not None
# The line (or two) that introduces a quote ("Op di 1 dec. 2026 om 16:02 schreef Anna <…>:"),
# when the reply parser does not know its date format: cut with the quote it introduces.
_ATTRIBUTION = re.compile(
    r"(?:^|\n)[^\n]{0,200}(?:\n[^\n]{0,200})?\b(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|napisał\(a\)|"
    r"napisał|napisała|skrev|napsal|napsala|escreveu)\b[^\n]{0,160}:[ \t]*\n?\s*\Z", re.IGNORECASE)
# The verb alone, looked for first: the whole pattern backtracks over every line it could start on.
_ATTRIBUTION_VERB = re.compile(r"\b(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|napisał|skrev|napsal|escreveu)",
                               re.IGNORECASE)
_ATTRIBUTION_LINE = re.compile(
    r"[^\n]{0,200}\b(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|napisał\(a\)|napisał|napisała|skrev|"
    r"napsal|napsala|escreveu)\b[^\n]{0,160}:[ \t]*$", re.IGNORECASE)
MIN_LETTERS = 40

logging.getLogger("mailparser_reply").setLevel(logging.ERROR)

# Reply headers of the languages the parser lacks: Portuguese ("Em qua., 2/12/2026, Rui
# escreveu:", Outlook's "De: / Enviada: / Para: / Assunto:") and Norwegian ("Fra: / Sendt: /
# Til: / Emne:", "... skrev Kari:") and Spanish Outlook ("De: / Enviado el: / Asunto:").
# Whatever follows one is history.
_MORE_HEADERS = re.compile(
    r"^[ \t]*(?:em [^\n]{5,160}escreveu:|(?:den )?\d[^\n]{3,120} skrev [^\n]{1,120}:[ \t]*$|"
    r"(?:de|fra|from):[^\n]*\n(?:[ \t]*[^\W\d_][\w-]{1,12}:[^\n]*\n){0,2}[ \t]*(?:enviada|enviado(?: el)?|data|sendt|assunto|asunto|emne):)",
    re.IGNORECASE | re.MULTILINE)


@cache
def _patterns() -> tuple:
    """The reply parser's three patterns for our languages. It builds them anew for each
    message it reads; they depend only on the languages, so they are built once here."""
    proto = EmailMessage(text="", languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True)
    return HeaderPattern(proto.HEADER_REGEX), proto.DISCLAIMERS_REGEX, proto.SIGNATURE_REGEX


class HeaderPattern:
    """The reply parser's header pattern, tried only where a reply header can begin.

    ``findall`` tries it at every character, about a microsecond each on a text with a
    colon in it. Yet its branches can only begin at a line start or at the line break
    before an Outlook block, but one whose separator may stand mid-line (``_line_places``).
    Tried there alone, in order and past the last header found, it finds the same headers."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def findall(self, text: str) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = []
        end = 0
        match = self.pattern.match
        for at in _line_places(text):
            if at >= end and (m := match(text, at)) is not None:
                found.append(m.groups(""))
                end = m.end()
        return found


def _line_places(text: str) -> list[int]:
    """Where a header can begin: line starts, line breaks, and a Danish "-----Oprindelig
    meddelelse-----" separator wherever it stands (its branch lets it start mid-line)."""
    places = {0}
    for mark, after in (("\n", True), ("-----", False)):
        at = text.find(mark)
        while at >= 0:
            places.add(at)
            if after:
                places.add(at + 1)
            at = text.find(mark, at + 1)
    return sorted(places)


# Every reply header the parser knows ends in a colon ("On ... wrote:", "Von:", "De :") or
# is the "-----Original Message-----" line; its header pattern, the costly one, is not run
# over text that has neither.
_NO_HEADER = re.compile(r"(?!)")


def _reader(text: str) -> EmailMessage:
    reader = EmailMessage(text=text, languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True)
    headers, disclaimers, signatures = _patterns()
    if ":" not in text and "original message" not in text.casefold():
        headers = _NO_HEADER
    reader._header_regex, reader._disclaimers_regex, reader._signature_regex = headers, disclaimers, signatures
    return reader


# A line that opens with thanks and goes on to say more ("takk, alt kom fram. Hva vil det
# koste …?", "Thanks. Can you …", "Tak for hurtig levering, alt kom i god stand."): a
# sentence, where the parser sees the start of a sign-off.
# Polish "Tak, proszę realizować." is "yes", not the Danish thanks: a line with letters no
# Nordic sign-off writes says more.
_THANKS_THEN_MORE = re.compile(
    r"(?:thanks|thank you|tak|takk|tack|danke|dank je|dank u|merci|gracias|grazie|obrigad[oa]|dzi[eę]kuj[eę]|d[ěe]kuji)"
    r"\b(?:[^\n]*?(?:[.!?][ \t]+[^\W\d_]|\?)|(?:[ \t,]+[^\s]+){4}|[^\n]*[ąćęłńśźżěřůčšžťď])", re.IGNORECASE)


def split_reply(text: str) -> str:
    """The newly written part of ``text``; the whole text when no quote can be told apart."""
    if not text:
        return ""
    head = text[:MAX_SCAN]
    quoted = _QUOTED_LINE.search(head)
    if quoted:
        head = head[: quoted.start()]
        tail = max(0, len(head) - 400)
        attribution = _ATTRIBUTION_VERB.search(head, tail) and _ATTRIBUTION.search(head, tail)
        if attribution:
            head = head[: attribution.start()]
        if not letters_at_least(head, MIN_LETTERS):
            # Nothing above the quote but a greeting or "On ... wrote:": the dealer may have
            # written below or between the quoted lines (bottom posting). Then keep every
            # unquoted line; a short answer above the whole quote stays as it is.
            unquoted = [line for line in text[:MAX_SCAN].splitlines()
                        if not _QUOTED_LINE.match(line) and not _ATTRIBUTION_LINE.match(line)]
            below = [line for line in text[quoted.start():MAX_SCAN].splitlines()
                     if not _QUOTED_LINE.match(line) and not _ATTRIBUTION_LINE.match(line)]
            if any(_LETTERS.search(line) for line in below) or not head.strip():
                head = "\n".join(unquoted)
    if not head.strip():
        return text
    more = _MORE_HEADERS.search(head)
    if more and head[: more.start()].strip():
        head = head[: more.start()]
    try:
        # keep_hyphen_lists: dealers list what they want as "- 10 x ..."; by default the
        # parser takes such lines for a signature and drops them.
        replies = _reader(head).read().replies
    except Exception:  # a reply-parser bug must not cost the message
        return head.strip()
    for reply in replies:
        body = reply.body
        if body:
            # Signature detection starts at a line such as "Tak, ..." (Danish: thanks, but
            # also the first word of a sentence). A body of little more than a greeting whose
            # reply has more to say keeps the whole reply, signature and all.
            if not letters_at_least(body, MIN_LETTERS) and (
                    letters_at_least(reply.content, 2 * MIN_LETTERS + 1)
                    or _THANKS_THEN_MORE.match(reply.content[len(body):].lstrip() if reply.content.startswith(body)
                                               else "")):
                return reply.content.strip()
            return body
    return head.strip()


# A side request after the main one: "PS", "P.S.", Spanish "PD" at the start of a line; "by
# the way" and its kin there or at the start of a sentence ("When is 1190 due? Przy okazji,
# prosimy o katalogi."). "À propos de votre devis" is "about your quote", no aside.
_POSTSCRIPT = re.compile(
    r"^[ \t]*(?:p\.?\s?p?\.?\s?s\.?|p\.?-s\.?|p\.?\s?d\.?)(?=[\s:.,-])|"
    r"(?P<aside>(?:^|(?<=[.!?]))[ \t]*(?:by the way|btw|übrigens|nebenbei|apropos|au fait|à propos(?!\s+d)|"
    r"por cierto|(?:y )?de paso|a proposito(?!\s+d)|tra l'altro|trouwens|overigens|przy okazji|förresten|för övrigt|"
    r"forresten|for øvrig|i øvrigt|já agora|aliás|a propósito(?!\s+d)|mimochodem|oh,? and|o ja|oh ja|ach ja|"
    r"ah,? et|ah,? y|ah,? e|also,?(?=\s+(?:could|can|would|please|we|i|if|any|do|is|are|the)\b)|außerdem|par ailleurs|autre chose|además|otra cosa|inoltre|un'altra cosa|"
    r"daarnaast|verder nog|poza tym|ponadto|dessutom|desuden|dessuten|além disso|outra coisa|ještě jedna věc)\b)",
    re.IGNORECASE | re.MULTILINE)


@lru_cache(maxsize=8)
def split_postscript(text: str) -> tuple[str, str]:
    """(main text, postscript): what follows a PS line is a side request, not the main one.

    A message that is nothing but a postscript, or thanks and then one ("Takk. Forresten
    var to takstein knust …"), keeps it as its main text. Cached: the body and the
    postscript fields of one message both ask, several times while it is read.
    """
    for m in _POSTSCRIPT.finditer(text):
        before = text[: m.start()]
        if not before.strip() or only_a_closing(before):
            return text, ""
        if m.group("aside") and not _said_last(text[m.start():]):
            continue
        main, aside = text[: m.start()].rstrip(), text[m.start():]
        below = _below_signature(aside)
        if below:
            return f"{main}\n\n{below}", aside[: len(aside) - len(below)].rstrip()
        return main, aside
    return text, ""


def _below_signature(aside: str) -> str:
    """What comes after the signature under a postscript: the lines the main text points to
    ("Order below for the spring. PS could you send some leaflets? Jo" and then the order
    lines). It belongs to the main text, not to the aside."""
    paragraphs = aside.split("\n\n")
    for k in range(1, len(paragraphs) - 1):
        sign = paragraphs[k].strip()
        if sign and (_CLOSING.match(sign) or _NAME_ONLY.match(sign)):
            rest = "\n\n".join(paragraphs[k + 1:])
            return rest if any(c.isalnum() for c in rest) else ""
    return ""


def _said_last(aside: str) -> bool:
    """Whether a "by the way" is the last thing said, with at most a closing under it. In
    the middle of a chatty mail it as often brings up the main subject ("Hope all's well,
    the fair was great. By the way, for the Bianchi job we need 5 wall units. ...")."""
    end = aside.find("\n\n")
    if end < 0:
        return True
    after = aside[end:].strip()
    return not after or _CLOSING.match(after) is not None or _NAME_ONLY.match(after) is not None


# A signature of a name alone under the last paragraph ("Rui", "Anna Kowalska").
_NAME_ONLY = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'-]*(?:[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'-]*){0,2}[ \t]*$")


# The line mail programs put above a forwarded message, in the dealers' languages.
# RE2, as it is searched through every message's whole text; "the phrase, then the end of
# the line or a character that is not a letter or digit" is ``\b.*$``, with letters beyond ASCII.
_FORWARD_MARK = re2.compile(
    r"(?im)^[ \t>]*(?:-{2,}\s*)?(?:forwarded message|begin forwarded message|weitergeleitete nachricht|"
    r"message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|"
    r"przekazana wiadomo[sś][cć]|vidarebefordrat meddelande|videresendt (?:meddelelse|melding)|"
    r"mensagem (?:re)?encaminhada|p[řr]eposlan[áa] zpr[áa]va)(?:[^\pL\pN_\n][^\n]*)?$")
# Outlook forwards under the same separator as its replies ("-----Original Message-----",
# or a From:/Sent: block): only a forward's subject tells that what follows is forwarded.
_ORIGINAL_MARK = re.compile(
    r"^[ \t>]*(?:-{3,}\s*(?:original message|urspr[üu]ngliche nachricht|message d'origine|mensaje original|"
    r"messaggio originale|oorspronkelijk bericht|wiadomo[sś][cć] oryginalna|ursprungligt meddelande|"
    r"oprindelig meddelelse|opprinnelig melding|mensagem original|p[ůu]vodn[íi] zpr[áa]va)\s*-{3,}[ \t]*$|"
    r"(?=(?:from|von|de|da|van|od|fr[åa]n|fra)[ \t]*:.*\n[ \t>]*(?:sent|gesendet|envoy[ée]|enviad[oa]|inviato|"
    r"verzonden|wys[lł]an[oey]|skickat|sendt|odesl[áa]no|date|datum|data)[ \t]*:))",
    re.IGNORECASE | re.MULTILINE)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|wg|tr|rv|pd|doorst|enc|i|vb)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)
_HEADER_FIELD = re.compile(r"^[ \t>]*[\w -]{1,20}:.*$")
MAX_FORWARDED = 4_000


def above_forward(text: str) -> str:
    """What ``text`` says above the line a mail program puts over a forwarded message."""
    m = _FORWARD_MARK.search(text[:MAX_SCAN])
    return text[: m.start()].rstrip() if m else text


def forwarded_text(text: str, subject: str = "") -> str:
    """The body of a message forwarded inside ``text`` (its header lines left out), or "".

    A dealer who forwards an end client's complaint with "can you sort this" is asking
    about what the forwarded message says, so that text counts as newly written.
    """
    m = _FORWARD_MARK.search(text[:MAX_SCAN])
    if not m and _FORWARD_SUBJECT.match(subject):
        m = _ORIGINAL_MARK.search(text[:MAX_SCAN])
    if not m:
        return ""
    lines = text[m.end():m.end() + MAX_FORWARDED].splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip("> \t"):
        i += 1
    # The forwarded headers end at the first line that is not one (or a header's folded
    # continuation), so a body line that starts "Graag leveren: ..." stays body.
    while i < len(lines) and (_HEADER_FIELD.match(lines[i])
                              or (i and lines[i][:1] in " \t" and lines[i].strip())):
        i += 1
    return "\n".join(line.lstrip("> ") for line in lines[i:]).strip()


# A closing on a line of its own, or after the last sentence of a short mail, perhaps with
# a name or two after it ("Regards", "Mit freundlichen Grüßen", "Cheers, Ben", "… in stock?
# Grazie, D. Costa"): what follows is the signature (name, company, register numbers, "ask
# for our catalogue"), not the dealer's request; a surname read as a word ("Costa", cost)
# would be evidence of nothing. After a sentence, "Best" may start one ("Best price?").
_CLOSING_WORDS = (
    r"(?i:(?:kind |best |warm |many )?regards|thanks(?: again| and regards| in advance)?|thank you|many thanks|cheers|"
    r"best wishes|all the best|best|yours sincerely|yours faithfully|sincerely|"
    r"mit freundlichen gr(?:ü|ue)(?:ß|ss)en|freundliche gr(?:ü|ue)(?:ß|ss)e|viele gr(?:ü|ue)(?:ß|ss)e|beste gr(?:ü|ue)(?:ß|ss)e|"
    r"liebe gr(?:ü|ue)(?:ß|ss)e|gr(?:ü|ue)(?:ß|ss)e|gru(?:ß|ss)|mfg|lg|vg|vielen dank|danke|"
    r"(?:bien )?cordialement|(?:sinc[èe]res |meilleures )?salutations|bien [àa] vous|bonne journ[ée]e|merci(?: beaucoup| d'avance)?|"
    r"(?:un )?saludos?(?: cordiales)?|atentamente|cordialmente|(?:muchas )?gracias|un abrazo|"
    r"(?:cordiali |distinti )?saluti|grazie(?: mille)?|buona giornata|"
    r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groet(?:en|jes)?|mvg|(?:alvast )?bedankt|"
    r"pozdrawiam(?: serdecznie)?|serdecznie pozdrawiam|pozdrawiamy|z powa(?:ż|z)aniem|dzi(?:ę|e)kuj(?:ę|e|emy)|"
    r"mvh|med v(?:ä|a)nliga h(?:ä|a)lsningar|v(?:ä|a)nliga h(?:ä|a)lsningar|h(?:ä|a)lsningar|tack(?: på förhand)?|"
    r"med venlig hilsen|venlig hilsen|med vennlig hilsen|vennlig hilsen|hilsen|tak|takk|"
    r"(?:com os melhores )?cumprimentos|atenciosamente|obrigad[oa]|abra(?:ç|c)o|sauda(?:ç|c)(?:õ|o)es|"
    r"s (?:přátelským )?pozdravem|d(?:ě|e)kuji|d(?:ě|e)kujeme)")
# Two closings may be joined: "Danke & Gruß", "Thanks + regards", "Merci et bonne journée".
_CLOSING = re.compile(
    r"(?:^[ \t]*|(?<=[.!?])[ \t]+(?!(?i:best)\b))" + _CLOSING_WORDS
    + r"(?:[ \t]*(?:&|\+|(?i:and|und|et|y|e|en|og|och|i|a))[ \t]*" + _CLOSING_WORDS + ")?"
    r"[ \t]*[,.!]?(?:[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'-]*){0,3}[ \t]*,?[ \t]*$",
    re.MULTILINE)
_SIGNATURE_DELIMITER = re.compile(r"^--[ \t]?$", re.MULTILINE)
MIN_BEFORE_CLOSING = 12  # letters: "Hi Anna,\nThanks!\nCould you..." opens, it does not close


def without_signature(text: str) -> str:
    """``text`` up to its closing or its "-- " line; a PS below the signature stays, and so
    does everything when what follows has order lines (a list put under "Thanks")."""
    for m in (_SIGNATURE_DELIMITER.search(text), _first_closing(text)):
        if m is None:
            continue
        rest = text[m.end():]
        if _LINE_ITEM.search(rest):
            continue
        ps = _POSTSCRIPT.search(rest)
        return text[: m.start()].rstrip() + (f"\n\n{rest[ps.start():].strip()}" if ps else "")
    return text


def only_a_closing(text: str) -> bool:
    """Whether a short text is nothing but a closing and a name ("Thanks, Rob", "Gracias,
    Nuria", "Tack, Per"): nothing asked in it."""
    text = text.strip()
    return (0 < len(text) <= 60 and text.count("\n") <= 3 and "?" not in text
            and _CLOSING.match(text) is not None)


def _first_closing(text: str):
    for m in _CLOSING.finditer(text):
        if letters_at_least(text[: m.start()], MIN_BEFORE_CLOSING):
            return m
    return None


# A line of a list of goods: "10 x KP-40", "- 4 Stk. Pumpe", "3 no. stands".
_LINE_ITEM = re.compile(r"^[ \t]*(?:[-*•]\s*)?\d{1,4}\s*(?:x|×|pcs?|stk|st|szt|ks|no|uds|pz|off|ea)\b\.?\s*\S", re.I | re.M)


# A reply names the old topic in its subject: "Re:", "AW:", "SV:", "Odp:", "R:" ...
_REPLY_SUBJECT = re.compile(r"^\s*(re|aw|antw|sv|vs|odp|r|rif|res|ref)\s*(\[\d+\])?\s*:", re.IGNORECASE)


# The prefixes mail programs put before a subject when replying or forwarding, in the
# dealers' languages, with a count ("Re[2]:") where some add one.
_PREFIXES = re.compile(r"^\s*(?:(?:re|aw|antw|sv|vs|odp|r|rif|res|ref|fw|fwd|wg|tr|rv|pd|doorst|enc|i)\s*"
                       r"(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def topic(subject: str) -> str:
    """The subject as keywords read it: the words of its reply and forward prefixes made
    "0", so "Re: quote Q-5560" is about a quote, not a "re-quote", and every other word
    keeps its place (regexes still read the subject as written)."""
    m = _PREFIXES.match(subject)
    return _LETTERS_RUN.sub("0", m.group(0)) + subject[m.end():] if m else subject


_LETTERS_RUN = re.compile(r"[^\W\d_]+")


QUESTION_SCAN = 600


def asked_in_quote(text: str, new_text: str = "") -> bool:
    """Whether the message a reply quotes asks a question in its first lines: where our
    question to the dealer would be. Quoted with ">", those lines; quoted as Outlook does,
    under a "From:/Sent:" block and not marked, the start of what follows the new text.
    Only the start is read; a thread may be long."""
    at = text.find("\n>")
    if at < 0:
        if not new_text or not text.startswith(new_text) or len(text) == len(new_text):
            return False
        return "?" in text[len(new_text):len(new_text) + QUESTION_SCAN]
    head = text[at + 1:at + 1 + QUESTION_SCAN]
    return "?" in head and any("?" in line for line in head.splitlines() if line.startswith(">"))


def is_reply(subject: str, in_reply_to: str) -> bool:
    """Whether a message answers an earlier one: an In-Reply-To, or a reply prefix."""
    return bool(in_reply_to or _REPLY_SUBJECT.match(subject))
