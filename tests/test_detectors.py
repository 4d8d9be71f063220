"""Detectors: the structure of a message as evidence, one small function each."""

import pytest

from intake.understand.attachments import drawing_attachment, po_attachment
from intake.understand.detectors import dates, money, part_counts
from intake.understand.footer import without_boilerplate, without_contact_block, without_mobile_signature
from intake.understand.order_lines import order_lines
from intake.understand.quantities import added_quantities, quantities
from intake.understand.references import references, search_key
from intake.understand.reply import asked_in_quote, forwarded_text, split_postscript


def refs(text):
    return [(r.kind, r.value) for r in references(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Our PO is ND-5512, please confirm", [("po", "ND-5512")]),
    ("PO no. 88412 attached", [("po", "88412")]),
    ("Bestellnummer: 4500012345 vom 03.11.", [("po", "4500012345")]),
    ("Veuillez trouver notre bon de commande n° ABL-26-0915", [("po", "ABL-26-0915")]),
    ("Pedido nº 46-2026-0733 adjunto", [("po", "46-2026-0733")]),
    ("Zamówienie nr 12/2026/PL w załączeniu", [("po", "12/2026/PL")]),
    ("Vores ordrenummer er 88-4412.", [("po", "88-4412")]),
    ("Číslo naší objednávky: 2026/0312.", [("po", "2026/0312")]),
    ("Can you confirm sales order 99881 ships Friday?", [("sales_order", "99881")]),
    ("We accept your quotation QT 2026 118", [("quote", "QT 2026 118")]),
    ("Wie besprochen, Angebot Nr. AN-2026-311", [("quote", "AN-2026-311")]),
    ("As per Q-26-1281 for eight desks", [("quote", "Q-26-1281")]),
    ("Re claim 5521, the tops were cracked", [("claim", "5521")]),
    ("RMA 20-3312 issued?", [("claim", "20-3312")]),
    ("Copy of invoice INV-2026-77 please", [("invoice", "INV-2026-77")]),
    ("Faktura FV/2026/11/05 ma błędny NIP", [("invoice", "FV/2026/11/05")]),
    ("Tracking number 1Z999AA10123456784", [("tracking", "1Z999AA10123456784")]),
    ("Container MSKU 1234567 left Felixstowe", [("container", "MSKU1234567")]),
    # The longest label is read, not a shorter one and the rest of the word as a prefix.
    ("Klant gaat akkoord met offerte 7741", [("quote", "7741")]),
    ("Le client a accepté ta soumission 2026-112", [("quote", "2026-112")]),
])
def test_references_in_their_usual_shapes_and_languages(text, expected):
    assert refs(text) == expected


@pytest.mark.parametrize("text", [
    "We would like to order 20 chairs",  # a quantity, not a number of an order
    "Delivery in 2026 please",
    "Our order of 12.11. arrived",
    "Invoice address as before",
    "Forgot to add to the Oakwood order: 4.2m of upstand",  # a measurement, not an order number
    "Please add to our order: 900x600 splashback",
    "Bestellung: 55m2 Fliesen",
])
def test_no_reference_where_there_is_none(text):
    assert refs(text) == []


@pytest.mark.parametrize("text", [
    "We got the KX-40 but we ordered KX-60.",  # "ordered" is no label "order" before "ED KX-60"
    "Three corner posts CP-20 are bent",  # nor is "posts" a "PO" label
    "They quoted 4410 pounds for the lot",
])
def test_a_label_running_into_a_longer_word_names_no_reference(text):
    assert refs(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Bestellungen AB-1234 und AB-1240", [("po", "AB-1234")]),  # a plural label, its number whole
    ("commandes 4410 et 4411", [("po", "4410")]),
    ("Bestellnr. 4471", [("po", "4471")]),
])
def test_a_plural_label_or_one_run_into_its_abbreviation_still_labels(text, expected):
    assert refs(text)[:1] == expected


def test_search_keys_ignore_spacing_punctuation_and_labels():
    assert search_key("SO 12345") == search_key("so-12345") == search_key("12345") == "12345"
    assert search_key("PO-7731/B") == search_key("po 7731 b")
    assert search_key("QT 2026 118") != search_key("2026 119")


def test_order_lines_with_quantities_units_and_codes():
    text = ("Please supply:\n"
            "- 6 x Wear lockers 4 door, RAL 9006\n"
            "2 pcs SC-1000 storage\n"
            "12 Stk. Drehstuhl Modell Cleve\n"
            "8 bureaux Ouse OHA-1400 (L1400 x P700)\n"
            "Registered office: 2 Quay Street, Gloucester GL1 2XX\n"
            "We have been dealers for 3 years.\n")
    assert order_lines(text) == [
        "- 6 x Wear lockers 4 door, RAL 9006", "2 pcs SC-1000 storage", "12 Stk. Drehstuhl Modell Cleve",
        "8 bureaux Ouse OHA-1400 (L1400 x P700)"]


def test_counted_lines_one_under_another_are_order_lines_without_codes():
    text = "Os paso pedido:\n- 30 cajas de azulejo blanco\n- 10 sacos de cemento cola\n\nEntrega el lunes"
    assert order_lines(text) == ["- 30 cajas de azulejo blanco", "- 10 sacos de cemento cola"]
    # One counted line alone, a street address or time is not a list of goods.
    assert order_lines("Hi,\n12 boxes arrived fine\nThanks") == []
    assert order_lines("Our showroom\n12 High Street\nLeeds") == []
    assert order_lines("We waited\n3 days for it\n2 weeks later it came") == []


def test_rows_of_a_purchase_order_as_erp_systems_print_them():
    text = ("Réf.     Désignation           Qté   Unité   Prix\n"
            "KP-40    Tête de pompe          20    U       112,00\n"
            "10   SK-2   Dichtungssatz        5   ST\n"
            "Adresse de livraison : Dépôt de Lyon, 20 rue des Lilas\n"
            "PO 4500012345 dated 01.12.2026\n")
    assert order_lines(text) == ["KP-40    Tête de pompe          20    U       112,00",
                                 "10   SK-2   Dichtungssatz        5   ST"]


def test_lines_of_a_specification_count_sizes():
    text = ("hier die Küche für Familie Meier:\nUnterschränke: 3 x 60, 2 x 40\nOberschränke: 3 x 60\n"
            "Fronten: Landhaus, salbeigrün\nArbeitsplatte: 2 x 3 m Eiche\nMaße: 1200 x 1000\n")
    assert order_lines(text) == ["Unterschränke: 3 x 60, 2 x 40", "Oberschränke: 3 x 60",
                                 "Arbeitsplatte: 2 x 3 m Eiche"]


