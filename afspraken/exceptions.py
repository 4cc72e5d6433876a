"""Errors the afspraken services raise; views turn them into Dutch messages and status codes."""

from core.exceptions import ServiceError


class BookingError(ServiceError):
    """Base class: the booking (or change) was refused. `code` picks the message."""


class SlotUnavailable(BookingError):
    """The place was just taken (lost race, full) or is no longer offered."""

    code = "taken"
    status = 409


class OutsideBookingWindow(BookingError):
    """In the past, within the minimum notice, or beyond the horizon."""

    code = "window"


class NotBookable(BookingError):
    """The type is not offered in this slot, not online, or not for this child's age."""

    code = "not_bookable"


class ChildTooYoung(NotBookable):
    """The type has a minimum age the child does not reach on the appointment day (or is not
    born yet)."""

    code = "too_young"


class ChildTooOld(NotBookable):
    """The child is past the type's maximum age on the appointment day."""

    code = "too_old"


class ChildAlreadyBooked(BookingError):
    """The child already has an appointment that overlaps this time."""

    code = "overlap"
    status = 409


class AlreadyBooked(BookingError):
    """This family already holds a place in this slot (group meetings)."""

    code = "duplicate"
    status = 409


class PastCutoff(BookingError):
    """Too late to cancel or reschedule online: the parent must phone."""

    code = "cutoff"


class NotChangeable(BookingError):
    """The appointment is cancelled, moved or over: nothing to change."""

    code = "state"
    status = 409


class MomentNotPlannable(BookingError):
    """A contact moment booking outside its window, of a type that does not serve it, or of a
    moment that is already planned or done."""

    code = "moment"


class Busy(BookingError):
    """The database stayed locked by other bookings longer than the busy timeout (SQLite under
    `make run`): nothing was saved, the parent can simply try again."""

    code = "busy"
    status = 409
