"""Short articles written for this portal in B1 Dutch, pregnancy to 18 (migration 0002).

Editors change them in the admin afterwards. `tests/kennisbank` checks each passes the B1
check. (slug, title, summary, body, themes, (week from, week to), (month from, month to), source)
"""

from datetime import date

CHECKED_ON = date(2026, 11, 1)
REVIEW_BY = date(2027, 11, 1)

ARTICLES = [
    (
        "gezond-eten-in-je-zwangerschap",
        "Gezond eten als je zwanger bent",
        "Wat eet je beter wel en wat beter niet? Een paar tips.",
        "Je baby groeit van wat jij eet. Eet elke dag groente en fruit. Eet ook brood, "
        "zuivel en vis.\n\n"
        "Sommige dingen zijn niet goed voor je baby:\n\n"
        "- Drink geen alcohol.\n"
        "- Eet geen rauw vlees en geen rauwe vis.\n"
        "- Eet geen kaas van rauwe melk.\n\n"
        "Neem elke dag een pil met foliumzuur tot week 10. En neem vitamine D. "
        "Twijfel je? Vraag het aan je verloskundige.",
        ["Voeding"],
        (4, 43),
        None,
        "Voedingscentrum, zwanger",
    ),
    (
        "kinkhoestprik-in-je-zwangerschap",
        "De kinkhoestprik in je zwangerschap",
        "Met één prik bescherm je je baby al voor de geboorte.",
        "Kinkhoest is gevaarlijk voor jonge baby's. Ze kunnen er heel ziek van worden. "
        "Je kunt je baby beschermen met een prik. Die krijg jij zelf, vanaf week 22 van je "
        "zwangerschap.\n\n"
        "Jouw lichaam maakt dan stoffen tegen kinkhoest. Die gaan naar je baby. Zo is je baby "
        "na de geboorte al een beetje beschermd.\n\n"
        "De prik is gratis. Je maakt zelf een afspraak bij de GGD of de JGZ.",
        ["Vaccinaties"],
        (16, 33),
        None,
        "RIVM, Rijksvaccinatieprogramma",
    ),
    (
        "klaar-voor-je-baby",
        "Klaar voor je baby",
        "Wat kun je voor de geboorte al regelen?",
        "Je baby komt bijna. Dat is spannend. Een paar dingen kun je nu al doen.\n\n"
        "- Zorg voor een veilig bedje, zonder kussen en zonder dekbed.\n"
        "- Zorg voor een autostoeltje voor je baby.\n"
        "- Praat met je partner over de taken thuis.\n\n"
        "De jeugdverpleegkundige komt in je zwangerschap bij je langs. Je kunt dan al je "
        "vragen stellen. Hoe gaat het met jou? Ook dat mag je vertellen.",
        ["Ouderschap en relatie"],
        (24, 43),
        None,
        "JGZ-richtlijn, Kansrijke Start",
    ),
    (
        "veilig-slapen",
        "Veilig slapen voor je baby",
        "Zo slaapt je baby veilig, elke nacht en elk dutje.",
        "Leg je baby altijd op de rug om te slapen. Ook overdag.\n\n"
        "- Gebruik een slaapzak. Geen dekbed en geen kussen.\n"
        "- Zet het bedje in jouw kamer, tot je baby 6 maanden is.\n"
        "- Rook niet in huis en niet in de auto.\n"
        "- De kamer is niet te warm: rond 18 graden is goed.\n\n"
        "Slaapt je baby slecht? Of ben je heel moe? Stel je vraag aan de jeugdverpleegkundige.",
        ["Slapen"],
        None,
        (0, 12),
        "JGZ-richtlijn Preventie wiegendood",
    ),
    (
        "borstvoeding-de-eerste-weken",
        "Borstvoeding: de eerste weken",
        "Borstvoeding gaat niet altijd vanzelf. Dat is normaal.",
        "Je baby drinkt in het begin vaak. Soms wel 8 tot 12 keer per dag. Zo komt je melk "
        "goed op gang.\n\n"
        "Let op deze dingen:\n\n"
        "- Je baby plast 6 keer per dag of vaker.\n"
        "- Je baby groeit.\n"
        "- Voeden doet geen pijn.\n\n"
        "Doet het pijn? Of twijfel je of je baby genoeg drinkt? Vraag hulp. Dat kan bij de "
        "kraamzorg, de verloskundige of bij ons.",
        ["Voeding"],
        None,
        (0, 6),
        "JGZ-richtlijn Borstvoeding",
    ),
    (
        "flesvoeding-klaarmaken",
        "Flesvoeding veilig klaarmaken",
        "Zo maak je een fles schoon en veilig klaar.",
        "Was eerst je handen. Maak elke fles vlak voor het voeden klaar.\n\n"
        "1. Kook vers water en laat het wat afkoelen.\n"
        "2. Doe eerst het water in de fles, dan het poeder.\n"
        "3. Gebruik het schepje uit het blik. Strijk het af.\n"
        "4. Schud de fles goed en voel of de melk niet te warm is.\n\n"
        "Gooi melk die over is na een uur weg. Maak de fles daarna goed schoon.",
        ["Voeding"],
        None,
        (0, 12),
        "Voedingscentrum, flesvoeding",
    ),
    (
        "je-baby-huilt-veel",
        "Je baby huilt veel",
        "Alle baby's huilen. Wat kun je doen als het veel is?",
        "Baby's huilen om te laten weten wat ze nodig hebben. In de eerste weken huilen ze "
        "vaak meer. Rond 6 weken is het meestal het meest.\n\n"
        "Wat kan helpen:\n\n"
        "- Een vast ritme van voeden, spelen en slapen.\n"
        "- Je baby stevig in je armen houden.\n"
        "- Rust en weinig prikkels.\n\n"
        "Word je boos of kun je niet meer? Leg je baby veilig in bed en loop even weg. "
        "Schud nooit met je baby. Bel ons of je huisarts, je staat er niet alleen voor.",
        ["Huilen"],
        None,
        (0, 6),
        "JGZ-richtlijn Excessief huilen",
    ),
    (
        "de-hielprik",
        "De hielprik",
        "In de eerste week krijgt je baby een prikje in de hiel.",
        "Met de hielprik zoeken we naar zeldzame ziektes. Als je die vroeg vindt, kun je er "
        "veel aan doen.\n\n"
        "Iemand komt bij je thuis als je baby 3 tot 7 dagen oud is. Er gaan een paar "
        "druppels bloed op een kaart. Dat duurt een paar minuten.\n\n"
        "Hoor je niets? Dan is de uitslag goed. Is er iets niet goed? Dan hoor je dat snel "
        "van je huisarts.",
        ["Ziek zijn en gezondheid"],
        None,
        (0, 1),
        "RIVM, hielprikscreening",
    ),
    (
        "de-eerste-hapjes",
        "De eerste hapjes",
        "Vanaf ongeveer 4 tot 6 maanden kan je baby leren eten.",
        "Je baby krijgt eerst kleine beetjes. Begin met een paar lepeltjes groente of fruit. "
        "Geef elke dag iets nieuws, zo went je baby aan veel smaken.\n\n"
        "- Geef geen zout en geen suiker.\n"
        "- Geef ook pinda en ei, in kleine beetjes.\n"
        "- Geef melk erbij, net als eerst.\n\n"
        "Wil je baby het niet? Probeer het later nog eens. Soms moet een kind iets wel tien "
        "keer proeven.",
        ["Voeding"],
        None,
        (4, 12),
        "Voedingscentrum, eerste hapjes",
    ),
    (
        "koorts",
        "Koorts bij je baby of kind",
        "Wanneer is koorts gevaarlijk, en wanneer bel je?",
        "Koorts is een temperatuur van 38 graden of hoger. Het lichaam vecht dan tegen een "
        "ziekte. Meestal is dat niet erg.\n\n"
        "Bel meteen je huisarts, of 's avonds de huisartsenpost, als:\n\n"
        "- je baby jonger is dan 3 maanden en koorts heeft;\n"
        "- je kind suf is of moeilijk wakker wordt;\n"
        "- je kind moeilijk ademt;\n"
        "- je kind niet drinkt of niet plast.\n\n"
        "Bij levensgevaar: bel 112. Geef je kind genoeg te drinken en kleed het niet te warm "
        "aan.",
        ["Ziek zijn en gezondheid"],
        None,
        (0, 48),
        "Thuisarts, koorts bij kinderen",
    ),
    (
        "je-peuter-leert-praten",
        "Je peuter leert praten",
        "Zo help je je kind om meer woorden te leren.",
        "Kinderen leren praten door te luisteren. Praat dus veel met je kind, in de taal die "
        "jij het best spreekt.\n\n"
        "- Zeg wat je doet: nu doen we je jas aan.\n"
        "- Lees samen een boekje, elke dag even.\n"
        "- Zing liedjes.\n"
        "- Geef je kind tijd om iets terug te zeggen.\n\n"
        "Twee talen thuis is goed voor je kind. Maak je je zorgen over het praten? Vraag het "
        "ons bij een afspraak.",
        ["Ontwikkeling"],
        None,
        (12, 48),
        "JGZ-richtlijn Taalontwikkeling",
    ),
    (
        "driftbuien",
        "Driftbuien bij je peuter",
        "Je peuter wordt heel boos. Wat doe je dan?",
        "Peuters willen veel zelf doen. Dat lukt niet altijd. Dan worden ze boos. Een "
        "driftbui hoort bij deze leeftijd.\n\n"
        "- Blijf zelf rustig.\n"
        "- Zorg dat je kind veilig is.\n"
        "- Wacht tot de bui over is. Troost daarna.\n"
        "- Geef niet toe aan wat je kind wilde.\n\n"
        "Zeg later wat je zag: je was heel boos, hè. Zo leert je kind dat gevoel te "
        "snappen.",
        ["Gedrag en opvoeden"],
        None,
        (18, 60),
        "JGZ-richtlijn Opvoedingsondersteuning",
    ),
    (
        "zindelijk-worden",
        "Zindelijk worden",
        "Elk kind wordt zindelijk op zijn eigen tijd.",
        "De meeste kinderen zijn tussen 2 en 4 jaar zindelijk. Eerst overdag, later ook "
        "'s nachts.\n\n"
        "Je kind is er klaar voor als het:\n\n"
        "- zegt dat de luier nat is;\n"
        "- een tijd droog blijft;\n"
        "- wil zitten op de wc of het potje.\n\n"
        "Prijs je kind als het lukt. Boos worden helpt niet. Gaat het nog niet? Wacht dan een "
        "paar weken en probeer het opnieuw.",
        ["Ontwikkeling"],
        None,
        (18, 54),
        "JGZ-richtlijn Zindelijkheid",
    ),
    (
        "tanden-poetsen",
        "Tanden poetsen",
        "Vanaf de eerste tand poets je elke dag.",
        "Poets de tanden van je kind twee keer per dag. Doe het 's ochtends en voor het "
        "slapen.\n\n"
        "- Gebruik tandpasta voor kinderen.\n"
        "- Poets tot je kind ongeveer 10 jaar is zelf na.\n"
        "- Geef niet te vaak iets zoets. Water is de beste dorstlesser.\n\n"
        "Ga met je kind naar de tandarts vanaf de eerste tand. Voor kinderen is dat gratis.",
        ["Groei"],
        None,
        (6, 144),
        "Thuisarts, tanden van je kind",
    ),
    (
        "schermen-en-je-kind",
        "Schermen en je kind",
        "Tablet, telefoon en tv: hoeveel is goed?",
        "Schermen horen bij deze tijd. Maar te veel is niet goed voor slaap, taal en "
        "bewegen.\n\n"
        "- Maak samen afspraken over de tijd.\n"
        "- Geen scherm in het uur voor het slapen.\n"
        "- Kijk samen en praat erover.\n"
        "- Geef zelf het goede voorbeeld.\n\n"
        "Buiten spelen en samen dingen doen is minstens zo leuk. Wil je tips? Vraag het ons.",
        ["Gedrag en opvoeden"],
        None,
        (24, 144),
        "JGZ-richtlijn, mediaopvoeding",
    ),
    (
        "goed-slapen-schoolkind",
        "Goed slapen voor je schoolkind",
        "Met genoeg slaap gaat leren beter.",
        "Een kind op de basisschool heeft 9 tot 12 uur slaap nodig. Met genoeg slaap kan je "
        "kind beter leren en spelen.\n\n"
        "- Ga elke dag rond dezelfde tijd naar bed.\n"
        "- Maak een vast ritueel: tanden poetsen, een boek, licht uit.\n"
        "- Geen telefoon of tablet op de slaapkamer.\n\n"
        "Slaapt je kind slecht, of is het overdag erg moe? Vraag het ons.",
        ["Slapen"],
        None,
        (48, 144),
        "JGZ-richtlijn Gezonde slaap",
    ),
    (
        "als-je-kind-gepest-wordt",
        "Als je kind gepest wordt",
        "Pesten doet pijn. Zo kun je je kind helpen.",
        "Je kind wil niet naar school, of is stil en verdrietig. Dat kan komen door pesten.\n\n"
        "- Luister naar je kind en neem het serieus.\n"
        "- Zeg dat het niet de schuld van je kind is.\n"
        "- Praat met de leraar of de mentor.\n\n"
        "Je kunt ook met ons praten. Wij werken samen met de school. Je kind kan ook zelf "
        "contact met ons opnemen.",
        ["School"],
        None,
        (60, 217),
        "JGZ-richtlijn, pesten",
    ),
    (
        "je-kind-in-de-puberteit",
        "Je kind in de puberteit",
        "Je kind verandert. Dat is normaal, maar niet altijd makkelijk.",
        "In de puberteit groeit je kind snel. Het lichaam verandert en ook de gevoelens. Je "
        "kind wil meer zelf beslissen.\n\n"
        "- Blijf praten, ook over lastige dingen.\n"
        "- Geef ruimte, maar maak duidelijke afspraken.\n"
        "- Laat merken dat je er bent.\n\n"
        "Vanaf 12 jaar mag je kind zelf met ons praten. Wat je kind vertelt, blijft tussen "
        "ons, tenzij het niet veilig is.",
        ["Puberteit"],
        None,
        (120, 217),
        "JGZ-richtlijn, jongeren",
    ),
    (
        "de-hpv-prik",
        "De HPV-prik",
        "Jongens en meisjes krijgen een prik tegen HPV.",
        "HPV is een virus. Het kan later kanker geven. Met de prik is je kind daar goed tegen "
        "beschermd.\n\n"
        "Je kind krijgt een brief als het 10 jaar wordt. De prik is gratis. Er zijn twee "
        "prikken nodig.\n\n"
        "Heb je vragen over de prik? Stel ze aan ons. Je kind mag ook zelf vragen stellen.",
        ["Vaccinaties"],
        None,
        (108, 217),
        "RIVM, HPV-vaccinatie",
    ),
]


def load(article_model, topic_model) -> None:
    """Create the articles that do not exist yet (by slug); Dutch columns and the plain ones."""
    topics = {t.name: t for t in topic_model.objects.all()}
    for slug, title, summary, body, themes, weeks, months, source in ARTICLES:
        if article_model.objects.filter(slug=slug).exists():
            continue
        article = article_model.objects.create(
            slug=slug,
            title=title,
            title_nl=title,
            summary=summary,
            summary_nl=summary,
            body=body,
            body_nl=body,
            week_from=weeks[0] if weeks else None,
            week_to=weeks[1] if weeks else None,
            month_from=months[0] if months else None,
            month_to=months[1] if months else None,
            checked_on=CHECKED_ON,
            source=source,
            review_by=REVIEW_BY,
        )
        article.topics.set([topics[name] for name in themes if name in topics])
    # English for every seeded article, Arabic for a few; none marked as checked.
    from kennisbank.seed_translations import fill

    fill(article_model)
