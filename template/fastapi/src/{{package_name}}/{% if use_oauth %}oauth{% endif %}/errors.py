"""The errors of signing in with a provider, and the refusals it answers with in the fragment.

Problems (each with its stable code and status) answer before the provider is involved, or
when a callback cannot be tied to a sign-in; a sign-in that reached its callback ends at the
front end instead, as ``#error=<code>``.
"""

from typing import Literal

from ..core.errors import AppError


class UnknownProviderError(AppError):
    def __init__(self) -> None:
        super().__init__("unknown_provider", "No sign-in provider has this name.", status=404)


class RedirectNotAllowedError(AppError):
    def __init__(self) -> None:
        super().__init__(
            "redirect_not_allowed",
            "redirect_to must be exactly one of the URLs of OAUTH_REDIRECT_ALLOWLIST.",
        )


class ProviderUnavailableError(AppError):
    """Discovery failed; what the provider answered (if anything) stays in the log."""

    def __init__(self, provider: str) -> None:
        super().__init__(
            "provider_unavailable",
            f"The sign-in provider {provider!r} cannot be reached; try again later.",
            status=502,
        )


class InvalidOAuthStateError(AppError):
    """Missing, unknown, expired, used, or another provider's: never a redirect."""

    def __init__(self) -> None:
        super().__init__(
            "invalid_oauth_state",
            "This sign-in is unknown, expired or already finished; start it again.",
        )


class InvalidLoginCodeError(AppError):
    def __init__(self) -> None:
        super().__init__(
            "invalid_login_code", "The login code is unknown, expired or already used."
        )


class IdentityNotLinkedError(AppError):
    def __init__(self) -> None:
        super().__init__(
            "identity_not_linked", "No identity of this provider is linked to you.", status=404
        )


class LastSignInMethodError(AppError):
    def __init__(self) -> None:
        super().__init__(
            "last_sign_in_method",
            "This identity is your only way to sign in: set a password or link another first.",
            status=409,
        )


# What the front end finds in the fragment after a sign-in that did not end in a login code.
RefusalCode = Literal[
    "access_denied", "provider_error", "invalid_id_token", "email_not_verified", "email_required"
]


class SignInRefusedError(Exception):
    """The provider's answer signs nobody in; ``reason`` is for the log alone."""

    def __init__(self, code: RefusalCode, reason: str) -> None:
        super().__init__(code)
        self.code: RefusalCode = code
        self.reason = reason
