"""Merging a family a parent made online into the family the JGZ imported: which children
are one child, which move, which stay; what wins where the two differ; preview and merge
both logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bereik import services
from bereik.models import FamilyContact, ImportedChild
from families.models import Child, Family
from privacy.fields import contains_id
from privacy.models import AccessLog
from tests.factories import make_child, make_family, make_parent, make_staff

pytestmark = pytest.mark.django_db


def _imported(**child):
    family = make_family(name="El Amrani", postcode="3561 AB")
    Family.objects.filter(pk=family.pk).update(phone="+31611111111", message_channel="sms")
    family.refresh_from_db()
    FamilyContact.objects.create(family=family, origin="import", parent_name="Fatima")
    kid = make_child(family=family, **{"first_name": "Noor", "age_months": 3, **child})
    ImportedChild.objects.create(child=kid, key="DD-1", row_hash="x")
    return family, kid


def test_preview_shows_same_moving_and_staying_children_and_the_differences(client):
    family, noor = _imported()
    sem = make_child(family=family, age_months=40, first_name="Sem")  # not entered online
    parent = make_parent()
    Family.objects.filter(pk=parent.family_id).update(postcode="3512 AB")
    make_child(family=parent.family, date_of_birth=noor.date_of_birth, first_name="Noortje")
    make_child(family=parent.family, age_months=20, first_name="Lina")
    staff = make_staff(role=User.Role.ASSISTANT)
    client.force_login(staff)
    response = client.post(
        reverse("bereik:merge"), {"email": parent.email, "key": "DD-1", "preview": "1"}
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [(a.first_name, b.first_name) for a, b in plan.pairs] == [("Noortje", "Noor")]
    assert [c.first_name for c in plan.moving] == ["Lina"]
    assert [c.pk for c in plan.staying] == [sem.pk]
    html = response.content.decode()
    assert "Sem blijft" in html
    assert "Naam: Noortje (ingevuld door de ouder) en Noor (import): we houden Noor." in html
    assert "Postcode: 3512 AB (ingevuld door de ouder) en 3561 AB (import)" in html
    # The preview read both families: logged, and nothing changed.
    assert AccessLog.objects.filter(
        contains_id("family_ids", family.pk), actor=staff, reason="merge preview"
    ).exists()
    assert Family.objects.filter(pk=parent.family_id).exists()


def test_a_child_born_since_the_import_gets_the_parents_birth_date():
    due = timezone.localdate() - timedelta(days=10)
    family, imported = _imported(age_months=None, due_in_days=-10)
    parent = make_parent()
    born = due + timedelta(days=5)
    make_child(family=parent.family, date_of_birth=born, first_name="Noor")
    services.merge_families(
        actor=make_staff(role=User.Role.ASSISTANT), source_id=parent.family_id, target_id=family.pk
    )
    imported.refresh_from_db()
    assert (imported.date_of_birth, imported.due_date) == (born, None)
    assert family.children.count() == 1
    assert ImportedChild.objects.get(key="DD-1").child_id == imported.pk  # keeps its key


def test_the_parents_own_number_and_message_choice_win_and_both_parents_move():
    family, _noor = _imported()
    parent = make_parent()
    partner = make_parent(family=parent.family)
    Family.objects.filter(pk=parent.family_id).update(phone="+31622222222", message_channel="both")
    staff = make_staff(role=User.Role.ASSISTANT)
    source = parent.family_id
    target = services.merge_families(actor=staff, source_id=source, target_id=family.pk)
    assert (target.phone, target.message_channel) == ("+31622222222", "both")
    assert set(target.parents.values_list("pk", flat=True)) == {parent.pk, partner.pk}
    assert not Family.objects.filter(pk=source).exists()
    contact = FamilyContact.objects.get(family=target)
    assert contact.activated_at is not None  # the parents' account speaks for it now
    assert AccessLog.objects.filter(
        contains_id("family_ids", family.pk), action="change", reason__contains=str(source)
    ).exists()


def test_no_children_entered_online_means_every_imported_child_stays():
    family, noor = _imported()
    parent = make_parent()
    staff = make_staff(role=User.Role.ASSISTANT)
    plan = services.plan_merge(actor=staff, source_id=parent.family_id, target_id=family.pk)
    assert (plan.pairs, plan.moving, [c.pk for c in plan.staying]) == ([], [], [noor.pk])
    services.merge_families(actor=staff, source_id=parent.family_id, target_id=family.pk)
    assert list(Child.objects.filter(family=family).values_list("pk", flat=True)) == [noor.pk]
