"""Demo content: one edition per phase and the four milestones, in B1 Dutch. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from nieuwsbrieven.models import Edition, Milestone, Subscription

DEMO_SEND_DELAY = timedelta(minutes=10)

# (title, phase, (from, to), body). Pregnancy in weeks, children in months; "to" not included.
EDITIONS = [
    (
        "Zwanger: de JGZ is er al voor je",
        Edition.Phase.PREGNANCY,
        (12, 43),
        "Je bent zwanger. Gefeliciteerd!\n\n"
        "De jeugdverpleegkundige komt graag een keer bij je thuis, voor de geboorte. "
        "Je kunt dan al je vragen stellen, over de bevalling, borstvoeding of flesvoeding, "
        "en hoe je je huis klaarmaakt voor je baby.\n\n"
        "- Maak een afspraak voor het huisbezoek in het portaal.\n"
        "- Heb je een vraag? Stel je vraag in het portaal. Je krijgt binnen 2 werkdagen antwoord.",
    ),
    (
        "Het eerste jaar: slapen, voeding en huilen",
        Edition.Phase.CHILD,
        (0, 12),
        "In het eerste jaar verandert je baby elke week. Je ziet ons vaak op het "
        "consultatiebureau.\n\n"
        "- **Slapen**: leg je baby op de rug, in een eigen bedje.\n"
        "- **Voeding**: twijfel je over borstvoeding, flesvoeding of bijvoeding? Vraag het ons.\n"
        "- **Huilen**: huilt je baby veel? Je staat er niet alleen voor. Bel ons gerust.\n\n"
        "Wat wil je bespreken bij de volgende afspraak? Je kunt het vooraf in het portaal zetten.",
    ),
    (
        "Dreumes en peuter: ontdekken en grenzen",
        Edition.Phase.CHILD,
        (12, 48),
        "Je kind loopt, praat en wil alles zelf doen. Dat is goed, maar soms ook moeilijk.\n\n"
        "- **Driftbuien** horen bij deze leeftijd. Blijf rustig en wees duidelijk.\n"
        "- **Zindelijk worden** gaat bij elk kind anders. Er is geen haast.\n"
        "- **Taal**: lees samen een boekje, elke dag even.\n\n"
        "Met 2 jaar, 3 jaar en 3 jaar en 9 maanden zie je ons weer.",
    ),
    (
        "Naar school: de JGZ gaat mee",
        Edition.Phase.CHILD,
        (48, 144),
        "Je kind gaat naar de basisschool. De JGZ blijft erbij.\n\n"
        "- In groep 2 en groep 7 ziet de jeugdverpleegkundige je kind op school.\n"
        "- Gaat je kind niet graag naar school, of mist het veel lessen? Praat erover met ons.\n"
        "- **Schermen**: maak samen afspraken over tablet en telefoon.",
    ),
    (
        "Puberteit: meer eigen keuzes",
        Edition.Phase.CHILD,
        (144, 216),
        "Je kind wordt een tiener. Het wil meer zelf beslissen, en dat mag ook.\n\n"
        "- Vanaf 12 jaar beslist je kind mee over wie zijn of haar gegevens mag zien.\n"
        "- Vanaf 16 jaar beslist je kind dat zelf.\n"
        "- Je kind kan zelf contact opnemen met de JGZ, bijvoorbeeld over slapen, stress of "
        "gezond eten.\n\n"
        "Heb je zelf vragen over opvoeden in de puberteit? Stel je vraag in het portaal.",
    ),
]

MILESTONES = [
    (
        "Geboren",
        0,
        "Welkom! De JGZ is er voor jullie",
        "Gefeliciteerd met de geboorte! De jeugdverpleegkundige komt in de eerste weken bij je "
        "thuis. Daarna zie je ons op het consultatiebureau. In het portaal kun je afspraken "
        "maken en vragen stellen.",
    ),
    (
        "4 jaar",
        48,
        "Je kind is 4: de JGZ gaat mee naar school",
        "Je kind gaat naar de basisschool. Wij blijven erbij: in groep 2 en groep 7 zien we je "
        "kind op school. Heb je vragen? Je kunt ze altijd stellen in het portaal.",
    ),
    (
        "12 jaar",
        144,
        "Je kind is 12: puberteit en eigen rechten",
        "Vanaf 12 jaar beslist je kind mee over zijn of haar gezondheidsgegevens. In het "
        "portaal lees je wat dat voor jou als ouder betekent.",
    ),
    (
        "18 jaar",
        216,
        "Je kind is 18: afscheid van de JGZ",
        "Je kind is volwassen. De zorg van de JGZ stopt nu. Bedankt voor het vertrouwen in al "
        "die jaren! Heeft je kind nog vragen over gezondheid? Dan is de huisarts het "
        "aanspreekpunt.",
    ),
]


def load(*, staff, families) -> None:
    now = timezone.now()
    for offset, (title, phase, (start, end), body) in enumerate(EDITIONS):
        ranges = (
            {"week_from": start, "week_to": end}
            if phase == Edition.Phase.PREGNANCY
            else {"age_from_months": start, "age_to_months": end}
        )
        Edition.objects.get_or_create(
            title=title,
            defaults={
                "phase": phase,
                "body": body,
                "status": Edition.Status.SCHEDULED,
                # After start, not before: whoever subscribes in the first minutes of `make
                # run` is still in the fan-out; later subscribers get the current edition of
                # their phase when they confirm (services.send_current_edition).
                "scheduled_at": now + DEMO_SEND_DELAY + timedelta(minutes=offset),
                **ranges,
            },
        )
    for name, months, title, body in MILESTONES:
        Milestone.objects.get_or_create(
            name=name, defaults={"age_months": months, "title": title, "body": body}
        )
    # The demo parent has a confirmed subscription, so newsletters show up in the console.
    for family in families[:1]:
        for parent in family.parents.all():
            Subscription.objects.get_or_create(
                parent=parent,
                defaults={
                    "email": parent.email,
                    "status": Subscription.Status.ACTIVE,
                    "milestones": True,
                    "consented_at": now,
                    "consent_version": "demo",
                    "consent_text": "Demo data",
                },
            )
