"""The wijkteam co-host: an external account with MFA, given by a manager under the grant
rules (logged), that sees for its own group meetings only the number booked and the first
names of parents who agreed to share them when booking; nothing else."""

import pytest
from django.urls import reverse

from accounts.exceptions import RoleChangeRefused
from accounts.models import RoleChange, User
from accounts.services import change_roles
from afspraken.models import Appointment
from privacy.models import AccessLog
from tests.afspraken.factories import make_schedule, make_slot, make_type
from tests.factories import make_child, make_parent, make_staff

pytestmark = pytest.mark.django_db


def _meeting(cohost=None, name="Scheiden en ouderschap"):
    group = make_type(name=name, capacity=5, duration_minutes=90, partner="Wijkteam Noord")
    schedule = make_schedule(types=[group])
    if cohost is not None:
        schedule.co_hosts.add(cohost)
    return make_slot(schedule=schedule, minutes=90)


def _book(client, slot, *, first_name, share: bool):
    parent = make_parent(first_name=first_name, last_name="Jansen")
    make_child(family=parent.family, first_name=f"Kind van {first_name}")
    client.force_login(parent)
    data = {"share_first_name": "1"} if share else {}
    assert client.post(reverse("afspraken:group_book", args=[slot.pk]), data).status_code == 302
    return parent


def test_a_manager_gives_the_role_and_it_is_logged():
    manager = make_staff(role=User.Role.MANAGER)
    partner = make_parent(first_name="Sanne")
    change_roles(actor=manager, user=partner, role=User.Role.COHOST)
    partner.refresh_from_db()
    assert partner.role == "cohost" and partner.capabilities == {"cohost"}
    assert not partner.is_staff and not partner.is_jgz_staff and partner.must_use_mfa
    assert RoleChange.objects.filter(actor=manager, what="cohost", action="grant").exists()
    # An assistant may give no roles at all.
    with pytest.raises(RoleChangeRefused):
        change_roles(actor=make_staff(role=User.Role.ASSISTANT), user=make_parent(), role="cohost")


def test_cohost_must_set_up_mfa_first(client):
    cohost = make_staff(role=User.Role.COHOST, mfa=False)
    client.force_login(cohost)
    response = client.get(reverse("afspraken:cohost"))
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_cohost_sees_counts_and_only_consented_first_names_of_own_meetings(client):
    cohost = make_staff(role=User.Role.COHOST)
    own = _meeting(cohost)
    other = _meeting(name="Slapen en huilen")
    amira = _book(client, own, first_name="Amira", share=True)
    _book(client, own, first_name="Bram", share=False)
    _book(client, other, first_name="Chantal", share=True)
    assert Appointment.objects.get(parent__first_name="Amira").share_first_name
    client.force_login(cohost)
    response = client.get(reverse("afspraken:cohost"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Scheiden en ouderschap" in html and "2 van de 5 plekken bezet" in html
    assert "Amira" in html
    for hidden in ("Bram", "Jansen", "Kind van", "Chantal", "Slapen en huilen", "@example"):
        assert hidden not in html
    # Amira's family can see on its access-log page that the co-host saw her first name.
    log = AccessLog.objects.get(actor=cohost)
    assert [str(f) for f in log.family_ids] == [str(amira.family_id)]
    assert log.actor_role == "cohost"


def test_cohost_opens_no_parent_or_staff_page(client):
    cohost = make_staff(role=User.Role.COHOST)
    client.force_login(cohost)
    assert client.get(reverse("home"))["Location"] == reverse("afspraken:cohost")
    for name in ("families:home", "afspraken:agenda", "bereik:worklist", "wachtlijst:staff_list"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("admin:index")).status_code == 302  # not the admin's


def test_cohost_page_queries_do_not_grow_with_meetings_and_bookings(client, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    # The clock stands still: the idle-timeout session write (once a minute, not per row)
    # cannot land in one measurement and not the other.
    time_machine.move_to(timezone.now(), tick=False)
    cohost = make_staff(role=User.Role.COHOST)
    _book(client, _meeting(cohost), first_name="Amira", share=True)

    def count() -> int:
        client.force_login(cohost)
        client.get(reverse("afspraken:cohost"))  # the first request after logging in saves
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("afspraken:cohost")).status_code == 200
        return len(queries)

    few = count()
    for i in range(4):
        slot = _meeting(cohost, name=f"Bijeenkomst {i}")
        for name in ("Bram", "Chantal", "Dewi"):
            _book(client, slot, first_name=f"{name}{i}", share=True)
    assert count() == few
