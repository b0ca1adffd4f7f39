"""The errors of the posts domain, each with its stable code and HTTP status."""

from ..core.errors import AppError


class PostNotFoundError(AppError):
    def __init__(self) -> None:
        super().__init__("post_not_found", "No post has this id.", status=404)


class UnknownAuthorError(AppError):
    """A 422 shaped like a validation error, pointing at the field that names no user."""

    def __init__(self) -> None:
        super().__init__(
            "unknown_author",
            "The request is invalid; see errors.",
            status=422,
            errors=[
                {"loc": ["body", "author_id"], "msg": "No user has this id", "type": "not_found"}
            ],
        )
