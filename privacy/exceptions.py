class InvalidDeletionLink(Exception):
    """The account-deletion link is unknown, for another account, used or expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
