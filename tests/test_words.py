"""Normalisation per language: a keyword written once finds the forms dealers write."""

import pytest

from intake.understand.rules.text import KeywordIndex, keyword_pattern
from intake.understand.rules.words import STEMMERS, fold, language_of, normalise, stems

# (language, keyword as a coordinator writes it, a sentence a dealer might write using
# another form of it, a sentence that must not match)
FORMS = [
    ("en", "order", "We ordered ten chairs last week", "Put them in alphabetical sequence"),
    ("en", "damaged", "Two cartons arrived with damage to the corners", "They arrived in good shape"),
    ("de", "bestellen", "Anbei unsere Bestellung für das Lager", "Wir haben eine Frage"),
    ("de", "anfrage", "Unsere Preisanfrage vom Montag", "Die Lieferung kam gestern"),
    ("fr", "commande", "Nous commandons trois bureaux", "Nous avons une question"),
    ("fr", "endommagé", "Les pieds sont endommagés", "Tout est arrivé en bon état"),
    ("es", "presupuesto", "Necesitamos dos presupuestos distintos", "Gracias por todo"),
    ("es", "dañado", "Las sillas llegaron dañadas", "Las sillas llegaron bien"),
    ("it", "preventivo", "Attendiamo i vostri preventivi", "Grazie mille"),
    ("it", "danneggiato", "Due scatole sono arrivate danneggiate", "Tutto perfetto"),
    ("nl", "bestelling", "Wij willen graag bestellen", "Wij hebben een vraag"),
    ("nl", "offerte", "Graag twee offertes voor de kasten", "Alles is goed aangekomen"),
    ("pl", "zamówienie", "Proszę o potwierdzenie zamówienia", "Dziękuję za informację"),
    ("pl", "zamowienie", "W załączeniu zamówienie nr 12", "Dziękuję za informację"),
    ("sv", "beställa", "Vi vill beställa sex skåp", "Tack för hjälpen"),
    ("sv", "skadad", "Tre stolar var skadade vid leverans", "Allt kom fram"),
    ("da", "bestilling", "Vedhæftet vores bestillinger", "Tak for hjælpen"),
    ("da", "prisliste", "Kan I sende prislisten", "Tak for hjælpen"),
    ("no", "bestilling", "Her er bestillingen vår", "Takk for hjelpen"),
    ("no", "skadet", "Tre skadede stoler i leveransen", "Alt kom fram"),
    ("pt", "encomenda", "Segue a nossa encomenda", "Obrigado pela ajuda"),
    ("pt", "orçamento", "Aguardamos os orçamentos", "Obrigado pela ajuda"),
    ("cs", "objednávka", "Posíláme objednávku na šest skříní", "Děkujeme za informaci"),
    ("cs", "poškozený", "Dvě židle byly poškozené", "Vše dorazilo v pořádku"),
]


@pytest.mark.parametrize(("lang", "keyword", "yes", "no"), FORMS)
def test_a_keyword_finds_its_other_forms_in_each_language(lang, keyword, yes, no):
    index = KeywordIndex({keyword_pattern(keyword)})
    assert index.hits(yes, lang), f"{keyword!r} should be found in {yes!r}"
    assert not index.hits(no, lang), f"{keyword!r} should not be found in {no!r}"


