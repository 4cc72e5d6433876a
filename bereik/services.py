"""Write side of reach: the population import and the postcode -> wijk import.

Both imports are idempotent: a line that says what the database already holds writes nothing,
so the same file twice changes nothing. Both can run as a preview: everything happens inside
a transaction that is rolled back, so the preview shows exactly what the import would do.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Capability
from bereik import csvfiles
from bereik.csvfiles import FileRefused, LineError, PopulationRow
from bereik.exceptions import ActivationError, OutreachError
from bereik.models import (
    AttentionFlag,
    AttentionReason,
    FamilyContact,
    ImportedChild,
    OutreachAction,
    OutreachCase,
    PopulationImport,
)
from contactmomenten import services as moments
from contactmomenten.models import ContactMoment
from families.models import Child, Family
from outbox.services import queue_email
from privacy.models import AccessLog
from privacy.services import record_list_access
from sms.phone import can_receive_sms, normalise_phone
from sms.services import queue_templated

logger = logging.getLogger(__name__)

# One import at a time (a nightly run and a manager's upload): the second waits.
_IMPORT_LOCK = 7_310_413


@dataclass
class ImportResult:
    """What an import did (or, as a preview, would do)."""

    counts: dict = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)
    refused: str = ""
    run: PopulationImport | None = None

    @property
    def error_dicts(self) -> list[dict]:
        return [e.as_dict() for e in self.errors]


class _Preview(Exception):
    """Raised inside the transaction to roll a preview back."""


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])


# --- Population ----------


def import_population(
    *,
    data: bytes,
    file_name: str,
    source: str,
    by: User | None = None,
    full_export: bool = False,
    preview: bool = False,
) -> ImportResult:
    """Import the DD JGZ's export of the children the JGZ is responsible for.

    Lines with an error are skipped and reported by line number; the other lines are applied.
    New keys make a family (brothers and sisters share the `gezin_id`) with its contact details
    and the child; known keys are updated only when their line changed; status `verhuisd` (or,
    in a full export, a known child missing from the file) ends the JGZ's care through the
    contact schedule's end-of-care service, so every message about the child stops.
    """
    result = ImportResult()
    try:
        text = csvfiles.decode(data)
        header, rows = csvfiles.read_rows(text)
        csvfiles.check_population_header(header)
    except FileRefused as exc:
        result.refused = str(exc)
        return result
    try:
        with transaction.atomic():
            _lock()
            _apply_population(rows, result=result, full_export=full_export)
            if preview:
                raise _Preview
            result.run = PopulationImport.objects.create(
                file_name=file_name[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                source=source,
                full_export=full_export,
                by=by,
                counts=result.counts,
                errors=result.error_dicts,
                finished_at=timezone.now(),
            )
    except _Preview:
        pass
    return result


def _apply_population(rows, *, result: ImportResult, full_export: bool) -> None:
    today = timezone.localdate()
    known_codes = set(ContactMoment.objects.values_list("code", flat=True))
    counts = dict.fromkeys(
        ("lines", "created", "updated", "unchanged", "ended", "returned", "skipped"), 0
    )
    counts["lines"] = len(rows)
    parsed: list[PopulationRow] = []
    keys_in_file: set[str] = set()
    for line, values in rows:
        row = csvfiles.parse_population_row(line, values, known_codes=known_codes, today=today)
        if isinstance(row, LineError):
            result.errors.append(row)
        elif row.key in keys_in_file:
            message = _("kind_id %(key)s is on an earlier line too.") % {"key": row.key}
            result.errors.append(LineError(line, message))
        else:
            parsed.append(row)
        # A line with an error still says the child is in the export (full exports).
        keys_in_file.add(values.get("kind_id", ""))
    known = {
        imported.key: imported
        for imported in ImportedChild.objects.select_related("child__family").filter(
            key__in=[row.key for row in parsed]
        )
    }
    family_keys = {row.family_key for row in parsed if row.family_key}
    families = {
        contact.dd_family_key: contact
        for contact in FamilyContact.objects.select_related("family").filter(
            dd_family_key__in=family_keys
        )
    }
    touched: set = set()
    for row in parsed:
        imported = known.get(row.key)
        if imported is None:
            if row.status != Child.CareStatus.ACTIVE:
                counts["skipped"] += 1  # never in our care: nothing to end
                continue
            child = _create_child(row, families)
            touched.add(child.family_id)
            counts["created"] += 1
        elif imported.row_hash == row.fingerprint:
            counts["unchanged"] += 1
        else:
            outcome = _update_child(row, imported)
            touched.add(imported.child.family_id)
            counts[outcome] += 1
    if full_export:
        _end_missing(keys_in_file, counts=counts, result=result)
    result.counts = counts
    if touched:
        from teams.services import refresh_family_teams

        refresh_family_teams(family_ids=touched)


def _contact_fields(row: PopulationRow) -> dict:
    fields = {"language": row.language}
    for name in ("parent_name", "phone", "email"):
        if getattr(row, name):
            fields[name] = getattr(row, name)
    return fields


def _message_channel(phone: str, *, has_email: bool) -> str:
    """How a family the JGZ registered gets its messages: SMS without an e-mail address."""
    if phone and not has_email and can_receive_sms(phone):
        return Family.Channel.SMS
    return Family.Channel.EMAIL


def _contact_channel(phone: str, *, has_email: bool) -> str:
    if has_email:
        return FamilyContact.Channel.EMAIL
    if phone and can_receive_sms(phone):
        return FamilyContact.Channel.SMS
    return FamilyContact.Channel.PHONE if phone else FamilyContact.Channel.LETTER


def _create_child(row: PopulationRow, families: dict) -> Child:
    contact = families.get(row.family_key) if row.family_key else None
    if contact is None:
        family = Family.objects.create(
            name=row.parent_name[:120],
            postcode=row.postcode,
            phone=row.phone,
            message_channel=_message_channel(row.phone, has_email=bool(row.email)),
        )
        contact = FamilyContact.objects.create(
            family=family,
            origin=FamilyContact.Origin.IMPORT,
            dd_family_key=row.family_key or None,
            channel=_contact_channel(row.phone, has_email=bool(row.email)),
            **_contact_fields(row),
        )
        if row.family_key:
            families[row.family_key] = contact
    child = Child.objects.create(
        family=contact.family,
        first_name=row.first_name,
        date_of_birth=row.date_of_birth,
        due_date=None if row.date_of_birth else row.due_date,
    )
    ImportedChild.objects.create(child=child, key=row.key, row_hash=row.fingerprint)
    if row.attended:
        moments.record_attended_elsewhere(child_id=child.pk, codes=row.attended)
    return child


def _update_child(row: PopulationRow, imported: ImportedChild) -> str:
    child = Child.objects.select_for_update().get(pk=imported.child_id)
    family = imported.child.family
    outcome = "updated"
    changed = []
    for name in ("date_of_birth", "due_date"):
        value = getattr(row, name) if name == "date_of_birth" or not row.date_of_birth else None
        if getattr(child, name) != value:
            setattr(child, name, value)
            changed.append(name)
    if row.first_name and child.first_name != row.first_name:
        child.first_name = row.first_name
        changed.append("first_name")
    if changed:
        child.save(update_fields=changed)
    contact = FamilyContact.objects.filter(family=family).first()
    family_fields = []
    if row.postcode and family.postcode != row.postcode:
        family.postcode = row.postcode
        family_fields.append("postcode")
    # Once a parent linked an account, the number and channel are theirs to set.
    if row.phone and family.phone != row.phone and contact and contact.activated_at is None:
        family.phone = row.phone
        family.message_channel = _message_channel(row.phone, has_email=bool(contact.email))
        family_fields += ["phone", "message_channel"]
    if family_fields:
        family.save(update_fields=family_fields)
    if contact is not None:
        fields = _contact_fields(row)
        if any(getattr(contact, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(contact, k, v)
            contact.changed_at = timezone.now()
            contact.save(update_fields=[*fields, "changed_at"])
    if row.status != Child.CareStatus.ACTIVE and child.in_care:
        moments.end_care(actor=None, child_id=child.pk, status=row.status)
        outcome = "ended"
    elif row.status == Child.CareStatus.ACTIVE and child.care_status == Child.CareStatus.MOVED_OUT:
        moments.end_care(actor=None, child_id=child.pk, status=Child.CareStatus.ACTIVE)
        outcome = "returned"  # moved back into the region
    if row.attended:
        moments.record_attended_elsewhere(child_id=child.pk, codes=row.attended)
    imported.row_hash = row.fingerprint
    imported.changed_at = timezone.now()
    imported.save(update_fields=["row_hash", "changed_at"])
    return outcome


def _end_missing(keys_in_file: set[str], *, counts: dict, result: ImportResult) -> None:
    """A full export: imported children in our care who are not in it have moved out."""
    active = dict(
        ImportedChild.objects.filter(child__care_status=Child.CareStatus.ACTIVE).values_list(
            "key", "child_id"
        )
    )
    missing = [child_id for key, child_id in active.items() if key not in keys_in_file]
    if not missing:
        return
    share = len(missing) / len(active)
    if share * 100 > settings.BEREIK_IMPORT_MAX_REMOVED_PERCENT:
        # A cut-off file would otherwise end the care of half the region.
        result.errors.append(
            LineError(
                0,
                _(
                    "%(count)s children (%(share)s%%) are missing from this full export: more "
                    "than allowed, so nobody was marked as moved. Check the file."
                )
                % {"count": len(missing), "share": round(share * 100)},
            )
        )
        return
    for child_id in missing:
        moments.end_care(actor=None, child_id=child_id, status=Child.CareStatus.MOVED_OUT)
        counts["ended"] += 1


def import_drop_folder(*, folder: str | None = None) -> list[ImportResult]:
    """The nightly run: every *.csv in the drop folder, oldest name first. A file whose exact
    content was imported before is skipped; an imported file is deleted when the settings say
    so (it holds personal data the portal no longer needs once imported)."""
    folder = folder if folder is not None else settings.BEREIK_DROP_DIR
    if not folder:
        return []
    results = []
    for path in sorted(Path(folder).glob("*.csv")):
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if PopulationImport.objects.filter(sha256=sha, finished_at__isnull=False).exists():
            logger.info("bereik: %s was imported before, skipped", path.name)
        else:
            result = import_population(
                data=data,
                file_name=path.name,
                source=PopulationImport.Source.DROP_FOLDER,
                full_export=settings.BEREIK_IMPORT_FULL_EXPORT,
            )
            results.append(result)
            if result.refused:
                logger.error("bereik: %s refused: %s", path.name, result.refused)
                continue
            logger.info("bereik: imported %s: %s", path.name, result.counts)
        if settings.BEREIK_DROP_DELETE_AFTER_IMPORT:
            path.unlink(missing_ok=True)
    return results


# --- Postcode -> wijk ----------


def import_postcodes(*, data: bytes, preview: bool = False) -> ImportResult:
    """Managers' postcode -> wijk table: `postcode;wijk[;team]`. New wijken are made; a postcode
    that moves to another wijk is moved; what is already so is left alone (idempotent).
    Postcodes missing from the file stay: removing one is done by hand in the admin."""
    from teams.models import PostcodeArea, Team, Wijk

    result = ImportResult()
    try:
        text = csvfiles.decode(data)
        rows, errors = csvfiles.parse_postcode_file(
            text, team_names=set(Team.objects.values_list("name", flat=True))
        )
    except FileRefused as exc:
        result.refused = str(exc)
        return result
    result.errors = errors
    counts = dict.fromkeys(("lines", "created", "moved", "unchanged", "wijken_created"), 0)
    counts["lines"] = len(rows) + len(errors)
    try:
        with transaction.atomic():
            teams = {t.name: t for t in Team.objects.all()}
            wijken = {w.name: w for w in Wijk.objects.select_for_update()}
            areas = {a.digits: a for a in PostcodeArea.objects.select_for_update()}
            for row in rows:
                wijk = wijken.get(row.wijk)
                team = teams.get(row.team) if row.team else None
                if wijk is None:
                    wijk = wijken[row.wijk] = Wijk.objects.create(name=row.wijk, team=team)
                    counts["wijken_created"] += 1
                elif team is not None and wijk.team_id != team.pk:
                    wijk.team = team
                    wijk.save(update_fields=["team"])
                area = areas.get(row.digits)
                if area is None:
                    areas[row.digits] = PostcodeArea.objects.create(digits=row.digits, wijk=wijk)
                    counts["created"] += 1
                elif area.wijk_id != wijk.pk:
                    area.wijk = wijk
                    area.save(update_fields=["wijk"])
                    counts["moved"] += 1
                else:
                    counts["unchanged"] += 1
            result.counts = counts
            if preview:
                raise _Preview
            if counts["created"] or counts["moved"] or counts["wijken_created"]:
                from teams.tasks import refresh_family_teams_task

                transaction.on_commit(refresh_family_teams_task.delay)
    except _Preview:
        pass
    return result


# --- Outreach ----------


def _check_planner(actor: User) -> None:
    if not actor.has_capability(Capability.PLANNING):
        raise OutreachError("forbidden")


def _child_in_scope(*, actor: User, child_id) -> Child:
    """The child, if in care and its family is in one of `actor`'s teams (or has no team, or
    the actor opened it with a reason); teams.exceptions.OutsideTeam otherwise."""
    from teams.selectors import check_family_in_scope

    child = Child.objects.select_related("family").filter(pk=child_id).first()
    if child is None:
        raise OutreachError("not_found")
    check_family_in_scope(actor=actor, family_id=child.family_id)
    return child


@transaction.atomic
def record_outreach_action(
    *, actor: User, child_id, kind: str, outcome: str = "", closing: str = ""
) -> OutreachAction:
    """Record what was done to reach a family, with who and when (worklist actions).

    Reached (by phone or otherwise) or closed with a reason closes the case, so the child
    leaves the worklist. Every attempt that did not reach the family counts; the third sends
    the case to the team's youth doctor (once)."""
    _check_planner(actor)
    Kind = OutreachAction.Kind
    if kind not in Kind.values:
        raise OutreachError("kind")
    allowed = OutreachAction.OUTCOMES.get(kind, ())
    if (allowed and outcome not in allowed) or (not allowed and outcome):
        raise OutreachError("outcome")
    if kind == Kind.CLOSED and closing not in OutreachCase.Closing.values:
        raise OutreachError("closing")
    if kind != Kind.CLOSED:
        closing = ""
    child = _child_in_scope(actor=actor, child_id=child_id)
    if kind == Kind.SMS and _text_not_reached(child) is None:
        raise OutreachError("no_mobile")
    case = _open_case(child)
    now = timezone.now()
    action = OutreachAction.objects.create(
        case=case, kind=kind, outcome=outcome, closing=closing, by=actor, at=now
    )
    if kind == Kind.REACHED or (kind == Kind.CALLED and outcome == OutreachAction.Outcome.REACHED):
        closing = OutreachCase.Closing.REACHED
    if closing:
        case.closed_at, case.closing = now, closing
        case.save(update_fields=["closed_at", "closing"])
    elif action.fruitless:
        case.fruitless_attempts += 1
        case.save(update_fields=["fruitless_attempts"])
        if case.fruitless_attempts >= settings.BEREIK_ESCALATE_AFTER and case.escalated_at is None:
            _escalate(case, child)
    log_change(actor=actor, record=case, child=child, reason=f"outreach {kind} {outcome}".strip())
    return action


