"""Language guessing: sentences in each dealer language, as dealers write them."""

import pytest

from intake.understand.language import LANGUAGES, guess_language, scores

WRITTEN = [
    ('en', 'Hi, could you send us a price for 12 awnings in white? Thanks, Tom'),
    ('en', 'Please find attached our order for next week.'),
    ('en', 'When will order 4471 be delivered?'),
    ('en', 'The blind arrived damaged, can you send a replacement?'),
    ('de', 'Guten Tag, bitte senden Sie uns ein Angebot für 12 Markisen in Weiß.'),
    ('de', 'Anbei unsere Bestellung für nächste Woche.'),
    ('de', 'Wann wird der Auftrag 4471 geliefert?'),
    ('de', 'Die Ware ist beschädigt angekommen, bitte um Ersatz.'),
    ('fr', 'Bonjour, pourriez-vous nous faire un devis pour 12 stores blancs ?'),
    ('fr', 'Veuillez trouver ci-joint notre commande pour la semaine prochaine.'),
    ('fr', 'Quand la commande 4471 sera-t-elle livrée ?'),
    ('fr', 'Le store est arrivé abîmé, merci de nous envoyer un remplacement.'),
    ('es', 'Hola, ¿podrían enviarnos un presupuesto para 12 toldos blancos?'),
    ('es', 'Adjunto nuestro pedido para la próxima semana.'),
    ('es', '¿Cuándo se entregará el pedido 4471?'),
    ('es', 'El toldo llegó dañado, necesitamos una sustitución.'),
    ('it', 'Buongiorno, potreste inviarci un preventivo per 12 tende bianche?'),
    ('it', 'In allegato il nostro ordine per la prossima settimana.'),
    ('it', "Quando verrà consegnato l'ordine 4471?"),
    ('it', 'La tenda è arrivata danneggiata, chiediamo la sostituzione.'),
    ('nl', 'Hallo, kunt u ons een offerte sturen voor 12 witte zonneschermen?'),
    ('nl', 'In de bijlage vindt u onze bestelling voor volgende week.'),
    ('nl', 'Wanneer wordt order 4471 geleverd?'),
    ('nl', 'Het scherm is beschadigd aangekomen, graag een vervanging.'),
    ('pl', 'Dzień dobry, proszę o wycenę 12 białych markiz.'),
    ('pl', 'W załączniku przesyłamy nasze zamówienie na przyszły tydzień.'),
    ('pl', 'Kiedy zostanie dostarczone zamówienie 4471?'),
    ('pl', 'Markiza dotarła uszkodzona, prosimy o wymianę.'),
    ('sv', 'Hej, kan ni skicka en offert på 12 vita markiser?'),
    ('sv', 'Bifogat finns vår beställning för nästa vecka.'),
    ('sv', 'När levereras order 4471?'),
    ('sv', 'Markisen kom skadad, vi behöver en ersättning.'),
    ('da', 'Hej, kan I sende os et tilbud på 12 hvide markiser?'),
    ('da', 'Vedhæftet er vores bestilling til næste uge.'),
    ('da', 'Hvornår bliver ordre 4471 leveret?'),
    ('da', 'Markisen kom beskadiget, vi har brug for en ny.'),
    ('no', 'Hei, kan dere sende oss et tilbud på 12 hvite markiser?'),
    ('no', 'Vedlagt er vår bestilling for neste uke.'),
    ('no', 'Når blir ordre 4471 levert?'),
    ('no', 'Markisen kom skadet, vi trenger en ny.'),
    ('pt', 'Olá, podem enviar-nos um orçamento para 12 toldos brancos?'),
    ('pt', 'Em anexo segue a nossa encomenda para a próxima semana.'),
    ('pt', 'Quando será entregue a encomenda 4471?'),
    ('pt', 'O toldo chegou danificado, precisamos de uma substituição.'),
    ('cs', 'Dobrý den, můžete nám poslat nabídku na 12 bílých markýz?'),
    ('cs', 'V příloze posíláme naši objednávku na příští týden.'),
    ('cs', 'Kdy bude dodána objednávka 4471?'),
    ('cs', 'Markýza přišla poškozená, potřebujeme výměnu.'),
    ('en', 'Morning, just checking whether the samples went out yesterday.'),
    ('en', 'We would like to become a stockist, who should we talk to?'),
    ('de', 'Könnten Sie mir bitte mitteilen, wann die Ware verschickt wird?'),
    ('de', 'Wir sind an einer Zusammenarbeit als Händler interessiert.'),
    ('fr', 'Pouvez-vous me dire si les échantillons sont partis hier ?'),
    ('fr', 'Nous aimerions devenir revendeur de vos produits.'),
    ('fr', "On prend l'option deux, merci."),
    ('en', 'On order 4410 can you swap the natural guitars for sunburst?'),
    ('es', '¿Me pueden decir si las muestras salieron ayer?'),
    ('es', 'Nos gustaría ser distribuidores de sus productos.'),
    ('it', 'Potete dirmi se i campioni sono stati spediti ieri?'),
    ('it', 'Vorremmo diventare rivenditori dei vostri prodotti.'),
    ('nl', 'Kunt u mij laten weten of de stalen gisteren zijn verstuurd?'),
    ('nl', 'Wij willen graag dealer worden van uw producten.'),
    ('pl', 'Czy mogą Państwo potwierdzić, że próbki zostały wysłane wczoraj?'),
    ('pl', 'Chcielibyśmy zostać dystrybutorem Państwa produktów.'),
    ('sv', 'Kan ni bekräfta att proverna skickades i går?'),
    ('sv', 'Vi skulle vilja bli återförsäljare av era produkter.'),
    ('da', 'Kan I bekræfte, at prøverne blev sendt i går?'),
    ('da', 'Vi vil gerne være forhandler af jeres produkter.'),
    ('no', 'Kan dere bekrefte at prøvene ble sendt i går?'),
    ('no', 'Vi ønsker å bli forhandler av deres produkter.'),
    ('pt', 'Podem confirmar se as amostras foram enviadas ontem?'),
    ('pt', 'Gostaríamos de ser revendedores dos vossos produtos.'),
    ('cs', 'Můžete potvrdit, že vzorky byly včera odeslány?'),
    ('cs', 'Rádi bychom se stali prodejcem vašich výrobků.'),
]


