"""index.html in the download is a page a parent can read: Dutch headings, local times, no
internal codes. data.json keeps the same data for a computer."""

import io
import json
import re
import zipfile
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from afspraken.services import book_appointment
from outbox.services import queue_rendered
from privacy.services import build_data_export
from tests.afspraken.factories import make_slot, slot_type
from tests.factories import make_child
from tests.nieuwsbrieven.factories import make_subscription
from tests.vragen.factories import make_question

pytestmark = pytest.mark.django_db


def _export(parent) -> tuple[str, dict]:
    archive = zipfile.ZipFile(io.BytesIO(build_data_export(user=parent)))
    return archive.read("index.html").decode(), json.loads(archive.read("data.json"))


@pytest.fixture
def full_family(parent):
    child = make_child(family=parent.family, age_months=3, first_name="Noor")
    day = timezone.localdate() + timedelta(days=4)
    starts = timezone.make_aware(datetime.combine(day, time(18, 0)))
    slot = make_slot(starts_at=starts)
    book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    make_question(parent=parent, child=child)
    make_subscription(parent=parent)
    queue_rendered(to=parent.email, subject="Welkom", body_text="Hallo", kind="test")
    return parent, starts


def test_headings_are_dutch_words_not_field_names(full_family):
    html, _data = _export(full_family[0])
    headings = re.findall(r"<th scope=\"col\">([^<]*)</th>", html)
    assert {"Begint om", "Soort afspraak", "Dit ben jij", "Gesteld op", "Voornaam"} <= set(headings)
    codes = [h for h in headings if "_" in h or h != h.strip() or h[:1].islower()]
    assert codes == []


def test_times_are_local_and_readable(full_family):
    parent, starts = full_family
    html, data = _export(parent)
    local = timezone.localtime(starts)
    assert f"{local.day} " in html and ", 18:00" in html
    assert "+00:00" not in html and "T17:00" not in html and "T18:00" not in html
    row = data["sections"]["appointments"]["rows"][0]
    assert row["starts_at"].startswith(f"{local:%Y-%m-%d}T18:00:00+01:00")


def test_no_internal_codes_or_python_values(full_family):
    html, _data = _export(full_family[0])
    cells = re.findall(r"<td>([^<]*)</td>", html)
    assert "ja" in cells or "nee" in cells
    for code in ("True", "False", "None", "queued", "sent", "booked", "online", "open"):
        assert code not in cells, code
    assert "In de wachtrij" in cells or "Verstuurd" in cells  # the e-mail's status, in words