def _needs_code(family: Family) -> bool:
    """A family the JGZ registered whose parents have no account yet."""
    return (
        FamilyContact.objects.filter(family=family, activated_at__isnull=True).exists()
        and not family.parents.exists()
    )


def _opening_hours() -> str:
    start, _sep, end = settings.BEREIK_PHONE_HOURS.partition("-")
    return _("You can call us on working days from %(start)s to %(end)s.") % {
        "start": start.strip(),
        "end": end.strip(),
    }


# The phone hours sentence in the language active when it is rendered (a letter, a page or an
# SMS in the family's language), not in the language of the code that builds the context.
opening_hours = lazy(_opening_hours, str)


def text_family(*, family: Family, template: str, kind: str, context: dict | None = None):
    """Queue `templates/sms/<template>.txt` to the family's own number, with the phone number
    and opening hours, in the family's language. None when the family has no number that
    takes SMS (or the SMS app refused the text); a number that sent STOP gets a row that is
    never sent."""
    if not family.phone or not can_receive_sms(family.phone):
        return None
    # Without an account, the language the import or the desk noted for the family.
    language = ""
    if not family.parents.exists():
        noted = FamilyContact.objects.filter(family=family).values_list("language", flat=True)
        language = next((code for code in noted if code in settings.PARENT_LANGUAGES), "")
    return queue_templated(
        to=family.phone,
        template=template,
        context={
            "opening_hours": opening_hours(),
            "activate_link": settings.SITE_URL + reverse("bereik:activate"),
            **(context or {}),
        },
        kind=kind,
        family=family,
        language=language,
    )


