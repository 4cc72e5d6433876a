"""Errors the wachtlijst services raise; views turn them into Dutch messages and status codes."""

from core.exceptions import ServiceError


class WaitlistError(ServiceError):
    """Base class: joining, an offer or accepting it was refused."""


class NotWaitable(WaitlistError):
    """Nothing to wait for: the appointment is not booked, or the child or meeting is not theirs."""

    code = "not_waitable"


class AlreadyWaiting(WaitlistError):
    code = "already"
    status = 409


class OfferGone(WaitlistError):
    """Someone else accepted first, or the place is no longer there."""

    code = "gone"
    status = 409


class OfferExpired(WaitlistError):
    code = "expired"
    status = 409


class OfferNotOpen(WaitlistError):
    """Already accepted or declined, or not sent yet."""

    code = "closed"
    status = 409


class OfferRefused(WaitlistError):
    """The booking rules refuse the place now (e.g. the child has another appointment then)."""

    code = "refused"
    status = 409


class Busy(WaitlistError):
    code = "busy"
    status = 409
