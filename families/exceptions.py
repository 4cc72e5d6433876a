class InvitationError(Exception):
    """An invitation that cannot be accepted (expired, used, or own family)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