def _text_not_reached(child: Child):
    """The "we could not reach you" SMS; with a new activation code while the family has no
    account, as the letter has."""
    family = child.family
    code = issue_activation_code(family_id=family.pk) if _needs_code(family) else ""
    return text_family(
        family=family,
        template="bereik_not_reached",
        kind="bereik-not-reached",
        context={"code": code},
    )


def _open_case(child: Child) -> OutreachCase:
    """The child's open case, locked; made when there is none (the constraint keeps one)."""
    case = OutreachCase.objects.select_for_update().filter(child=child, closed_at=None).first()
    if case is not None:
        return case
    try:
        with transaction.atomic():
            OutreachCase.objects.create(child=child)
    except IntegrityError:
        pass  # a colleague opened it at the same moment: use theirs
    return OutreachCase.objects.select_for_update().get(child=child, closed_at=None)


def team_doctor(*, family_id) -> User | None:
    """The youth doctor of the family's team (the first by name when there are more)."""
    from teams.selectors import get_team_for_family

    team = get_team_for_family(family_id=family_id)
    if team is None:
        return None
    return (
        team.members.filter(role=User.Role.DOCTOR, is_active=True)
        .order_by("last_name", "first_name", "pk")
        .first()
    )


def _escalate(case: OutreachCase, child: Child) -> None:
    doctor = team_doctor(family_id=child.family_id)
    case.escalated_at, case.escalated_to = timezone.now(), doctor
    case.save(update_fields=["escalated_at", "escalated_to"])
    if doctor is not None:
        queue_email(
            to=doctor.email,
            template="bereik/escalated",
            context={
                "attempts": case.fruitless_attempts,
                "link": settings.SITE_URL + reverse("bereik:worklist") + "?escalated=1",
            },
            kind="bereik_escalated",
        )


