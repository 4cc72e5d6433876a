class HandoverRefused(Exception):
    """A handover that makes no sense: to oneself, to someone who is not an active
    professional, or asked for by someone who is not a manager."""