@pytest.mark.parametrize(("lang", "sentence"), WRITTEN)
def test_each_dealer_language_is_told_from_one_sentence(lang, sentence):
    assert guess_language(sentence) == lang


def test_every_dealer_language_is_covered():
    assert {lang for lang, _ in WRITTEN} == set(LANGUAGES)


def test_accents_dropped_by_the_writer_still_count():
    assert guess_language("Dobry den, prosim o nabidku na dvanact markyz, dekuji") == "cs"
    assert guess_language("Dzien dobry, prosze o wycene, dziekuje i pozdrawiam") == "pl"


def test_too_short_or_wordless_text_gets_no_guess():
    assert guess_language("Ok") == ""
    assert guess_language("SC-1000 x 12, RAL 9016, 2400 x 1800 mm") == ""
    assert guess_language("") == ""


def test_letters_support_but_do_not_outvote_words():
    # An English note naming a Danish town and a Polish street is English.
    text = "Please deliver to our Ærøskøbing branch, Łódź Street 4, next week. Thanks"
    assert guess_language(text) == "en"
    assert scores("Ærøskøbing")["da"] > 0


def test_a_short_nordic_message_is_told_by_the_letters_its_language_never_writes():
    """Swedish, Danish and Norwegian share most small words; "läcker" has a letter no Danish
    word has, "tørrer" one no Swedish word has."""
    assert guess_language("Hej Karin, kaffemaskinen på caféet i Lund läcker vatten under droppbrickan. Mvh Olof") == "sv"
    assert guess_language("Hej Mette, vi står på Foodexpo i Herning i marts, stand C30. Mvh Jonas") == "da"
    assert scores("läcker")["sv"] > 0 and scores("på läcker").get("da", 0) < scores("på").get("da", 0)


def test_polish_letters_and_words_outvote_the_small_words_portuguese_shares():
    """"na", "da" are Portuguese words too; "ę" and "potrzebujemy" are no Portuguese."""
    assert guess_language("Potrzebujemy 4 pompy KP-40 na czwartek, da radę?") == "pl"
    assert guess_language("Precisamos de 4 bombas KP-40 para quinta-feira, é possível?") == "pt"
    assert guess_language("Ok, da tar vi 6 eikedører, samme finish som sist.") == "no"
    assert guess_language("Okay, så tager vi 6 egetræsdøre, samme finish som sidst.") == "da"


