"""The names of cached values, in one place for the routes that read and those that drop them."""

import uuid


def post_key(post_id: uuid.UUID) -> str:
    return f"post:{post_id}"


def user_key(user_id: uuid.UUID) -> str:
    """The cached record of a user, read on each of their authenticated requests."""
    return f"user:{user_id}"


def author_tag(author_id: uuid.UUID) -> str:
    """Every cached post embeds its author's name: renaming or deleting the author drops them."""
    return f"author:{author_id}"
