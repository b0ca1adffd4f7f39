"""The errors of authentication and authorisation, each with its stable code and status."""

from ..core.errors import AppError

_BEARER = {"WWW-Authenticate": "Bearer"}


class NotAuthenticatedError(AppError):
    def __init__(self) -> None:
        super().__init__(
            "not_authenticated", "A valid bearer token is required.", status=401, headers=_BEARER
        )


class InvalidTokenError(AppError):
    """Whatever is wrong with the token; the reason is not told to the client."""

    def __init__(self) -> None:
        super().__init__(
            "invalid_token",
            "The bearer token is invalid or has expired.",
            status=401,
            headers=_BEARER,
        )


class InvalidCredentialsError(AppError):
    """The same answer for an unknown email and a wrong password."""

    def __init__(self) -> None:
        super().__init__("invalid_credentials", "The email or password is wrong.", status=401)


class InvalidRefreshTokenError(AppError):
    def __init__(self) -> None:
        super().__init__(
            "invalid_refresh_token", "The refresh token is invalid or has expired.", status=401
        )


class ForbiddenError(AppError):
    def __init__(self) -> None:
        super().__init__("forbidden", "Your role does not allow this.", status=403)


class TooManyAttemptsError(AppError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "too_many_attempts",
            "Too many failed sign-in attempts; try again later.",
            status=429,
            headers={"Retry-After": str(retry_after)},
        )
