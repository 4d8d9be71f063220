from pathlib import Path

import pytest

from intake.understand.parse import html_to_text, parse_email

MAIL = Path(__file__).parent / "fixtures" / "mail"
SAMPLES = Path(__file__).parents[1] / "samples" / "mail"


def read(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def test_plain_message_fields():
    m = parse_email((SAMPLES / "01-order.eml").read_bytes())
    assert m.from_addr == "sam@northdale-blinds.example.co.uk"
    assert m.from_name == "Sam Pryor"
    assert m.to == ["sales@example.co.uk"]
    assert m.subject == "Order - 4 x roller shutters for the Marsh Lane job"
    assert m.message_id == "<sample-01@northdale-blinds.example.co.uk>"
    assert m.date is not None and m.date.tzinfo is not None
    assert "Please find our order" in m.text
    assert m.language == "en"
    assert not m.malformed


def test_encoded_subject_and_html_only_body():
    m = parse_email(read("html-only.eml"))
    assert m.subject == "Bestellung für Rollläden"
    assert m.from_name == "Jürgen Müller"
    assert "hiermit bestellen wir 12 Rollläden" in m.text
    assert "color: red" not in m.text  # style blocks are dropped
    assert m.language == "de"


def test_attachments_and_cc():
    m = parse_email(read("with-attachment.eml"))
    assert [(a.name, a.content_type) for a in m.attachments] == [("PO-ND-5530.pdf", "application/pdf")]
    assert m.attachments[0].size == 48
    assert m.cc == ["accounts@northdale-blinds.example.co.uk"]


def test_reply_separates_new_text_from_quote():
    m = parse_email(read("reply-de.eml"))
    assert "Lieferdatum" in m.new_text
    assert "Bestellung" not in m.new_text
    assert "Bestellung" in m.text
    assert m.in_reply_to == "<conf-71936@example.co.uk>"
    assert m.subject.startswith("AW:")


def test_garbage_is_flagged_not_raised():
    m = parse_email(read("garbage.eml"))
    assert m.malformed
    assert "this is not an email" in m.text
    assert any("header" in d for d in m.defects)


def test_empty_bytes_are_flagged():
    m = parse_email(b"")
    assert m.malformed
    assert "empty message" in m.defects


def test_broken_mime_keeps_defects_and_text():
    m = parse_email(read("broken-mime.eml"))
    assert not m.malformed  # it has headers; the body structure is what is broken
    assert m.defects
    assert m.subject == "price for awning please"


def test_html_to_text_keeps_line_breaks_and_entities():
    assert html_to_text("<p>a&amp;b</p><p>c<br>d</p>").splitlines() == ["a&b", "", "c", "d"]


def test_outlook_and_gmail_lines_stay_lines_and_an_empty_paragraph_is_a_blank_line():
    """Outlook writes each line as a paragraph without spacing, Gmail each line as a div: an
    order's lines must stay consecutive lines, as the dealer saw them."""
    outlook = ("<div class=WordSection1>\n<p class=MsoNormal>Bonjour,<o:p></o:p></p>\n"
               "<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n<p class=MsoNormal>merci de livrer :<o:p></o:p></p>\n"
               "<p class=MsoNormal>- 10 bureaux<o:p></o:p></p>\n<p class=MsoNormal>- 10 caissons<o:p></o:p></p>\n</div>")
    assert html_to_text(outlook).splitlines() == ["Bonjour,", "", "merci de livrer :", "- 10 bureaux", "- 10 caissons"]
    gmail = "<div dir=ltr><div>Hi,</div><div><br></div><div>6 x Arden</div><div>2 x Solent</div></div>"
    assert html_to_text(gmail).splitlines() == ["Hi,", "", "6 x Arden", "2 x Solent"]


def test_quoted_mail_in_html_is_marked_as_a_plain_text_reply_marks_it():
    markup = ("<div>Thanks. When will it ship?</div><div class=gmail_quote><div>On Mon, Anna wrote:</div>"
              "<blockquote class=gmail_quote><div>Thank you for your order 4412.</div><div><br></div>"
              "<blockquote><p>earlier</p></blockquote></blockquote></div><div>end</div>")
    assert html_to_text(markup).splitlines() == [
        "Thanks. When will it ship?", "On Mon, Anna wrote:", "> Thank you for your order 4412.", ">",
        ">> earlier", ">>", "end"]
    # Markers written by the sender are text, not quotes.
    assert html_to_text("<p>a\x01b\x02c</p>") == "abc"


def test_an_html_only_reply_is_read_by_what_is_new_in_it():
    raw = (b"From: buyer@dealer.example.com\r\nTo: sales@maker.example.co.uk\r\nSubject: Re: Order 4412\r\n"
           b"Content-Type: text/html; charset=utf-8\r\n\r\n"
           b"<div>Thanks. When will it ship?</div><br><div class=gmail_quote><div>On Mon, 30 Nov 2026 at 10:02,"
           b" Anna &lt;anna@maker.example.co.uk&gt; wrote:</div><blockquote class=gmail_quote>"
           b"<div>Thank you for your order 4412, which is now in production.</div></blockquote></div>")
    m = parse_email(raw)
    assert m.new_text == "Thanks. When will it ship?"


def test_an_html_table_of_data_is_a_line_per_row_and_a_layout_table_keeps_its_lines():
    """A purchase order's rows stay rows (Outlook puts a paragraph in every cell); a
    signature laid out as a table keeps a line for each line of its cell."""
    po = ("<p>Ordine n. 442</p><table><tr><th>Codice</th><th>Descrizione</th><th>Q.t&agrave;</th></tr>\n"
          "<tr>\n<td><p class=MsoNormal>GT-ACU-N<o:p></o:p></p></td>\n<td>Chitarra\nacustica</td><td>4</td></tr>"
          "<tr><td>ST-ORC</td><td>Leggio</td><td>10</td></tr></table><p>Grazie</p>"
          "<table><tr><td><img src=cid:logo></td><td><b>Sales</b><br>Tel 0161 496 0000</td></tr></table>")
    assert html_to_text(po).splitlines() == [
        "Ordine n. 442", "", "Codice | Descrizione | Q.tà", "GT-ACU-N | Chitarra acustica | 4",
        "ST-ORC | Leggio | 10", "", "Grazie", "", "Sales", "Tel 0161 496 0000"]
    # Broken and hostile markup is read, not rejected.
    assert html_to_text("<td>no <table><tr><td>row <script>alert(1)</script>end") == "no\nrow end"


@pytest.mark.parametrize("return_path", ["<>", "< >", " <  > "])
def test_a_null_return_path_however_spaced_gets_no_automatic_answer(return_path):
    raw = (f"Return-Path: {return_path}\r\nFrom: Dealer <d@dealer.example>\r\nTo: sales@maker.example\r\n"
           "Subject: Order\r\nMessage-ID: <rp-1@dealer.example>\r\n\r\nPlease find our order.\r\n").encode()
    assert parse_email(raw).no_auto_reply == "null return path"


def test_a_real_return_path_does_not_block_answers():
    raw = (b"Return-Path: <d@dealer.example>\r\nFrom: Dealer <d@dealer.example>\r\nTo: sales@maker.example\r\n"
           b"Subject: Order\r\nMessage-ID: <rp-2@dealer.example>\r\n\r\nPlease find our order.\r\n")
    assert parse_email(raw).no_auto_reply == ""


@pytest.mark.parametrize("subject", ["=?utf-8?q?Order_12=0D=0ABcc:_victim@example.com?=", "Order 12\r\n Bcc: victim@example.com",
                                     "=?utf-8?b?T3JkZXIgMTIKQmNjOiB2aWN0aW1AZXhhbXBsZS5jb20=?="])
def test_a_subject_is_one_line_whatever_was_encoded_or_folded_into_it(subject):
    raw = (f"From: Dealer <d@dealer.example>\r\nTo: sales@maker.example\r\nSubject: {subject}\r\n"
           "Message-ID: <s-1@dealer.example>\r\n\r\nHello\r\n").encode()
    got = parse_email(raw).subject
    assert got == "Order 12 Bcc: victim@example.com"


def test_reading_for_a_person_gives_the_same_texts_without_guessing_the_language():
    from intake.understand.reading import read

    raw = (b"From: Anna <anna@dealer.example>\r\nTo: sales@example.co.uk\r\nSubject: Re: Lieferung\r\n"
           b"Message-ID: <r1@dealer.example>\r\n\r\nWann kommt die Lieferung?\r\n\r\n"
           b"Am Montag schrieb Sales:\r\n> Ihre Bestellung ist unterwegs.\r\n")
    shown, understood = read(raw, "email"), parse_email(raw)
    assert (shown.new_text, shown.text) == (understood.new_text, understood.text)
    assert "Bestellung" not in shown.new_text and "Bestellung" in shown.text
    assert understood.language == "de" and shown.language == ""
    assert read(b"\xff\xfe not a call record", "call") is None


def test_a_reply_header_is_found_with_or_without_the_shortcut_for_text_without_one():
    from intake.understand.reply import split_reply

    top_posted = ("Please go ahead with 6 x SC-1000.\n\nFrom: Sales <sales@example.co.uk>\n"
                  "Sent: Monday 23 November 2026 09:00\nTo: Dealer\nSubject: Quote Q-1181\n\nOur quote follows.")
    assert split_reply(top_posted) == "Please go ahead with 6 x SC-1000."
    outlook = "Go ahead please\n\n-----Original Message-----\nour quote follows, ten lines of it"
    assert "quote follows" not in split_reply(outlook)
    plain = "Could you send 20 brochures for the show next week\n\nThanks\nAnna"
    assert "20 brochures" in split_reply(plain)


_HEADERS_WRITTEN = [
    "On Mon, 23 Nov 2026 at 09:00, Sales <sales@example.co.uk> wrote:",
    "Am Montag, 23. November 2026 um 09:00 schrieb Verkauf <verkauf@example.de>:",
    "Le lun. 23 nov. 2026 à 09:00, Ventes <ventes@example.fr> a écrit :",
    "Il giorno lun 23 nov 2026 alle ore 09:00 Vendite <vendite@example.it> ha scritto:",
    "Dnia 23.11.2026 o 09:00 Sprzedaż <sprzedaz@example.pl> napisał(a):",
    "Den 23 nov. 2026 kl. 09:00 skrev Försäljning <salj@example.se>:",
    "Dne 23. 11. 2026 v 09:00 Prodej <prodej@example.cz> napsal(a):",
    "From: Sales <sales@example.co.uk>\nSent: Monday 23 November 2026 09:00\nTo: Dealer\nSubject: Quote",
    "Von: Verkauf\nGesendet: Montag, 23. November 2026 09:00\nAn: Händler\nBetreff: Angebot",
    "*From:* Sales\n*Sent:* Monday\n*To:* Dealer",
    "Od: Sprzedaż\nWysłano: poniedziałek\nDo: Diler",
    "-----Original Message-----",
    "-----Oprindelig meddelelse-----\nFra: Salg\nSendt: 23. november 2026 09:00\nTil: Forhandler",
]


@pytest.mark.parametrize("header", _HEADERS_WRITTEN)
@pytest.mark.parametrize("above", ["", "Go ahead: 6 x SC-1000 please.\n\n", "Ok\n> quoted: yes\n",
                                   "Time: 10:30\nPlace: Unit 4\n\n"])
def test_header_pattern_tried_at_line_starts_finds_what_findall_finds(header, above):
    """The reply parser's header pattern, tried only at line starts and breaks, finds the
    same headers, at the same places, as the pattern tried at every character."""
    from mailparser_reply.parser import EmailMessage

    from intake.understand.reply import REPLY_LANGUAGES, _patterns

    pattern = _patterns()[0]
    for text in (f"{above}{header}\nbelow: the quote\n\n{header}\nolder", f"{above}> {header}\nolder"):
        text = EmailMessage(text=text, languages=list(REPLY_LANGUAGES)).text  # as the parser reads it
        assert pattern.findall(text) == pattern.pattern.findall(text)
    assert pattern.findall(f"{above}{header}\nolder")


@pytest.mark.parametrize("text", [
    "Olá Anna, já há data de envio?\n\nDe: Rui Costa <rui@revenda.example.pt>\nEnviada: quarta-feira, 2 de dezembro "
    "de 2026 09:14\nPara: Anna Price\nAssunto: Encomenda 7791\n\nSegue a nossa encomenda: 20 bombas.",
    "Olá Anna, já há data de envio?\n\nEm qua., 2 de dez. de 2026 às 09:14, Anna Price <anna@maker.example.co.uk> "
    "escreveu:\nSegue a nossa encomenda: 20 bombas.",
    "Olá Anna, já há data de envio?\n\nden 2. des. 2026 kl. 09:14 skrev Kari Hansen <kari@forhandler.example.no>:\n"
    "Segue a nossa encomenda: 20 bombas.",
    "Olá Anna, já há data de envio?\n\nDe: Lucía Gómez <lucia@example.es>\nEnviado el: miércoles, 2 de diciembre de "
    "2026 9:14\nAsunto: Pedido 7791\n\nSegue a nossa encomenda: 20 bombas.",
])
def test_portuguese_and_norwegian_reply_headers_end_the_new_text(text):
    from intake.understand.reply import split_reply

    assert split_reply(text).strip() == "Olá Anna, já há data de envio?"


@pytest.mark.parametrize("text", [
    "Prima, graag zo bestellen.\n\nOp di 1 dec. 2026 om 16:02 schreef Anna Price <anna@maker.example.co.uk>:\n"
    "> Hoi Sanne, hierbij offerte 7797.",
    "Prima, graag zo bestellen.\n\nOn Tue, 1 Dec 2026 at 16:02, Anna Price <anna@maker.example.co.uk>\nwrote:\n"
    "> Hi Sanne, quote 7797 attached.",
])
def test_the_line_that_introduces_a_quote_goes_with_the_quote(text):
    """Short replies above a quote whose attribution the reply parser does not know."""
    from intake.understand.reply import split_reply

    assert split_reply(text).strip() == "Prima, graag zo bestellen."


@pytest.mark.parametrize(("text", "kept"), [
    ("Hi Anna, when can we expect order 8812?\n\nKind regards\nTom Green\nGreen & Co Ltd\n"
     "Ask for our new catalogue at green.example.com", "Hi Anna, when can we expect order 8812?"),
    ("Dzień dobry, kiedy dotrze zamówienie 8819?\n\nPozdrawiam\nTomasz Zielony\nZamów nasz katalog i cennik.",
     "Dzień dobry, kiedy dotrze zamówienie 8819?"),
    ("Olá, quando chega a encomenda 8823?\n\nCumprimentos,\nTomé Verde\nPeça o nosso catálogo.",
     "Olá, quando chega a encomenda 8823?"),
    ("Hallo, wann kommt unsere Bestellung?\n-- \nTom Grün · Grün GmbH · Katalog anfordern", "Hallo, wann kommt unsere Bestellung?"),
    # A PS below the signature is still the dealer's; a list put under "Thanks" is the order.
    ("When is order 8812 due?\n\nRegards\nTom\n\nPS could you send 20 brochures?",
     "When is order 8812 due?\n\nPS could you send 20 brochures?"),
    ("Please send the following for the Harris job, thanks\n\nThanks\n\n10 x KP-40\n4 x SK-2",
     "Please send the following for the Harris job, thanks\n\nThanks\n\n10 x KP-40\n4 x SK-2"),
    # An opening thanks is not a closing.
    ("Hi Anna,\nThanks!\nCould you send 4 more?", "Hi Anna,\nThanks!\nCould you send 4 more?"),
    # A closing after the last sentence, on the same line: the name is not the request.
    ("Buongiorno, avete le batterie a magazzino? Grazie, D. Costa", "Buongiorno, avete le batterie a magazzino?"),
    ("Can you send the tracking for order 8812? Thanks, Will Price", "Can you send the tracking for order 8812?"),
    # "Best" after a sentence may open the next one.
    ("We need 20 panels. Best Price", "We need 20 panels. Best Price"),
    # Two closings joined by "&" or "und" are one closing.
    ("Wann kommt Auftrag 7712?\n\nDanke & Gruß\nKarl Lehmann\nLehmann GmbH", "Wann kommt Auftrag 7712?"),
    ("Quand arrive la commande 7713 ?\n\nMerci et bonne journée\nLéa", "Quand arrive la commande 7713 ?"),
    # Joined to something else, it is no closing.
    ("Danke & bitte 4 weitere schicken.", "Danke & bitte 4 weitere schicken."),
])
def test_the_signature_after_a_closing_is_not_the_dealers_request(text, kept):
    from intake.understand.reply import without_signature

    assert without_signature(text) == kept


@pytest.mark.parametrize(("text", "new"), [
    # Thanks that opens a sentence going on to ask something is the request, not a sign-off.
    ("Hei,\n\ntakk, alt kom fram. Hva vil det koste med tre til?\n\nFra: Salg\nSendt: 30. november 2026\n"
     "Emne: Levering\n\nSendingen er levert.", "Hei,\n\ntakk, alt kom fram. Hva vil det koste med tre til?"),
    ("Hej,\n\nTack. Kan ni skicka fakturan igen?", "Hej,\n\nTack. Kan ni skicka fakturan igen?"),
    # Thanks that runs on into a sentence of its own says something too.
    ("Hej Claire,\n\nTak for hurtig levering, alt kom i god stand.\n\nVenlig hilsen\nMette",
     "Hej Claire,\n\nTak for hurtig levering, alt kom i god stand.\n\nVenlig hilsen\nMette"),
    # A sign-off that only thanks, with a name and a company under it, is still a signature.
    ("Hi,\n\nThanks,\nJohn Smith\nSmith Doors Ltd\n12 High Street", "Hi,"),
    # Polish "tak" is yes: "Tak, proszę wysyłać." is the answer, not a Danish thanks.
    ("Dzień dobry,\n\nTak, proszę wysyłać.\n\nPozdrawiam\nMarek", "Dzień dobry,\n\nTak, proszę wysyłać.\n\nPozdrawiam\nMarek"),
    ("Hej,\n\nTak,\nPoul Jensen\nJensen Møbler", "Hej,"),
])
def test_thanks_that_goes_on_to_ask_is_newly_written(text, new):
    from intake.understand.reply import split_reply

    assert split_reply(text) == new


def test_a_forward_keeps_the_senders_own_words_apart():
    """A dealer forwarding an end client's needs with "can you price this?" asks a price; the
    client's "we need 36" is what is to be priced. The own words are kept for rules (`own`)."""
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"] = "fernando@dealer.example.es"
    m["To"] = "sales@maker.example.co.uk"
    m["Subject"] = "RV: Especificación"
    m.set_content("Hola, ¿nos podéis dar precio?\n\n---------- Mensaje reenviado ----------\n"
                  "De: Arquitectura Lozano\nAsunto: Baños\n\nNecesitamos 36 muebles de lavabo de 80 cm.")
    msg = parse_email(m.as_bytes())
    assert msg.own_text == "Hola, ¿nos podéis dar precio?"
    assert "Necesitamos 36 muebles" in msg.new_text
    plain = parse_email((SAMPLES / "01-order.eml").read_bytes())
    assert plain.own_text == ""  # nothing forwarded
    # A forward that the reply splitter leaves whole still has the sender's own words apart.
    m.replace_header("Subject", "FW: Cargo bikes")
    m.set_content("FYI, nothing needed from you yet.\n\nRob\n\n---------- Forwarded message ---------\n"
                  "From: Tom <tom@bakery.example.com>\nCould you recommend 3 cargo bikes?")
    whole = parse_email(m.as_bytes())
    assert whole.own_text.startswith("FYI, nothing needed from you yet.")
    assert "recommend 3 cargo bikes" not in whole.own_text
    assert "recommend 3 cargo bikes" in whole.new_text
