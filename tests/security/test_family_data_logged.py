"""Every staff page that shows a family's data wrote an access-log row for that family.

Renders every URL the resolver knows (as tests/security/test_url_matrix.py does) plus every admin
page of every registered model, as a professional, a manager and a privacy officer, with two
families whose data carries unmistakable words. When such a word is on a page, a row written
by that request must name its family (and, for a child's name, that child). NEN 7513: no staff
read of family data without a log row, whichever view, selector or admin page showed it.
"""

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from privacy.models import AccessLog
from tests.factories import make_child, make_staff
from tests.security.matrix import all_routes, parse_matrix, path_for, row_for
from tests.security.test_url_matrix import World, _kwargs


@dataclass(frozen=True)
class Marker:
    word: str
    family_id: object
    child_id: object = None


class MarkedWorld(World):
    """The matrix's world, its families' data made easy to recognise on any page."""

    def __init__(self):
        from allauth.account.models import EmailAddress

        from afspraken.models import Appointment
        from nieuwsbrieven.models import Delivery, MilestoneDelivery, Subscription
        from tests.nieuwsbrieven.factories import make_edition, make_milestone
        from tests.vragen.factories import make_question
        from vragen import services as vragen

        super().__init__()
        # An officer who also uses the admin: the log's own admin pages are walked too.
        self.officer = make_staff(email="privacyofficer@example.org", role=User.Role.MANAGER)
        self.officer.groups.add(Group.objects.get(name="Privacy officers"))
        self.officer = User.objects.get(pk=self.officer.pk)

        family, other = self.family, self.other_parent.family
        family.name, other.name = "Familie Kwartelkoning", "Familie Gruttobaars"
        family.save(update_fields=["name"])
        other.save(update_fields=["name"])
        self.child.first_name = "Sterreloes"
        self.child.save(update_fields=["first_name"])
        self.sibling = make_child(family=family, first_name="Wubbelien")
        other_child = other.children.get()
        other_child.first_name = "Bonnekeli"
        other_child.save(update_fields=["first_name"])

        parent = self.own_parent
        old_email = parent.email
        parent.first_name, parent.last_name = "Gerbrich", "Tjoelkema"
        parent.email, parent.phone = "gerbrich.tjoelkema@example.org", "0612398765"
        parent.save(update_fields=["first_name", "last_name", "email", "phone"])
        EmailAddress.objects.filter(email=old_email).update(email=parent.email)
        Subscription.objects.filter(parent=parent).update(email=parent.email)
        self.other_parent.last_name = "Hiskemeijer"
        self.other_parent.save(update_fields=["last_name"])

        asked = make_question(
            parent=parent, child=self.child, text="Zandkasteelvraag over het slapen."
        )
        vragen.plan_call_back(
            actor=self.professional,
            question_id=asked.pk,
            on=timezone.localdate(),
            part_of_day="morning",
            phone="0687654321",
            message="Terugbelbericht Lepelaarsbos.",
        )
        vragen.add_internal_note(
            actor=self.professional, question_id=asked.pk, body="Notitie Ooievaarsnest."
        )
        self.asked = asked
        Appointment.objects.filter(pk=self.appointment.pk).update(note="Afspraaknotitie Kraanvogel")
        subscription = Subscription.objects.get(parent=parent)
        Delivery.objects.create(
            edition=make_edition(),
            subscription=subscription,
            child=self.child,
            child_name=self.child.first_name,
        )
        MilestoneDelivery.objects.create(
            milestone=make_milestone(), child=self.child, subscription=subscription
        )

        self.markers = [
            Marker("Kwartelkoning", family.pk),
            Marker("Gruttobaars", other.pk),
            Marker("Sterreloes", family.pk, self.child.pk),
            Marker("Wubbelien", family.pk, self.sibling.pk),
            Marker("Bonnekeli", other.pk, other_child.pk),
            Marker("Tjoelkema", family.pk),
            Marker("Hiskemeijer", other.pk),
            Marker("0612398765", family.pk),
            Marker("Zandkasteelvraag", family.pk),
            Marker("Lepelaarsbos", family.pk),
            Marker("Ooievaarsnest", family.pk),
            Marker("Kraanvogel", family.pk),
            Marker("0687654321", family.pk),
        ]

    def user(self, actor: str):
        return self.officer if actor == "privacy officer" else super().user(actor)


