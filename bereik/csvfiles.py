"""Reading the two CSV files managers import: the population (DD JGZ export) and postcode -> wijk.

Pure functions: no database. Each line becomes a parsed row or a Dutch error for that line;
the services decide what to write. Line numbers count the header as line 1, as a spreadsheet
shows them.
"""

import csv
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from families.postcodes import normalise_postcode
from sms.phone import normalise_phone


class FileRefused(Exception):
    """The whole file is refused (wrong columns, a BSN column, not a CSV); message in Dutch."""


@dataclass
class LineError:
    line: int
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "message": self.message}


# --- Reading ----------


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252 as Dutch Excel saves."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("The file is not a text file (CSV)."))


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header names, [(line number, {column: value})]); `;` or `,` as separator."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        padded = values + [""] * (len(header) - len(values))
        rows.append((reader.line_num, {h: v.strip() for h, v in zip(header, padded, strict=False)}))
    return header, rows


def parse_date(raw: str) -> date:
    """2026-03-01 or 01-03-2026 (also with / or .); ValueError otherwise."""
    text = raw.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(raw)


def looks_like_bsn(value: str) -> bool:
    """Eight or nine digits, the shape of a BSN: a BSN must never come in, so a key of that
    shape is refused even when it would fail the 'elfproef' (a typo in a BSN is still one)."""
    return bool(re.fullmatch(r"[0-9]{8,9}", value.strip()))


# --- Population ----------

