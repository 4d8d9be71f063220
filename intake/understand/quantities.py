"""Counts of goods: how many of what a dealer wants, in digits or in words, in the twelve
dealer languages ("6 toldos", "12 Markisen", "ten cabinets", "240 m²", "20 kg of the house
blend"), and more of something already named ("two more", "noch 3"). A count is evidence of an
order or a price asked; days, sizes, money, times and a reference's number are not counts.
"""

from __future__ import annotations

import re

import re2

from intake.understand.detectors import MONTHS
from intake.understand.references import GAP, LABELS
from intake.understand.rules.words import fold

TIME_AND_SIZE = (r"(?:days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes?|am|pm|mm|cm|m|km|kg|g|t|"
                  r"tage?n?|wochen?|monate?n?|jahre?n?|stunden?|jours?|semaines?|mois|ans?|heures?|d[ií]as?|"
                  r"semanas?|meses|años?|horas?|giorni|settimane|mesi|anni|ore|dagen?|weken|maanden|jaren|uur|uren|"
                  r"dni|tygodni[ae]?|miesi[eę]cy|lat|godzin[ay]?|dagar|veckor|m[aå]nader|[aå]r|timmar|dage|uger|"
                  r"m[aå]neder|timer|dager|uker|dias|semanas|meses|anos|horas|dn[ií]|t[yý]dn[uůy]|m[eě]s[ií]c[uů]?|"
                  r"let|hodin|uhr|x|%|eur|euro|gbp|usd|sek|nok|dkk|pln|czk|kr|st|th|nd|rd|"
                  r"arbetsdagar|werktage?n?|arbeitstage?n?|werkdagen|arbejdsdage|arbeidsdager|(?:working|business|pracovn[ií](?:ch)?)\s+(?:days?|dn[iíyuů]))")
# What is counted: a word of three letters or more, or a name such as "E-Trek".
_NOUN = r"[^\W\d_]{3,}|[^\W\d_]{1,2}-[^\W\d_]{3,}"
# A counting unit may stand between the number and the thing: "3 st högskåp", "4 stk. døre",
# "6 x Sofa", "6 of the grey", "2 af de antracitgrå", "6 av ekborden", "2 de los blancos", and a size before
# the thing ("40 of the 25mm valves", "4 2,5 m poles"; after an x it is a size's last side). What may not stand before a number is looked behind from its
# first digit, not before it: a pattern that starts with a digit is searched for digit by
# digit, one that starts by looking behind is tried at every character (a third slower).
# A size written between a count and the thing counted: "25mm", "8x6", "4x3m", "10ft".
_SIZE_BETWEEN = r"\d{1,4}(?:[.,]\d{1,2})?(?:[x×]\d{1,4}(?:[.,]\d{1,2})?\s?(?:mm|cm|m|ft|')?|\s?(?:mm|cm|m|ft))\s+"
_QUANTITY = re.compile(rf"(\d(?<![\w.,/£$€-]\d)(?<![£$€] \d)(?<!\d:\d)(?:\d{{0,2}}(?:[.,]\d{{3}})+|\d{{0,2}}|(?:(?<=1)(?!9)|(?<=2)(?!0)|(?<=[03-9]))\d{{3}}))(?:\s*[x×](?![^\W\d_])\s*|\s+(?:(?:st|stk|pcs|szt|ks)\b\.?\s*|(?:of (?:the|those|these|our|your)|af de|av de|av dem|af|av|van de|de los|de las|dei|delle|degli|das|dos)\s+(?:\d{{1,2}}-)?)?)"
                       # "40 of the 25mm valves", "2 of the 8x6 sheds": a size between the count and the thing
                       rf"(?:(?<![x×])(?<![x×]\s){_SIZE_BETWEEN})?"
                       rf"(?!{TIME_AND_SIZE}\b|{MONTHS})({_NOUN})", re.IGNORECASE)

# Shorthand with the x first: "x6 oslo" ("x 6 oslo" is a number before its noun anyway).
_X_QUANTITY = re.compile(rf"[x×](?<![\w.,/-][x×])(\d{{1,3}})\s+(?!{TIME_AND_SIZE}\b|{MONTHS})([^\W\d_]{{3,}})",
                         re.IGNORECASE)
