import pytest

from accounts.management.commands.demo_data import Command
from accounts.models import User
from afspraken import demo as afspraken_demo
from contactmomenten import demo
from contactmomenten.selectors import family_schedule


@pytest.mark.django_db
def test_demo_baby_can_plan_the_eight_week_consult_now(settings):
    command = Command()
    staff, families = command._staff(), command._families()
    afspraken_demo.load(staff=staff, families=families)
    demo.load(staff=staff, families=families)
    demo.load(staff=staff, families=families)  # idempotent
    parent = User.objects.get(email="fatima@example.org")
    children = list(parent.family.children.all())
    plans = family_schedule(parent=parent, children=children)
    ilyas = next(c for c in children if c.first_name == "Ilyas")
    (first, *_) = plans[ilyas.pk].upcoming
    assert (first.moment.code, first.can_plan) == ("cb-8w", True)
