"""Demo teams, wijken and postcodes (called by `manage.py demo_data`). Idempotent."""

from accounts.models import User
from afspraken.models import Location
from families.services import set_postcode
from teams.models import PostcodeArea, Team, TeamLocation, TeamMembership, Wijk
from teams.services import refresh_family_teams

# team -> (locations, {wijk: postcode digits}, roles of the demo staff in it)
TEAMS = {
    "Team Noordoost": (
        ["Consultatiebureau Utrecht Overvecht"],
        {"Overvecht": ["3561", "3562", "3563", "3564"], "Tuinwijk": ["3581", "3582"]},
        [User.Role.NURSE, User.Role.DOCTOR, User.Role.ASSISTANT],
    ),
    "Team Zuidwest": (
        ["Consultatiebureau Utrecht Lunetten", "Wijkcentrum Kanaleneiland"],
        {"Lunetten": ["3524"], "Kanaleneiland": ["3526", "3527"]},
        [User.Role.DOCTOR],
    ),
}
# Family name -> postcode. Bakker has none: "no team yet" until an appointment says otherwise.
POSTCODES = {
    "De Vries": "3563 AB",
    "Öztürk": "3562 JT",
    "El Amrani": "3526 KL",
    "Jansen": "3524 BP",
}


def load(*, staff: dict, families: list) -> None:
    for name, (location_names, wijken, roles) in TEAMS.items():
        team, _ = Team.objects.get_or_create(name=name)
        for location in Location.objects.filter(name__in=location_names):
            TeamLocation.objects.get_or_create(location=location, defaults={"team": team})
        for wijk_name, digits in wijken.items():
            wijk, _ = Wijk.objects.get_or_create(name=wijk_name, defaults={"team": team})
            for value in digits:
                PostcodeArea.objects.get_or_create(digits=value, defaults={"wijk": wijk})
        for role in roles:
            if staff.get(role) is not None:
                TeamMembership.objects.get_or_create(team=team, user=staff[role])
    for family in families:
        if family.name in POSTCODES and not family.postcode:
            set_postcode(family=family, postcode=POSTCODES[family.name])
    refresh_family_teams()