# A count, then the size, then the thing: "2 x 8x6 apex sheds", "1 x 10x8 log cabin". The size is
# written tight, so a size in three measures ("30 x 40 x 50 cm crate") is not a count of a size.
_SIZED_QUANTITY = re.compile(r"(\d(?<![\w.,/-]\d)\d?)\s*[x×]\s+\d{1,4}(?:[.,]\d{1,2})?[x×]\d{1,4}(?:[.,]\d{1,2})?"
                             r"(?![x×\d])\s*(?:mm|cm|m|ft|')?\s+([^\W\d_]{3,})", re.IGNORECASE)
# A count before a product code, anywhere in a sentence: "Bitte 10 BR-220", "6 FL-100 on the next
# van", "3 x HP-9" (one digit only after a hyphen: "2 A4" is a paper size), "30 of the FC-10 cartridges" (in capitals with digits, as catalogues print it); or, after
# "x" or "pcs", before a size code with a slash ("8 x 205/55 R16", "10x 195/65 R15").
_CODE_QUANTITY = re.compile(r"(\d(?<![\w.,/£$€-]\d)(?<![£$€] \d)\d{0,2})(?:\s*(?:[x×]|pcs|stk|st|szt|ks)?\.?\s+"
                            r"(?:of (?:the|those|these|our|your)\s+)?([A-Z]{1,5}(?:[- ]?\d{2,}|-\d)[A-Z0-9-]*)s?(?![\w-])"  # "4 RT-92s", "5 BF 20"
                            r"|\s*(?i:[x×]|pcs|stk|st|szt|ks)\.?\s*(\d{2,4}/\d{2,3})(?![\d/]))")


# A number after a short word in capitals names a model ("ist die AW 12 auf der Liste",
# "the KWL 350 with"), unless the words after it are in capitals too (a mail in capitals).
# Danish and Norwegian "I" is "you" ("Har I 10 pumper på lager?").
_MODEL_BEFORE = re.compile(r"(?<![\w-])(?!OK |I )[A-Z]{1,4} $")
# So does one after a product's name with an article before it ("is the Calder 5 approved",
# "die Vista 55 in Anthrazit", "le Solent 3 est-il"): a name, then its number.
_NAMED_MODEL_BEFORE = re.compile(r"(?<![\w-])(?:the|your|our|this|der|die|das|den|le|la|el|il|lo|de|het|o|a)\s+"
                                 r"[A-Z][a-z]{2,}\s$")

# A number right after a reference's label ("ordre 5561 levert", "order no. 4412 arrived")
# names a document, it does not count things.
_LABEL_BEFORE = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(label for labels in LABELS.values() for label in labels)
    + r"|nr|no|n[°º]|c|ref|#)" + GAP + r"$", re.IGNORECASE)
# "the 1200 enclosure", "unser 900er", "le 600 vasque": a size or model named like a thing,
# not a count (a count of a hundred or more rarely follows an article), unless what follows
# is a plural ("the 250 mugs", "de 150 paraplu's"): a model is named in the singular.
_PLURAL = re.compile(r"[^\W\d_]*(?:[^\W\ds_]s|'s)\b", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"(?<![a-z])(?:the|your|our|this|that|der|die|das|den|dem|ihr|ihre|unser|unsere|"
                             r"le|la|les|votre|notre|du|el|los|las|su|del|il|lo|gli|vostro|de|het|uw|onze|"
                             r"o|os|as|do|da)\s+$", re.IGNORECASE)


# More of something, on an order or as a new one: "another 6", "6 more", "weitere 4",
# "encore 3", "otros 2", "altri 5", "nog 6", "jeszcze 4", "ytterligare 2", "mais 3", "dalších 5".
_MORE_BEFORE = (r"another|a further|further|additional|extra|weitere|noch|zusatzlich|encore|otros|otras|altri|"
                r"altre|ancora|nog|jeszcze|dodatkowe|dodatkowo|ytterligare|yderligere|ytterligere|endnu|enda|"
                r"mais|outros|outras|dalsich|jeste")
_MORE_AFTER = (r"more|extra|additional|de plus|supplementaires?|mas|adicionales|in piu|meer|till|til|mere|"
               r"ekstra|adicionais|a mais|navic|weitere|mehr")
