"""The route without e-mail by text message: the imported or desk-registered family's number in
E.164, the activation code by SMS (through the Spryng backend against a local fake provider),
the "we could not reach you" text as an outreach step, and failed texts on the worklist."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bereik import selectors, services
from bereik.models import FamilyContact, ImportedChild, OutreachAction, OutreachCase
from families.models import Family
from sms import services as sms_services
from sms.models import OutgoingSms
from tests.factories import make_child, make_family, make_parent, make_staff

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
TEN = datetime(2026, 6, 15, 10, 0, tzinfo=AMS)
HEADER = "kind_id;gezin_id;geboortedatum;roepnaam;postcode;ouder_naam;ouder_telefoon;ouder_email\n"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TEN, tick=False):
        yield


def _import(lines: str):
    return services.import_population(
        data=(HEADER + lines).encode(), file_name="t.csv", source="command"
    )


def test_import_stores_the_phone_in_e164_and_texts_families_without_email():
    born = (timezone.localdate() - timedelta(days=30)).isoformat()
    result = _import(
        f"K-1;G-1;{born};Noor;3561 AB;Fatima;06-12345678;\n"
        f"K-2;G-2;{born};Sem;3561 AB;Jan;030 123 45 67;jan@example.nl\n"
        f"K-3;G-3;{born};Lina;3561 AB;Els;bel me;\n"
    )
    assert result.counts["created"] == 2
    [error] = result.errors
    assert error.line == 4 and "geen telefoonnummer" in error.message
    texted = Family.objects.get(contact__dd_family_key="G-1")
    assert (texted.phone, texted.message_channel, texted.contact.channel) == (
        "+31612345678",
        "sms",
        "sms",
    )
    mailed = Family.objects.get(contact__dd_family_key="G-2")
    assert (mailed.phone, mailed.message_channel, mailed.contact.channel) == (
        "+31301234567",
        "email",
        "email",
    )
    # The same file again (the number typed another way is the same number) changes nothing.
    again = _import(f"K-1;G-1;{born};Noor;3561 AB;Fatima;+31 6 1234 5678;\n")
    assert again.counts["unchanged"] == 1


def test_a_new_number_in_the_import_is_not_written_over_a_linked_familys_own():
    born = (timezone.localdate() - timedelta(days=30)).isoformat()
    _import(f"K-1;G-1;{born};Noor;3561 AB;Fatima;0612345678;\n")
    family = Family.objects.get(contact__dd_family_key="G-1")
    code = services.issue_activation_code(family_id=family.pk)
    services.activate_with_code(parent=make_parent(), code=code)
    Family.objects.filter(pk=family.pk).update(phone="+31687654321")
    _import(f"K-1;G-1;{born};Noor;3561 AB;Fatima;0611111111;\n")
    family.refresh_from_db()
    assert family.phone == "+31687654321"


def test_desk_family_gets_its_code_by_sms_and_claims_the_account_with_it(client, spryng):
    assistant = make_staff(role=User.Role.ASSISTANT)
    client.force_login(assistant)
    born = (timezone.localdate() - timedelta(days=20)).isoformat()
    response = client.post(
        reverse("bereik:register"),
        {
            "parent_name": "Ayse Yilmaz",
            "phone": "06-1234 5678",
            "postcode": "3561ab",
            "language": "tr",
            "child_name": "Elif",
            "child_born": born,
        },
    )
    assert response.status_code == 200
    assert "ook per sms" in response.content.decode()
    family = response.context["family"]
    assert (family.phone, family.message_channel) == ("+31612345678", "sms")
    sms_services.flush_sms()
    [message] = spryng.messages
    assert message["recipients"] == ["31612345678"]
    body = message["body"]
    code = response.context["code"]
    assert code in body and reverse("bereik:activate") in body
    assert "030 630 54 00" in body  # every SMS says how to reach a person
    # The parent makes an account online, then types the code from the text message.
    parent = make_parent()
    client.force_login(parent)
    typed = re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}", body).group().lower()  # as read from the phone
    assert client.post(reverse("bereik:activate"), {"code": typed}).status_code == 302
    parent.refresh_from_db()
    assert parent.family == family
    assert FamilyContact.objects.get(family=family).activated_at is not None


def _register_at_desk(client, **data):
    client.force_login(make_staff(role=User.Role.ASSISTANT))
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    fields = {"parent_name": "Piet", "language": "nl", "child_name": "Bo", "child_due": due}
    response = client.post(reverse("bereik:register"), {**fields, **data})
    assert response.status_code == 200
    return response


def test_a_landline_at_the_desk_gets_no_text_but_the_code_on_screen(client):
    response = _register_at_desk(client, phone="030 123 45 67")
    assert "ook per sms" not in response.content.decode()
    assert response.context["family"].contact.channel == "phone"
    assert not OutgoingSms.objects.exists()


def _imported(phone="+31612345678"):
    family = make_family(name="El Amrani", postcode="3561 AB")
    Family.objects.filter(pk=family.pk).update(phone=phone, message_channel="sms")
    family.refresh_from_db()
    FamilyContact.objects.create(family=family, origin="import", channel="sms", phone=phone)
    child = make_child(family=family, age_months=3, first_name="Noor")
    ImportedChild.objects.create(child=child, key="DD-1", row_hash="x")
    return family, child


def test_not_reached_text_counts_as_an_attempt_and_carries_a_new_code(spryng):
    family, child = _imported()
    staff = make_staff(role=User.Role.ASSISTANT)
    services.record_outreach_action(actor=staff, child_id=child.pk, kind="sms")
    case = OutreachCase.objects.get(child=child)
    assert case.fruitless_attempts == 1
    assert case.actions.get().kind == OutreachAction.Kind.SMS
    sms_services.flush_sms()
    [message] = spryng.messages
    assert "niet bereiken" in message["body"] and "030 630 54 00" in message["body"]
    assert "Je kunt ons bellen op werkdagen van 8.30 tot 17.00 uur." in message["body"]
    code = re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}", message["body"]).group()
    assert services.activate_with_code(parent=make_parent(), code=code) == family


def _not_reached_text_to_a_parent(spryng, language: str = "nl") -> str:
    parent = make_parent()
    parent.preferred_language = language
    parent.save(update_fields=["preferred_language"])
    Family.objects.filter(pk=parent.family_id).update(phone="+31612345678")
    child = make_child(family=parent.family, age_months=3)
    services.record_outreach_action(
        actor=make_staff(role=User.Role.ASSISTANT), child_id=child.pk, kind="sms"
    )
    sms_services.flush_sms()
    [message] = spryng.messages
    return message["body"]


def test_not_reached_text_to_a_family_with_an_account_has_no_code(spryng):
    assert "code" not in _not_reached_text_to_a_parent(spryng)


def test_text_action_without_a_mobile_number_is_refused_in_dutch(client):
    family, child = _imported(phone="+31301234567")
    client.force_login(make_staff(role=User.Role.ASSISTANT))
    response = client.post(reverse("bereik:action", args=[child.pk]), {"kind": "sms"}, follow=True)
    assert "geen mobiel nummer" in response.content.decode()
    assert not OutreachCase.objects.filter(child=child).exists()
    assert not OutgoingSms.objects.exists()


def test_a_failed_text_puts_the_family_on_the_list_until_one_is_delivered(spryng):
    family, child = _imported()
    texted = sms_services.queue_sms(
        to=family.phone, body="Plan een afspraak.", kind="contactmomenten-invitation", family=family
    )
    spryng.fail_next = [400]  # the provider refuses the number: failed at once
    sms_services.flush_sms()
    texted.refresh_from_db()
    assert texted.status == OutgoingSms.Status.FAILED
    staff = make_staff()
    work = selectors.list_worklist(actor=staff)
    assert "failed" in _reasons(work, child)
    with time_machine.travel(TEN + timedelta(hours=1), tick=False):
        sms_services.queue_sms(
            to=family.phone,
            body="Plan een afspraak.",
            kind="contactmomenten-reminder",
            family=family,
        )
        sms_services.flush_sms()
        assert "failed" not in _reasons(selectors.list_worklist(actor=staff), child)


def _reasons(work, child) -> list[str]:
    item = next((i for i in work.items if i.child.pk == child.pk), None)
    return [] if item is None else [r.code for r in item.reasons]


def test_a_desk_family_without_an_account_gets_its_code_in_its_own_language(client):
    response = _register_at_desk(client, phone="06 12345678", language="tr")
    text = OutgoingSms.objects.get(kind="bereik-activation-code").body
    assert "kodunuz" in text and response.context["code"] in text  # Turkish
    # The phone hours are in Turkish too, not a Dutch sentence in a Turkish text.
    assert "iş günlerinde 8.30 ile 17.00 arasında" in text and "werkdagen" not in text


def test_not_reached_text_gives_the_phone_hours_in_the_parents_language(spryng):
    body = _not_reached_text_to_a_parent(spryng, language="ar")
    assert "يمكنك الاتصال بنا في أيام العمل من 8.30 إلى 17.00" in body
    assert "werkdagen" not in body