def log_change(*, actor: User, record, child: Child, reason: str) -> None:
    record.child_id = child.pk
    record.family_id = child.family_id
    record_list_access(actor=actor, records=[record], reason=reason, action=AccessLog.Action.CHANGE)


@transaction.atomic
def flag_attention(*, actor: User, family_id, reason_id) -> AttentionFlag:
    """Flag a family 'extra aandacht' with a reason from the managers' list (idempotent)."""
    if not actor.has_capability(Capability.CLINICAL):
        raise OutreachError("forbidden")
    from teams.selectors import check_family_in_scope

    reason = AttentionReason.objects.filter(pk=reason_id, is_active=True).first()
    if reason is None:
        raise OutreachError("reason")
    check_family_in_scope(actor=actor, family_id=family_id)
    flag = AttentionFlag.objects.filter(
        family_id=family_id, reason=reason, removed_at__isnull=True
    ).first()
    if flag is None:
        try:
            with transaction.atomic():
                flag = AttentionFlag.objects.create(
                    family_id=family_id, reason=reason, set_by=actor
                )
        except IntegrityError:
            flag = AttentionFlag.objects.get(family_id=family_id, reason=reason, removed_at=None)
    flag.child_id = None
    record_list_access(
        actor=actor, records=[flag], reason="extra attention set", action=AccessLog.Action.CHANGE
    )
    return flag