STAFF = ("professional", "manager", "privacy officer")
MATRIX = parse_matrix()


def _is_public_link_page(route) -> bool:
    """Pages anyone holding an e-mailed link may open (the matrix says 200 to anonymous): they
    show the link holder the same thing whoever is logged in, so they are not staff pages."""
    row = row_for(route.key, MATRIX)
    return row is not None and row["anonymous"] == "200"


def _portal_paths(world) -> list[str]:
    paths = [
        path_for(route, _kwargs(route, world))
        for route in all_routes()
        if route.namespace != "admin"
        and not route.key.startswith("admin")
        and not _is_public_link_page(route)
    ]
    week = timezone.localtime(world.appointment.starts_at).date().isoformat()
    paths += [
        f"{reverse('afspraken:agenda')}?week={week}&view=week",
        f"{reverse('afspraken:agenda')}?week={week}",
        f"{reverse('vragen:call_list')}?on={timezone.localdate().isoformat()}",
        f"{reverse('vragen:queue')}?q=Zandkasteelvraag",
        f"{reverse('afspraken:staff_book')}?email={world.own_parent.email}",
        f"{reverse('privacy:staff_access_log')}?child_id={world.child.pk}",
        reverse("vragen:staff_question", args=[world.asked.pk]),
    ]
    return paths


def _admin_paths(world) -> list[str]:
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        for obj in model._default_manager.order_by("pk")[:3]:
            for view in ("change", "history", "delete"):
                paths.append(reverse(f"{prefix}_{view}", args=[obj.pk]))
    paths.append(reverse("admin:auth_user_password_change", args=[world.own_parent.pk]))
    for field, term in (("family", "Kwartel"), ("family", "Grutto")):
        paths.append(
            f"{reverse('admin:autocomplete')}?app_label=accounts&model_name=user"
            f"&field_name={field}&term={term}"
        )
    return paths


def _unlogged(world, actor: str, client: Client, path: str) -> tuple[bool, list[str]]:
    """(whether the page showed family data, what it showed without a log row)."""
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(path)
    if response.status_code != 200 or response.streaming:
        return False, []
    text = response.content.decode("utf-8", "replace").lower()
    shown = [marker for marker in world.markers if marker.word.lower() in text]
    if not shown:
        return False, []
    rows = list(AccessLog.objects.filter(pk__gt=before, actor=world.user(actor)))
    problems = []
    for marker in shown:
        covered = any(
            str(marker.family_id) in map(str, row.family_ids)
            and (marker.child_id is None or str(marker.child_id) in map(str, row.child_ids))
            for row in rows
        )
        if not covered:
            problems.append(f"{path} as {actor}: shows {marker.word!r} without a log row")
    return True, problems


@pytest.mark.django_db
def test_every_staff_page_with_family_data_wrote_a_log_row():
    world = MarkedWorld()
    portal, admin_pages = _portal_paths(world), _admin_paths(world)
    problems, pages_with_data = [], 0
    for actor in STAFF:
        client = Client()
        client.force_login(world.user(actor))
        paths = portal + (admin_pages if actor != "professional" else [])
        for path in paths:
            shown, unlogged = _unlogged(world, actor, client, path)
            pages_with_data += shown
            problems += unlogged
    assert problems == [], "\n".join(problems)
    # The walk must meet family data on many pages, or it proves nothing.
    assert pages_with_data >= 20


def test_markers_are_not_words_of_the_portal_itself():
    """A marker that the templates themselves contain would make every page 'show' it."""
    from pathlib import Path

    words = ["Kwartelkoning", "Sterreloes", "Tjoelkema", "Zandkasteelvraag", "0612398765"]
    root = Path(__file__).resolve().parents[2] / "templates"
    texts = " ".join(p.read_text() for p in root.rglob("*.html")).lower()
    assert not [w for w in words if w.lower() in texts]