_COUNT_UNIT = r"(?:\s*(?:x|pcs?|stk|st|szt|ks|uds|pz|stuks)\b\.?)?"
_COUNT = r"(\d{1,3}|(?!19|20)\d{4})"
# Found number first: a text has a few numbers and many words, so each number's
# neighbours are looked at rather than every word tried as the start of a match.
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}|(?!19|20)\d{4})(?![\d.,]?\d)")
_MORE_THEN_NUMBER = re.compile(rf"(?<![\w])(?:{_MORE_BEFORE})\s+$")
# "Recommended us to two other firms", "a outros dois gabinetes", "con otros dos
# distribuidores": others named after a preposition are other people or places, not more goods.
_TO_OTHERS = re.compile(r"(?<![\w])(?:to|from|a|ad|al|aos|as|con|com|para|de|di|da|dai|agli|alle)\s+"
                        r"(?:another|other|otros|otras|outros|outras|altri|altre)\s+$")
_NUMBER_THEN_MORE = re.compile(rf"{_COUNT_UNIT}\s+(?:{_MORE_AFTER})(?![\w])(?!\s*\d)")
_COUNTED_AFTER = re.compile(rf"{_COUNT_UNIT}(?!\s*(?:{TIME_AND_SIZE})\b)(?![.,]?\d)")

# An amount of goods sold by area, as flooring, tiles and fabric are: "240 m²", "120 sqm".
_AREA_QUANTITY = re.compile(r"(\d(?<![\w.,/-]\d)\d{0,4}(?:[.,]\d{1,2})?)\s?(m²|m2|qm|sqm|sq\.?\s?m|sq\.?\s?ft|sqft)(?![\w²])", re.I)
# Goods sold by weight, the weight then the goods: "20 kg of the house blend", "20 kg de l'assemblage",
# "15 kg espresso". Not a weight told of something ("weighs 20 kg", "max. 20 kg per shelf").
_WEIGHT_QUANTITY = re.compile(
    r"(\d(?<![\w.,/-]\d)\d{0,3}(?:[.,]\d{1,2})?)\s?(?:kg|kgs|kilos?|kilograms?|kilogrammes?|kilogramm)\.?\s+"
    r"(?:(?:of|de|di|del|della|dello|van|von|av|af|do|da|z)\s+|d['’])?(?:(?:the|our|your|la|le|les|il|lo|het|de)\s+|l['’])?"
    r"(?!(?:per|each|je|pro|par|por|al|à|a|max|load|net|gross|brutto|netto|weight|gewicht|poids|peso)\b)([^\W\d_]{3,})", re.I)
_WEIGHT_BEFORE = re.compile(r"(?:weigh\w*|weight|wiegt|gewicht|poids|p[eè]se|peso|pesa|wa[zż]y|v[aá]ží|v[äe]ger|vejer|"
                            r"max\w*|up to|bis zu|jusqu'?[àa]|hasta|fino a|tot|do|load|last|charge|carga|carico|"
                            r"(?<![\w])(?:a|an|one|ein|eine|einen|un|une|uno|una|een|ett|um|uma))\W*\s*$", re.I)  # "a 25 kg sack"
# A count of packs of a size sold by volume or weight, the size standing for the goods: "6 x 2.5L
# please", "4 x 500ml", "10 x 25kg". A length is no pack ("6 x 2.5m" is a size).
_PACK_QUANTITY = re.compile(r"(?<![\w.,/-])(\d{1,3})\s*[x×]\s*(\d{1,4}(?:[.,]\d{1,3})?\s?(?:ml|cl|dl|l|ltr|litres?|liters?|"
                            r"litros?|litri|kg|kgs|g))(?![\w.,]\d|\w|/)", re.I)
# A count after its label, as forms and purchase orders give it: "Qty: 5", "Menge 5", "quantité 5".
_QUANTITY_LABEL = re.compile(r"(?<![\w])(qty|quantity|menge|anzahl|st[uü]ckzahl|quantit[eéaà]|cantidad|aantal|ilo[sś][cć]|"
                             r"antall?|quantidade|po[cč]et|mno[zž]stv[ií])\.?\s*[:=]?\s*$", re.I)
_LABELLED_COUNT = re.compile(r"\d(?<![\w.,]\d)\d{0,3}(?![\d.,]?\d)(?!\s?%)")  # each number, then its label read back


