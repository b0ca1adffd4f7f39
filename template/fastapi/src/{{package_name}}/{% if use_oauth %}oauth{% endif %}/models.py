"""The tables of signing in with a provider (created by migration 0004).

``identities`` links an account at a provider, ``(provider, subject)``, to a user.
``oauth_states`` and ``login_codes`` hold the short-lived records of a sign-in in progress
when the service has no Redis (states.py, codes.py); keys are SHA-256 digests, hex.
"""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database.base import Base
from ..database.models import Timestamp, UserRow


class IdentityRow(Base):
    __tablename__ = "identities"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The provider's ``sub``: stable and unique at that provider, unlike the email.
    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(UserRow.id, ondelete="CASCADE"))
    # The email the provider gave when the identity was linked.
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class OAuthStateRow(Base):
    __tablename__ = "oauth_states"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    verifier: Mapped[str] = mapped_column(String(128))
    nonce: Mapped[str] = mapped_column(String(128))
    redirect_to: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)


class LoginCodeRow(Base):
    __tablename__ = "login_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(UserRow.id, ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(Timestamp)


Index("ix_identities_user_id", IdentityRow.user_id)
Index("ix_oauth_states_expires_at", OAuthStateRow.expires_at)