@transaction.atomic
def remove_attention(*, actor: User, flag_id) -> AttentionFlag:
    if not actor.has_capability(Capability.CLINICAL):
        raise OutreachError("forbidden")
    from teams.selectors import check_family_in_scope

    flag = AttentionFlag.objects.select_for_update().filter(pk=flag_id, removed_at=None).first()
    if flag is None:
        raise OutreachError("not_found")
    check_family_in_scope(actor=actor, family_id=flag.family_id)
    flag.removed_at, flag.removed_by = timezone.now(), actor
    flag.save(update_fields=["removed_at", "removed_by"])
    flag.child_id = None
    record_list_access(
        actor=actor,
        records=[flag],
        reason="extra attention removed",
        action=AccessLog.Action.CHANGE,
    )
    return flag


# --- Activation codes ----------

# No 0/O, 1/I/L: a code is read from paper and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return salted_hmac("bereik.activation-code", normalise_code(code)).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def issue_activation_code(*, family_id) -> str:
    """A new activation code for a family the JGZ registered (import or desk). Only its hash is
    kept; an earlier code stops working. Returns the code, for the letter or the SMS."""
    contact = FamilyContact.objects.select_for_update().filter(family_id=family_id).first()
    if contact is None or contact.activated_at is not None:
        raise ActivationError("not_needed")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    contact.activation_code_hash = code_hash(code)
    contact.activation_code_expires_at = timezone.now() + timedelta(
        days=settings.BEREIK_ACTIVATION_CODE_DAYS
    )
    contact.save(update_fields=["activation_code_hash", "activation_code_expires_at"])
    return format_code(code)


