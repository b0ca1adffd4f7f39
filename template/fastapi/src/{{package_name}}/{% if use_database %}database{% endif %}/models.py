"""The tables of the users and posts domains (created by migration 0002).

Timestamps are ``timestamptz(3)``: millisecond precision, as the API shows them.
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

Timestamp = TIMESTAMP(timezone=True, precision=3)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (
        # The API lower-cases emails; this keeps any other writer honest, so the
        # unique constraint below is case-insensitive in effect.
        CheckConstraint("email = lower(email)", name="email_lower"),
        CheckConstraint("role IN ('user', 'admin')", name="role"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), server_default="user")
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class PostRow(Base):
    __tablename__ = "posts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(UserRow.id, ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)

    # lazy="raise": the author is loaded with the post (a join) or the code fails
    # loudly; an N+1 query cannot creep in unnoticed.
    author: Mapped[UserRow] = relationship(lazy="raise", innerjoin=True)


# The keyset orders, newest first: each list endpoint reads one index range.
Index("ix_users_created_at_id", UserRow.created_at.desc(), UserRow.id.desc())
Index("ix_posts_created_at_id", PostRow.created_at.desc(), PostRow.id.desc())
Index(
    "ix_posts_author_id_created_at_id",
    PostRow.author_id,
    PostRow.created_at.desc(),
    PostRow.id.desc(),
)
