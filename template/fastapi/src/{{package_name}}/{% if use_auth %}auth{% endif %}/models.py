"""The refresh-token table (created by migration 0003).

Tokens issued from one sign-in form a family: each refresh replaces the presented token
with a new one of the same family, so a replaced token presented again betrays a copy,
and the whole family is revoked.
"""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from ..database.base import Base
from ..database.models import Timestamp, UserRow


class RefreshTokenRow(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    family_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(UserRow.id, ondelete="CASCADE"))
    # SHA-256 of the token, hex: the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(server_default=false())
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_refresh_tokens_family_id", RefreshTokenRow.family_id)
Index("ix_refresh_tokens_user_id", RefreshTokenRow.user_id)