@transaction.atomic
def activate_with_code(*, parent: User, code: str) -> Family:
    """Link a parent's new account to the family the JGZ already knows (with its children),
    instead of the empty family made at sign-up. Single use: the row is locked and the code
    cleared in one transaction. A parent who already entered children is sent to the desk
    (staff merge the two families), so nothing a parent entered is lost."""
    if not parent.is_parent:
        raise ActivationError("not_parent")
    digest = code_hash(code)
    contact = (
        FamilyContact.objects.select_for_update()
        .select_related("family")
        .filter(activation_code_hash=digest, activated_at__isnull=True)
        .first()
    )
    if contact is None or len(normalise_code(code)) != CODE_LENGTH:
        raise ActivationError("unknown")
    if contact.activation_code_expires_at and contact.activation_code_expires_at <= timezone.now():
        raise ActivationError("expired")
    old = parent.family
    if old is not None and old.pk != contact.family_id and old.children.exists():
        raise ActivationError("own_children")
    parent.family = contact.family
    parent.save(update_fields=["family"])
    contact.activated_at = timezone.now()
    contact.activation_code_hash = ""
    contact.activation_code_expires_at = None
    if not contact.email and parent.email:
        contact.email = parent.email
    contact.save(
        update_fields=[
            "activated_at",
            "activation_code_hash",
            "activation_code_expires_at",
            "email",
        ]
    )
    if old is not None and old.pk != contact.family_id:
        if not old.children.exists() and not old.parents.exists():
            if not contact.family.postcode and old.postcode:
                contact.family.postcode = old.postcode
                contact.family.save(update_fields=["postcode"])
            old.delete()
    return contact.family


# --- Letters ----------


@transaction.atomic
def make_letter(*, actor: User, child_id) -> bytes:
    """The printable invitation (PDF, B1 Dutch) for a child on the worklist: phone number,
    opening hours, a new activation code when the family has no account yet, and a QR code to
    the page where the parent enters it. Records "brief gestuurd" (an attempt)."""
    from bereik import letters

    _check_planner(actor)
    child = _child_in_scope(actor=actor, child_id=child_id)
    contact = FamilyContact.objects.filter(family_id=child.family_id).first()
    has_account = child.family.parents.exists()
    code = ""
    if contact is not None and contact.activated_at is None and not has_account:
        code = issue_activation_code(family_id=child.family_id)
    pdf = letters.render_invitation(child=child, contact=contact, code=code)
    record_outreach_action(actor=actor, child_id=child.pk, kind=OutreachAction.Kind.LETTER)
    return pdf


# --- Merging a self-registered family into an imported one ----------


@dataclass
class MergePlan:
    """What a merge would do: which children are the same child, which move over."""

    source: Family
    target: Family
    pairs: list[tuple[Child, Child]] = field(default_factory=list)  # (source child, target)
    moving: list[Child] = field(default_factory=list)
    # Imported children the parent did not enter: they stay in the family.
    staying: list[Child] = field(default_factory=list)
    # Where the two families say different things, and which is kept (Dutch, for staff).
    conflicts: list[str] = field(default_factory=list)


def _conflicts(plan: MergePlan) -> list[str]:
    """What the merge decides where the parent's entry and the import differ: the import's
    name and postcode (the DD JGZ is the register), the parent's own birth date when the
    import still has a due date, and the parent's own number and message choice."""
    differs = _(
        "%(what)s: %(mine)s (entered by the parent) and %(imported)s (import): %(kept)s is kept."
    )
    found = []
    for mine, imported in plan.pairs:
        if mine.first_name and imported.first_name and mine.first_name != imported.first_name:
            names = {"mine": mine.first_name, "imported": imported.first_name}
            found.append(differs % {"what": _("Name"), **names, "kept": imported.first_name})
        if mine.date_of_birth and imported.date_of_birth is None:
            born = date_format(mine.date_of_birth, "j F Y")
            found.append(
                _("%(name)s was born on %(born)s: the import still had the due date.")
                % {"name": imported.first_name or mine.first_name, "born": born}
            )
    source, target = plan.source, plan.target
    if source.postcode and target.postcode and source.postcode != target.postcode:
        codes = {"mine": source.postcode, "imported": target.postcode}
        found.append(differs % {"what": _("Postcode"), **codes, "kept": target.postcode})
    if source.phone and target.phone and source.phone != target.phone:
        numbers = {"mine": source.phone, "imported": target.phone}
        found.append(differs % {"what": _("Mobile number"), **numbers, "kept": source.phone})
    return found


