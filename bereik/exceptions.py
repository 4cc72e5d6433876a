class OutreachError(Exception):
    """A worklist action that cannot be done; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class ActivationError(Exception):
    """An activation code that does not link: unknown, expired, used, or too many tries."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
