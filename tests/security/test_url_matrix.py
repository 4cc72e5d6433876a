"""Every URL of the project, as eight kinds of visitor, against README.md "## Permission matrix".
Every answer to a logged-in visitor must also say `Cache-Control: private, no-store`.

A URL without a row (exact name or glob) fails. Objects in URLs belong to the "own" family; the
"other parent" is a parent of another family, so for them every object URL must be a 404.
"""

import re
import warnings

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import make_child, make_family, make_parent, make_staff
from tests.security.matrix import ACTORS, all_routes, parse_matrix, path_for, row_for

# Apps written alongside the security suite had their rows added last; while False a missing
# row of theirs was only a warning. Now every URL of every app must have its row.
LATE_APPS = ("vragen", "afspraken", "nieuwsbrieven")
LATE_APPS_STRICT = True

ROUTES = all_routes()
MATRIX = parse_matrix()


class World:
    """One family with objects for every URL kwarg, another family, and staff."""

    def __init__(self):
        from families.services import invite_parent
        from privacy.services import make_deletion_token

        self.family = make_family(name="Eigen", postcode="3561 AB")
        self.own_parent = make_parent(family=self.family)
        self.child = make_child(family=self.family)
        self.other_parent = make_parent(family=make_family(name="Ander"))
        make_child(family=self.other_parent.family)
        self.professional = make_staff()
        self.other_team = make_staff()
        self.assistant = make_staff(role=User.Role.ASSISTANT)
        self.manager = make_staff(role=User.Role.MANAGER)
        self.officer = make_staff(role=User.Role.PRIVACY_OFFICER)
        self.cohost = make_staff(role=User.Role.COHOST)
        self._teams()
        self.invitation = invite_parent(
            family=self.family, invited_by=self.own_parent, email="partner@example.org"
        )
        self.deletion_token = make_deletion_token(user=self.own_parent)
        self._questions()
        self._appointments()
        self._waitlist()
        self._newsletter()
        self._survey()

    def _teams(self):
        """The own family lives in team Noord's wijk; "other team" works in team Zuid."""
        from teams.models import PostcodeArea, Team, TeamMembership, Wijk
        from teams.services import refresh_family_teams

        north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
        wijk = Wijk.objects.create(name="Overvecht", team=north)
        PostcodeArea.objects.create(digits="3561", wijk=wijk)
        TeamMembership.objects.create(team=north, user=self.professional)
        TeamMembership.objects.create(team=north, user=self.assistant)
        TeamMembership.objects.create(team=south, user=self.other_team)
        refresh_family_teams()

    def _questions(self):
        from tests.kennisbank.factories import ensure_seeded as ensure_articles
        from tests.vragen.factories import ensure_seeded, make_question
        from vragen.services import make_feedback_token

        ensure_seeded()
        ensure_articles()
        self.question = make_question(parent=self.own_parent, child=self.child)
        self.feedback_token = make_feedback_token(self.question)

    def _appointments(self):
        from afspraken.models import FollowUp
        from afspraken.services import book_appointment
        from tests.afspraken.factories import make_schedule, make_slot, make_type, slot_type

        booked = make_slot()
        self.appointment = book_appointment(
            slot_id=booked.pk,
            appointment_type_id=slot_type(booked).pk,
            parent=self.own_parent,
            child_id=self.child.pk,
        )
        self.free_slot = make_slot(schedule=booked.schedule, starts_at=booked.ends_at)
        group = make_type(capacity=8, duration_minutes=90)
        self.group_slot = make_slot(schedule=make_schedule(types=[group]), minutes=90)
        self.follow_up = FollowUp.objects.create(
            appointment=self.appointment, kind=FollowUp.Kind.CALL_FAMILY
        )

    def _waitlist(self):
        from datetime import timedelta

        from django.utils import timezone

        from wachtlijst.models import Offer
        from wachtlijst.services import join_waitlist

        self.waitlist_entry = join_waitlist(
            parent=self.own_parent, appointment_id=self.appointment.pk
        )
        now = timezone.now()
        self.waitlist_offer = Offer.objects.create(
            entry=self.waitlist_entry,
            parent=self.own_parent,
            slot=self.free_slot,
            status=Offer.Status.OPEN,
            sent_at=now,
            expires_at=now + timedelta(hours=2),
        )

    def _survey(self):
        from cijfers.models import SurveyInvitation

        self.survey_token = SurveyInvitation.objects.create(appointment=self.appointment).token

    def _newsletter(self):
        from nieuwsbrieven.tokens import CONFIRM, MANAGE, make_token
        from tests.nieuwsbrieven.factories import make_subscription

        subscription = make_subscription(parent=self.own_parent)
        self.newsletter_confirm = make_token(subscription, CONFIRM)
        self.newsletter_manage = make_token(subscription, MANAGE)

    def user(self, actor: str):
        return {
            "anonymous": None,
            "other parent": self.other_parent,
            "own parent": self.own_parent,
            "professional": self.professional,
            "other team": self.other_team,
            "assistant": self.assistant,
            "manager": self.manager,
            "privacy officer": self.officer,
            "co-host": self.cohost,
        }[actor]


