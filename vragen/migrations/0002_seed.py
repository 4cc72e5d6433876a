"""Seed data managers can change in the admin: topics, alarm phrases, deadlines per urgency,
opening hours and a few standard answers. Only adds what is missing."""

from datetime import time

from django.db import migrations

TOPICS = [
    "Slapen",
    "Voeding",
    "Huilen",
    "Groei",
    "Ontwikkeling",
    "Gedrag en opvoeden",
    "Ouderschap en relatie",
    "Ziek zijn en gezondheid",
    "Vaccinaties",
    "School",
    "Puberteit",
    "Overig",
]

ALARM_PHRASES = [
    "benauwd",
    "ademt moeilijk",
    "ademhalingsproblemen",
    "blauw aanlopen",
    "blauw aangelopen",
    "blauwe lippen",
    "niet wakker te krijgen",
    "slap en suf",
    "bewusteloos",
    "stuip",
    "koortsstuip",
    "koorts bij een baby jonger dan 3 maanden",
    "pasgeboren baby koorts",
    "uitdroging",
    "uitgedroogd",
    "drinkt niet meer",
    "geen natte luiers",
    "bloed braken",
    "bloed in de ontlasting",
    "vlekjes die niet wegdrukken",
    "nekstijfheid",
    "gevallen op zijn hoofd",
    "gevallen op haar hoofd",
    "vergiftiging",
    "iets ingeslikt",
    "batterij ingeslikt",
    "suïcide",
    "zelfmoord",
    "dood willen",
    "niet meer leven",
    "zichzelf pijn doen",
    "automutilatie",
    "mishandeling",
    "mishandeld",
    "geslagen",
    "misbruik",
    "huiselijk geweld",
    "baby geschud",
]

# Working hours per urgency (8 working hours = 1 working day with 09:00-17:00).
DEADLINES = {1: 4, 2: 8, 3: 24, 4: None, 5: 24}

STANDARD_ANSWERS = {
    "Slapen": (
        "Slaapritme",
        "Fijn dat je je vraag stelt. Veel ouders herkennen dit. Een vast ritme helpt: elke "
        "dag rond dezelfde tijd naar bed, met een kort, rustig ritueel (badje, boekje, "
        "liedje). Leg je kind wakker maar slaperig in bed. Het kan een paar weken duren "
        "voordat het went. Lukt het niet, of maak je je zorgen? Laat het ons weten, dan "
        "kijken we samen verder.",
    ),
    "Voeding": (
        "Bijvoeding starten",
        "Rond 4 tot 6 maanden kun je beginnen met oefenhapjes. Begin met een paar lepeltjes "
        "groente of fruit, één keer per dag. Borst- of flesvoeding blijft de belangrijkste "
        "voeding in het eerste jaar. Geef geen zout, suiker of honing. Heb je nog vragen? "
        "Je kunt ze hier stellen.",
    ),
    "Huilen": (
        "Veel huilen",
        "Een baby die veel huilt, is zwaar voor ouders. Probeer rust en regelmaat: voeden, "
        "even spelen, dan slapen. Inbakeren kan helpen, vraag ons hoe. Word je boos of "
        "wanhopig? Leg je baby veilig in bed, loop even weg en vraag hulp. Schud nooit met "
        "je baby. Je mag ons altijd bellen.",
    ),
    "Vaccinaties": (
        "Prikken en koorts",
        "Na een prik kan je kind wat koorts krijgen of hangerig zijn. Dat gaat meestal binnen "
        "2 dagen over. Geef genoeg te drinken. Paracetamol mag volgens de bijsluiter. Is je "
        "kind jonger dan 3 maanden en heeft het koorts, of maak je je zorgen? Bel dan je "
        "huisarts.",
    ),
}


def seed(apps, schema_editor):
    Topic = apps.get_model("vragen", "Topic")
    AlarmPhrase = apps.get_model("vragen", "AlarmPhrase")
    UrgencyDeadline = apps.get_model("vragen", "UrgencyDeadline")
    OpeningHours = apps.get_model("vragen", "OpeningHours")
    StandardAnswer = apps.get_model("vragen", "StandardAnswer")
    topics = {}
    for position, name in enumerate(TOPICS):
        topics[name], _created = Topic.objects.get_or_create(
            name=name, defaults={"position": position * 10}
        )
    for phrase in ALARM_PHRASES:
        AlarmPhrase.objects.get_or_create(phrase=phrase)
    for urgency, hours in DEADLINES.items():
        UrgencyDeadline.objects.get_or_create(urgency=urgency, defaults={"working_hours": hours})
    for weekday in range(5):
        OpeningHours.objects.get_or_create(
            weekday=weekday, defaults={"opens_at": time(9), "closes_at": time(17)}
        )
    for topic_name, (title, body) in STANDARD_ANSWERS.items():
        StandardAnswer.objects.get_or_create(
            topic=topics[topic_name], title=title, defaults={"body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("vragen", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
