"""The errors of the users domain, each with its stable code and HTTP status."""

from ..core.errors import AppError


class EmailTakenError(AppError):
    def __init__(self) -> None:
        super().__init__("email_taken", "A user with this email already exists.", status=409)


class UserNotFoundError(AppError):
    def __init__(self) -> None:
        super().__init__("user_not_found", "No user has this id.", status=404)