def test_every_dealer_language_has_a_stemmer():
    assert set(STEMMERS) == {"en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "no", "pt", "cs"}
    for lang in STEMMERS:
        assert stems("Testing", lang)


def test_accents_and_case_are_folded_after_stemming():
    assert fold("Größe ŁÓDŹ Ærø") == "grosse lodz aero"
    assert normalise("ZAMÓWIENIE", "pl") == normalise("zamowienie", "pl")
    assert normalise("Beställning", "sv") == normalise("bestallning", "sv") or \
        stems("beställning", "sv")[0].startswith(stems("bestallning", "sv")[0][:8])


def test_unknown_languages_fall_back_to_english_and_norwegian_codes_are_one():
    assert language_of("") == "en" and language_of("ja") == "en"
    assert language_of("nb") == language_of("nn") == "no"


def test_mixed_language_mail_still_meets_english_keywords():
    """A message detected as German with an English sentence: both sides use one stemmer."""
    index = KeywordIndex({keyword_pattern("price list")})
    assert index.hits("Guten Tag, please send your price lists. Danke", "de")


def test_compound_heads_match_only_in_compounding_languages():
    index = KeywordIndex({keyword_pattern("bestellung")})
    assert index.hits("Ersatzteilbestellung für Projekt 4", "de")
    assert not index.hits("Ersatzteilbestellung für Projekt 4", "fr")


@pytest.mark.parametrize(("lang", "keyword", "typed"), [
    ("pt", "gostaríamos de encomendar", ["Gostaríamos de encomendar 20 torneiras",
                                         "gostariamos de encomendar 20 torneiras"]),
    ("de", "wir benötigen", ["Wir benötigen 4 Türen", "wir benotigen 4 Turen"]),
    ("cs", "objednáváme", ["Objednáváme 10 ks", "objednavame 10 ks"]),
    ("pl", "chcielibyśmy zamówić", ["Chcielibyśmy zamówić 5 okien", "chcielibysmy zamowic 5 okien"]),
])
def test_a_keyword_written_with_accents_meets_text_typed_with_or_without_them(lang, keyword, typed):
    """Stemmers read accented and plain spellings as different words, so the keyword is
    stemmed in both forms; the dealer's keyboard decides which one arrives."""
    pattern = keyword_pattern(keyword)
    index = KeywordIndex({pattern}, spellings={pattern: {keyword}})
    for text in typed:
        assert index.hits(text, lang) == {pattern}, text


def test_sentence_numbers_follow_the_words_as_split():
    from intake.understand.rules.words import sentence_numbers, words

    text = "Bitte senden Sie uns 6 Sessel. Falls Sie Muster haben: gerne! Straße İstanbul 1.5 m"
    assert len(sentence_numbers(text)) == len(words(text))
    by_word = dict(zip(words(text), sentence_numbers(text), strict=True))
    assert by_word["sessel"] == 0 and by_word["falls"] == 1 and by_word["haben"] == 1
    assert by_word["gerne"] == 1 and by_word["strasse"] == 2 and by_word["m"] == 2


@pytest.mark.parametrize(("typed", "keyword"), [
    ("the chairs still haven't arrived", "have not arrived"),
    ("the motor doesn’t work", "does not work"),
    ("we can't find the delivery note", "can not find"),
    ("the drawer won't close", "will not close"),
    ("we're going to need six more", "we are going to need"),
    ("we’ll take the oak one", "we will take"),
    ("I'd like a price", "i would like"),
])
def test_english_contractions_meet_keywords_written_out(typed, keyword):
    from intake.understand.rules.words import sentence_numbers, words

    assert KeywordIndex({keyword_pattern(keyword)}).hits(typed, "en")
    assert len(sentence_numbers(typed)) == len(words(typed))


def test_an_apostrophe_in_other_languages_is_left_alone():
    from intake.understand.rules.words import words

    assert words("l'ordine n'est pas arrivé") == ["l", "ordine", "n", "est", "pas", "arrivé"]


@pytest.mark.parametrize(("typed", "keyword"), [
    ("can u resend invoce 66300", "invoice"),
    ("we never recieved it", "received"),
    ("can i get a qoute for 12 desks", "quote"),
    ("quote 5560 is fine go ahed pls", "go ahead"),
    ("when r u delivering", "when are you delivering"),
    ("need them on site tmrw", "tomorrow"),
])
def test_english_typed_in_a_hurry_meets_keywords_spelt_right(typed, keyword):
    assert KeywordIndex({keyword_pattern(keyword)}).hits(typed, "en")


@pytest.mark.parametrize(("typed", "lang", "keyword"), [
    ("tjs rien reçu pour la cde 0412", "fr", "toujours rien"),
    ("slt cb pour un plan quartz", "fr", "combien"),
    ("buenas q precio tiene el plato", "es", "qué precio"),
    ("ola qto custa o linho", "pt", "quanto custa"),
    ("ciao grz mille", "it", "grazie"),
])
def test_texting_shorthand_in_other_languages_meets_keywords_spelt_out(typed, lang, keyword):
    assert KeywordIndex({keyword_pattern(keyword)}).hits(typed, lang)


def test_keywords_read_a_subject_without_its_reply_and_forward_prefixes():
    from intake.understand.reply import topic

    assert topic("Re: quote Q-5560") == "0: quote Q-5560"
    assert topic("AW: WG: Re[2]: Angebot 2026-4412") == "0: 0: 0[2]: Angebot 2026-4412"
    assert topic("Requote for the Cole job") == "Requote for the Cole job"
    assert KeywordIndex({keyword_pattern("quote")}).hits(topic("Re: quote Q-5560"), "en")
    assert not KeywordIndex({keyword_pattern("re-quote")}).hits(topic("Re: quote Q-5560"), "en")
