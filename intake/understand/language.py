"""Stage 2, step 3: guess the language a dealer wrote in.

The guess picks the stemmer that normalises the message's words, the receipt template, and
what rules see as ``language``. It counts the small words every sentence has and the
phrases of business letters (greetings, thanks, please, order, delivery) in each of the
twelve dealer languages, plus the letters only some of them write (ø, ł, ř, ñ, ß, ...). A
word several languages share counts for each a fraction. Nothing is downloaded and the
lists take a few hundred kilobytes, so every parse worker can hold them; a text too short
to judge, or with no word of any list, gets "".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "no", "pt", "cs"]
MIN_LETTERS = 12
MAX_CHARS = 600
MIN_SCORE = 0.75  # the evidence of one word of one language, or of a few shared ones
LETTER_WEIGHT = 0.25
ENGLISH_MARGIN = 0.8  # how close a second language must come to English to be chosen instead
LETTER_CAP = 2.0  # letters support the words; a name with an ø does not make a text Danish

# Written with and without accents where dealers drop them; each word is also known by its
# unaccented form.
WORDS = {
    "en": """the and to of for please we you our your is are have has could would can with on in this that
            these thanks thank regards hi hello dear will be it as at from by an if do not need kind best
            sincerely us me my they there what when which any also just been was were order quote price
            delivery attached find let know asap cheers many go ahead yes up out get send sent see
            all so how about meeting accepted declined tentative read delivered undeliverable automatic
            reply office approved confirm confirmed sorry back i a am or but their them then than some more
            very week next new received still yet had did does should shall may might
            cost costs much prices customer client stock
            drawing approved production manufacture pieces invoice damaged faulty
            december january february closed""",
    "de": """der die das und ist sind wir sie ihr ihre ihnen bitte danke vielen dank für fur mit von zu den
            dem des ein eine einen einem auf nicht auch uns unser unsere unseren sehr geehrte geehrter
            geehrten herr frau grüße gruesse grüßen freundlichen hallo guten tag können koennen könnten
            möchten moechten bestellung angebot lieferung wie noch haben hat wird werden ich es bei aus nach
            oder im zum zur anbei gerne bis wann liefertermin stück stueck gelesen angenommen abgelehnt
            abwesenheit besprechung termin nachricht ja nein gut am war waren dass daß sich man kann muss
            soll schon heute morgen woche neue neuen erhalten leider beschädigt ersatz um einer diese dieser
            diesen
            kosten kostet preis preise frei ware kunde kunden lager wieviel viel
            zeichnung freigegeben fertigen fertigung stk reklamation rechnung bestellen produktion
            dezember januar februar geschlossen
            gesprächsnotiz telefonnotiz bestellt meldet
            kannst könnt mir dir euch schicken schickt schick senden
            so alles klar passt
            perfekt prima genial""",
    "fr": """de le la les et est nous vous votre vos pour avec des du un une sur pas ne merci bonjour
            cordialement madame monsieur pourriez pouvez serait commande devis livraison prix je il elle au
            aux dans par qui que ce cette sont avons avez bien salutations veuillez trouver ci-joint joint
            s'il plaît plait nos notre accepté accepte refusé refuse lu réunion reunion oui non bonne en y a
            ont était été très aussi mais ou où semaine prochaine reçu nouveau nouvelle pouvons dès encore
            déjà envoyer quand
            combien coût coûte coûtent client marchandise livré livrés travail
            plan validé valide fabrication pièces reclamation réclamation facture commander abîmé
            décembre janvier février fermé fermée magasin
            appel rappeler alors parfait lundi mardi mercredi jeudi vendredi
            on prend prends prenons partons ça allez
            madame dame encore depuis sans jusqu toujours rien""",
    "es": """vale les nos hemos comunicamos calle cambian cerrados cerrado vacaciones de dos cierra abre queda quedan llega sale el la los las y es somos usted ustedes su sus para con del un una por favor gracias hola saludos
            buenos buenas días dias estimado estimados estimada podrían podrian pueden pedido presupuesto
            entrega precio que en no se lo al como más mas muy necesitamos quisiéramos quisieramos
            atentamente nuestro nuestra nuestros adjunto cuándo cuando aceptado rechazado leído leido
            reunión reunion sí si bien está están hay ha han sido también pero o semana próxima recibido
            nuevo nueva podemos ya todavía enviar este esta estos
            cuánto cuanto cuesta cuestan cliente mercancía puestas coste soy qué haces hacéis llevo tres mil diez veinte cien
            plano aprobado fabricar fabricación unidades reclamación factura pedir roto
            os tienda cerrada cerrado diciembre enero febrero informamos pedidos
            llamada nota llamar estaremos cerrados vacaciones felices lunes martes miércoles jueves viernes
            vuelve volvió señora señor mitad otra otro vez hace tiene tienen llegado llegó sigue porque desde sin sobre hasta nada nuestro
            perfecto adelante genial""",
    "it": """il lo la gli le e è noi voi vostro vostra vostri per con di del della dei delle un una non
            grazie buongiorno cordiali saluti gentile gentili potreste ordine preventivo consegna prezzo che
            in sono siamo abbiamo avete anche ci ma più piu distinti allegato nostro nostra quando vorremmo
            accettato rifiutato letto riunione sì si bene ha hanno stato stata molto o settimana prossima
            ricevuto nuovo nuova possiamo già ancora inviare questo questa nel nella alla al
            quanto costa costano cliente merce resi lavoro
            disegno approvato produzione pezzi reclamo fattura ordinare rotto
            dicembre gennaio febbraio chiuso chiusa negozio
            chiamata richiamare ciao verrebbe verrebbero costerebbe costerebbero
            telefonata chiede chiedono consegnato consegnata consegnati sostituzione sostituire ricambio
            signora signor metà altra altro volta ha arrivato ancora perché senza sopra fino niente nulla
            perfetto procedete procediamo ottimo allora benissimo prima""",
    "nl": """alles klopt binnen alleen nemen zelfde vorige keer dan afwerking lukt de het een en is zijn wij we u uw jullie voor met van op niet ook graag bedankt dank hartelijk
            groet groeten vriendelijke beste geachte kunt kunnen zou zouden bestelling offerte levering
            prijs die dat er te naar bij om hebben wordt ik nog onze ons alvast bijgevoegd wanneer
            geaccepteerd geweigerd gelezen vergadering afspraak ja nee goed maar of was waren heeft al week
            volgende ontvangen nieuwe kan moet wel geen deze dit wat hoe sturen vindt bijlage
            kost hoeveel klant voorraad kosten
            hallo hoi akkoord mag productie tekening stuks goedemorgen goedemiddag bestellen leveren afleveradres factuur klacht beschadigd kapot
            december januari februari gesloten winkel
            belnotitie bestelt bevestiging terugbellen
            aan twee drie meneer mevrouw maart april mei juni juli augustus oktober laten geplaatst geleverd
            besteld moeten uit toch alstublieft welke waar
            prima""",
    "pl": """potrzebujemy potrzebuję czwartek piątek poniedziałek wtorek środę radę dacie możecie u i w z na do nie się sie jest są sa czy dla oraz proszę prosze dziękuję dziekuje dzień dzien
            dobry pozdrawiam pozdrowienia szanowni szanowny szanowna państwo panstwo państwa panstwa
            zamówienie zamowienie oferta ofertę oferte wycena wycenę wycene dostawa cena że ze to jak mamy
            możemy mozemy prosimy nasz nasze naszego od po przez tak już juz bardzo kiedy zaakceptowano
            odrzucono przeczytane przeczytana spotkanie dobrze a ale lub był była było będzie może można
            tydzień przyszły otrzymaliśmy nowy nowe jeszcze tylko ten ta te tego przesyłamy załączniku
            uszkodzona uszkodzony
            ile kosztuje koszt klient towar za
            witam rysunek zatwierdzony zatwierdzamy produkcji szt uszkodzone reklamacja faktura dostawy zamówienia zamowienia zamówić zamowic
            grudnia stycznia lutego zamknięty zamknięta sklep
            notatka rozmowa zamawia
            prośba prosba katalogi katalogów cennik cennika próbki
            pana pani znowu nadal wciąż bo gdzie jestem
            świetnie""",
    "cs": """u dveře dveří zámek okno okna zlobí a v z na do ne se je jsou jsme pro s prosím prosim děkuji dekuji dobrý dobry den pozdravem
            vážení vazeni vážený vazeny objednávka objednavka objednávku objednavku nabídka nabidka nabídku
            nabidku dodávka dodavka cena že to jak máme mame můžete muzete bychom náš nas naše nase od po
            také take už velmi bude by o k kdy přijato prijato odmítnuto odmitnuto přečteno precteno schůzka
            schuzka ano dobře dobre ale nebo byl byla bylo může týden příští obdrželi nový nové ještě jen
            ten ta tento tato posíláme příloze potřebujeme nám vám naši
            kolik stojí stoji zákazník zboží za
            výkres vykres schvalujeme výroby vyroby ks reklamace faktura dodávky dodavky objednávky objednavky objednat
            prosince ledna února zavřená zavřeno prodejna
            poznámka hovoru objednává
            poškozená poškozený poškozené poskozena prosba katalogy ceník vzorky
            zase pana paní při pořád stále znovu protože když kde jsem jste tady
            výborně""",
    "pt": """estaremos encerrados encerrado encerrada férias estamos informamos o a os as e é nós nos você voce vocês voces seu sua para com de do da dos das um uma em no na
            não nao obrigado obrigada olá ola bom dia cumprimentos atenciosamente prezados prezado encomenda
            orçamento orcamento entrega preço preco que se por favor mais muito podem precisamos gostaríamos
            gostariamos nosso nossa quando aceito aceite recusado lido reunião reuniao sim bem está estão há
            foi também mas ou semana próxima recebemos novo nova podemos já ainda enviar este esta segue
            anexo ao à pelo pela
            quanto custa custam cliente mercadoria
            desenho aprovado produção producao unidades reclamação reclamacao fatura encomendar
            loja encerrada encerrado dezembro janeiro fevereiro informamos
            chamada encomenda
            temos tem têm estamos vamos precisava podiam hoje amanhã segunda terça
            quarta quinta sexta passamos levantar mandem enviem reservem abraço abraco
            voltou senhora senhor metade outra outro vez tem chegou porque desde sem sobre até nada
            avançar perfeito ótimo""",
    "sv": """hela tyvärr måste ångrat längre mycket något blev fick gick köpt hjälp lite kanske fråga möjligt snön kolla och att det är ar jag vi inte för med på pa till om av hej tack vänliga vanliga hälsningar
            halsningar kan ni er vår var våra vara skulle behöver behover beställning bestallning offert
            leverans när nar någon nagon mig dig efter också ocksa mvh accepterat avböjt avbojt läst last
            möte mote ja bra en ett har hade blir bli ny nya oss denna detta vänligen vecka nästa bifogat
            finns men eller redan fortfarande skicka
            kostar kostnad kund lager
            ritningen godkänd godkand tillverkningen reklamation faktura leveransen beställa bestalla
            december januari februari stängt butik
            samtalsanteckning beställer undrar
            hos
            som så offerten priset enligt
            ska alla sina byta räkna
            vidare gå toppen perfekt
            varit här allt nu fungerar måndag tisdag onsdag torsdag fredag igen""",
    "da": """åbent åbningstider lørdag hele stopper begyndt desværre olie lækker længere meget noget blev fik gik købt hjælp lidt måske spørgsmål tilbagemelding muligt sne sneen tjekke kører køre kør og at det er jeg vi ikke for med på pa til om af hej tak venlig hilsen kan i jer vores skal
            gerne bestilling tilbud levering hvad hvornår hvornar nogen mig dig efter også ogsa mvh kære
            kaere accepteret afvist læst laest møde mode ja fint godt en et har havde var bliver blive være
            brug ny nye os denne dette venligst uge næste vedhæftet findes men eller allerede stadig sende
            fra
            koster kunde lager
            tegningen godkendt produktion stk reklamation faktura leveringen bestille
            december januar februar lukket butik
            opkaldsnote bestiller tilbage sig send mere
            hos
            som så tilbuddet prisen ifølge
            der står vand hvis hvor fordi
            næsten ingenting nu lige højeste
            videre perfekt
            tager mandag tirsdag onsdag torsdag fredag igen virker været her alt stykker knækket""",
    "no": """tar sist igjen åpent åpningstider lørdag å begynt hele stopper dessverre olje lekker lenger mye noe ble fikk gikk kjøpt hjelp litt veldig kanskje spørsmål tilbakemelding mulig installasjon snø snøen sjekke kjører kjøre kjør og at det er jeg vi ikke for med på pa til om av hei takk vennlig hilsen kan dere vår var våre
            vare skal gjerne bestilling tilbud levering hva når nar noen meg deg etter også ogsa mvh kjære
            kjaere akseptert avslått avslatt lest møte mote ja fint bra en et har hadde blir bli være
            trenger ny nye oss denne dette vennligst uke neste vedlagt finnes men eller allerede fortsatt
            sende fra
            koster kunde lager
            tegningen godkjent produksjonen stk reklamasjon faktura leveransen bestille
            desember januar februar stengt butikk
            samtalenotat bestiller tilbake seg send mer
            supert sett igang ingenting nå
            hos tatt
            som så tilbudet prisen ifølge
            der står vann hvis hvor fordi
            nesten høyeste
            greit videre gå perfekt
            beina knekt knust ødelagt mandag tirsdag onsdag torsdag fredag virker vært her alt""",
}

# Letters that only some of the languages write, and which.
LETTERS = {
    "ø": ('da', 'no'), "æ": ('da', 'no'), "å": ('sv', 'da', 'no'), "ä": ('sv', 'de'), "ö": ('sv', 'de'), "ü": ('de',),
    "ß": ('de',), "ñ": ('es',), "ã": ('pt',), "õ": ('pt',), "ç": ('pt', 'fr'), "ł": ('pl',),
    "ą": ('pl',), "ę": ('pl',), "ś": ('pl',), "ź": ('pl',), "ż": ('pl',), "ń": ('pl',),
    "ř": ('cs',), "ě": ('cs',), "ů": ('cs',), "č": ('cs',), "š": ('cs',), "ž": ('cs',),
    "è": ('fr', 'it'), "ê": ('fr', 'pt'), "à": ('fr', 'it'), "ù": ('fr',), "â": ('fr', 'pt'), "î": ('fr',),
    "ô": ('fr', 'pt'), "û": ('fr',), "œ": ('fr',), "ì": ('it',), "ò": ('it',),
}

# Letters a language never writes: a Swedish "läcker" is no Danish word, a Danish "køb" no
# Swedish one. The three Nordic languages share most small words, so a short message is told
# apart by its letters as much as by its words; so do Polish and Czech from the Romance
# languages, whose "na", "da", "do" and "se" they write too ("Potrzebujemy 4 pompy na
# czwartek, da radę?" is no Portuguese).
_ROMANCE = ("pt", "es", "it", "fr")
NOT_WRITTEN = {"ä": ("da", "no"), "ö": ("da", "no"), "æ": ("sv",), "ø": ("sv",),
               **{ch: _ROMANCE for ch in "ąęłśźżń"}, **{ch: _ROMANCE for ch in "řěů"}}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LETTERS = re.compile(r"[^\W\d_]")
_SPECIAL = re.compile("[" + "".join(LETTERS) + "]")


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _weights(unaccented: bool) -> dict[str, dict[str, float]]:
    languages_of: dict[str, set[str]] = defaultdict(set)
    for lang, text in WORDS.items():
        for word in text.split():
            languages_of[word].add(lang)
            if unaccented:
                languages_of[_unaccented(word)].add(lang)
    return {word: {lang: 1 / len(langs) for lang in langs} for word, langs in languages_of.items()}


# A word is also known without its accents ("for" for "för"), as mail typed on a keyboard
# without them reads; not in a text that has accents, whose writer would have typed them.
_WEIGHTS = _weights(unaccented=True)
_WRITTEN_WEIGHTS = _weights(unaccented=False)


def scores(text: str) -> dict[str, float]:
    """The evidence for each language in ``text``: its words, and a little for its letters."""
    text = text.casefold()
    total: dict[str, float] = defaultdict(float)
    weights = _WEIGHTS if text.isascii() else _WRITTEN_WEIGHTS
    for word in _WORD.findall(text):
        for lang, weight in weights.get(word, {}).items():
            total[lang] += weight
    letters: dict[str, float] = defaultdict(float)
    against: dict[str, float] = defaultdict(float)
    for ch in _SPECIAL.findall(text):
        for lang in LETTERS[ch]:
            letters[lang] += LETTER_WEIGHT
        for lang in NOT_WRITTEN.get(ch, ()):
            against[lang] += LETTER_WEIGHT
    for lang, weight in letters.items():
        total[lang] += min(weight, LETTER_CAP)
    for lang, weight in against.items():
        if lang in total:
            total[lang] -= min(weight, LETTER_CAP)
    return total


def guess_language(text: str) -> str:
    sample = text[:MAX_CHARS]
    if len(_LETTERS.findall(sample[:200])) < MIN_LETTERS:
        return ""
    found = scores(sample)
    if not found:
        return ""
    # A tie goes to the language listed first (English, then the larger markets).
    lang, best = max(found.items(), key=lambda kv: (kv[1], -LANGUAGES.index(kv[0])))
    if best < MIN_SCORE:
        return ""
    if lang == "en":
        # "Hi Rachel, queria saber o preço ..., delivered to Porto": dealers put English
        # trade words into their own language, and English keywords are searched in every
        # language, so a close second that is not English is the dealer's language.
        other, second = max(((k, v) for k, v in found.items() if k != "en"),
                            key=lambda kv: (kv[1], -LANGUAGES.index(kv[0])), default=("", 0.0))
        if second >= MIN_SCORE and second >= ENGLISH_MARGIN * best:
            return other
    return lang


REPLY_TIE = 0.5  # how close two languages' evidence in a short reply must be for its thread to choose


def guess_reply_language(own: str, thread: str) -> str:
    """A short reply's language. Its own words decide when they point one way: a German "Ok,
    schicken Sie sie." under our English quotation is German. Where they allow several ("Ja
    tak, send dem alle 18." is Danish or German) or too few to say, the thread it answers,
    usually in the dealer's language, chooses."""
    mine = guess_language(own)
    if not mine:
        return guess_language(f"{own}\n{thread}")
    found = scores(own[:MAX_CHARS])
    close = {lang for lang, v in found.items() if v >= found.get(mine, 0.0) - REPLY_TIE}
    if len(close) <= 1:
        return mine
    both = scores(f"{own}\n{thread}"[:MAX_CHARS])
    return max(close, key=lambda lang: (both.get(lang, 0.0), -LANGUAGES.index(lang)))
