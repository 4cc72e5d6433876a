"""AVG rights without an account: staff export or erase, on request, a family the JGZ
registered that never made an account; both logged."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts.models import User
from bereik.models import FamilyContact, ImportedChild
from families.models import Child, Family
from privacy.fields import contains_id
from privacy.models import AccessLog, AccountDeletion
from tests.factories import make_child, make_family, make_parent, make_staff

pytestmark = pytest.mark.django_db


def _imported():
    family = make_family(name="El Amrani", postcode="3561 AB")
    FamilyContact.objects.create(
        family=family, origin="import", parent_name="Fatima El Amrani", phone="+31612345678"
    )
    child = make_child(family=family, age_months=3, first_name="Noor")
    ImportedChild.objects.create(child=child, key="DD-1", row_hash="x")
    return family, child


def _logged(family, action) -> bool:
    return AccessLog.objects.filter(contains_id("family_ids", family.pk), action=action).exists()


def test_staff_export_a_family_without_account_as_its_own_download_and_it_is_logged(client):
    family, _child = _imported()
    client.force_login(make_staff(role=User.Role.ASSISTANT))
    response = client.post(reverse("bereik:family_export", args=[family.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    sections = data["sections"]
    assert [c["first_name"] for c in sections["children"]["rows"]] == ["Noor"]
    assert sections["contact"]["rows"][0]["parent_name"] == "Fatima El Amrani"
    assert "account" not in sections  # there is none
    assert "Noor" in archive.read("index.html").decode()
    assert _logged(family, AccessLog.Action.EXPORT)


def test_erasing_needs_the_ticked_request_then_removes_the_family_and_logs_it(client):
    family, child = _imported()
    client.force_login(make_staff(role=User.Role.ASSISTANT))
    url = reverse("bereik:family_erase", args=[family.pk])
    refused = client.post(url, {}, follow=True)
    assert "Vink aan dat het gezin hierom vroeg" in refused.content.decode()
    assert Family.objects.filter(pk=family.pk).exists()
    done = client.post(url, {"confirm": "1"}, follow=True)
    assert "De gegevens van het gezin zijn gewist" in done.content.decode()
    assert not Family.objects.filter(pk=family.pk).exists()
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not FamilyContact.objects.filter(family_id=family.pk).exists()
    assert _logged(family, AccessLog.Action.DELETE)
    record = AccountDeletion.objects.get(family_id=family.pk)
    assert record.family_removed and record.counts["families.children"] == 1


def test_a_family_with_an_account_is_sent_to_its_own_privacy_page(client):
    family, _child = _imported()
    make_parent(family=family)
    client.force_login(make_staff(role=User.Role.ASSISTANT))
    for name, data in (("bereik:family_export", {}), ("bereik:family_erase", {"confirm": "1"})):
        response = client.post(reverse(name, args=[family.pk]), data, follow=True)
        assert "de ouder downloadt of verwijdert de gegevens zelf" in response.content.decode()
    assert Family.objects.filter(pk=family.pk).exists()
    assert not _logged(family, AccessLog.Action.EXPORT)


def test_parents_and_managers_cannot_export_or_erase(client):
    family, _child = _imported()
    for user in (make_parent(), make_staff(role=User.Role.MANAGER)):
        client.force_login(user)
        url = reverse("bereik:family_erase", args=[family.pk])
        assert client.post(url, {"confirm": "1"}).status_code == 403
    assert Family.objects.filter(pk=family.pk).exists()