# URL kwargs per URL name, built from the World. Admin and allauth tokens use generic values.
KWARGS = {
    "families:child_edit": lambda w: {"child_id": w.child.pk},
    "families:invitation": lambda w: {"token": w.invitation.token},
    "privacy:delete_account_confirm": lambda w: {"token": w.deletion_token},
    "privacy:mark_youth_question": lambda w: {"question_id": w.question.pk},
    "account_confirm_email": lambda w: {"key": "not-a-real-key"},
    # No provider is configured in the suite: allauth answers 404 for an unknown provider.
    "openid_connect_login": lambda w: {"provider_id": "digid"},
    "openid_connect_callback": lambda w: {"provider_id": "digid"},
    "account_reset_password_from_key": lambda w: {"uidb36": "1", "key": "not-a-real-key"},
    "vragen:detail": lambda w: {"question_id": w.question.pk},
    "vragen:sent": lambda w: {"question_id": w.question.pk},
    "vragen:reply": lambda w: {"question_id": w.question.pk},
    "vragen:solve": lambda w: {"question_id": w.question.pk},
    "vragen:feedback": lambda w: {"token": w.feedback_token},
    "vragen:staff_question": lambda w: {"question_id": w.question.pk},
    "vragen:take": lambda w: {"question_id": w.question.pk},
    "vragen:staff_action": lambda w: {"question_id": w.question.pk, "action": "answer"},
    "afspraken:confirm": lambda w: {"slot_id": w.free_slot.pk},
    "afspraken:group_book": lambda w: {"slot_id": w.group_slot.pk},
    "afspraken:token": lambda w: {"token": w.appointment.token},
    "afspraken:set_status": lambda w: {"appointment_id": w.appointment.pk},
    "afspraken:follow_up_done": lambda w: {"follow_up_id": w.follow_up.pk},
    "afspraken:detail": lambda w: {"appointment_id": w.appointment.pk},
    "afspraken:topics": lambda w: {"appointment_id": w.appointment.pk},
    "afspraken:cancel": lambda w: {"appointment_id": w.appointment.pk},
    "afspraken:reschedule": lambda w: {"appointment_id": w.appointment.pk},
    "afspraken:ics": lambda w: {"appointment_id": w.appointment.pk},
    "wachtlijst:leave": lambda w: {"entry_id": w.waitlist_entry.pk},
    "wachtlijst:offer": lambda w: {"token": w.waitlist_offer.token},
    "nieuwsbrieven:confirm": lambda w: {"token": w.newsletter_confirm},
    "nieuwsbrieven:preferences": lambda w: {"token": w.newsletter_manage},
    "nieuwsbrieven:unsubscribe": lambda w: {"token": w.newsletter_manage},
    "contactmomenten:child": lambda w: {"child_id": w.child.pk},
    "contactmomenten:moment": lambda w: {"child_id": w.child.pk, "code": "cb-14m"},
    "contactmomenten:plan": lambda w: {"child_id": w.child.pk, "code": "cb-14m"},
    "contactmomenten:plan_sibling": lambda w: {"child_id": w.child.pk, "code": "cb-14m"},
    "contactmomenten:callback": lambda w: {"child_id": w.child.pk, "code": "cb-14m"},
    "contactmomenten:outreach": lambda w: {"child_id": w.child.pk, "code": "cb-14m"},
    "contactmomenten:care_status": lambda w: {"child_id": w.child.pk},
    "contactmomenten:note": lambda w: {"appointment_id": w.appointment.pk},
    "bereik:action": lambda w: {"child_id": w.child.pk},
    "bereik:letter": lambda w: {"child_id": w.child.pk},
    "bereik:flag": lambda w: {"family_id": w.family.pk},
    "bereik:family_export": lambda w: {"family_id": w.family.pk},
    "bereik:family_erase": lambda w: {"family_id": w.family.pk},
    "bereik:unflag": lambda w: {"flag_id": "00000000-0000-0000-0000-000000000000"},
    "cijfers:area": lambda w: {"area": "vragen"},
    "cijfers:csv": lambda w: {"area": "vragen", "table": "topic"},
    "cijfers:chart": lambda w: {"area": "vragen", "table": "topic"},
    "cijfers:survey": lambda w: {"token": w.survey_token},
    "kennisbank:article": lambda w: {"slug": "koorts"},
    "kennisbank:vote": lambda w: {"slug": "koorts"},
}
GENERIC = {
    # Not a number and not a UUID: every admin object URL must answer it without a 500.
    "object_id": "not-an-id",
    "app_label": "privacy",
    "content_type_id": "1",
    "url": "no-such-page/",
    "id": "0",
}