def added_quantities(text: str, lang: str = "") -> list[str]:
    """More of something ("another 6", "6 more", "weitere 4", "encore 3"): an addition to an order, or a repeat.
    Counts in words are read in ``lang`` ("two more", "vi behöver fem till", "noch zwei")."""
    folded = fold(text)
    if not _MORE_HINT.search(folded):  # no "more" word anywhere: nothing added
        return []
    found = _counted_in_words(folded, lang)
    for m in _NUMBER.finditer(folded):
        start, end = m.span()
        before = _MORE_THEN_NUMBER.search(folded, max(0, start - 24), start)
        if before and _TO_OTHERS.search(folded, max(0, start - 32), start):
            continue
        if before:
            after = _COUNTED_AFTER.match(folded, end)
            if after:
                found.append(folded[before.start():after.end()].strip())
                continue
        after = _NUMBER_THEN_MORE.match(folded, end)
        if after:
            found.append(folded[start:after.end()].strip())
    return found


# Counts written as words, as transcribed voicemails have them ("ten of the tall cabinets",
# "dix chaises", "zwanzig Schreibtische"), folded, in the message's language ("ten" counts
# in English, not in Dutch "ten minste"; Italian "sei" is "you are" as often as "six", so
# it does not count before the words that follow "you are").
_NUMBER_WORDS = {
    "en": "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
          "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen",
    "de": "zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn funfzehn sechzehn siebzehn "
          "achtzehn neunzehn zwanzig dreissig vierzig funfzig sechzig siebzig achtzig neunzig hundert",
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente quarante "
          "cinquante soixante septante huitante octante nonante cent",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete "
          "dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa cien",
    "it": "due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici sedici "
          "diciassette diciotto diciannove venti trenta quaranta cinquanta sessanta settanta ottanta novanta cento",
    "nl": "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien "
          "achttien negentien twintig dertig veertig vijftig zestig zeventig tachtig negentig honderd",
    "pl": "dwa dwie dwoje troje czworo trzy cztery piec szesc siedem osiem dziewiec dziesiec jedenascie dwanascie trzynascie czternascie "
          "pietnascie szesnascie siedemnascie osiemnascie dziewietnascie dwadziescia trzydziesci czterdziesci "
          "piecdziesiat szescdziesiat siedemdziesiat osiemdziesiat dziewiecdziesiat sto "
          # after "o wysłanie", "dostawa": the same counts in the genitive
          "dwoch trzech czterech pieciu szesciu siedmiu osmiu dziewieciu dziesieciu jedenastu dwunastu trzynastu "
          "czternastu pietnastu szesnastu siedemnastu osiemnastu dziewietnastu dwudziestu trzydziestu czterdziestu "
          "piecdziesieciu szescdziesieciu stu",
    "sv": "tva tre fyra fem sex sju atta nio tio elva tolv tretton fjorton femton sexton sjutton arton nitton tjugo "
          "trettio fyrtio femtio sextio sjuttio attio nittio hundra",
    "da": "to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten sytten atten nitten tyve "
          "tredive fyrre halvtreds tres halvfjerds firs halvfems hundrede",
    "no": "to tre fire fem seks sju syv atte ni ti elleve tolv tretten fjorten femten seksten sytten atten nitten tjue "
          "tretti forti femti seksti sytti atti nitti hundre",
    "pt": "dois duas tres quatro cinco seis sete oito nove dez onze doze treze catorze quatorze quinze dezasseis "
          "dezesseis dezassete dezessete dezoito dezanove dezenove vinte trinta quarenta cinquenta sessenta setenta "
          "oitenta noventa cem",
    "cs": "dva dve dvoje troje ctvery tri ctyri pet sest sedm osm devet deset jedenact dvanact trinact ctrnact patnact sestnact "
          "sedmnact osmnact devatenact dvacet tricet ctyricet padesat sedesat sedmdesat osmdesat devadesat sto",
}
# "ten of the white doors": a spoken count may name its things after "of the"; "forty hi
# vis vests" after a short word that is not one of the little words of a sentence; "two
# 6-burner ranges" after a numbered word.
_OF_THE = {"en": r"(?:of (?:the|those|these|your|them)\s+|(?!(?:in|to|at|of|on|or|is|it|by|an|as|am|pm|a|so|we|me|us"
                 r"|no|up|if|my|be|do|go)\b)[^\W\d_]{1,2}\s+)?"}