def test_a_size_run_is_an_order_line():
    assert order_lines("Size split for the 120 polos: S 10, M 35, L 40, XL 25, XXL 10. Thanks") == [
        "Size split for the 120 polos: S 10, M 35, L 40, XL 25, XXL 10. Thanks"]
    assert order_lines("XS: 4 / S: 12 / M: 20 / L: 8") == ["XS: 4 / S: 12 / M: 20 / L: 8"]
    # Sizes named without counts, or two sizes only, are not a run.
    assert order_lines("Do the jackets come in S, M and L?") == []
    assert order_lines("M 10 and L 5 are left in stock") == []


def test_several_items_on_one_line_count_each():
    from intake.understand.order_lines import item_count
    one_line = "4 x jockey wheels 48mm, 2 x lighting boards 7 pin, 6 x ratchet straps. Usual account."
    assert item_count(order_lines(one_line)) == 3
    # "RAL 9006" is the finish of the one item, not another.
    assert item_count(order_lines("6 x Wear lockers, RAL 9006")) == 1


def test_an_order_line_inside_a_sentence():
    assert order_lines("I kan gå i gang med produktionen - 24 stk. Wear WL-4D i RAL 9005.") == [
        "I kan gå i gang med produktionen - 24 stk. Wear WL-4D i RAL 9005."]
    assert order_lines("Postcode BB11 2XX, call 07700 900742") == []


def test_attachments_named_like_a_purchase_order_or_a_drawing():
    files = [("PO 55123.pdf", "application/pdf"), ("Bestellung_2026-1184.pdf", "application/pdf"),
             ("IMG_0231.jpg", "image/jpeg"), ("HG-DRW-2290 rev A underskrevet.pdf", "application/pdf"),
             ("layout.dwg", "application/octet-stream"), ("photo order.jpg", "image/jpeg")]
    assert po_attachment(files) == ["PO 55123.pdf", "Bestellung_2026-1184.pdf"]
    assert drawing_attachment(files) == ["HG-DRW-2290 rev A underskrevet.pdf", "layout.dwg"]
    regional = [("OC-4471.pdf", "application/pdf"), ("bestelbon-331.pdf", "application/pdf"),
                ("Orden_de_compra_12.pdf", "application/pdf"), ("rocket-stove.pdf", "application/pdf")]
    assert po_attachment(regional) == ["OC-4471.pdf", "bestelbon-331.pdf", "Orden_de_compra_12.pdf"]


@pytest.mark.parametrize(("text", "lines"), [
    # The count in a column of its own, first or last.
    ("Množství | Kód | Popis\n6 | AX-160-WH | Stůl Axis 160 bílý\n2 | AX-PED-3 | Kontejner Axis",
     ["6 | AX-160-WH | Stůl Axis 160 bílý", "2 | AX-PED-3 | Kontejner Axis"]),
    ("Item | Qty\nAxis desk 160x80 white | 10", ["Axis desk 160x80 white | 10"]),
    # A labelled count beside a labelled article, on its line or the line above.
    ("Quantità: 6 - Articolo: scrivania Axis", ["Quantità: 6 - Articolo: scrivania Axis"]),
    ("Artikel: Axis Schreibtisch\nMenge: 6", ["Menge: 6"]),
    # The label's colon is often left out; a decimal is a length, not a count.
    ("Artikel: AX-160, Axis bureau, aantal 4\nArtikel: AX-PED, ladeblok, aantal 2",
     ["Artikel: AX-160, Axis bureau, aantal 4", "Artikel: AX-PED, ladeblok, aantal 2"]),
    ("Item: worktop oak. Qty 2.5 m", []),
    # An EDI row labels its code without a colon: "Artikel TC-300-BK ... Menge 12".
    ("Pos 10  Artikel TC-300-BK  Bürostuhl schwarz  Menge 12  ST",
     ["Pos 10  Artikel TC-300-BK  Bürostuhl schwarz  Menge 12  ST"]),
    ("Artikel mit Menge 12 bitte", []),
    # The label or the "x" before the count, as a trade counter writes it.
    ("qty 6 - HNG-75 butt hinges\nqty 2 - DC-3 door closer", ["qty 6 - HNG-75 butt hinges", "qty 2 - DC-3 door closer"]),
    ("x4 FD30 intumescent strip\nx10 cold smoke seal", ["x4 FD30 intumescent strip", "x10 cold smoke seal"]),
    ("x2.5m of cable\nQty: 3 weeks", []),
    # A form's count of brochures names no article; nothing is a count of nought.
    ("Brochures wanted: Doors 2027\nQuantity: 25 of each", []),
    ("Artikel: Axis\nMenge: 0", []),
])
def test_order_lines_in_tables_and_labelled_fields(text, lines):
    assert order_lines(text) == lines


@pytest.mark.parametrize(("text", "main", "ps"), [
    ("Please find our order.\n\nPS: could you send the new catalogue?", "Please find our order.",
     "PS: could you send the new catalogue?"),
    ("Adjuntamos el pedido.\nP.D. ¿nos enviáis el catálogo?", "Adjuntamos el pedido.", "P.D. ¿nos enviáis el catálogo?"),
    ("Order attached.\nBy the way, are you at the trade fair?", "Order attached.", "By the way, are you at the trade fair?"),
    ("PSU is faulty on unit 3", "PSU is faulty on unit 3", ""),
    ("PS only a postscript", "PS only a postscript", ""),
    # thanks and then a "by the way": what follows is the message
    ("Takk. Forresten var to takstein knust.", "Takk. Forresten var to takstein knust.", ""),
    # "By the way" and its kin also start a side request mid-line, after a sentence ends ...
    ("Kiedy dotrze zamówienie 881? Przy okazji prosimy o katalogi.", "Kiedy dotrze zamówienie 881?",
     " Przy okazji prosimy o katalogi."),
    # ... not inside one.
    ("We ordered them by the way you suggested.", "We ordered them by the way you suggested.", ""),
    # A "by the way" in the middle of a chatty mail brings up its main subject ...
    ("Tutto bene? La fiera è andata benissimo.\n\nA proposito, ci servono 5 pensili da 60.\n\n"
     "Sai se Marco è ancora da voi?\n\nA presto\nChiara",
     "Tutto bene? La fiera è andata benissimo.\n\nA proposito, ci servono 5 pensili da 60.\n\n"
     "Sai se Marco è ancora da voi?\n\nA presto\nChiara", ""),
    # ... the last thing said, with a closing under it, is an aside.
    ("Nos hacen falta 6 puertas.\n\nPor cierto, ¿vais a subir precios?\n\nUn abrazo\nPilar",
     "Nos hacen falta 6 puertas.", "Por cierto, ¿vais a subir precios?\n\nUn abrazo\nPilar"),
    ("¿Qué precio tendrían 10 insertables?\n\nDe paso, mandadnos el catálogo.\n\nGracias",
     "¿Qué precio tendrían 10 insertables?", "De paso, mandadnos el catálogo.\n\nGracias"),
    # What the main text points to, under the signature that closes the postscript, is main text.
    ("Order below for the spring.\n\nPS could you send a few fitting guides?\n\nJo\n\n6 x GP saddle 17in\n4 x cob bridle",
     "Order below for the spring.\n\n6 x GP saddle 17in\n4 x cob bridle", "PS could you send a few fitting guides?\n\nJo"),
    # "À propos de votre devis" is "about your quote".
    ("Bonjour,\nÀ propos de votre devis 4410, c'est bon pour nous.", "Bonjour,\nÀ propos de votre devis 4410, c'est bon pour nous.", ""),
])
def test_postscript_is_a_side_request(text, main, ps):
    assert split_postscript(text) == (main, ps)