def _same_child(a: Child, b: Child) -> bool:
    if a.date_of_birth and b.date_of_birth:
        return a.date_of_birth == b.date_of_birth
    if a.due_date and b.due_date:
        return abs((a.due_date - b.due_date).days) <= 14
    if a.date_of_birth and b.due_date:  # the import still has the due date; born since
        return abs((a.date_of_birth - b.due_date).days) <= 42
    return False


def plan_merge(*, actor: User, source_id, target_id) -> MergePlan:
    """Preview of merging the family a parent made online (`source`) into the family the JGZ
    registered (`target`): children with the same date of birth (or a due date close to it)
    are one child; the rest move over. Reads both families through the team check and logs."""
    _check_planner(actor)
    from teams.selectors import check_family_in_scope

    if str(source_id) == str(target_id):
        raise OutreachError("same")
    source = Family.objects.filter(pk=source_id).first()
    target = Family.objects.filter(pk=target_id, contact__isnull=False).first()
    if source is None or target is None:
        raise OutreachError("not_found")
    check_family_in_scope(actor=actor, family_id=source.pk)
    check_family_in_scope(actor=actor, family_id=target.pk)
    plan = MergePlan(source=source, target=target)
    targets = list(target.children.all())
    for child in source.children.all():
        match = next((t for t in targets if _same_child(child, t)), None)
        if match is not None:
            targets.remove(match)
            plan.pairs.append((child, match))
        else:
            plan.moving.append(child)
    plan.staying = targets
    plan.conflicts = _conflicts(plan)
    for family in (source, target):
        family.child_id = None
        family.family_id = family.pk
    record_list_access(actor=actor, records=[source, target], reason="merge preview")
    return plan


