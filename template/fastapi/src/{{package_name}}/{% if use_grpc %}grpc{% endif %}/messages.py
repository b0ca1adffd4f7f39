"""The service's objects as proto messages: users and posts exactly as REST writes them."""

from ..core.timestamps import format_timestamp
from ..posts.schemas import PostPublic
from ..users.repository import User
from ..v1 import service_pb2 as pb


def user_message(user: User) -> pb.User:
    return pb.User(
        id=str(user.id),
        email=user.email,
        name=user.name,
        role=user.role,
        created_at=format_timestamp(user.created_at),
    )


def post_message(post: PostPublic) -> pb.Post:
    return pb.Post(
        id=str(post.id),
        title=post.title,
        body=post.body,
        author=pb.Author(id=str(post.author.id), name=post.author.name),
        created_at=format_timestamp(post.created_at),
        updated_at=format_timestamp(post.updated_at),
    )
