class SurveyUsed(Exception):
    """The survey link is unknown or was already used: one answer per visit."""
