class SurveyUsed(Exception):
    """The survey link is unknown or was already used: one answer per visit."""


class NotAllowed(Exception):
    """Only managers write and publish "Jullie zeiden, wij deden"."""