def test_the_new_text_decides_in_mixed_language_mail():
    reply = "Thanks, please go ahead with the order as quoted."
    quoted = "Sehr geehrte Damen und Herren, anbei unser Angebot für die Markisen."
    assert guess_language(reply) == "en" and guess_language(quoted) == "de"


@pytest.mark.parametrize(("lang", "sentence"), [
    ("pt", "Price\nHi Rachel, queria saber o preço de 4 toldos Arden 4 m com motor, delivered to Porto."),
    ("es", "Tracking\nHola Rachel, could you send me el tracking del pedido 2291? El cliente lo pide."),
])
def test_english_trade_words_do_not_outvote_the_dealers_own_language(lang, sentence):
    """A close second to English is the dealer's language: English keywords are searched in
    every language, the dealer's own words only in theirs."""
    assert guess_language(sentence) == lang
    # English well ahead stays English.
    assert guess_language("Hi Rachel, please send the price for 4 awnings, delivered to Porto. Obrigada") == "en"


@pytest.mark.parametrize(("lang", "sentence"), [
    ("de", "was kosten 20 Arbeitsplatten Eiche 3 m frei Hamburg?"),
    ("fr", "combien pour 20 plans de travail chêne livrés à Lille ?"),
    ("it", "quanto per 20 piani di lavoro in rovere resi a Bologna?"),
    ("es", "cuánto por 20 encimeras de roble puestas en Valencia?"),
])
def test_a_one_line_price_question_is_told(lang, sentence):
    assert guess_language(sentence) == lang


def test_an_italian_call_note_is_not_read_as_spanish():
    # "una", "su" and "ha" are Spanish words too; the note's verbs are not.
    assert guess_language("Telefonata Rossi: il divano consegnato ha una macchia su 2 cuscini, chiede sostituzione.") == "it"


@pytest.mark.parametrize(("lang", "sentence"), [
    ("nl", "Hallo, tekening is akkoord, mag in productie."),
    ("pl", "Witam, rysunek zatwierdzony, proszę o uruchomienie produkcji."),
    ("da", "Hej, tegningen er godkendt, I kan gå i produktion."),
    ("cs", "Dobrý den, výkres schvalujeme, můžete zahájit výrobu."),
    ("en", "Hi, drawing approved, please put it into production."),
    ("es", "Os informamos de que la tienda estará cerrada del 24 de diciembre al 2 de enero."),
    ("no", "Vi holder stengt fra 24. desember til 2. januar."),
    ("pt", "Informamos que a loja estará encerrada de 24 de dezembro a 2 de janeiro."),
    ("no", "Ok, vi kjører på."),
    ("da", "Fint, vi kører på."),
    # A product called "Pro" is no Czech "pro".
    ("pt", "Olá, reservem-nos 4 berbequins Pro 18V, passamos a levantar na sexta."),
    # A fault said in one line, with no greeting: "la", "de" and "u" are shared words.
    ("es", "La persiana de la señora López vuelve a atascarse a mitad de camino."),
    ("cs", "Markýza u pana Dvořáka zase drhne při zatahování."),
])
def test_a_one_line_approval_or_notice_is_told(lang, sentence):
    assert guess_language(sentence) == lang


@pytest.mark.parametrize(("lang", "sentence"), [
    ("cs", "Dveře u Nováka zlobí, zámek se zasekává."),
    ("no", "Freseren hos Olsen har begynt å tulle, den stopper hele tiden."),
    ("sv", "Laddstationen hos Lindgrens blinkar rött hela tiden."),
    ("es", "La mampara de la obra no cierra bien, queda una rendija de dos dedos."),
    ("pt", "Informamos que estaremos encerrados para férias de 1 a 21 de agosto."),
])
def test_a_short_line_of_a_close_language_is_told(lang, sentence):
    """Danish, Norwegian and Swedish, Spanish and Portuguese share many short words; each
    one's own ("å", "hela", "cierra", "férias") decides."""
    assert guess_language(sentence) == lang