def _kwargs(route, world) -> dict:
    if route.key in KWARGS:
        return KWARGS[route.key](world)
    if route.namespace == "admin" or route.key.startswith("admin"):
        from django.urls.converters import IntConverter

        return {
            param: "0" if isinstance(route.converters.get(param), IntConverter) else GENERIC[param]
            for param in route.params
        }
    assert not route.params, f"{route.key}: add a KWARGS entry that builds its objects"
    return {}


def _login_paths() -> tuple[str, ...]:
    return (reverse("account_login"), reverse("admin_login"))


def observe(response) -> str:
    if response.status_code in (301, 302):
        target = response.url.split("?", 1)[0]
        return "login" if target in _login_paths() else "redirect"
    return str(response.status_code)


# Executable inline code that a strict CSP (no 'unsafe-inline') would block. JSON data blocks
# (<script type="application/json">, used by allauth) are not executed and are fine.
_INLINE = re.compile(
    r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>|\sstyle=\"|\son[a-z]+=\"",
    re.IGNORECASE,
)


def inline_code(response) -> str:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return ""
    found = _INLINE.search(response.content.decode("utf-8", "replace"))
    return found.group(0) if found else ""


def private_no_store(response) -> bool:
    """Pages for a logged-in visitor carry family data: no browser or proxy may keep them."""
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def matches(expected: str, observed: str) -> bool:
    if expected == "any":
        return not observed.startswith("5")
    return expected == observed


def _is_late(route) -> bool:
    return route.namespace in LATE_APPS


def test_readme_has_a_permission_matrix():
    assert len(MATRIX) > 20
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


def test_every_url_has_a_matrix_row():
    missing = [r.key for r in ROUTES if row_for(r.key, MATRIX) is None]
    late = [key for key in missing if key.split(":", 1)[0] in LATE_APPS]
    if late and not LATE_APPS_STRICT:
        warnings.warn(f"Permission matrix rows still missing: {late}", stacklevel=1)
        missing = [key for key in missing if key not in late]
    assert missing == [], f"Add these URLs to README.md '## Permission matrix': {missing}"


def test_object_ids_in_urls_are_not_guessable():
    """Object URLs use UUIDs or tokens, never sequential integers (admin excepted)."""
    from django.urls.converters import IntConverter

    offenders = [
        r.key
        for r in ROUTES
        if not r.key.startswith("admin")
        and any(isinstance(c, IntConverter) for c in r.converters.values())
    ]
    assert offenders == []


def _walk(routes) -> list[str]:
    """Request every route as every actor; return the differences from the matrix."""
    world = World()
    clients = {}
    for actor in ACTORS:
        clients[actor] = Client()
        if world.user(actor) is not None:
            clients[actor].force_login(world.user(actor))
    problems = []
    for route in routes:
        row = row_for(route.key, MATRIX)
        if row is None:
            problems.append(f"{route.key}: no row in the permission matrix")
            continue
        path = path_for(route, _kwargs(route, world))
        responses = {actor: clients[actor].get(path) for actor in ACTORS}
        observed = {actor: observe(responses[actor]) for actor in ACTORS}
        if route.namespace != "admin":
            problems += [
                f"{path} as {actor}: {bad}"
                for actor, response in responses.items()
                if (bad := inline_code(response))
            ]
        problems += [
            f"{path} as {actor}: Cache-Control {response.get('Cache-Control')!r}"
            for actor, response in responses.items()
            if actor != "anonymous" and not private_no_store(response)
        ]
        if any(not matches(row[a], observed[a]) for a in ACTORS):
            line = " | ".join(observed[a] for a in ACTORS)
            problems.append(f"{path}: observed | `{route.key}` | {line} |")
    return problems


def _portal_routes():
    return [r for r in ROUTES if r.namespace != "admin" and (LATE_APPS_STRICT or not _is_late(r))]


@pytest.mark.django_db
def test_portal_urls_answer_as_the_matrix_says():
    assert _walk(_portal_routes()) == []


@pytest.mark.django_db
def test_admin_urls_answer_as_the_matrix_says():
    assert _walk([r for r in ROUTES if r.namespace == "admin"]) == []


def test_other_familys_objects_are_404_for_a_parent():
    """The matrix says so per URL; this states the rule on its own."""
    object_rows = [
        (key, row)
        for key, row in MATRIX.items()
        if "*" not in key
        and not key.startswith(("admin", "account", "mfa"))
        and any(r.key == key and r.params for r in ROUTES)
        and key not in ("families:invitation", "privacy:delete_account_confirm")
        # Public articles for everyone, not a family's objects.
        and not key.startswith("kennisbank:")
        and not key.endswith(
            (":feedback", ":token", ":confirm", ":preferences", ":unsubscribe", ":survey")
        )
    ]
    wrong = [key for key, row in object_rows if row["other parent"] not in ("404", "403", "405")]
    assert wrong == []
