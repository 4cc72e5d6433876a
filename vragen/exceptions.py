class QuestionError(Exception):
    """Base class: a question action that cannot be done."""


class TransitionRefused(QuestionError):
    """The workflow table has no such step from the question's current status."""

    def __init__(self, *, status: str, action: str):
        super().__init__(f"{action} is not allowed from {status}")
        self.status = status
        self.action = action


class NotAllowed(QuestionError):
    """This actor may not do this (wrong role, or not their question)."""


class FeedbackRefused(QuestionError):
    """Feedback link expired, already used, or the question is not closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
