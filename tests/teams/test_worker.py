"""The admin's refresh of every family's team, through a real Celery worker."""

import pytest
from django.urls import reverse

from teams.models import FamilyTeam, Team
from tests.conftest_worker import wait_until
from tests.factories import make_family

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_new_wijk_in_the_admin_gives_families_their_team(celery_worker, client, manager):
    family = make_family(postcode="3563 AB")
    team = Team.objects.create(name="Noord")
    client.force_login(manager)
    response = client.post(
        reverse("admin:teams_wijk_add"),
        {
            "name": "Overvecht",
            "team": team.pk,
            "postcode_areas-TOTAL_FORMS": "1",
            "postcode_areas-INITIAL_FORMS": "0",
            "postcode_areas-0-digits": "3563",
        },
    )
    assert response.status_code == 302
    wait_until(lambda: FamilyTeam.objects.filter(family=family, team=team).exists())