# Counts written as one word of several: "tjugofem", "fünfundzwanzig", "vijfentwintig",
# "femogtyve", "venticinque", "vingt-cinq".
_JOINED = r"(?:und|en|og|-)?"
# Or a product code after the count in words: "wir nehmen die zwei RT92", "tre GM-46".
_WORD_CODE = r"[^\W\d_]{1,5}(?:-?\d{2,}|-\d)[^\W_]*(?![\w-])"
_WORD_QUANTITY = {
    lang: re.compile(rf"(?<![\w-])((?:(?:{(alts := '|'.join(sorted(words.split(), key=len, reverse=True)))}){_JOINED})*"
                     rf"(?:{alts}))\s+"
                     rf"{_OF_THE.get(lang, '')}(?:\d{{1,3}}-[^\W\d_]+\s+|{_SIZE_BETWEEN})?(?!{TIME_AND_SIZE}\b|{MONTHS})({_NOUN}|{_WORD_CODE})")
    for lang, words in _NUMBER_WORDS.items()}
# The same counts written as words with "more" before or after: "another two", "two more",
# "noch zwei", "fem till", "deux de plus". Looked for from each "more" word (a text has few)
# and the word beside it, not by trying every number word at every place.
_MORE_WORD = re.compile(rf"(?<![\w])(?:({_MORE_BEFORE})|({_MORE_AFTER}))(?![\w])")
_WORD_AFTER = re.compile(r"\s+(\w+)(?!\w)")
_WORD_BEFORE = re.compile(r"(?<![\w])(\w+)\s+$")
_SIZE_AFTER = re.compile(rf"\s*(?:{TIME_AND_SIZE})\b")
_NUMBER_WORD_SETS = {lang: frozenset(words.split()) for lang, words in _NUMBER_WORDS.items()}
# Whether a text could hold any of these at all, in one linear pass (RE2's word boundary is
# ASCII only, so it lets through at least what the patterns above would match).
_MORE_HINT = re2.compile(rf"\b(?:{_MORE_BEFORE}|{_MORE_AFTER})\b")
_NUMBER_WORD_HINT = {lang: re2.compile(rf"\b(?:{'|'.join(words.split())})") for lang, words in _NUMBER_WORDS.items()}


def _counted_in_words(folded: str, lang: str) -> list[str]:
    numbers = _NUMBER_WORD_SETS.get(lang)
    if numbers is None:
        return []
    found = []
    for m in _MORE_WORD.finditer(folded):
        if m.group(1):
            word = _WORD_AFTER.match(folded, m.end())
            if word and word.group(1) in numbers and not _SIZE_AFTER.match(folded, word.end()) \
                    and not _TO_OTHERS.search(folded, max(0, m.start() - 12), m.end() + 1):
                found.append(f"{m.group(1)} {word.group(1)}")
        else:
            word = _WORD_BEFORE.search(folded, max(0, m.start() - 20), m.start())
            if word and word.group(1) in numbers and not _SIZE_AFTER.match(folded, m.end()):
                found.append(f"{word.group(1)} {m.group(2)}")
    return found


