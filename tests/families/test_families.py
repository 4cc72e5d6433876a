from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from families import ages, selectors, services
from families.exceptions import InvitationError
from families.models import Child, Family, Invitation
from tests.factories import make_child, make_family, make_parent

pytestmark = pytest.mark.django_db


def test_months_between_counts_whole_months():
    assert ages.months_between(date(2026, 1, 15), date(2026, 3, 14)) == 1
    assert ages.months_between(date(2026, 1, 15), date(2026, 3, 15)) == 2


def test_child_born_on_31_january_is_one_month_on_last_day_of_february():
    assert ages.months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1


def test_leap_day_child_turns_one_on_28_february():
    assert ages.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_age_display_in_dutch(parent):
    child = make_child(family=parent.family, age_months=28)
    assert child.age_display == "2 jaar en 4 maanden"


def test_pregnancy_shows_weeks(parent):
    child = make_child(family=parent.family, due_in_days=70)
    assert child.age_display == "zwangerschap: 30 weken"


def test_add_child_stores_no_age(parent):
    child = services.add_child(
        family=parent.family, first_name=" Noor ", date_of_birth=date(2025, 5, 1)
    )
    assert child.first_name == "Noor"
    assert not any(f.name == "age" for f in Child._meta.fields)


def test_database_refuses_child_with_both_dates(parent):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Child.objects.create(
            family=parent.family,
            first_name="X",
            date_of_birth=date(2025, 1, 1),
            due_date=date(2026, 1, 1),
        )


def test_entering_birth_date_for_expected_child_marks_it_born(parent):
    child = make_child(family=parent.family, due_in_days=10)
    services.update_child(child=child, first_name="Mila", date_of_birth=timezone.localdate())
    child.refresh_from_db()
    assert child.date_of_birth == timezone.localdate() and child.due_date is None


def test_parent_adds_child_and_sees_age(parent_client):
    born = (timezone.localdate() - timedelta(days=21)).isoformat()
    response = parent_client.post(
        reverse("families:child_add"), {"first_name": "Noor", "date_of_birth": born}, follow=True
    )
    assert response.status_code == 200
    assert "Noor" in response.text and "3 weken" in response.text


def test_child_form_error_keeps_typed_name(parent_client):
    response = parent_client.post(reverse("families:child_add"), {"first_name": "Noor"})
    assert response.status_code == 400
    assert 'value="Noor"' in response.text
    assert "geboortedatum" in response.text


def test_birth_date_in_future_is_refused(parent_client):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = parent_client.post(
        reverse("families:child_add"), {"first_name": "Noor", "date_of_birth": future}
    )
    assert response.status_code == 400
    assert not Child.objects.exists()


def test_parent_cannot_open_other_familys_child(parent_client):
    stranger_child = make_child(family=make_family())
    response = parent_client.get(reverse("families:child_edit", args=[stranger_child.id]))
    assert response.status_code == 404


def test_parent_cannot_change_other_familys_child(parent_client):
    stranger_child = make_child(family=make_family(), first_name="Eva")
    response = parent_client.post(
        reverse("families:child_edit", args=[stranger_child.id]),
        {"first_name": "Hacked", "date_of_birth": "2025-01-01"},
    )
    assert response.status_code == 404
    stranger_child.refresh_from_db()
    assert stranger_child.first_name == "Eva"


def test_family_page_lists_only_own_children(parent_client, parent):
    make_child(family=parent.family, first_name="Eigen")
    make_child(family=make_family(), first_name="Vreemd")
    response = parent_client.get(reverse("families:home"))
    assert "Eigen" in response.text and "Vreemd" not in response.text


def _invite(parent, email="partner@example.org"):
    return services.invite_parent(family=parent.family, invited_by=parent, email=email)


def test_invitation_email_has_link_only(parent, django_capture_on_commit_callbacks):
    make_child(family=parent.family, first_name="Noor")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(parent)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert invitation.token in body
    assert "Noor" not in body


def test_invitation_page_shows_whose_family(client, parent):
    parent.first_name = "Sanne"
    parent.save()
    invitation = _invite(parent)
    response = client.get(reverse("families:invitation", args=[invitation.token]))
    assert response.status_code == 200
    assert "Sanne" in response.text and parent.family.name in response.text


def test_accepting_invitation_joins_family(parent):
    invitation = _invite(parent)
    partner = make_parent(email="partner@example.org")
    family = services.accept_invitation(token=invitation.token, user=partner)
    partner.refresh_from_db()
    assert family == parent.family and partner.family_id == parent.family_id


def test_invitation_is_single_use(parent):
    invitation = _invite(parent)
    services.accept_invitation(
        token=invitation.token, user=make_parent(email="partner@example.org")
    )
    with pytest.raises(InvitationError) as exc:
        services.accept_invitation(token=invitation.token, user=make_parent())
    assert exc.value.reason == "used"


def test_expired_invitation_is_refused(parent, client):
    invitation = _invite(parent)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    stranger = make_parent()
    client.force_login(stranger)
    response = client.post(reverse("families:invitation", args=[invitation.token]))
    assert response.status_code == 410
    assert "verlopen" in response.text
    stranger.refresh_from_db()
    assert stranger.family_id != parent.family_id