def _repoint(model, old, new) -> None:
    """Point every row that refers to `old` (a Family or Child) at `new`. Where `new` already
    has the one row allowed (a one-to-one, or a unique pair such as one ChildMoment per moment),
    the target's row is kept and the source's dropped."""
    for rel in model._meta.related_objects:
        if rel.many_to_many or not rel.field.concrete:
            continue
        related, name = rel.related_model, rel.field.name
        rows = related._base_manager.filter(**{name: old})
        if rel.one_to_one:
            if related._base_manager.filter(**{name: new}).exists():
                rows.delete()
            else:
                rows.update(**{name: new})
            continue
        for pk in list(rows.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    related._base_manager.filter(pk=pk).update(**{name: new})
            except IntegrityError:
                related._base_manager.filter(pk=pk).delete()


@transaction.atomic
def merge_families(*, actor: User, source_id, target_id) -> Family:
    """Merge as previewed by `plan_merge`: parents, questions, appointments and everything
    else of the source family move to the target; matched children become one (the imported
    child keeps its key), unmatched children move. The source family is deleted. Logged for
    both families."""
    plan = plan_merge(actor=actor, source_id=source_id, target_id=target_id)
    Family.objects.select_for_update().filter(pk__in=[plan.source.pk, plan.target.pk]).exists()
    for source_child, target_child in plan.pairs:
        _repoint(Child, source_child, target_child)
        if target_child.date_of_birth is None and source_child.date_of_birth is not None:
            # Born since the import: the parent's birth date replaces the due date.
            Child.objects.filter(pk=target_child.pk).update(
                date_of_birth=source_child.date_of_birth, due_date=None
            )
        if not target_child.first_name and source_child.first_name:
            Child.objects.filter(pk=target_child.pk).update(first_name=source_child.first_name)
        source_child.delete()
    for child in plan.moving:
        Child.objects.filter(pk=child.pk).update(family=plan.target)
    _repoint(Family, plan.source, plan.target)
    contact = FamilyContact.objects.select_for_update().get(family=plan.target)
    if plan.target.parents.exists() and contact.activated_at is None:
        contact.activated_at = timezone.now()
        contact.activation_code_hash = ""
        contact.save(update_fields=["activated_at", "activation_code_hash"])
    changed = []
    if not plan.target.postcode and plan.source.postcode:
        plan.target.postcode = plan.source.postcode
        changed.append("postcode")
    if plan.source.phone:
        # The parent's own number and message choice: the account now speaks for the family.
        for name in ("phone", "message_channel", "sms_quiet_from", "sms_quiet_until"):
            setattr(plan.target, name, getattr(plan.source, name))
        changed += ["phone", "message_channel", "sms_quiet_from", "sms_quiet_until"]
    if changed:
        plan.target.save(update_fields=changed)
    source_pk = plan.source.pk
    plan.source.delete()
    target = Family.objects.get(pk=plan.target.pk)
    target.child_id, target.family_id = None, target.pk
    record_list_access(
        actor=actor,
        records=[target],
        reason=f"merged family {source_pk} into this family",
        action=AccessLog.Action.CHANGE,
    )
    from teams.services import refresh_family_teams

    refresh_family_teams(family_ids=[target.pk])
    return target


# --- Registering a family by phone or at the desk ----------


@transaction.atomic
def register_family_at_desk(
    *,
    actor: User,
    parent_name: str,
    phone: str,
    postcode: str = "",
    language: str = "nl",
    child_name: str,
    child_born=None,
    child_due=None,
) -> tuple[Family, str]:
    """A family without e-mail or account, registered by staff on the phone or at the desk.
    Staff book for it as for any family; it gets its messages by SMS (a mobile number) and
    can later claim an online account with the activation code returned here, which is also
    sent to a mobile number by SMS (and can be read out or sent by letter). Logged."""
    _check_planner(actor)
    phone = normalise_phone(phone)
    family = Family.objects.create(
        name=parent_name.strip()[:120],
        postcode=postcode,
        phone=phone,
        message_channel=_message_channel(phone, has_email=False),
    )
    FamilyContact.objects.create(
        family=family,
        origin=FamilyContact.Origin.DESK,
        parent_name=parent_name.strip()[:150],
        phone=phone,
        language=(language or "nl").strip().lower()[:8],
        channel=_contact_channel(phone, has_email=False),
    )
    child = Child.objects.create(
        family=family,
        first_name=child_name.strip(),
        date_of_birth=child_born,
        due_date=None if child_born else child_due,
    )
    code = issue_activation_code(family_id=family.pk)
    text_family(
        family=family,
        template="bereik_activation_code",
        kind="bereik-activation-code",
        context={"code": code},
    )
    child.child_id = child.pk
    record_list_access(
        actor=actor,
        records=[child],
        reason="registered at the desk",
        action=AccessLog.Action.CREATE,
    )
    from teams.services import refresh_family_teams

    refresh_family_teams(family_ids=[family.pk])
    return family, code


# --- AVG rights of a family without an account ----------


def _family_without_account(*, actor: User, family_id) -> Family:
    """A family the JGZ registered (import or desk) whose parents have no account, in
    `actor`'s teams. A family with an account uses its own download and deletion pages."""
    _check_planner(actor)
    from teams.selectors import check_family_in_scope

    family = Family.objects.filter(pk=family_id, contact__isnull=False).first()
    if family is None:
        raise OutreachError("not_found")
    check_family_in_scope(actor=actor, family_id=family.pk)
    if family.parents.exists():
        raise OutreachError("has_account")
    return family


def _log_family(*, actor: User, family: Family, reason: str, action: str) -> None:
    family.child_id, family.family_id = None, family.pk
    record_list_access(actor=actor, records=[family], reason=reason, action=action)


def export_family_without_account(*, actor: User, family_id) -> bytes:
    """The family's data as the parents' own download has it (a zip with data.json and a
    readable page), for staff to hand over on request (AVG art. 15). Logged as an export."""
    from privacy.services import build_data_export

    family = _family_without_account(actor=actor, family_id=family_id)
    data = build_data_export(family=family)
    _log_family(
        actor=actor, family=family, reason="AVG export on request", action=AccessLog.Action.EXPORT
    )
    return data


@transaction.atomic
def erase_family_without_account(*, actor: User, family_id) -> None:
    """Erase the family on request (AVG art. 17): its future appointments are cancelled, its
    waiting ends, and the family, children and contact details go. The access log keeps who
    did it and when; `privacy.AccountDeletion` keeps the counts without personal data."""
    from privacy.services import erase_family_without_account as erase

    family = _family_without_account(actor=actor, family_id=family_id)
    _log_family(
        actor=actor, family=family, reason="AVG erasure on request", action=AccessLog.Action.DELETE
    )
    erase(family=family)
