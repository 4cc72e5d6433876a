"""The one shape of a refused service call: apps subclass `ServiceError` in their own
exceptions.py; views turn `code` into a Dutch message and answer with `status`."""


class ServiceError(Exception):
    """A service refused: `code` picks the message the view shows, `status` the HTTP status."""

    code = "refused"
    status = 400
