"""Seed the alarm rules that replace the literal alarm phrases, and keep any phrase a manager
added to the old list as a rule of its own. Only adds what is missing (by name).

The rules were tuned on tests/vragen/alarm_corpus/tuning.csv; a jeugdarts keeps them in the
admin from here on. Syntax: see vragen/alarms.py (one pattern per line, `*` word start, `...`
up to five words in between)."""

import importlib

from django.db import migrations

GP = {"call_112": True, "call_gp": True}
MIDWIFE = {"call_112": True, "call_midwife": True}

RULES = [
    {
        "name": "Koorts bij een baby jonger dan 3 maanden",
        "audience": "child",
        "younger_than_months": 3,
        "words": [
            "koorts*",
            "verhoging",
            "verhoogde temperatuur",
            "hoge temperatuur",
            "heeft temperatuur",
            "temperatuur ... 38*",
            "temperatuur ... 39*",
            "temperatuur ... 40*",
            "38 graden",
            "39 graden",
            "40 graden",
            "41 graden",
            "38,*",
            "39,*",
            "40,*",
            "41,*",
            "gloeit",
            "gloeiend",
            "heet aan",
        ],
        "ignore": ["geen koorts", "zonder koorts", "koortsvrij", "koortsthermometer*"],
        "advice": "Koorts bij een baby jonger dan 3 maanden is altijd een reden om meteen te "
        "bellen. Bel nu je huisarts. 's Avonds, 's nachts en in het weekend bel je de "
        "huisartsenpost.",
        **GP,
        "must_match": [
            "[5 weken] Mijn baby van 5 weken heeft koorts.",
            "[2 maanden] Hij heeft 39 graden, moet ik iets doen?",
            "[3 weken] Ze voelt warm, de thermometer zegt 38,4.",
            "[ouder] Onze pasgeboren dochter is koortsig.",
            "[ouder] Mijn zoon van 6 weken heeft verhoging.",
        ],
        "must_not_match": [
            "[4 maanden] Hij heeft koorts na de prik.",
            "[2 jaar] Ze heeft 39 graden koorts.",
            "[5 weken] Hoe meet ik de temperatuur het best?",
            "[5 weken] Ze heeft geen koorts, wel krampjes.",
            "[5 weken] Welke koortsthermometer raden jullie aan?",
            "[5 weken] Het badwater is 37 graden, is dat goed?",
        ],
    },
    {
        "name": "Drinkt niet of veel minder (jonger dan 6 maanden)",
        "audience": "child",
        "younger_than_months": 6,
        "words": [
            "drinkt niet",
            "drinkt ... niet meer",
            "drinkt ... niks",
            "drinkt ... niets",
            "drinkt ... nauwelijks",
            "drinkt ... bijna niet",
            "wil niet drinken",
            "wil ... niet meer drinken",
            "wil ... niet drinken",
            "weigert ... fles*",
            "weigert ... borst*",
            "weigert ... voeding*",
            "weigert ... drinken",
            "drinkt ... minder dan de helft",
            "drinkt ... de helft",
        ],
        "ignore": ["niet zo veel als", "niet zoveel als", "niet ... uit ... beker*"],
        "advice": "Drinkt je baby niet of veel minder dan normaal? Een jonge baby kan snel "
        "uitdrogen. Bel nu je huisarts. 's Avonds, 's nachts en in het weekend bel je de "
        "huisartsenpost.",
        **GP,
        "must_match": [
            "[3 maanden] Sinds vanochtend drinkt hij niet meer.",
            "[5 weken] Ze weigert elke fles.",
            "[4 maanden] Hij drinkt maar de helft van wat hij normaal drinkt.",
            "[ouder] Onze baby van 8 weken wil niet drinken.",
        ],
        "must_not_match": [
            "[8 maanden] Hij wil niet meer drinken uit de fles, alleen uit een beker.",
            "[4 maanden] Hij drinkt niet zo veel als zijn zus deed, maar groeit goed.",
            "[5 maanden] Hoeveel moet hij drinken per voeding?",
        ],
    },
    {
        "name": "Minder natte luiers (jonger dan 6 maanden)",
        "audience": "child",
        "younger_than_months": 6,
        "words": [
            "minder natte luier*",
            "weinig natte luier*",
            "geen natte luier*",
            "droge luier*",
            "luier* ... droog",
            "plast ... niet",
            "plast ... minder",
            "plast ... weinig",
            "1 natte luier*",
            "een natte luier* ... gehad",
            "ingevallen fontanel",
            "fontanel ... ingevallen",
            "uitgedroogd",
        ],
        "ignore": [],
        "advice": "Minder natte luiers kan betekenen dat je baby uitdroogt. Bel nu je "
        "huisarts. 's Avonds, 's nachts en in het weekend bel je de huisartsenpost.",
        **GP,
        "must_match": [
            "[3 maanden] Ze heeft sinds vanochtend geen natte luier gehad.",
            "[2 maanden] Zijn luiers blijven droog.",
            "[5 maanden] Hij plast bijna niet meer.",
        ],
        "must_not_match": [
            "[3 maanden] Hoeveel natte luiers per dag is normaal?",
            "[1 jaar] Ze plast minder sinds het warm is.",
        ],
    },
    {
        "name": "Drinkt slecht en is ziek (jonger dan 6 maanden)",
        "audience": "child",
        "younger_than_months": 6,
        "words": [
            "drinkt ... slecht",
            "drinkt ... minder",
            "drinkt ... weinig",
            "slecht drinken",
            "slecht aan het drinken",
        ],
        "and_words": [
            "koorts*",
            "verhoging",
            "braak*",
            "spuug* ... alles",
            "spuugt alles",
            "overgeven",
            "geeft ... over",
            "diarree",
            "suf*",
            "slap*",
            "slaperig",
            "lusteloos",
            "plast*",
            "luier*",
            "zwak*",
            "kreun*",
            "benauwd*",
            "ziek*",
        ],
        "ignore": [],
        "advice": "Een jonge baby die slecht drinkt en ziek is, kan snel uitdrogen. Bel nu je "
        "huisarts. 's Avonds, 's nachts en in het weekend bel je de huisartsenpost.",
        **GP,
        "must_match": [
            "[3 maanden] Hij drinkt slecht en is erg slaperig.",
            "[6 weken] Ze drinkt veel minder en heeft diarree.",
        ],
        "must_not_match": [
            "[2 maanden] Ze drinkt slecht uit de fles. Moet ik een andere speen nemen?",
            "[9 maanden] Hij drinkt slecht en is verkouden.",
        ],
    },
    {
        "name": "Benauwd of moeite met ademen",
        "audience": "everyone",
        "words": [
            "benauwd*",
            "ademnood",
            "hapt naar adem",
            "hapt naar lucht",
            "happen naar adem",
            "happen naar lucht",
            "snakt naar adem",
            "snakt naar lucht",
            "ademt ... moeilijk",
            "ademt ... zwaar",
            "moeilijk ademen",
            "moeite met ademen",
            "moeite met ademhalen",
            "krijgt geen lucht",
            "krijg geen lucht",
            "buik trekt in",
            "trekt ... in bij ... adem*",
            "intrekkingen",
            "neusvleugel*",
            "stopt ... met ademen",
            "stopt ... met ademhalen",
            "ademstop*",
            "ademstilstand",
            "ademhalingsproblemen",
            "pijn op de borst",
        ],
        "ignore": ["niet benauwd", "geen benauwd*"],
        "advice": "Moeite met ademen is altijd dringend. Bel nu je huisarts, of 's avonds, "
        "'s nachts en in het weekend de huisartsenpost. Wordt het erger, of wordt iemand "
        "blauw of suf: bel 112.",
        **GP,
        "must_match": [
            "[4 jaar] Hij is heel benauwd.",
            "[ouder] Ik krijg geen lucht.",
            "[3 maanden] Ze stopt soms met ademen in haar slaap.",
            "[1 jaar] Zijn buik trekt in bij elke ademhaling.",
        ],
        "must_not_match": [
            "[4 jaar] Hij is niet benauwd maar hoest wel veel.",
            "[2 maanden] Ze snurkt een beetje als ze slaapt.",
        ],
    },
    {
        "name": "Snel ademen en ziek",
        "audience": "everyone",
        "words": [
            "ademt ... snel",
            "snelle ademhaling",
            "ademhaling ... snel",
            "hijgt",
            "kreunend ademen",
            "kreunt bij ... adem*",
        ],
        "and_words": [
            "koorts*",
            "kreun*",
            "benauwd*",
            "ziek*",
            "slap*",
            "suf*",
            "intrek*",
            "neusvleugel*",
            "drinkt ... niet",
            "hoest*",
        ],
        "ignore": [],
        "advice": "Snel of kreunend ademen bij een ziek kind is dringend. Bel nu je huisarts, "
        "of 's avonds, 's nachts en in het weekend de huisartsenpost.",
        **GP,
        "must_match": [
            "[5 maanden] Hij ademt heel snel en heeft koorts.",
            "[2 jaar] Ze ademt snel en kreunt.",
        ],
        "must_not_match": [
            "[6 maanden] Hij ademt soms snel als hij droomt, is dat normaal?",
        ],
    },
    {
        "name": "Blauw of grauw",
        "audience": "everyone",
        "words": [
            "blauw",
            "blauwig",
            "blauwe lippen",
            "blauwe mond",
            "blauwe huid",
            "blauwe nagels",
            "blauw* aan*",
            "grauw*",
        ],
        "ignore": [
            "blauwe plek*",
            "blauw oog",
            "blauwe ogen",
            "blauwe vlek*",
            "favoriete kleur ... blauw",
            "blauwe handjes",
            "blauwe voetjes",
            "handjes ... blauw*",
            "voetjes ... blauw*",
            "koud en blauw*",
        ],
        "advice": "Wordt je kind blauw of grauw, bijvoorbeeld rond de mond of op de lippen? "
        "Bel nu 112.",
        **GP,
        "must_match": [
            "[8 maanden] Hij werd blauw bij het hoesten.",
            "[3 weken] Ze heeft blauwe lippen.",
            "[4 jaar] Ze liep blauw aan tijdens het eten.",
        ],
        "must_not_match": [
            "[2 jaar] Hij heeft een blauwe plek op zijn been.",
            "[4 maanden] Haar handjes zijn wat blauw na het badje.",
            "[6 weken] Hij heeft een blauwe vlek op zijn billen.",
        ],
    },
    {
        "name": "Reageert niet, slap of niet wakker te krijgen",
        "audience": "everyone",
        "words": [
            "reageert niet",
            "reageert ... niet meer",
            "reageert nauwelijks",
            "reageert ... niet goed",
            "niet wakker te krijgen",
            "niet wakker ... krijgen",
            "krijg ... niet wakker",
            "moeilijk wakker te krijgen",
            "bewusteloos",
            "buiten bewustzijn",
            "flauwgevallen",
            "flauw gevallen",
            "hangt slap",
            "heel slap",
            "erg slap",
            "slap en suf",
            "suf en slap",
            "slap als een",
        ],
        "ignore": [
            "reageert niet op ... naam",
            "reageert niet op geluid*",
            "reageert niet altijd",
        ],
        "advice": "Reageert iemand niet of nauwelijks, is je kind heel slap of niet wakker te "
        "krijgen? Bel nu 112.",
        **GP,
        "must_match": [
            "[1 jaar] Hij reageert niet als ik hem aanspreek.",
            "[6 maanden] Ik krijg haar niet wakker.",
            "[3 jaar] Hij is heel slap en wil alleen liggen.",
        ],
        "must_not_match": [
            "[2 jaar] Hij reageert niet op zijn naam, hoort hij wel goed?",
            "[2 jaar] Hij heeft slappe ontlasting.",
            "[10 maanden] Ze is wat slap in haar rompje bij het zitten.",
        ],
    },
    {
        "name": "Stuip of trekkingen",
        "audience": "everyone",
        "words": [
            "stuip*",
            "koortsstuip*",
            "trekkingen",
            "epileptisch*",
            "epilepsie aanval",
        ],
        "ignore": [],
        "advice": "Heeft je kind een stuip of trekkingen? Leg je kind op de zij en bel nu 112. "
        "Na een koortsstuip die voorbij is: bel je huisarts of de huisartsenpost.",
        **GP,
        "must_match": ["[18 maanden] Hij had net een koortsstuip."],
        "must_not_match": ["[2 weken] Ze schrikt vaak wakker met haar armpjes omhoog."],
    },
    {
        "name": "Gevallen op het hoofd en daarna ziek",
        "audience": "everyone",
        "words": [
            "gevallen op ... hoofd",
            "op ... hoofd gevallen",
            "val op ... hoofd",
            "hoofd gestoten",
            "hoofd ... gestoten",
            "klap op ... hoofd",
            "hersenschudding",
        ],
        "and_words": [
            "overgeven",
            "geeft ... over",
            "braak*",
            "spuug*",
            "suf*",
            "slaperig",
            "bewusteloos",
            "verward",
            "reageert",
            "wazig",
            "bloed*",
            "slap*",
        ],
        "ignore": [],
        "advice": "Na een val op het hoofd is overgeven, sufheid of verwardheid een reden om "
        "meteen te bellen. Bel nu je huisarts of de huisartsenpost. Is je kind bewusteloos: "
        "bel 112.",
        **GP,
        "must_match": ["[2 jaar] Hij is op zijn hoofd gevallen en moet steeds overgeven."],
        "must_not_match": ["[7 jaar] Ze is op haar hoofd gevallen maar speelt weer gewoon."],
    },
    {
        "name": "Iets ingeslikt of vergiftiging",
        "audience": "everyone",
        "words": [
            "vergiftig*",
            "batterij*",
            "knoopcel*",
            "magneet*",
            "magneetjes",
            "ingeslikt",
            "doorgeslikt",
            "pillen ... ingenomen",
            "pillen ... gegeten",
            "medicijnen ... ingenomen",
            "medicijnen ... gegeten",
            "vaatwastablet*",
            "wasmiddel*",
            "schoonmaakmiddel*",
            "ontstopper",
            "lampenolie",
        ],
        "ignore": ["lucht ingeslikt", "lucht ... ingeslikt", "tandpasta ... doorgeslikt"],
        "advice": "Heeft je kind iets ingeslikt of gegeten dat giftig kan zijn, zoals een "
        "batterij, magneetjes, medicijnen of schoonmaakmiddel? Bel nu je huisarts of de "
        "huisartsenpost. Is je kind suf, benauwd of heeft het pijn: bel 112.",
        **GP,
        "must_match": [
            "[3 jaar] Hij heeft een batterijtje ingeslikt.",
            "[2 jaar] Ze heeft van het wasmiddel gedronken.",
        ],
        "must_not_match": ["[4 maanden] Ze heeft veel lucht ingeslikt tijdens het drinken."],
    },
    {
        "name": "Bloed braken of bloed in de ontlasting",
        "audience": "everyone",
        "words": [
            "braakt bloed",
            "bloed braken",
            "bloed ... gebraakt",
            "spuugt bloed",
            "bloed ... gespuugd",
            "bloed in ... poep",
            "bloed in ... ontlasting",
            "bloed ... diarree",
            "bloederige ... poep",
            "bloederige ... ontlasting",
            "zwarte ontlasting",
        ],
        "ignore": [],
        "advice": "Bloed bij het braken of in de ontlasting: bel nu je huisarts. 's Avonds, "
        "'s nachts en in het weekend bel je de huisartsenpost.",
        **GP,
        "must_match": ["[1 jaar] Er zit bloed in haar ontlasting."],
        "must_not_match": ["[2 weken] Er zit een beetje bloed in haar luier."],
    },
    {
        "name": "Vlekjes die niet wegdrukken",
        "audience": "everyone",
        "words": [
            "niet ... wegdrukken",
            "niet ... weg ... drukken",
            "niet ... wegdrukbaar*",
            "niet weg te drukken",
            "puntbloedinkjes",
        ],
        "ignore": [],
        "advice": "Vlekjes die niet wegdrukken kunnen een teken zijn van een ernstige "
        "infectie. Bel nu 112 of je huisarts.",
        **GP,
        "must_match": ["[14 maanden] Ze heeft vlekjes die je niet kunt wegdrukken."],
        "must_not_match": ["[14 maanden] Ze heeft rode vlekjes die wegtrekken als je drukt."],
    },
    {
        "name": "Stijve nek en ziek",
        "audience": "everyone",
        "words": ["nekstijf*", "stijve nek", "nek ... stijf", "nek ... niet ... buigen"],
        "and_words": ["koorts*", "hoofdpijn", "ziek*", "braak*", "overgeven", "suf*"],
        "ignore": [],
        "advice": "Een stijve nek met koorts, hoofdpijn of braken kan een teken zijn van "
        "hersenvliesontsteking. Bel nu 112 of je huisarts.",
        **GP,
        "must_match": ["[8 jaar] Hij heeft hoge koorts en een stijve nek."],
        "must_not_match": ["[12 jaar] Ze heeft een stijve nek van het verkeerd liggen."],
    },
    {
        "name": "Minder of geen leven voelen in de zwangerschap",
        "audience": "pregnancy",
        "words": [
            "voel ... niet ... bewegen",
            "voel ... geen leven",
            "voel ... niet meer",
            "voel ... niets meer",
            "voel ... niks meer",
            "minder leven",
            "geen leven",
            "minder ... bewegen",
            "minder beweging*",
            "geen beweging*",
            "beweegt ... niet meer",
            "beweegt ... minder",
            "beweegt ... nauwelijks",
            "schopt niet meer",
            "schopt ... minder",
            "stil in ... buik",
        ],
        "ignore": ["voel me", "voel mij"],
        "advice": "Voel je je baby minder of niet bewegen? Bel nu je verloskundige, ook 's "
        "nachts en in het weekend. Wacht niet tot morgen.",
        **MIDWIFE,
        "must_match": [
            "[zwanger] Ik voel de baby sinds vanochtend niet bewegen.",
            "[zwanger] Ik voel minder leven dan gisteren.",
            "[zwanger] Ik voel de baby sinds vanmorgen minder bewegen.",
        ],
        "must_not_match": [
            "[zwanger] Wanneer ga ik de baby voor het eerst voelen bewegen?",
            "[zwanger] De baby beweegt heel veel 's nachts.",
            "[zwanger] Ik voel me niet meer zo misselijk als eerst.",
        ],
    },
    {
        "name": "Bloedverlies of vruchtwater in de zwangerschap of na de bevalling",
        "audience": "pregnancy",
        "words": [
            "bloed",
            "bloedverlies",
            "bloeding",
            "bloedt",
            "bloeden",
            "bloederig*",
            "stolsel*",
            "vruchtwater",
            "vliezen ... gebroken",
            "vocht ... weg",
        ],
        "ignore": [
            "tandvlees ... bloed*",
            "bloed* ... tandvlees",
            "bloedneus",
            "neus ... bloed*",
            "bloed ... afgenomen",
            "bloed ... geprikt",
            "bloed ... prikken",
        ],
        "advice": "Bloedverlies of vruchtwater verliezen: bel nu je verloskundige, ook 's "
        "nachts en in het weekend. Veel bloedverlies of je voelt je flauw: bel 112.",
        **MIDWIFE,
        "must_match": [
            "[zwanger] Ik heb een beetje bloedverlies.",
            "[zwanger] Volgens mij lekt er vruchtwater.",
        ],
        "must_not_match": [
            "[zwanger] Mijn tandvlees bloedt bij het poetsen.",
            "[zwanger] Bij de verloskundige is bloed afgenomen. Wanneer krijg ik de uitslag?",
        ],
    },
    {
        "name": "Erge hoofdpijn of sterretjes zien in de zwangerschap",
        "audience": "pregnancy",
        "words": [
            "erge hoofdpijn",
            "ernstige hoofdpijn",
            "heftige hoofdpijn",
            "hevige hoofdpijn",
            "barstende hoofdpijn",
            "zware hoofdpijn",
            "hoofdpijn ... sterretjes",
            "hoofdpijn ... sterren",
            "hoofdpijn ... lichtflitsen",
            "hoofdpijn ... flitsen",
            "hoofdpijn ... wazig*",
            "hoofdpijn ... vlekken",
            "hoofdpijn ... slecht zien",
            "hoofdpijn ... niet weg*",
            "hoofdpijn ... pijn ... bovenbuik",
            "sterretjes zien",
            "zie sterretjes",
            "zie ... sterretjes",
            "lichtflitsen",
        ],
        "ignore": [],
        "advice": "Erge hoofdpijn, sterretjes of lichtflitsen zien of wazig zien kan een teken "
        "zijn van zwangerschapsvergiftiging. Bel nu je verloskundige, ook 's nachts en in "
        "het weekend.",
        **MIDWIFE,
        "must_match": [
            "[zwanger] Ik heb hoofdpijn en zie sterretjes.",
            "[zwanger] Ik heb heftige hoofdpijn.",
        ],
        "must_not_match": ["[zwanger] Mag ik paracetamol nemen tegen hoofdpijn?"],
    },
    {
        "name": "Gedachten om je kind iets aan te doen, of je kind geschud",
        "audience": "everyone",
        "words": [
            "baby iets aan te doen",
            "kind* iets aan te doen",
            "hem iets aan te doen",
            "haar iets aan te doen",
            "ze iets aan te doen",
            "iets aandoe*",
            "door elkaar geschud",
            "door elkaar schudden",
            "geschud",
            "te schudden",
            "hard ... schudden",
            "pijn ... doen ... baby",
            "baby ... pijn ... doen",
        ],
        "ignore": [
            "schud nooit",
            "fles* ... geschud",
            "fles* ... schudden",
            "geschud ... fles*",
            "schudden ... fles*",
        ],
        "advice": "Denk je eraan je kind iets aan te doen, of heb je je kind door elkaar "
        "geschud? Je bent niet de enige en je mag hulp vragen. Leg je kind veilig in bed en "
        "bel nu je huisarts of de huisartsenpost. Is je kind geschud of gewond: bel 112. "
        "Praten kan ook met 113 of Veilig Thuis, dag en nacht.",
        "call_112": True,
        "call_gp": True,
        "call_113": True,
        "call_veilig_thuis": True,
        "must_match": [
            "[ouder] Ik ben bang dat ik mijn baby iets aandoe.",
            "[ouder] Ik heb haar door elkaar geschud.",
        ],
        "must_not_match": [
            "[ouder] Ik ben bang dat ik iets fout doe bij het badje.",
            "[ouder] Kan ik iets aan zijn huilen doen?",
            "[2 maanden] Moet ik de fles goed schudden na het aanmaken?",
        ],
    },
    {
        "name": "Gedachten aan zelfdoding of jezelf pijn doen",
        "audience": "everyone",
        "words": [
            "suicid*",
            "zelfmoord*",
            "zelfdoding",
            "dood willen",
            "wil dood",
            "wil ... dood",
            "niet meer leven",
            "niet meer ... leven",
            "eind aan ... maken",
            "einde aan ... maken",
            "mezelf ... aan ... doen",
            "mijzelf ... aan ... doen",
            "mezelf ... aandoe*",
            "mijzelf ... aandoe*",
            "zichzelf ... aandoe*",
            "mezelf pijn",
            "zichzelf pijn",
            "zelfbeschadiging",
            "automutilatie",
            "snijdt zich*",
            "snijdt ... armen",
            "krast ... armen",
            "zie het ... niet meer zitten",
        ],
        "ignore": [],
        "advice": "Denk je aan zelfdoding, of iemand in je gezin? Praat erover: bel 113 "
        "Zelfmoordpreventie, gratis en anoniem, dag en nacht. Is er direct gevaar: bel 112.",
        "call_112": True,
        "call_113": True,
        "must_match": [
            "[ouder] Ik denk aan zelfmoord.",
            "[15 jaar] Mijn dochter zegt dat ze niet meer wil leven.",
        ],
        "must_not_match": ["[2 maanden] Hoe voorkom ik wiegendood?"],
    },
    {
        "name": "Huiselijk geweld of kindermishandeling",
        "audience": "everyone",
        "words": [
            "huiselijk geweld",
            "geweld",
            "mishandel*",
            "misbruik*",
            "aangerand*",
            "verkracht*",
            "slaat mij",
            "slaat ... mij",
            "slaat me",
            "geslagen wordt",
            "wordt ... geslagen",
            "word ... geslagen",
            "bedreig*",
            "schopt mij",
            "duwde me",
            "duwt me",
            "partner ... slaat",
            "man ... slaat",
            "vriend ... slaat",
            "ex ... slaat",
            "bang voor ... partner",
            "bang voor ... man",
            "bang voor ... vriend",
            "bang voor ... ex",
        ],
        "ignore": ["games ... geweld", "geweld ... games", "films ... geweld", "geweld ... films"],
        "advice": "Is er geweld in je gezin, of maak je je zorgen over de veiligheid van een "
        "kind? Bel Veilig Thuis: gratis, dag en nacht, ook voor advies. Is er nu gevaar: "
        "bel 112.",
        "call_112": True,
        "call_veilig_thuis": True,
        "must_match": [
            "[ouder] Mijn partner slaat mij.",
            "[9 jaar] Hij vertelt dat hij thuis geslagen wordt.",
        ],
        "must_not_match": [
            "[4 jaar] Hij heeft zijn broertje geslagen, hoe reageer ik?",
            "[10 jaar] Hij speelt veel games met geweld.",
        ],
    },
]