# Words that follow a number word without it counting things ("two and a half", "dix des").
_NOT_COUNTED = frozenset("and the und die der das les des los las een het och og again times ago left each".split()
                         # "bei drei ist der Griff locker": at three of them, the verb, no thing counted
                         + "are was were ist sind war waren est sont etait etaient son era eran sono erano zijn "
                           "jest byl byla byly var sao eram jsou".split()
                         + "stato stata sicuro sicura ancora riuscito riuscita disponibile libero libera gentile "
                           "davvero proprio molto sempre mai gia pronto pronta passato passata andato andata "
                           "venuto venuta arrivato arrivata".split()
                         # "abaixo de 5 graus": a temperature, a measure
                         + "degree degrees grad grade graden gradi grados degres graus stopni grader stupnu stupne".split()
                         # "two different batches": how many kinds, not how many things
                         + "different separate verschiedene verschiedenen verschiedener unterschiedliche "
                           "unterschiedlichen unterschiedlicher differents differentes diferentes distintos distintas "
                           "diversi diverse verschillende rozne roznych olika forskellige ulike ruzne ruznych".split()
                         # "charged twice", "dos veces", "zweimal": how often, not how many
                         + "mal fois veces volte keer razy ganger gange vezes krat".split()
                         # "1.500 euros": money; "el Lagoon 5 hace dos años": a model's number, then "ago"
                         + "euros pounds dollars dolares libras kronor kroner zlotych korun hace".split()
                         # "180 x 200 please", "4 liefern": a size or a count of something named before
                         + "please pls plz bitte svp merci gracias grazie graag prosim prosze tack tak takk obrigado "
                           "liefern senden schicken deliver send ship".split()
                         # "send 20 when it's ready": a count of something named before
                         + "when if once until nar hvis wenn falls sobald quand lorsque cuando quando wanneer zodra "
                           "kiedy gdy jakmile kdyz".split()
                         # "okna Alu 70 pro kolaudaci": a model's number before a preposition
                         + "for to from with für zum zur mit pour avec para con por per voor met dla przy "
                           "pro för till med til af av".split()
                         # "five stars on Trustpilot": a rating
                         + "star stars sterne stern etoiles estrellas stelle sterren gwiazdek gwiazdki "
                           "stjarnor stjerner estrelas hvezdicek hvezdicky".split()
                         # "el día 20 nos va bien", "le 20 nous convient": a date, then a pronoun
                         + "nos nous vous ons oss uns".split()
                         # "two payments", "3 Rechnungen": the account, not goods
                         + "payment payments zahlung zahlungen paiement paiements pago pagos pagamento pagamenti "
                           "pagamentos betaling betalingen platnosc platnosci betalning betalningar betalinger "
                           "platba platby platbu invoice invoices rechnung rechnungen facture factures factura "
                           "facturas fattura fatture factuur facturen faktura faktury fakturor fakturaer fatura "
                           "faturas transfer transfers uberweisung uberweisungen virement virements transferencia "
                           "transferencias bonifico bonifici overboeking overboekingen przelew przelewy".split()
                         # "over 200 people through the door": visitors, not goods
                         + "people persons personen leute menschen besucher personnes gens visiteurs personas gente "
                           "visitantes persone visitatori mensen bezoekers osob osoby ludzi personer manniskor "
                           "besokare mennesker folk besogende besokende pessoas lidi navstevniku guests gaste "
                           "invites invitados ospiti gasten gosci gaster gjester convidados".split()
                         # "20 people came and two bought kits": people who did something, not goods
                         + "bought sold came arrived went turned got had returned signed joined showed asked said "
                           "stayed liked loved".split()
                         # "12 rue des Lilas": a street's number, where it comes before the street
                         + "rue avenue boulevard chemin allee impasse quai calle avenida rua travessa viale piazza "
                           "corso".split())
_NOT_COUNTED = frozenset(fold(w) for w in _NOT_COUNTED)  # compared with folded words: "für" is "fur"


# Digits read out one by one name a reference ("order seven one nine six zero"); they count
# nothing. "dvacet pět metrů" (twenty-five metres) still counts: twenty is no digit.
_DIGIT_WORDS = frozenset(
    "zero oh one two three four five six seven eight nine null eins zwei drei vier funf sechs sieben acht neun "
    "zero un deux trois quatre cinq six sept huit neuf cero uno dos tres cuatro cinco seis siete ocho nueve "
    "zero uno due tre quattro cinque sei sette otto nove nul een twee drie vier vijf zes zeven acht negen "
    "zero jeden dwa trzy cztery piec szesc siedem osiem dziewiec noll ett tva tre fyra fem sex sju atta nio "
    "nul en to tre fire fem seks syv otte ni null en to tre fire fem seks sju atte ni "
    "zero um dois tres quatro cinco seis sete oito nove nula jedna dva tri ctyri pet sest sedm osm devet".split())


def _read_out(m: re.Match) -> bool:
    """Two digits read out side by side: a reference, not a count ("order seven one nine",
    "la commande quatre quatre un deux est bien partie": the last of them is no count of
    what follows)."""
    last = m.group(1).rsplit("-", 1)[-1].split()[-1] if m.group(1) else ""
    between = m.string[m.end(1):m.start(2)]
    if last in _DIGIT_WORDS and m.group(2) in _DIGIT_WORDS and not between.strip():
        return True
    before = m.string[max(0, m.start(1) - 12):m.start(1)].split()
    return bool(before) and before[-1] in _DIGIT_WORDS and m.group(1) in _DIGIT_WORDS