def test_reused_invitation_link_shows_used(parent, client):
    invitation = _invite(parent)
    services.accept_invitation(
        token=invitation.token, user=make_parent(email="partner@example.org")
    )
    response = client.get(reverse("families:invitation", args=[invitation.token]))
    assert response.status_code == 410
    assert "al gebruikt" in response.text


def test_invitation_expires_after_seven_days(parent):
    invitation = _invite(parent)
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)


def test_invitation_stores_only_a_hash_of_its_token(parent):
    invitation = _invite(parent)
    stored = Invitation.objects.filter(pk=invitation.pk).values()[0]
    assert invitation.token not in {str(value) for value in stored.values()}
    assert selectors.get_invitation(token=invitation.token) == invitation


def test_invitation_page_for_another_address_refuses_and_keeps_the_family(client, parent):
    invitation = _invite(parent)
    stranger = make_parent(email="iemand@example.org")
    client.force_login(stranger)
    url = reverse("families:invitation", args=[invitation.token])
    response = client.post(url)
    assert response.status_code == 403
    assert "ander e-mailadres (p…@example.org)" in response.text
    assert "partner@example.org" not in response.text
    stranger.refresh_from_db()
    assert stranger.family_id != parent.family_id
    assert not Invitation.objects.get(pk=invitation.pk).is_used


def test_invitation_needs_the_invited_address_verified(parent):
    invitation = _invite(parent)
    partner = make_parent(email="partner@example.org", verified=False)
    with pytest.raises(InvitationError) as exc:
        services.accept_invitation(token=invitation.token, user=partner)
    assert exc.value.reason == "wrong_address"


def test_only_parent_of_a_family_with_children_cannot_leave_it(client, parent):
    invitation = _invite(parent)
    partner = make_parent(email="partner@example.org")
    make_child(family=partner.family, first_name="Sem")
    client.force_login(partner)
    response = client.post(reverse("families:invitation", args=[invitation.token]))
    assert response.status_code == 409
    assert "enige ouder" in response.text
    partner.refresh_from_db()
    assert partner.family.parents.filter(pk=partner.pk).exists()
    assert partner.family_id != parent.family_id


def test_parent_may_join_when_their_family_keeps_another_parent(parent):
    invitation = _invite(parent)
    partner = make_parent(email="partner@example.org")
    old_family = partner.family
    make_child(family=old_family)
    make_parent(family=old_family)
    services.accept_invitation(token=invitation.token, user=partner)
    partner.refresh_from_db()
    assert partner.family_id == parent.family_id
    assert old_family.parents.count() == 1


def test_empty_family_from_sign_up_is_removed_on_joining(parent):
    invitation = _invite(parent)
    partner = make_parent(email="partner@example.org")
    old_family_id = partner.family_id
    services.accept_invitation(token=invitation.token, user=partner)
    assert not Family.objects.filter(pk=old_family_id).exists()


@pytest.mark.django_db(transaction=True)
def test_parents_leaving_at_once_never_leave_the_family_without_parents():
    """One parent deletes their account while the other accepts an invitation elsewhere."""
    import threading

    from django.db import connection, transaction

    from privacy.services import delete_account

    inviter = make_parent(email="ander-gezin@example.org")
    invitation = _invite(inviter)
    leaving = make_parent()
    partner = make_parent(email="partner@example.org", family=leaving.family)
    family = leaving.family
    make_child(family=family, first_name="Sem")
    outcome = {}

    def accept():
        try:
            services.accept_invitation(token=invitation.token, user=partner)
            outcome["accept"] = "joined"
        except InvitationError as exc:
            outcome["accept"] = exc.reason
        finally:
            connection.close()

    with transaction.atomic():
        delete_account(user=leaving)
        other = threading.Thread(target=accept)
        other.start()
        other.join(timeout=1)  # it waits for this deletion to commit, or does not
    other.join(timeout=30)
    assert outcome["accept"] == "last_parent"
    partner.refresh_from_db()
    assert partner.family_id == family.pk
    assert Family.objects.get(pk=family.pk).parents.exists()


# --- Forms that send mail to an address someone types are rate-limited ---------------------------


def test_invite_form_is_limited_per_user(parent_client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "invite": "2/3600"}
    url = reverse("families:invite")
    for n in range(2):
        assert parent_client.post(url, {"email": f"p{n}@example.org"}).status_code == 302
    response = parent_client.post(url, {"email": "p9@example.org"})
    assert response.status_code == 429
    assert Invitation.objects.count() == 2


def test_invite_form_is_limited_per_recipient_across_accounts(client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "mail_to_address": "2/86400"}
    url = reverse("families:invite")
    for _ in range(2):
        client.force_login(make_parent())
        assert client.post(url, {"email": "Doelwit@example.org"}).status_code == 302
    client.force_login(make_parent())
    response = client.post(url, {"email": "doelwit@example.org"})
    assert response.status_code == 429
    assert "al een paar e-mails naar dit adres gestuurd" in response.text
    assert 'value="doelwit@example.org"' in response.text
    assert Invitation.objects.count() == 2


def test_invite_form_is_limited_per_client_address(client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "mail_from_ip": "2/3600"}
    url = reverse("families:invite")
    for n in range(2):
        client.force_login(make_parent())
        assert client.post(url, {"email": f"x{n}@example.org"}).status_code == 302
    client.force_login(make_parent())
    assert client.post(url, {"email": "x9@example.org"}).status_code == 429
