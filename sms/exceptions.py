"""What a provider backend raises. The service decides from the class what happens next."""


class ProviderError(Exception):
    """Base class for a failed hand-over to the SMS provider."""


class ProviderUnavailable(ProviderError):
    """The provider did not take the message (5xx, 429, connection refused): try again later."""


class ProviderUncertain(ProviderError):
    """The request went out but no answer came back (timeout, dropped connection): the
    provider may have accepted it. Before trying again, ask the provider for the reference."""


class ProviderRefused(ProviderError):
    """The provider refused the message itself (4xx): trying again will not help."""