def test_forwarded_message_text_is_found_below_its_headers():
    text = ("Can you sort this please\n\n-------- Forwarded Message --------\nFrom: End Client <c@x.example>\n"
            "Date: Tue, 1 Dec 2026\nSubject: chair\nTo: Dealer <d@y.example>\n\nThe chair wobbles badly.\n")
    assert forwarded_text(text) == "The chair wobbles badly."
    assert forwarded_text("Just a note, nothing forwarded") == ""


@pytest.mark.parametrize("notice", [
    "All orders are accepted subject to our standard terms and conditions of sale.",
    "Es gelten unsere Allgemeinen Geschäftsbedingungen für alle Bestellungen und Angebote.",
    "Todos los pedidos están sujetos a nuestras condiciones generales. Presupuestos válidos 30 días.",
    "Op al onze offertes en orders zijn onze algemene voorwaarden van toepassing.",
    "Všechny objednávky a nabídky se řídí našimi obchodními podmínkami.",
    # The stock offer to answer questions that closes a business letter.
    "Für Rückfragen stehen wir Ihnen gerne zur Verfügung.",
    "Nous restons à votre disposition pour tout renseignement complémentaire.",
    "Quedamos a su disposición para cualquier aclaración.",
    "Voor vragen kunt u altijd contact met ons opnemen.",
    "W razie pytań pozostajemy do dyspozycji.",
])
def test_boilerplate_at_the_end_is_left_out(notice):
    text = f"Does the Apex desk come in 1800?\n\nThanks\nJo\n\n{notice}"
    assert without_boilerplate(text) == "Does the Apex desk come in 1800?\n\nThanks\nJo"


def test_boilerplate_words_in_the_request_itself_stay():
    po = "Dear Supplier,\n\nPlease supply the goods below in accordance with our terms and conditions.\n\n10 x WT-3000"
    assert without_boilerplate(po) == po
    assert without_boilerplate("Please send your terms and conditions.") == "Please send your terms and conditions."
    # The last paragraph of a request that asks for the maker's terms is the request.
    ask = "Dear Sir,\n\nWe would like to become your distributor. Kindly revert with your terms and conditions."
    assert without_boilerplate(ask) == ask
    french = "Bonjour,\n\nMerci de nous envoyer vos conditions générales de vente."
    assert without_boilerplate(french) == french
    # Their own terms, at the end, are boilerplate.
    assert without_boilerplate("Order attached.\n\nAll orders are subject to our terms and conditions.") == "Order attached."


@pytest.mark.parametrize("block", [
    "Sales Office\nTel +44 1632 960000 | www.dealer.example.com\nNew 2027 catalogue out now!",
    "Oliver Hart\nOakline Interiors\nM: 07700 900123\noliver@oakline.example.co.uk",
    "Möbel Roth GmbH\nTelefon: +49 30 1234567\nBesuchen Sie unseren Showroom!",
])
def test_a_signature_contact_block_at_the_end_is_left_out(block):
    text = f"Brilliant, thanks Emma.\n\nGareth\n\n{block}"
    assert without_contact_block(text) == "Brilliant, thanks Emma.\n\nGareth"


@pytest.mark.parametrize("text", [
    # The request itself, with a web address in it.
    "Hi,\n\nCan you quote for 20 of these?\nwww.example.com/p/123",
    # Delivery details: a telephone number without a label.
    "Please deliver to Unit 4, Mill Lane, Leeds.\n\nSite contact Rachel\n07700 900456",
    # One paragraph only.
    "Tel +44 1632 960000\nwww.dealer.example.com",
])
def test_contact_details_that_are_the_message_stay(text):
    assert without_contact_block(text) == text


def test_a_forwarded_body_line_with_a_colon_is_not_taken_for_a_header():
    text = ("Graag verwerken.\n\n---------- Doorgestuurd bericht ----------\nVan: De Vries Keukens\n"
            "Onderwerp: bestelling\n\nGraag leveren: 3 kolomkasten 60 cm wit\nGroet")
    assert forwarded_text(text) == "Graag leveren: 3 kolomkasten 60 cm wit\nGroet"


@pytest.mark.parametrize(("text", "found"), [
    ("Can you deliver by 12.12.2026?", ["12.12.2026"]),
    ("Lieferung bitte in KW 48", ["KW 48"]),
    ("Livraison souhaitée semaine 48 à notre dépôt", ["semaine 48"]),
    ("We need them on site by the 3rd December", ["3rd December"]),
    ("Levering i uge 49, tak", ["uge 49"]),
    ("Entrega el 15 de enero, por favor", ["15 de enero"]),
    ("Leverans senast 4 januari 2027", ["4 januari 2027"]),
    ("Our PO 4500-2231 for 12 chairs", []),
])
def test_dates_asked_for(text, found):
    assert dates(text) == found


def test_shorthand_counts_with_the_x_first():
    assert sorted(quantities("pls send x6 oslo ftstl + x 2 benches")) == ["2 benches", "6 oslo"]
    assert quantities("size 1200x1400 mm, a 4x6 photo") == []


