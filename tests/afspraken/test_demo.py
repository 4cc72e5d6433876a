import pytest

from accounts.management.commands.demo_data import Command
from afspraken import demo
from afspraken.models import Appointment, Location, Slot


def _load():
    command = Command()
    demo.load(staff=command._staff(), families=command._families())


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates(settings):
    _load()
    slots, appointments = Slot.objects.count(), Appointment.objects.count()
    assert Location.objects.filter(name="Consultatiebureau Utrecht Overvecht").exists()
    assert slots > 100 and appointments >= 4
    assert Appointment.objects.filter(appointment_type__name="Scheiden en ouderschap").exists()
    _load()
    assert (Slot.objects.count(), Appointment.objects.count()) == (slots, appointments)
