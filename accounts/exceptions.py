class HandoverRefused(Exception):
    """A handover that makes no sense: to oneself, to someone who is not an active
    professional, or asked for by someone who is not a manager."""


class RoleChangeRefused(Exception):
    """The actor may not make this change of roles or permissions (nothing was changed)."""

    def __init__(self, reason: str, *, what: str = ""):
        super().__init__(f"{reason}: {what}" if what else reason)
        self.reason = reason
        self.what = what


class LoginRefused(Exception):
    """A login through DigiD or the organisation's identity provider that the portal refuses;
    `reason` picks the Dutch message and is logged as the security event's detail."""

    def __init__(self, reason: str, *, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