# The literal phrases seeded before the rules: covered by the rules above.
OLD_SEEDED_PHRASES = set(importlib.import_module("vragen.migrations.0002_seed").ALARM_PHRASES)
LIST_FIELDS = ("words", "and_words", "and_also_words", "ignore", "must_match", "must_not_match")


def _row(rule: dict) -> dict:
    row = dict(rule)
    for name in LIST_FIELDS:
        row[name] = "\n".join(row.get(name, []))
    return row


def seed(apps, schema_editor):
    AlarmRule = apps.get_model("vragen", "AlarmRule")
    for rule in RULES:
        row = _row(rule)
        AlarmRule.objects.get_or_create(name=row.pop("name"), defaults=row)


def keep_added_phrases(apps, schema_editor):
    """A phrase a manager added to the old list becomes a rule of its own (everyone, 112 and
    the huisarts), so nothing that used to alarm stops alarming."""
    AlarmPhrase = apps.get_model("vragen", "AlarmPhrase")
    AlarmRule = apps.get_model("vragen", "AlarmRule")
    for phrase in AlarmPhrase.objects.exclude(phrase__in=OLD_SEEDED_PHRASES):
        text = " ".join(phrase.phrase.replace("*", " ").split())
        if not any(ch.isalnum() for ch in text):
            continue
        AlarmRule.objects.get_or_create(
            name=f"Alarmwoord: {text}"[:120],
            defaults={
                "audience": "everyone",
                "words": text,
                "advice": "Wat je schrijft klinkt ernstig. Bel nu je huisarts, of 's avonds, "
                "'s nachts en in het weekend de huisartsenpost. Bij levensgevaar: bel 112.",
                "call_112": True,
                "call_gp": True,
                "must_match": text,
                "must_not_match": "Hoeveel slaap heeft een peuter nodig?",
                "is_active": phrase.is_active,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("vragen", "0006_alarm_rules")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(keep_added_phrases, migrations.RunPython.noop),
    ]