def test_an_area_of_goods_is_a_quantity():
    assert quantities("Bitte reservieren Sie uns die 240 m² Eiche", "de") == ["240 m²"]
    assert quantities("we need 120 sqm of the oak") == ["120 sqm"]
    assert quantities("300 m2 de tarima", "es") == ["300 m2"]
    assert quantities("a 4m2x6 board, RAL 9016") == []


@pytest.mark.parametrize(("text", "lang", "found"), [
    ("Please send 12 kg of the dark roast and 6 kg of decaf", "en", ["12 dark", "6 decaf"]),
    ("Bitte 25 kg Vogelfutter und 10 kg Streusalz", "de", ["25 Vogelfutter", "10 Streusalz"]),
    ("Il nous faut 40 kg de semences et 15 kg d'engrais", "fr", ["40 semences", "15 engrais"]),
    ("Vi vil gerne have 8 kg teblade og 4 kg kaffe", "da", ["8 teblade", "4 kaffe"]),
    # a weight told of something is no count of goods
    ("The pallet weighs 320 kg with the boxes on", "en", []),
    ("Belastung max. 40 kg pro Fach", "de", []),
    ("They come in a 25 kg sack", "en", []),
])
def test_goods_sold_by_weight_are_counted(text, lang, found):
    assert quantities(text, lang) == found


def test_a_number_before_a_verb_counts_nothing():
    assert quantities("bei drei ist der Griff locker", "de") == []
    assert quantities("sur les 12, 3 sont cassés", "fr") == []
    assert quantities("bitte drei Kartons Bälle", "de") == ["drei kartons"]  # counted in words: read folded


def test_one_pack_of_something_is_a_count_in_english():
    assert quantities("could you add a case of the blue gloves as well", "en") == ["a case of the blue"]
    assert quantities("put another pallet of slabs on", "en") == ["another pallet of slabs"]
    assert quantities("a lot of customers ask for it", "en") == []


def test_quantities_count_things_not_time_sizes_money_or_years():
    text = "Necesitamos 6 toldos, 12 Markisen und 3 stores; in 3 days, 4 m wide, 200 EUR each, in 2026 please"
    assert quantities(text) == ["6 toldos", "12 Markisen", "3 stores"]
    # A standard's number before a preposition names the standard ("EN 747 für das Hochbett").
    assert quantities("Prüfzeugnis nach EN 747 für das Hochbett", "de") == []
    # A sum after its currency sign is money, whatever word follows it.
    assert quantities("Is the Oslo table still £310 trade, or € 290 delivered?") == []
    # A clock time or a duration is no count ("Length: 0:03\nMessage: ...").
    assert quantities("Length: 0:03\nMessage: no speech detected") == []
    assert quantities("Termin am Donnerstag um 10 Uhr bei Ihnen", "de") == []
    # A number after a short word in capitals names a model, unless the mail is in capitals.
    assert quantities("Ist die AW 12 auf der Förderliste?", "de") == []
    assert quantities("the KWL 350 with 2 spare filters") == ["2 spare"]
    assert quantities("PLEASE SEND 12 BOXES") == ["12 BOXES"]
    assert quantities("OK 12 chairs then") == ["12 chairs"]
    # A place on a site or an estate names where, not how many.
    assert quantities("It's the Unit 4 address, not the shop") == []
    assert quantities("Lieferung an Halle 3 Tor 2, bitte 6 Tore", "de") == ["6 Tore"]
    assert quantities("livraison bâtiment 2, quai 5", "fr") == []
    assert quantities("entregar en la nave 7 del polígono, 10 toldos", "es") == ["10 toldos"]



def test_dimensions_are_sizes_width_by_height_not_counts_or_versions():
    from intake.understand.detectors import dimensions

    assert dimensions("merci de nous livrer une porte 2400 x 2000 blanche") == ["2400 x 2000"]
    assert dimensions("Roma 60x60 gris, 140 x 200 cm") == ["60x60", "140 x 200 cm"]
    assert dimensions("3 x 4 chairs, version 2.0 x 3, ring 0161 x 2") == []
    # In metres, with the unit: "bitte eine Markise 4,5 x 3,0 m", "4.0m x 3.0m projection".
    assert dimensions("bitte eine Markise 4,5 x 3,0 m, Tuch 3204") == ["4,5 x 3,0 m"]
    assert dimensions("2 Arden awnings 4.0m x 3.0m projection") == ["4.0m x 3.0m"]
    # A shed's size written tight, and one width in metres.
    assert dimensions("caseta Ashby 10x8, pintada en verde") == ["10x8"]
    assert dimensions("The Hartleys want the 4m Solent, and the 3,5 m one") == ["4m", "3,5 m"]
    assert dimensions("a budget of £5m, 20 m² of tiles, 2 mins") == []


@pytest.mark.parametrize(("text", "found"), [
    ("2 x Sofa Mira 3-Sitzer", ["2 Sofa"]),
    ("6 × chairs and 4x stools", ["6 chairs", "4 stools"]),
    ("2 xenon lamps", ["2 xenon"]),
    ("1200 x 1000 mm", []),
    ("Order: 6 x oak bench 1800", ["6 oak"]),
    ("order 4412 arrived", []),
    ("we'd like 6 of the manual awnings", ["6 manual"]),
    ("please send 2 of the 2-person booths", ["2 person"]),
])
def test_a_count_written_with_times_counts_the_thing_after_it(text, found):
    assert quantities(text) == found

@pytest.mark.parametrize(("text", "found"), [
    ("can you stick another 6 of the SD-90 on order 55120", ["another 6"]),
    ("need 4 more KP-40 asap", ["4 more"]),
    ("wir brauchen noch 6 Stück", ["noch 6"]),
    ("encore 3 stores svp", ["encore 3"]),
    ("6 más por favor", ["6 mas"]),
    ("servono altri 5 pannelli", ["altri 5"]),
    ("graag nog 8 deuren", ["nog 8"]),
    ("prosimy jeszcze 4 sztuki", ["jeszcze 4"]),
    ("vi behöver ytterligare 2", ["ytterligare 2"]),
    ("precisamos de mais 3 portas", ["mais 3"]),
    ("potřebujeme dalších 5 ks", ["dalsich 5 ks"]),
    ("we need more information", []),
    ("noch 3 Tage", []),
    ("another 2 weeks", []),
    ("6 til 8 uker", []),
    ("in 2026 more", []),
    ("he recommended us to another 2 firms", []),
    ("hemos hablado con otros 3 distribuidores", []),
])
def test_more_of_something(text, found):
    assert added_quantities(text) == found