# A house number after a street named the way Germanic languages build it
# ("Industriestraße 4 liefern", "Kerkstraat 12", "Storgatan 3", "Østergade 8"): the last
# word before the number, at least two letters and then the ending.
_STREET_ENDINGS = ("strasse", "straße", "str.", "weg", "gasse", "allee", "straat", "laan", "plein", "gracht",
                   "gatan", "gata", "vägen", "gade", "vej", "vejen", "veien", "vei")


def _after_street(before: str) -> bool:
    if not before or not before[-1].isspace():
        return False
    words = before.split()
    word = words[-1].lower() if words else ""
    return word.endswith(_STREET_ENDINGS) and any(
        word.endswith(e) and word[-len(e) - 2:-len(e)].isalpha() and len(word) >= len(e) + 2 for e in _STREET_ENDINGS)


_SECOND_SIDE, _LENGTH = re.compile(r"\d\s?[x×]\s?$"), re.compile(r"m[eè]t", re.I)  # "15 x 6 metri" is a size
# A clock time after a word for before or after ("before 11 ideally", "vor 11 bitte"); a line's place ("poz. 4");
# a place on a site or an estate ("Unit 4", "Halle 3", "bâtiment 2", "nave 7"): each names, none counts.
_TIME_BEFORE = re.compile(r"(?<![\w])(?:before|after|until|till|vor|nach|avant|après|antes|después|prima|dopo|"
                          r"poz|pos|item|line|position|pozycj[ai]|polo[zž]k[ay]|posi[cç][aã]o|posizione|posici[oó]n|"
                          r"unit|plot|bay|dock|gate|hall|block|building|flat|apartment|suite|room|floor|level|phase|"
                          r"halle|haus|gebäude|baufeld|bâtiment|quai|bloc|étage|nave|muelle|parcela|bloque|planta|portal|"
                          r"capannone|lotto|palazzina|hal|kavel|bouwnummer|hala|budynek|lokal|działka|hus|bygg|"
                          r"pavilhão|armazém|lote|bloco|budova)\.?\s+$", re.I)


def quantities(text: str, lang: str = "en") -> list[str]:
    """A count of things ("6 toldos", "12 Markisen", "20 chairs", "ten cabinets") or an area of goods ("240 m²"),
    not of days, sizes, money or a reference's number (three digits or more after a label: "order 4412 arrived";
    "Order: 6 x benches" counts). Counts in words are read in ``lang``."""
    found = _counted_in_digits(text) if _DIGIT.search(text) else []
    if found:
        return found
    folded = fold(text)
    words = _WORD_QUANTITY.get(lang)
    if words is not None and _NUMBER_WORD_HINT[lang].search(folded):
        found = [f"{m.group(1)} {m.group(2)}" for m in words.finditer(folded)
                 if m.group(2) not in _NOT_COUNTED and not _read_out(m)]
    if not found and lang == "en" and " of th" in text:
        found = [m.group(0) for m in _OF_THEM.finditer(folded)]
    if not found:
        found = [m.group(0) for m in _ONE_EACH.finditer(folded)]
    if not found:
        found = [m.group(0) for m in _ALL_OF_COUNT.finditer(folded) if lang != "it" or not m.group(0).startswith("alle")]
    if not found and lang == "en" and " and " in text:
        found = [m.group(0) for m in _SPLIT_COUNT.finditer(folded) if m.group(0).split()[1] not in _NOT_COUNTED]
    if not found and lang == "en" and " of " in text:
        found = [m.group(0) for m in _ONE_PACK.finditer(folded)]
    return found


# One pack of something, in English: "add a box of the sanitiser", "a pallet of the grey slabs".
_ONE_PACK = re.compile(r"(?<![\w])(?:a|one|another)\s+(?:box|case|carton|pallet|pack|packet|bag|sack|drum|roll|tub|crate|"
                       r"tray|tin|bottle|reel|coil|bale|bundle)\s+of\s+(?:the\s+|your\s+|those\s+)?[^\W\d_]{3,}")


# All of a number of things named before: "send all 18", "bloccamele tutte e 6", "send dem
# alle 18", "bierzemy wszystkie 20". Not Italian "alle 18" (at six o'clock), nor a time or a size.
_ALL_OF_COUNT = re.compile(rf"(?<![\w])(?:all|alle|alla|tutte e|tutti e|todas las|todos los|toutes les|tous les|wszystkie|"
                           rf"wszystkich|todas as|todos os|vsech|vsechny|allihop)\s+\d{{1,3}}(?![\w:/%-]|[.,]\d|\s*(?:{TIME_AND_SIZE}|uhr|h)\b)")


