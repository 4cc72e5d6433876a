"""The population import (DD JGZ export) and the postcode -> wijk import."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bereik import services
from bereik.models import FamilyContact, ImportedChild, PopulationImport
from contactmomenten.models import ChildMoment, ContactMoment, PreConsultQuestion
from families.models import Child, Family
from teams.models import FamilyTeam, PostcodeArea, Team, Wijk
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

HEADER = (
    "kind_id;gezin_id;geboortedatum;uitgerekende_datum;roepnaam;postcode;ouder_naam;"
    "ouder_telefoon;ouder_email;taal;contactmomenten;status"
)


def _seed():
    from contactmomenten.seed import load

    load(ContactMoment, PreConsultQuestion)


def _ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def _file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _import(data: bytes, **kwargs):
    kwargs.setdefault("source", PopulationImport.Source.COMMAND)
    kwargs.setdefault("file_name", "export.csv")
    return services.import_population(data=data, **kwargs)


@pytest.fixture
def overvecht():
    team = Team.objects.create(name="Noord")
    wijk = Wijk.objects.create(name="Overvecht", team=team)
    PostcodeArea.objects.create(digits="3561", wijk=wijk)
    return team


def _sample():
    return _file(
        f"A-1001;G-1;{_ago(40)};;Noor;3561 AB;Fatima El Amrani;06 12345678;;ar;;",
        f"A-1002;G-1;{_ago(800)};;Sem;3561AB;;;;;cb-4w|cb-8w;",
        f"A-1003;;;{(timezone.localdate() + timedelta(days=90)).isoformat()};;3512 cd;"
        "Eva de Vries;;eva@example.org;;;",
    )


def test_import_creates_families_children_and_their_team_from_the_postcode(overvecht):
    _seed()
    result = _import(_sample())
    assert result.errors == []
    assert result.counts["created"] == 3
    noor = ImportedChild.objects.get(key="A-1001").child
    sem = ImportedChild.objects.get(key="A-1002").child
    assert noor.family_id == sem.family_id  # brothers and sisters share the gezin_id
    contact = FamilyContact.objects.get(family=noor.family)
    assert (contact.origin, contact.phone, contact.language) == ("import", "+31612345678", "ar")
    assert contact.family.phone == "+31612345678"  # E.164, the number texts go to
    assert noor.family.postcode == "3561 AB"
    assert FamilyTeam.objects.get(family=noor.family).team == overvecht
    expected = ImportedChild.objects.get(key="A-1003").child
    assert expected.due_date is not None and expected.date_of_birth is None
    assert not noor.family.parents.exists()  # no account is made
    attended = ChildMoment.objects.filter(child=sem, state=ChildMoment.State.ATTENDED)
    assert set(attended.values_list("moment__code", flat=True)) == {"cb-4w", "cb-8w"}


def test_the_same_file_twice_changes_nothing(overvecht):
    _seed()
    _import(_sample())
    before = {
        "children": list(Child.objects.order_by("pk").values()),
        "families": list(Family.objects.order_by("pk").values()),
        "contacts": list(FamilyContact.objects.order_by("pk").values()),
        "imported": list(ImportedChild.objects.order_by("pk").values()),
        "moments": list(ChildMoment.objects.order_by("pk").values()),
    }
    result = _import(_sample())
    assert result.counts["unchanged"] == 3
    assert result.counts["created"] == result.counts["updated"] == result.counts["ended"] == 0
    after = {
        "children": list(Child.objects.order_by("pk").values()),
        "families": list(Family.objects.order_by("pk").values()),
        "contacts": list(FamilyContact.objects.order_by("pk").values()),
        "imported": list(ImportedChild.objects.order_by("pk").values()),
        "moments": list(ChildMoment.objects.order_by("pk").values()),
    }
    assert after == before


def test_a_changed_line_updates_the_child_and_the_familys_team(overvecht):
    _seed()
    _import(_file(f"A-1;;{_ago(40)};;Noor;3512 AB;;;;;;"))
    child = ImportedChild.objects.get(key="A-1").child
    assert not FamilyTeam.objects.filter(family=child.family).exists()
    result = _import(_file(f"A-1;;{_ago(41)};;Noor;3561 XY;;0301234567;;;cb-4w;"))
    assert result.counts["updated"] == 1
    child.refresh_from_db()
    child.family.refresh_from_db()
    assert child.date_of_birth == timezone.localdate() - timedelta(days=41)
    assert child.family.postcode == "3561 XY"
    assert FamilyTeam.objects.get(family=child.family).team == overvecht
    assert FamilyContact.objects.get(family=child.family).phone == "+31301234567"


def test_moved_out_ends_care_through_the_contact_schedule_and_back_again(overvecht):
    _seed()
    _import(_file(f"A-1;;{_ago(40)};;Noor;3561 AB;;;;;;"))
    result = _import(_file(f"A-1;;{_ago(40)};;Noor;3561 AB;;;;;;verhuisd"))
    assert result.counts["ended"] == 1
    child = ImportedChild.objects.get(key="A-1").child
    assert child.care_status == Child.CareStatus.MOVED_OUT and child.care_ended_at is not None
    from contactmomenten.selectors import may_message

    assert not may_message(child, ContactMoment.objects.get(code="cb-8w"))
    result = _import(_file(f"A-1;;{_ago(40)};;Noor;3561 AB;;;;;;actief"))
    assert result.counts["returned"] == 1
    child.refresh_from_db()
    assert child.in_care


def test_a_full_export_ends_care_for_children_missing_from_it():
    _seed()
    lines = [f"A-{n};;{_ago(40 + n)};;;3561 AB;;;;;;" for n in range(20)]
    _import(_file(*lines))
    result = _import(_file(*lines[1:]), full_export=True)
    assert result.counts["ended"] == 1
    assert ImportedChild.objects.get(key="A-0").child.care_status == Child.CareStatus.MOVED_OUT
    assert ImportedChild.objects.get(key="A-1").child.in_care


def test_a_cut_off_full_export_ends_nobodys_care():
    _seed()
    lines = [f"A-{n};;{_ago(40 + n)};;;3561 AB;;;;;;" for n in range(20)]
    _import(_file(*lines))
    result = _import(_file(*lines[:5]), full_export=True)
    assert result.counts["ended"] == 0
    assert "15 kinderen" in result.errors[0].message
    assert Child.objects.filter(care_status=Child.CareStatus.ACTIVE).count() == 20


def test_errors_are_reported_per_line_in_dutch_and_good_lines_still_count():
    _seed()
    result = _import(
        _file(
            f"A-1;;{_ago(40)};;Noor;3561 AB;;;;;;",
            "A-2;;31-02-2026;;;3561 AB;;;;;;",
            "A-3;;;;;3561 AB;;;;;;",
            f"A-4;;{_ago(40)};;;12345;;;;;;",
            f"A-5;;{_ago(40)};;;;;;geen-mail;;;",
            f"A-6;;{_ago(40)};;;;;;;;xx-99;",
            f"A-1;;{_ago(40)};;;;;;;;;",
        )
    )
    assert result.counts["created"] == 1
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7, 8]
    messages = [e.message for e in result.errors]
    assert "geen geldige datum" in messages[0] or "geen datum" in messages[0]
    assert "uitgerekende_datum" in messages[1]
    assert "postcode" in messages[2]
    assert "e-mailadres" in messages[3]
    assert "xx-99" in messages[4]
    assert "eerdere regel" in messages[5]


def test_a_bsn_column_refuses_the_file_and_a_bsn_shaped_key_the_line():
    _seed()
    data = b"kind_id;bsn;geboortedatum\nA-1;123456782;2026-01-01\n"
    result = _import(data)
    assert "BSN" in result.refused
    assert not Child.objects.exists()
    result = _import(_file(f"123456782;;{_ago(40)};;;;;;;;;"))
    assert "BSN" in result.errors[0].message
    assert not Child.objects.exists()


def test_an_imported_child_without_an_account_is_on_the_planning_list(client):
    _seed()
    target_in = 3  # the 8-week window is open
    born = timezone.localdate() + timedelta(days=target_in) - timedelta(weeks=8)
    _import(_file(f"A-1;;{born.isoformat()};;Noor;3561 AB;;;;;;"))
    from contactmomenten.selectors import PlanningFilters, list_planning

    rows = list_planning(actor=make_staff(), filters=PlanningFilters(code="cb-8w"))
    assert [r.child.first_name for r in rows] == ["Noor"]


def test_drop_folder_imports_each_file_once_and_deletes_it(tmp_path, settings):
    _seed()
    settings.BEREIK_DROP_DIR = str(tmp_path)
    (tmp_path / "2026-12-01.csv").write_bytes(_file(f"A-1;;{_ago(40)};;;3561 AB;;;;;;"))
    assert len(services.import_drop_folder()) == 1
    assert not (tmp_path / "2026-12-01.csv").exists()
    (tmp_path / "again.csv").write_bytes(_file(f"A-1;;{_ago(40)};;;3561 AB;;;;;;"))
    assert services.import_drop_folder() == []  # the same content: skipped
    assert PopulationImport.objects.filter(source="drop_folder").count() == 1


def test_the_command_imports_a_file(tmp_path, capsys):
    _seed()
    path = tmp_path / "export.csv"
    path.write_bytes(_file(f"A-1;;{_ago(40)};;;3561 AB;;;;;;"))
    call_command("import_population", str(path))
    assert "created: 1" in capsys.readouterr().out
    assert ImportedChild.objects.filter(key="A-1").exists()


def test_manager_previews_then_imports_in_the_admin(client):
    from accounts.models import User

    _seed()
    client.force_login(make_staff(role=User.Role.MANAGER))
    url = reverse("admin:bereik_populationimport_import")
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "export.csv", _file(f"A-1;;{_ago(40)};;;3561 AB;;;;;;", "A-2;;nooit;;;;;;;;;")
    )
    response = client.post(url, {"file": upload, "preview": "1"})
    assert response.status_code == 200
    assert not Child.objects.exists()  # a preview stores nothing
    html = response.content.decode()
    assert "nooit" in html and "Voorbeeld" in html
    token = response.context["token"]
    response = client.post(url, {"token": token, "import": "1"})
    assert response.status_code == 200
    assert ImportedChild.objects.filter(key="A-1").exists()
    run = PopulationImport.objects.get()
    assert run.errors[0]["line"] == 3 and run.source == "admin"


# --- Postcode -> wijk ----------


def test_postcode_import_previews_creates_and_is_idempotent():
    Team.objects.create(name="Noord")
    data = b"postcode;wijk;team\n3561;Overvecht;Noord\n3562;Overvecht;\n3512 AB;Binnenstad;\n"
    preview = services.import_postcodes(data=data, preview=True)
    assert preview.counts["created"] == 3 and not PostcodeArea.objects.exists()
    first = services.import_postcodes(data=data)
    assert (first.counts["created"], first.counts["wijken_created"]) == (3, 2)
    assert Wijk.objects.get(name="Overvecht").team.name == "Noord"
    again = services.import_postcodes(data=data)
    assert (again.counts["created"], again.counts["moved"], again.counts["unchanged"]) == (0, 0, 3)
    moved = services.import_postcodes(data=b"postcode;wijk\n3562;Binnenstad\n")
    assert moved.counts["moved"] == 1
    assert PostcodeArea.objects.get(digits="3562").wijk.name == "Binnenstad"


def test_postcode_import_reports_errors_per_line_in_dutch():
    data = b"postcode;wijk;team\n0123;Ergens;\n3561;;\n3562;Overvecht;Onbekend\n3563;Overvecht;\n"
    result = services.import_postcodes(data=data)
    assert [e.line for e in result.errors] == [2, 3, 4]
    assert "4 cijfers" in result.errors[0].message
    assert "Onbekend" in result.errors[2].message
    assert list(PostcodeArea.objects.values_list("digits", flat=True)) == ["3563"]


def test_postcode_import_in_the_admin_needs_a_manager(client):
    from accounts.models import User

    url = reverse("admin:bereik_populationimport_postcodes")
    client.force_login(make_staff())
    assert client.get(url).status_code in (302, 403)
    client.force_login(make_staff(role=User.Role.MANAGER))
    assert client.get(url).status_code == 200
