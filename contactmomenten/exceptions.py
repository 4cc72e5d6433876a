"""Errors of the contact schedule services; views turn them into Dutch messages."""


class MomentError(Exception):
    """Refused: `code` says why (state, forbidden, not_found, no_moment, not_attended)."""

    def __init__(self, code: str = "state"):
        super().__init__(code)
        self.code = code
