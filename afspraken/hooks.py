"""Extension points for apps that build on bookings, so afspraken never imports them.

The contact schedule (contactmomenten) registers a `MomentLink` at start-up: booking with a
`moment_code` asks it to validate the type and the window and to mark the moment planned, all
inside the booking transaction (a refusal rolls the booking back). Reschedules move the link;
outcomes and cancellations are reported back. Without a registered link, bookings with a
moment code are refused.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class YouthContact:
    email: str = ""
    phone: str = ""  # E.164


class MomentLink(Protocol):
    def plan(
        self, *, appointment, code: str, youth_contact: "YouthContact | None" = None
    ) -> object:
        """Validate and mark the child's moment planned; return the ChildMoment (locked).
        `youth_contact`: the young person's own address and number, noted by staff.

        Raises afspraken.exceptions.BookingError (e.g. MomentNotPlannable) to refuse."""

    def youth_contact(self, *, appointment) -> "YouthContact | None":
        """None: the appointment's mails go to the parent. Else the moment is the youth's (16+)
        and its mails go only to this contact (empty fields: nobody; staff arrange it)."""

    def window(self, *, child, code: str) -> tuple[date, date] | None:
        """(first day, last day) a moment may be booked in, for the slot listing."""

    def changed(self, *, appointment) -> None:
        """The appointment's status changed (attended, no-show, cancelled)."""

    def questions_url(self, *, appointment) -> str:
        """Where the parent answers the moment's questions beforehand ("" = not for them)."""

    def choices(self) -> list[tuple[str, str]]:
        """(code, name) of the moments staff may book for a family."""


_link: MomentLink | None = None


def register_moment_link(link: MomentLink) -> None:
    global _link  # noqa: PLW0603 - one registration at start-up
    _link = link


def moment_link() -> MomentLink | None:
    return _link


# --- Places that free up ------------------------------------------------------------------------
# A cancel, a move (the old place) or a new schedule frees places; the waiting list (wachtlijst)
# listens to offer them. Called inside the booking transaction: a listener only records work
# for after the commit, so a rolled-back cancel never offers anything.

_place_listeners: list = []


def register_place_listener(listener) -> None:
    """`listener(slot_ids=[...])`, called inside the transaction that freed the places."""
    if listener not in _place_listeners:
        _place_listeners.append(listener)


def places_freed(slot_ids) -> None:
    ids = [pk for pk in slot_ids if pk is not None]
    if not ids:
        return
    for listener in _place_listeners:
        listener(slot_ids=ids)