@pytest.mark.parametrize(("text", "lang", "found"), [
    ("can you add two more of the tall ones", "en", ["two more"]),
    ("kylarna är slut, vi behöver fem till", "sv", ["fem till"]),
    ("bitte noch zwei Stück", "de", ["noch zwei"]),
    ("il en faudrait deux de plus", "fr", ["deux de plus"]),
    ("ce ne servono altri tre", "it", ["altri tre"]),
    ("two more weeks at least", "en", []),
    # Read in the message's language only: "ten" is English, "fem" Scandinavian.
    ("vi behöver fem till", "en", []),
    # Others after a preposition are other people or places, not more goods.
    ("o cliente recomendou-nos a outros dois gabinetes", "pt", []),
    ("mandem outros dois painéis", "pt", ["outros dois"]),
    ("abbiamo parlato con altri due rivenditori", "it", []),
    ("he passed our name on to another two dealers", "en", []),
    ("could do with another two", "en", ["another two"]),
])
def test_more_of_something_counted_in_words(text, lang, found):
    assert added_quantities(text, lang) == found


@pytest.mark.parametrize(("text", "lang", "found"), [
    ("je voudrais commander dix chaises grises", "fr", ["dix chaises"]),
    ("ich bräuchte zwanzig Schreibtische", "de", ["zwanzig schreibtische"]),
    ("queria saber el precio de veinte sillas", "es", ["veinte sillas"]),
    ("chciałbym zamówić dziesięć krzeseł", "pl", ["dziesiec krzesel"]),
    ("objednávám ještě dvoje vchodové dveře", "cs", ["dvoje vchodove"]),
    ("zamawiamy troje drzwi", "pl", ["troje drzwi"]),
    ("in two weeks, two and a half", "en", []),
    ("très bien, merci", "fr", []),
    ("ten minste morgen", "nl", []),  # "ten" counts in English only
    ("ten chairs please", "nl", []),
    ("ordino sei lavabi bianchi", "it", ["sei lavabi"]),
    ("ten of the white internal doors", "en", ["ten white"]),
    ("two of them", "en", []),
    ("sei sicuro? sei stato molto gentile", "it", []),  # "you are", not "six"
    # Counts written as one word of several.
    ("vi skulle behöva tjugofem par arbetsbyxor", "sv", ["tjugofem par"]),
    ("wir brauchen fünfundzwanzig Stühle", "de", ["funfundzwanzig stuhle"]),
    ("graag vijfentwintig dozen", "nl", ["vijfentwintig dozen"]),
    ("vi skal bruge femogtyve stole", "da", ["femogtyve stole"]),
    ("ci servono venticinque sedie", "it", ["venticinque sedie"]),
    ("il nous faut vingt-cinq chaises", "fr", ["vingt-cinq chaises"]),
    ("proszę przygotować czterdzieści par spodni", "pl", ["czterdziesci par"]),
    # A short word between the count and its things, but not a little word of the sentence.
    ("can we get forty hi vis vests", "en", ["forty vis"]),
    ("call me at ten to five", "en", []),
    ("twenty in all", "en", []),
    ("ik bel om tien uur", "nl", []),
    # Digits read out one by one name a reference; a compound number still counts.
    ("just checking when our order seven one nine six zero is coming", "en", []),
    ("objednávám dvacet pět metrů laminátu", "cs", ["dvacet pet"]),
    # How many kinds, not how many things.
    ("the tiles are from two different batches", "en", []),
    ("die Fliesen stammen aus zwei verschiedenen Chargen", "de", []),
    ("dlaždice jsou ze dvou různých šarží", "cs", []),
    # The teens and the tens, and Belgian French.
    ("pourriez-vous nous livrer septante mètres de toile", "fr", ["septante metres"]),
    ("trenger pris på nitti kontorstoler", "no", ["nitti kontorstoler"]),
    ("we need seventeen chairs", "en", ["seventeen chairs"]),
    # How often, not how many.
    ("nos habéis cobrado el transporte dos veces", "es", []),
    ("vous avez facturé le transport deux fois", "fr", []),
    ("jste nám dopravu účtovali dva krát", "cs", []),
    # A count of something named before, not a count of "when".
    ("Send gerne 20 stk når det er klar.", "da", []),
    ("Send us 20 when it is ready.", "en", []),
    # A model's number before a preposition counts nothing.
    ("potřebujeme certifikát k oknům Alu 70 pro kolaudaci", "cs", []),
])
def test_counts_written_in_words_in_the_messages_language(text, lang, found):
    assert quantities(text, lang) == found


def test_a_number_after_a_reference_label_is_not_a_quantity():
    assert quantities("Hei, når blir ordre 5561 levert?") == []
    assert quantities("order no. 4412 arrived, invoice #8810 paid, objednávka č. 4412 dorazila") == []
    assert quantities("we need 12 chairs for order 551 please") == ["12 chairs"]


def test_a_count_before_a_catalogue_code_is_a_quantity_anywhere_in_a_sentence():
    assert quantities("Bitte 10 BR-220 auf unser Konto") == ["10 BR-220"]
    assert quantities("Anna - 6 FL-100 on the next van please") == ["6 FL-100"]
    assert quantities("order no. 6 PO-1234 arrived") == []
    assert quantities("Can you send 30 of the FC-10 cartridges please") == ["30 FC-10"]


def test_a_number_read_out_digit_by_digit_counts_nothing_after_it():
    assert quantities("la commande quatre quatre un deux est bien partie", "fr") == []
    assert quantities("ten chairs and two tables", "en") == ["ten chairs", "two tables"]


def test_danish_i_before_a_number_is_you_not_a_model():
    assert quantities("Har I 10 pumper KP-40 på lager?", "da") == ["10 pumper"]
    assert quantities("ist die AW 12 auf der Liste", "de") == []


def test_a_count_of_some_of_a_kind_counts_in_other_languages_too():
    assert quantities("Vi tager 2 af de antracitgrå, hvis de stadig er der.", "da") == ["2 antracitgrå"]
    assert quantities("Nos quedamos 2 de los blancos", "es") == ["2 blancos"]


def test_a_house_number_after_a_street_counts_nothing_however_long_the_street_name():
    assert quantities("Lieferung an Industriestraße 4 Halle B", "de") == []
    assert quantities("Graag leveren op de Kerkstraat 12 achterom", "nl") == []
    assert quantities("Leverans till Storgatan 3 bakom butiken", "sv") == []
    assert quantities("Bitte an Weg 4 Kartons liefern", "de") == ["4 Kartons"]  # "Weg" alone is no street