POPULATION_COLUMNS = (
    "kind_id",
    "gezin_id",
    "geboortedatum",
    "uitgerekende_datum",
    "roepnaam",
    "postcode",
    "ouder_naam",
    "ouder_telefoon",
    "ouder_email",
    "taal",
    "contactmomenten",
    "status",
)
FORBIDDEN_COLUMNS = ("bsn", "burgerservicenummer", "bsn_kind", "bsn_ouder")
STATUSES = {"": "active", "actief": "active", "verhuisd": "moved_out", "overleden": "deceased"}
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{2,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass
class PopulationRow:
    line: int
    key: str
    family_key: str
    date_of_birth: date | None
    due_date: date | None
    first_name: str
    postcode: str
    parent_name: str
    phone: str
    email: str
    language: str
    attended: list[str] = field(default_factory=list)
    status: str = "active"

    @property
    def fingerprint(self) -> str:
        """A hash of what the line says (normalised, line number left out)."""
        data = asdict(self)
        data.pop("line")
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def check_population_header(header: list[str]) -> None:
    if forbidden := [h for h in header if h in FORBIDDEN_COLUMNS]:
        raise FileRefused(
            _("The file has a column %(column)s. Remove it: the portal never stores a BSN.")
            % {"column": forbidden[0]}
        )
    if "kind_id" not in header:
        raise FileRefused(_("The column kind_id is missing."))
    if "geboortedatum" not in header and "uitgerekende_datum" not in header:
        raise FileRefused(_("The column geboortedatum or uitgerekende_datum is missing."))
    if unknown := [h for h in header if h and h not in POPULATION_COLUMNS]:
        raise FileRefused(
            _("Unknown column: %(column)s. Allowed columns: %(allowed)s.")
            % {"column": unknown[0], "allowed": ", ".join(POPULATION_COLUMNS)}
        )


def parse_population_row(
    line: int, values: dict, *, known_codes: set[str], today: date
) -> PopulationRow | LineError:
    def error(message: str) -> LineError:
        return LineError(line, message)

    key = values.get("kind_id", "")
    if not key:
        return error(_("kind_id is empty."))
    if looks_like_bsn(key) or looks_like_bsn(values.get("gezin_id", "")):
        return error(_("kind_id or gezin_id looks like a BSN. Use the DD JGZ's pseudonymous key."))
    if not _KEY.match(key):
        return error(_("kind_id may only hold letters, digits and - _ . : (3 to 64 characters)."))
    family_key = values.get("gezin_id", "")
    if family_key and not _KEY.match(family_key):
        return error(_("gezin_id may only hold letters, digits and - _ . : (3 to 64 characters)."))
    born_raw, due_raw = values.get("geboortedatum", ""), values.get("uitgerekende_datum", "")
    born = due = None
    try:
        born = parse_date(born_raw) if born_raw else None
    except ValueError:
        return error(
            _("geboortedatum '%(value)s' is not a date (use 2026-03-01).") % {"value": born_raw}
        )
    try:
        due = parse_date(due_raw) if due_raw and not born else None
    except ValueError:
        return error(
            _("uitgerekende_datum '%(value)s' is not a date (use 2026-03-01).") % {"value": due_raw}
        )
    if born is None and due is None:
        return error(_("Fill in geboortedatum, or uitgerekende_datum during pregnancy."))
    if born is not None and not (today - timedelta(days=19 * 366) <= born <= today):
        return error(
            _("geboortedatum %(value)s is in the future or more than 18 years ago.")
            % {"value": born_raw}
        )
    if due is not None and not (today - timedelta(days=60) <= due <= today + timedelta(days=300)):
        return error(
            _("uitgerekende_datum %(value)s is not within this pregnancy.") % {"value": due_raw}
        )
    try:
        postcode = normalise_postcode(values.get("postcode", ""))
    except ValueError:
        return error(
            _("postcode '%(value)s' is not a Dutch postcode (like 3512 AB).")
            % {"value": values.get("postcode", "")}
        )
    phone = values.get("ouder_telefoon", "")
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            return error(
                _("ouder_telefoon '%(value)s' is not a phone number (like 06 12345678).")
                % {"value": phone}
            )
    email = values.get("ouder_email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return error(_("ouder_email is not an e-mail address."))
    language = (values.get("taal", "") or "nl").lower()
    if not _LANGUAGE.match(language):
        return error(
            _("taal '%(value)s' is not a language code (like nl, en, ar).") % {"value": language}
        )
    codes = [c for c in re.split(r"[|,\s]+", values.get("contactmomenten", "")) if c]
    if unknown := [c for c in codes if c not in known_codes]:
        return error(_("Unknown contact moment code: %(code)s.") % {"code": unknown[0]})
    status_raw = values.get("status", "").lower()
    if status_raw not in STATUSES:
        return error(
            _("status '%(value)s' is not one of: actief, verhuisd, overleden.")
            % {"value": status_raw}
        )
    return PopulationRow(
        line=line,
        key=key,
        family_key=family_key,
        date_of_birth=born,
        due_date=due,
        first_name=values.get("roepnaam", "")[:80],
        postcode=postcode,
        parent_name=values.get("ouder_naam", "")[:150],
        phone=phone,
        email=email,
        language=language,
        attended=sorted(set(codes)),
        status=STATUSES[status_raw],
    )


# --- Postcode -> wijk ----------


@dataclass
class PostcodeRow:
    line: int
    digits: str
    wijk: str
    team: str


def parse_postcode_file(
    text: str, *, team_names: set[str]
) -> tuple[list[PostcodeRow], list[LineError]]:
    header, rows = read_rows(text)
    if "postcode" not in header or "wijk" not in header:
        raise FileRefused(_("The columns postcode and wijk are needed (team is optional)."))
    parsed, errors, seen = [], [], {}
    for line, values in rows:
        raw = values.get("postcode", "")
        digits = re.sub(r"\s", "", raw)[:4].upper() if raw else ""
        wijk = values.get("wijk", "")[:120]
        team = values.get("team", "")
        if not re.fullmatch(r"[1-9][0-9]{3}", digits) or len(re.sub(r"\s", "", raw)) not in (4, 6):
            errors.append(
                LineError(
                    line, _("postcode '%(value)s' is not 4 digits (like 3512).") % {"value": raw}
                )
            )
        elif not wijk:
            errors.append(LineError(line, _("wijk is empty.")))
        elif team and team not in team_names:
            errors.append(LineError(line, _("Unknown team: %(team)s.") % {"team": team}))
        elif digits in seen and seen[digits] != wijk:
            errors.append(
                LineError(
                    line,
                    _("Postcode %(digits)s is already in wijk %(wijk)s on an earlier line.")
                    % {"digits": digits, "wijk": seen[digits]},
                )
            )
        else:
            seen[digits] = wijk
            parsed.append(PostcodeRow(line, digits, wijk, team))
    return parsed, errors