# The things told apart by a count each: "one tortoiseshell and one black", "two in oak
# and one in walnut". English only; "one" counts here, beside another count.
_EN_COUNT = rf"(?:one|{'|'.join(_NUMBER_WORDS['en'].split())}|\d{{1,3}})"
_SPLIT_COUNT = re.compile(rf"(?<![\w-]){_EN_COUNT} (?:in (?:the )?)?(?!(?:of|the|or|more|other|another|way|thing|time|morning|afternoon|evening|night)\b|{TIME_AND_SIZE}\b)"
                          rf"[a-z]+,? and {_EN_COUNT} (?:in (?:the )?)?(?!(?:of|the|or|more|other|another|way|thing|time|morning|afternoon|evening|night)\b|{TIME_AND_SIZE}\b)[a-z]+\b")


# One of each of the things named: "je ein Gartenhaus Bergen und Oslo", "one of each", "uno
# de cada". A count, though no number is written.
_ONE_EACH = re.compile(r"(?<![\w])(?:je (?:ein|eine|einen)|one each|one of each|un de chaque|une de chaque|uno de cada|"
                       r"una de cada|uno per tipo|uno di ciascuno|van elk een|po jednym|po jednej|en av varje|ett av varje|"
                       r"en af hver|et af hver|en av hver|et av hver|um de cada|uma de cada|po jednom|po jedne)(?![\w])")


# A count of the things just talked about, wanted: "four of them for the leisure centre
# please", "6 of those please", "send me 6 of them then". "Two of them are scratched" says something else of them.
# English only: other languages say it with a pronoun before the verb.
_OF_THEM = re.compile(rf"(?<![\w-])(?:\d{{1,3}}|{'|'.join(_NUMBER_WORDS['en'].split())}) of (?:them|those|these)"
                      r"(?=\s*,?\s*(?:please|pls|for|on|to|as well|too|by|then|with|asap)\b)")


_DIGIT = re.compile(r"\d")


def _counted_in_digits(text: str) -> list[str]:
    found = [f"{m.group(1)} {m.group(2)}" for m in _QUANTITY.finditer(text)
             if not _TIME_BEFORE.search(text[max(0, m.start() - 12):m.start()])
             and (len(m.group(1)) < 3 or not m.group(1).isdigit() or not (_LABEL_BEFORE.search(before := fold(text[max(0, m.start() - 28):m.start()]))
                                             or (_ARTICLE_BEFORE.search(before) and not _PLURAL.match(text, m.start(2)))))
             and fold(m.group(2)).casefold() not in _NOT_COUNTED
             and not (_MODEL_BEFORE.search(text[max(0, m.start() - 6):m.start()]) and not m.group(2).isupper())
             and not _NAMED_MODEL_BEFORE.search(text, max(0, m.start() - 24), m.start())
             and not _after_street(text[max(0, m.start() - 30):m.start()])
             and not (_SECOND_SIDE.search(text, max(0, m.start() - 4), m.start()) and _LENGTH.match(m.group(2)))]
    found += [f"{m.group(1)} {m.group(2)}" for m in _X_QUANTITY.finditer(text)]
    found += [f"{m.group(1)} {m.group(2)}" for m in _SIZED_QUANTITY.finditer(text)]
    found += [a for m in _AREA_QUANTITY.finditer(text) if (a := f"{m.group(1)} {m.group(2)}") not in found]
    found += [f"{m.group(1)} {m.group(2)}" for m in _WEIGHT_QUANTITY.finditer(text)
              if not _WEIGHT_BEFORE.search(text[max(0, m.start() - 16):m.start()])]
    found += [f"{m.group(1)} {m.group(2)}" for m in _PACK_QUANTITY.finditer(text)]
    found += [f"{m.group(0)} {label.group(1)}" for m in _LABELLED_COUNT.finditer(text)
              if (label := _QUANTITY_LABEL.search(text, max(0, m.start() - 16), m.start()))]
    if not found:
        found = [f"{m.group(1)} {m.group(2) or m.group(3)}" for m in _CODE_QUANTITY.finditer(text)
                 if not _LABEL_BEFORE.search(fold(text[max(0, m.start() - 28):m.start()]))]
    return found
