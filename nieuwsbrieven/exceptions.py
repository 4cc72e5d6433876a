class InvalidLink(Exception):
    """A confirmation, preferences or unsubscribe link that is tampered, expired or replaced."""