def test_a_text_written_with_accents_does_not_meet_words_by_their_unaccented_form():
    # "for" is Danish and Norwegian, and Swedish "för" without its accent; "på" shows the
    # writer types accents, so "for" is not Swedish here.
    assert guess_language("Vi er nede på de sidste to brochurer for pergolaerne.") == "da"
    # Typed without accents, the unaccented forms still count: "Tack for hjalpen, vi har fatt allt".
    assert guess_language("Hej, tack for hjalpen med ordern, vi har fatt allt nu. Mvh Nils") == "sv"


def test_dutch_is_told_by_its_everyday_words():
    assert guess_language("Twee keukendeurtjes bij meneer Jansen laten aan de randen los, pas in maart geplaatst.") == "nl"


def _reply(new: str, quoted: str) -> bytes:
    return ("From: Rasmus <rasmus@example.dk>\r\nTo: ruth@example.co.uk\r\nSubject: Sv: Stole\r\n"
            "In-Reply-To: <a@example.co.uk>\r\nMessage-ID: <b@example.dk>\r\n\r\n"
            f"{new}\r\n\r\nDen tir. 1. dec. 2026 kl. 14.02 skrev Ruth <ruth@example.co.uk>:\r\n"
            + "".join(f"> {line}\r\n" for line in quoted.split("\n"))).encode()


def test_a_short_reply_is_read_in_the_language_of_what_it_answers():
    from intake.understand.parse import parse_email
    # On its own "Ja tak, send dem alle 18." reads as German as well as Danish.
    msg = parse_email(_reply("Ja tak, send dem alle 18.",
                             "Hej Rasmus, vi har 18 stole tilbage fra udstillingen til halv pris, skal I have dem?"))
    assert msg.language == "da"


def test_a_reply_long_enough_to_tell_keeps_its_own_language():
    from intake.understand.parse import parse_email
    msg = parse_email(_reply("Thanks Ruth, we will take all eighteen chairs, please deliver them next Tuesday.",
                             "Hej Rasmus, vi har 18 stole tilbage fra udstillingen til halv pris, skal I have dem?"))
    assert msg.language == "en"


@pytest.mark.parametrize(("new", "lang"), [
    ("Ok, schicken Sie sie.", "de"),
    ("Très bien, nous en prenons 10.", "fr"),
    ("Dobře, pošlete je.", "cs"),
    ("Prima, we nemen er 10.", "nl"),
])
def test_a_short_reply_in_its_own_language_under_our_english_quotation_keeps_it(new, lang):
    from intake.understand.parse import parse_email
    msg = parse_email(_reply(new, "Hi, please find our quotation for the 10 chairs attached, delivery in two weeks.\n\nKind regards"))
    assert msg.language == lang


def test_a_reply_too_short_to_tell_takes_the_language_of_the_thread():
    from intake.understand.parse import parse_email
    assert parse_email(_reply("Ok, mandamene 4.", "Ciao, abbiamo 10 lampade in offerta al 25%. Ti interessano?")).language == "it"
    assert parse_email(_reply("Ja tak, send dem alle 18.", "Hallo, wir haben noch 18 Stühle zum halben Preis, möchten Sie die?")).language == "de"


def test_ok_is_no_english_word():
    assert guess_language("Ok, mandamene quattro.") != "en"


def test_a_reply_under_our_english_subject_keeps_its_own_language():
    from intake.understand.parse import parse_email
    raw = (b"From: Poul <poul@example.dk>\r\nTo: sales@example.co.uk\r\nSubject: Re: Your order has shipped\r\n"
           b"In-Reply-To: <a@example.co.uk>\r\n\r\nHej,\r\n\r\nKom i dag, men en kasse var mast og to lamper er i stykker.\r\n")
    assert parse_email(raw).language == "da"


@pytest.mark.parametrize(("text", "lang"), [
    ("Montören har varit här, allt fungerar nu.", "sv"),
    ("Vi tager dem alle. Send dem på mandag.", "da"),
    ("Et av beina er knekt, resten er fint.", "no"),
])
def test_a_short_nordic_line_is_told_by_its_everyday_words(text, lang):
    assert guess_language(text) == lang
