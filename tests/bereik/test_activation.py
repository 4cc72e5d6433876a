"""Activation codes: the letter carries one; a parent enters it to link their new account to
the family the JGZ already knows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bereik import services
from bereik.exceptions import ActivationError
from bereik.models import FamilyContact, ImportedChild, OutreachAction
from families.models import Family
from tests.factories import make_child, make_family, make_parent, make_staff

pytestmark = pytest.mark.django_db


def _imported_family():
    family = make_family(name="El Amrani", postcode="3561 AB")
    FamilyContact.objects.create(family=family, origin="import", parent_name="Fatima El Amrani")
    child = make_child(family=family, age_months=3, first_name="Noor")
    ImportedChild.objects.create(child=child, key="DD-1", row_hash="x")
    return family, child


def test_a_parent_links_their_new_account_with_the_code(client):
    family, child = _imported_family()
    code = services.issue_activation_code(family_id=family.pk)
    parent = make_parent()  # signed up: an empty family of their own
    own = parent.family
    client.force_login(parent)
    response = client.post(reverse("bereik:activate"), {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.family == family
    assert not Family.objects.filter(pk=own.pk).exists()
    contact = FamilyContact.objects.get(family=family)
    assert contact.activated_at is not None and contact.activation_code_hash == ""
    assert client.get(reverse("families:home")).content.decode().count("Noor") >= 1


def test_a_code_works_once_and_a_wrong_code_is_refused_in_dutch(client):
    family, child = _imported_family()
    code = services.issue_activation_code(family_id=family.pk)
    services.activate_with_code(parent=make_parent(), code=code)
    other = make_parent()
    client.force_login(other)
    response = client.post(reverse("bereik:activate"), {"code": code})
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()
    assert code in response.content.decode()  # the form keeps what was typed
    other.refresh_from_db()
    assert other.family != family


def test_an_expired_code_is_refused():
    family, child = _imported_family()
    code = services.issue_activation_code(family_id=family.pk)
    FamilyContact.objects.filter(family=family).update(
        activation_code_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ActivationError) as exc:
        services.activate_with_code(parent=make_parent(), code=code)
    assert exc.value.code == "expired"


def test_a_parent_who_entered_children_is_sent_to_the_desk():
    family, child = _imported_family()
    code = services.issue_activation_code(family_id=family.pk)
    parent = make_parent()
    make_child(family=parent.family)
    with pytest.raises(ActivationError) as exc:
        services.activate_with_code(parent=parent, code=code)
    assert exc.value.code == "own_children"


def test_a_new_code_replaces_the_old_one():
    family, child = _imported_family()
    old = services.issue_activation_code(family_id=family.pk)
    new = services.issue_activation_code(family_id=family.pk)
    with pytest.raises(ActivationError):
        services.activate_with_code(parent=make_parent(), code=old)
    assert services.activate_with_code(parent=make_parent(), code=new) == family


def test_too_many_tries_are_stopped(client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "bereik_activate": "3/3600"}
    client.force_login(make_parent())
    for _ in range(3):
        assert client.post(reverse("bereik:activate"), {"code": "AAAAA-AAAAA"}).status_code == 400
    assert client.post(reverse("bereik:activate"), {"code": "AAAAA-AAAAA"}).status_code == 429


def test_staff_cannot_use_the_activation_page(client):
    client.force_login(make_staff())
    assert client.get(reverse("bereik:activate")).status_code == 403


def test_the_letter_is_a_pdf_with_a_fresh_code_and_counts_as_an_attempt(client):
    family, child = _imported_family()
    nurse = make_staff()
    client.force_login(nurse)
    response = client.post(reverse("bereik:letter", kwargs={"child_id": child.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    contact = FamilyContact.objects.get(family=family)
    assert contact.activation_code_hash and contact.activation_code_expires_at
    action = OutreachAction.objects.get()
    assert (action.kind, action.by) == ("letter", nurse)
    assert action.case.fruitless_attempts == 1


def test_the_letter_text_is_b1_dutch_with_phone_and_code(settings):
    from bereik import letters

    family, child = _imported_family()
    html = (
        letters.render_invitation.__wrapped__
        if hasattr(letters.render_invitation, "__wrapped__")
        else None
    )
    assert html is None
    from django.template.loader import render_to_string

    text = render_to_string(
        "bereik/letter.html",
        {
            "child": child,
            "parent_name": "Fatima",
            "code": "ABCDE-23456",
            "site": "portaal.example.org",
            "qr": "",
            "phone": settings.JGZ_PHONE,
            "opening_hours": services.opening_hours(),
            "organisation": "JGZ Utrecht",
        },
    )
    assert "Het is tijd voor een afspraak voor Noor." in text
    assert settings.JGZ_PHONE in text and "ABCDE-23456" in text
    assert "Beste Fatima," in text


# --- Staff merge a self-registered family into the imported one ----------


def test_staff_preview_then_merge_a_self_registered_family(client):
    from accounts.models import User
    from contactmomenten.models import ChildMoment, ContactMoment, PreConsultQuestion
    from contactmomenten.seed import load
    from privacy.fields import contains_id
    from privacy.models import AccessLog

    load(ContactMoment, PreConsultQuestion)
    family, noor = _imported_family()
    parent = make_parent()
    online = parent.family
    same = make_child(family=online, date_of_birth=noor.date_of_birth, first_name="Noortje")
    make_child(family=online, age_months=30, first_name="Lina")
    ChildMoment.objects.create(
        child=same,
        moment=ContactMoment.objects.get(code="cb-8w"),
        version=1,
        window_opens=noor.date_of_birth,
        window_closes=noor.date_of_birth + timedelta(days=70),
        state=ChildMoment.State.PLANNED,
    )
    assistant = make_staff(role=User.Role.ASSISTANT)
    client.force_login(assistant)
    url = reverse("bereik:merge")
    data = {"email": parent.email, "key": "DD-1"}
    response = client.post(url, {**data, "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Noortje" in html and "Lina" in html
    assert Family.objects.filter(pk=online.pk).exists()  # a preview changes nothing
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.family == family
    assert not Family.objects.filter(pk=online.pk).exists()
    assert set(family.children.values_list("first_name", flat=True)) == {"Noor", "Lina"}
    assert ChildMoment.objects.get(child=noor).state == "planned"  # moved to the imported child
    assert AccessLog.objects.filter(
        contains_id("family_ids", family.pk),
        actor=assistant,
        action="change",
        reason__startswith="merged",
    ).exists()


def test_merge_with_an_unknown_key_says_so_in_dutch(client):
    client.force_login(make_staff())
    response = client.post(
        reverse("bereik:merge"), {"email": "niemand@example.org", "key": "DD-404", "preview": "1"}
    )
    assert response.status_code == 400
    assert "DD-404" in response.content.decode()  # the form keeps what was typed


# --- A family without e-mail ----------


def test_an_assistant_registers_a_family_by_phone_and_the_parent_claims_it(client):
    from accounts.models import User

    assistant = make_staff(role=User.Role.ASSISTANT)
    client.force_login(assistant)
    url = reverse("bereik:register")
    born = (timezone.localdate() - timedelta(days=20)).isoformat()
    bad = client.post(url, {"parent_name": "Ayse Yilmaz", "phone": "bel me", "child_name": "Elif"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Dit telefoonnummer kunnen we niet gebruiken" in html and "Ayse Yilmaz" in html
    response = client.post(
        url,
        {
            "parent_name": "Ayse Yilmaz",
            "phone": "06 12345678",
            "postcode": "3561ab",
            "language": "tr",
            "child_name": "Elif",
            "child_born": born,
        },
    )
    assert response.status_code == 200
    code = response.context["code"]
    family = response.context["family"]
    contact = FamilyContact.objects.get(family=family)
    assert (contact.origin, contact.email, family.postcode) == ("desk", "", "3561 AB")
    assert not family.parents.exists()
    parent = make_parent()
    client.force_login(parent)
    assert client.post(reverse("bereik:activate"), {"code": code}).status_code == 302
    parent.refresh_from_db()
    assert parent.family == family
    assert list(family.children.values_list("first_name", flat=True)) == ["Elif"]