def test_a_size_or_model_after_an_article_is_not_a_count():
    assert quantities("Will the 1200 enclosure fit on your 800 tray?") == []
    assert quantities("Le 600 vasque existe-t-il en blanc ? Das 900 Becken auch?") == []
    assert quantities("we need 1200 screws and the 20 chairs") == ["1200 screws", "20 chairs"]


@pytest.mark.parametrize(("text", "found"), [
    ("could you do them at £180 each instead of £210?", ["£180", "£210"]),
    ("à 180 € au lieu de 210 €, voor € 180", ["180 €", "210 €", "€ 180"]),
    ("EUR 1.250,00 net, 4 500 kr, 1200 zł, 3 900 Kč", ["EUR 1.250,00", "4 500 kr", "1200 zł", "3 900 Kč"]),
    ("we need 2 euro pallets and 6 x chairs in 2026", []),
])
def test_amounts_of_money_with_their_currency(text, found):
    assert money(text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("Only 4 of the 6 chairs came today", ["4 of the 6"]),
    ("nur 4 von 6 Stühlen, reçu que 4 chaises sur 6, solo 4 de las 6", ["4 von 6", "4 chaises sur 6", "4 de las 6"]),
    ("tylko 4 z 6 krzeseł, bara 4 av 6, jen 4 ze 6 židlí", ["4 z 6", "4 av 6", "4 ze 6"]),
    ("6 of 4, order 4412 of 2026, 2 of 2.5 m", []),
])
def test_part_of_a_count(text, found):
    assert part_counts(text) == found


@pytest.mark.parametrize(("text", "left"), [
    ("Sent from my iPhone", ""),
    ("Please send 6 chairs.\n\nVon meinem iPhone gesendet", "Please send 6 chairs."),
    ("Envoyé de mon iPhone", ""),
    ("Verzonden vanaf mijn Samsung Galaxy", ""),
    ("Sent from our Leeds warehouse yesterday, the 6 chairs arrived damaged.",
     "Sent from our Leeds warehouse yesterday, the 6 chairs arrived damaged."),
])
def test_what_a_phone_adds_under_a_mail_is_not_the_dealers_words(text, left):
    assert without_mobile_signature(text) == left


def test_rows_under_a_quantity_column_are_order_lines_without_units():
    # An ERP or spreadsheet table: the count stands in its own column, with no unit after it.
    text = ("Inkooporder: 2026-0917\n\n"
            "Artikel  Omschrijving        Aantal\n"
            "SD-40    Sectionaaldeur 2500  3\n"
            "RC-2     Handzender           6\n\n"
            "Deze order is automatisch aangemaakt.\n")
    assert order_lines(text) == ["SD-40    Sectionaaldeur 2500  3", "RC-2     Handzender           6"]
    piped = "Pos | Artikel | Menge | Preis\n1 | Drehstuhl Cleve | 12 | 210,00\n2 | Rollcontainer | 4 | 95,00\n"
    assert order_lines(piped) == ["1 | Drehstuhl Cleve | 12 | 210,00", "2 | Rollcontainer | 4 | 95,00"]
    italian = "Codice   Descrizione            Q.tà   Prezzo\nPX-5     Adesivo pavimenti      30     22,00\n"
    assert order_lines(italian) == ["PX-5     Adesivo pavimenti      30     22,00"]
    # The word alone in a sentence is no table, and a header with no rows under it has none.
    assert order_lines("What quantity  do you need?\nLet me know") == []
    assert order_lines("Qty  Item\n\nThanks") == []


def test_a_count_after_the_goods_at_the_end_of_a_line_is_an_order_line():
    text = ("Kindly find below our order for supply:\n"
            "1. Executive chair model Aston black leather - 24 nos\n"
            "2. Meeting table 2400x1200 walnut: 2 pcs\n"
            "Please confirm the delivery schedule.\n")
    assert sorted(order_lines(text)) == ["1. Executive chair model Aston black leather - 24 nos",
                                         "2. Meeting table 2400x1200 walnut: 2 pcs"]
    # Spanish "nos" (us) after a number is no count of goods.
    assert order_lines("Hola, a las 10 nos vemos en la obra") == []


def test_an_outlook_forward_is_told_by_its_subject_alone():
    text = ("Can you help with this one?\n\n-----Ursprüngliche Nachricht-----\nVon: Hans Beck\n"
            "Gesendet: Montag, 30. November 2026 09:14\nBetreff: Tür\n\nDie Tür schließt nicht mehr richtig.")
    assert forwarded_text(text, "WG: Tür") == "Die Tür schließt nicht mehr richtig."
    assert forwarded_text(text, "AW: Tür") == ""  # the same block under a reply is history
    block = ("Please see below.\n\nFrom: Ann Lee\nSent: 02 December 2026 18:12\nTo: Kim\nSubject: Door\n\n"
             "The pivot door has dropped.\nAnn")
    assert forwarded_text(block, "FW: Door") == "The pivot door has dropped.\nAnn"
    assert forwarded_text("Von: uns\nnothing else", "WG: x") == ""


def test_a_count_before_a_hyphenated_product_name_is_a_quantity():
    assert quantities("mandaci per favore 3 E-Trek M salvia", "it") == ["3 E-Trek"]
    assert quantities("bitte 4 K-Line Schränke", "de") == ["4 K-Line"]
    assert quantities("it takes 2 x-ray checks", "en") == []  # "x" here is the times sign


def test_a_question_in_the_first_quoted_lines_is_what_a_reply_answers():
    assert asked_in_quote("Grey please.\n\n> Which fabric would you like, grey or oatmeal?\n> Anna")
    assert not asked_in_quote("Grey please.\n\n> Your order is booked for Tuesday.\n> Anna")
    assert not asked_in_quote("Grey? Really?\n\n> Your order is booked for Tuesday.")  # the dealer's own question
    far = "Fine.\n\n" + "> Thanks for your order.\n" * 40 + "> Would you like it sooner?"
    assert not asked_in_quote(far)  # a question deep in a long thread is not the one answered


def test_a_count_in_thousands_with_a_separator_is_a_quantity_but_money_is_not():
    assert quantities("pedido: 2.000 tejas mixtas y 80 caballetes", "es") == ["2.000 tejas", "80 caballetes"]
    assert quantities("1.400 Dachziegel schiefergrau", "de") == ["1.400 Dachziegel"]
    assert quantities("das kostet 1.500 euros", "de") == []
    assert quantities("Industriestraße 4 liefern", "de") == []  # a house number
    assert quantities("180 x 200 graag", "nl") == []  # a size, then please


def test_a_clock_time_after_before_or_after_is_not_a_count():
    assert quantities("Mornings are best, before 11 ideally.", "en") == []
    assert quantities("bitte vor 10 anrufen", "de") == []
    assert quantities("please send 6 chairs before Friday", "en") == ["6 chairs"]


def test_a_rating_in_stars_is_not_a_count():
    assert quantities("the customer gave us 5 stars on Trustpilot", "en") == []
    assert quantities("kunden har givet os fem stjerner", "da") == []
    assert quantities("wir brauchen 5 Sterngriffe", "de") == ["5 Sterngriffe"]  # a product, not stars


def test_working_days_are_a_time_not_a_count():
    assert quantities("we will respond within 2 working days", "en") == []
    assert quantities("vi återkommer inom två arbetsdagar", "sv") == []
    assert quantities("Antwort innerhalb von 2 Werktagen", "de") == []
    assert quantities("we need 2 worktops", "en") == ["2 worktops"]
    assert quantities("dodání do 5 pracovních dnů, nebo za 3 pracovní dny", "cs") == []
    # "pracovní deska" is a worktop: working, but not days
    assert quantities("objednávám 2 pracovní desky", "cs") == ["2 pracovní"]
    assert quantities("we need 2 working platforms", "en") == ["2 working"]


def test_a_count_of_a_size_is_a_count_but_a_size_in_three_measures_is_not():
    assert quantities("can u send 2 x 8x6 apex sheds + 1 x 10x8 log cabin", "en") == ["2 apex", "1 log"]
    assert quantities("4 x 3x2.5m awnings", "en") == ["4 awnings"]
    assert quantities("a 30 x 40 x 50 cm crate", "en") == []
    assert quantities("a table 180 x 90 x 75 cm oak", "en") == []


def test_a_list_with_the_count_after_the_goods_and_no_unit_is_order_lines():
    text = "Hi Jo,\n\nVista 55 1200 white - 6\nVista 55 900 white - 4\nEnd caps - 20\n\nUsual address. Thanks"
    assert order_lines(text) == ["Vista 55 1200 white - 6", "Vista 55 900 white - 4", "End caps - 20"]
    assert order_lines("Embouts : 20\nVista 55 900 blanc : 4") == ["Embouts : 20", "Vista 55 900 blanc : 4"]
    # One such line alone, or a signature's numbers, are no list of goods.
    assert order_lines("Invoice 4410 - 2\n\nThanks") == []
    assert order_lines("Tel: 0161 555\nFax: 0161 556") == []
    assert order_lines("KP-40 x6, SK-2 x12 on the next van") == ["KP-40 x6, SK-2 x12 on the next van"]


def test_a_count_after_its_label_is_a_quantity():
    # As web forms and purchase orders give it.
    assert quantities("Message : tarifs pour les semi-rigides, quantité 5, livraison à Brest") == ["5 quantité"]
    assert quantities("Produkt: Schlauchboot 4 m\nMenge: 12") == ["12 Menge"]
    assert quantities("Qty 8 - delivered to Truro") == ["8 Qty"]
    assert quantities("cantidad: 20, entrega en Vigo") == ["20 cantidad"]
    # A discount by quantity, or a quantity with no number, counts nothing.
    assert quantities("is there a quantity discount of 5% for a full pallet?") == []
    assert quantities("Item  Description  Qty  UoM") == []


def test_the_second_side_of_a_size_in_metres_is_not_a_count():
    assert quantities("vorrebbe coprire la terrazza, circa 15 x 6 metri, entro maggio", "it") == []
    assert quantities("a terrace about 20 x 5 metres") == []
    # Goods sold by the metre still count, and so does a count before a size.
    assert quantities("we need 20 metres of the track") == ["20 metres"]
    assert quantities("6 x Sofa, 1200 x 800") == ["6 Sofa"]


def test_a_line_s_place_is_not_a_count():
    assert quantities("pęknięcie szyby w oknie (poz. 4 zamówienia 2026/104)", "pl") == []
    assert quantities("item 3 on the delivery note is wrong") == []
    assert quantities("we need 4 items of the grey") == ["4 items"]


def test_a_count_before_a_code_in_the_plural_is_a_quantity():
    assert quantities("can you hold 4 of the RT-92s for us") == ["4 RT-92"]


def test_a_size_between_the_count_and_the_thing_still_counts_it():
    assert quantities("Please send 40 of the 25mm ball valves and 20 of the 40mm.") == ["40 ball"]
    assert quantities("we need 4 2,5 m poles") == ["4 poles"]
    assert quantities("ready in 2 weeks, 3 25mm") == []


@pytest.mark.parametrize(("text", "lang"), [("our accounts can't match two payments", "en"),
                                           ("wir haben 2 Rechnungen bekommen", "de"),
                                           ("nous avons reçu deux factures", "fr"), ("hemos hecho 3 transferencias", "es")])
def test_payments_and_invoices_counted_are_not_goods(text, lang):
    assert quantities(text, lang) == []


@pytest.mark.parametrize("name", ["aprovacao-sousa.pdf", "Goedkeuring keuken.pdf", "Schvaleni-vykresu.pdf",
                                  "approvazione_disegno.pdf", "Freigabe Wagner.pdf"])
def test_a_file_named_for_approval_is_a_drawing_in_each_language(name):
    assert drawing_attachment([(name, "application/pdf")]) == [name]
    assert drawing_attachment([("invoice-2291.pdf", "application/pdf")]) == []


def test_a_count_of_the_things_just_named_is_a_quantity_in_english():
    assert quantities("Black it is. Four of them for the leisure centre please.", "en") == ["four of them"]
    assert quantities("6 of those please", "en") == ["6 of those"]
    assert quantities("any of them will do", "en") == []
    assert quantities("one of them is scratched", "en") == []
    # Said with a pronoun before the verb elsewhere ("ne prendiamo quattro"): not read there.
    assert quantities("four of them please", "de") == []


@pytest.mark.parametrize(("text", "lang"), [
    ("hätten wir gern je ein Gartenhaus Bergen und Oslo", "de"),
    ("one of each in white please", "en"),
    ("mandadnos uno de cada", "es"),
    ("graag van elk één", "nl"),
])
def test_one_of_each_is_a_count(text, lang):
    assert quantities(text, lang)


def test_goods_told_apart_by_a_count_each_are_counted_in_english():
    assert quantities("Pop two in the post please, one tortoiseshell and one black.", "en") == [
        "one tortoiseshell and one black"]
    assert quantities("two in oak and one in walnut", "en") == ["two in oak and one in walnut"]
    assert quantities("send 3 in the oatmeal and 2 in charcoal", "en") == ["3 in the oatmeal and 2 in charcoal"]
    assert quantities("one in the morning and two in the afternoon", "en") == []
    assert quantities("it took one week and two days", "en") == []
    assert quantities("one of ours and one of theirs", "en") == []
    assert quantities("one tortoiseshell and one black", "fr") == []


@pytest.mark.parametrize(("text", "lang"), [
    ("Great, send all 18 please.", "en"),
    ("Ottimo, bloccamele tutte e 6, passo giovedì.", "it"),
    ("Ja tak, send dem alle 18.", "da"),
    ("Tak, bierzemy wszystkie 20.", "pl"),
])
def test_all_of_a_number_named_before_is_a_count(text, lang):
    assert quantities(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("ci vediamo alle 18", "it"),
    ("alle 14 Tage kommt der Fahrer", "de"),
    ("all 3 weeks late", "en"),
    ("tous les 15 jours", "fr"),
])
def test_all_before_a_time_is_no_count(text, lang):
    assert quantities(text, lang) == []


def test_each_alone_is_not_a_count():
    assert quantities("they cost 40 euros each", "en") == []
    assert quantities("je nach Größe", "de") == []


def test_polish_counts_in_the_genitive_count():
    assert quantities("proszę o wysłanie dwudziestu paneli i jednego falownika", "pl") == ["dwudziestu paneli"]
    assert quantities("dostawa pięciu szaf na magazyn", "pl") == ["pieciu szaf"]


def test_a_count_in_words_before_a_numbered_word_counts():
    assert quantities("we need the combi oven, two 6-burner ranges and the chiller", "en") == ["two ranges"]
    assert quantities("wir brauchen zwei 4-flammige Herde", "de") == ["zwei herde"]


def test_a_count_in_words_before_a_product_code_counts():
    assert quantities("wir nehmen die zwei KX40 aus dem Angebot", "de") == ["zwei kx40"]
    assert quantities("vi tar tre HB-220 till lagret", "sv") == ["tre hb-220"]
    assert quantities("two of 20 came back", "en") == []


def test_a_code_with_one_digit_after_a_hyphen_is_counted_but_a_paper_size_is_not():
    assert quantities("bitte 4 WP-7 für das Lager", "de") == ["4 WP-7"]
    assert quantities("bitte zwei KS-3 Konsolen", "de") == ["zwei ks-3"]
    assert quantities("how much would three KV-5s come to", "en") == ["three kv-5s"]
    assert quantities("please print 2 A4 copies of the drawing", "en") == []


def test_a_size_between_a_count_and_the_thing_still_counts():
    assert quantities("plus two of the 8x6 sheds either side", "en") == ["two sheds"]
    assert quantities("2 of the 4x3m cabins", "en") == ["2 cabins"]
    assert quantities("deux abris 10x8 en gris", "fr") == ["deux abris"]
    assert quantities("the room is 10x8 metres", "en") == []
    assert quantities("can we get 2 of the 12ft gates", "en") == ["2 gates"]
    assert quantities("is the Tarn 4 approved for use in flats", "en") == []
    assert quantities("ist die Vista 55 noch lieferbar", "de") == []


def test_a_count_marked_with_x_or_pieces_before_a_size_code_counts():
    assert quantities("can you get 8 x 205/55 R16 winter to us", "en") == ["8 205/55"]
    assert quantities("16 St. 195/65 R15 Winter", "de") == ["16 195/65"]
    assert quantities("we paid 1/2 of it in advance", "en") == []


def test_a_count_before_a_code_written_with_a_space_counts_and_a_time_does_not():
    assert quantities("Send venligst 5 BF 20 med næste levering.", "da") == ["5 BF 20"]
    assert quantities("ring me at 5 PM tomorrow", "en") == []


@pytest.mark.parametrize(("text", "found"), [
    ("Then 8 x 1L of the cleaner please", ["8 1L"]),
    ("Bitte 12 x 750 ml Klarlack", ["12 750 ml"]),
    ("3x5l et 2x1l", ["3 5l", "2 1l"]),
    # a length is a size, a rate is no pack
    ("a terrace of 4 x 3.5m", []),
    ("pump rated 2 x 10 l/min", []),
])
def test_packs_of_a_volume_or_weight_are_counted(text, found):
    assert quantities(text, "en") == found


def test_a_count_of_them_wanted_then_or_with_something():
    assert quantities("ok, send 4 of those then", "en")
    assert quantities("put two of them with Friday's delivery", "en") == ["two of them"]
    assert quantities("we sold 4 of them last week", "en") == []


def test_people_who_did_something_are_no_count_of_goods():
    assert quantities("40 came to the open day and three bought a machine", "en") == []
    assert quantities("two sold on Saturday, send 3 more", "en") == ["3 more"]


def test_people_told_apart_by_what_they_did_are_no_split_count():
    assert quantities("40 came and three bought a machine", "en") == []
    assert quantities("one in oak and two in walnut please", "en") == ["one in oak and two in walnut"]


def test_a_nordic_count_of_the_things_named_by_their_definite_form():
    # "6 av ekborden": no article, the noun's ending says "the"
    assert quantities("Vi tar 6 av ekborden till butiken.", "sv") == ["6 ekborden"]
    assert quantities("Vi tager 4 af lamperne med.", "da") == ["4 lamperne"]
    # ... but a score or a share is no count of goods
    assert quantities("Vi fick 2 av 3 i betyg.", "sv") == []


@pytest.mark.parametrize("text", [
    "They now do free embroidery on orders over 50 pieces round here.",
    "Ab 100 Stück gibt es Rabatt auf die Bestickung.",
    "Livraison offerte à partir de 20 pièces.",
    "We sold more than 30 units of the jacket last month.",
])
def test_a_count_as_a_threshold_is_not_an_order_line(text):
    assert order_lines(text) == []


def test_a_count_of_goods_beside_a_threshold_is_still_one():
    assert order_lines("Please send 50 pieces of the vest; over 40 units the carriage is free.") == [
        "Please send 50 pieces of the vest; over 40 units the carriage is free."]


@pytest.mark.parametrize(("text", "lang"), [
    ("Can the masonry paint go on below 5 degrees?", "en"),
    ("A tinta pode ser aplicada abaixo de 5 graus?", "pt"),
    ("Kann man die Farbe unter 5 Grad verarbeiten?", "de"),
])
def test_degrees_are_not_goods(text, lang):
    assert quantities(text, lang) == []
