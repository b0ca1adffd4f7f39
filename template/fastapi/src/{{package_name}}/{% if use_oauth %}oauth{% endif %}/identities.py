"""Identities at providers, and the rules that decide whose account a sign-in opens.

An identity is ``(provider, subject)``: the provider's ``sub``, which never changes, unlike
the email. A first sign-in may attach to an existing account only through an email the
provider says it verified; otherwise anyone who registers that address at some provider
would take the account over.
"""

import uuid

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..core.timestamps import utc_now
from ..database.models import UserRow
from ..database.users import PostgresUserRepository, read_user, select_users, to_user
from ..users.repository import User
from ..users.schemas import Email, Name
from .errors import SignInRefusedError
from .models import IdentityRow
from .providers import IdTokenClaims

_EMAIL = TypeAdapter(Email)
_NAME = TypeAdapter(Name)


class Identities:
    """The ``identities`` table, inside the caller's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user_of(self, provider: str, subject: str) -> uuid.UUID | None:
        return await self.session.scalar(
            select(IdentityRow.user_id).where(
                IdentityRow.provider == provider, IdentityRow.subject == subject
            )
        )

    async def providers_of(self, user_id: uuid.UUID) -> list[str]:
        """The names of the providers linked to the user, sorted, each once."""
        found = await self.session.scalars(
            select(IdentityRow.provider)
            .where(IdentityRow.user_id == user_id)
            .distinct()
            .order_by(IdentityRow.provider)
        )
        return list(found)

    async def link(self, provider: str, subject: str, user_id: uuid.UUID, email: str) -> None:
        self.session.add(
            IdentityRow(
                provider=provider,
                subject=subject,
                user_id=user_id,
                email=email,
                created_at=utc_now(),
            )
        )
        # Now: a concurrent first sign-in of the same identity fails here, not at commit.
        await self.session.flush()

    async def unlink(self, user_id: uuid.UUID, provider: str) -> None:
        await self.session.execute(
            delete(IdentityRow).where(
                IdentityRow.user_id == user_id, IdentityRow.provider == provider
            )
        )

    async def other_ways_in(self, user_id: uuid.UUID, provider: str) -> int:
        """Besides ``provider``: a password (1) and the identities of other providers.

        Locks the user's row, so two unlinks of one account take turns.
        """
        password_hash = await self.session.scalar(
            select(UserRow.password_hash).where(UserRow.id == user_id).with_for_update()
        )
        others = await self.session.scalar(
            select(func.count())
            .select_from(IdentityRow)
            .where(IdentityRow.user_id == user_id, IdentityRow.provider != provider)
        )
        return (password_hash is not None) + (others or 0)


async def account_for(session: AsyncSession, provider: str, claims: IdTokenClaims) -> User:
    """The user this sign-in opens; refusals as ``SignInRefusedError``.

    The identity's user; else an existing account with the same email, linked when the
    provider verified the email; else a new account.

    Two first sign-ins of one identity at once: the second fails on the identities primary
    key (or the users email key) and the caller runs this again, which finds the first's.
    """
    identities = Identities(session)
    linked = await identities.user_of(provider, claims.subject)
    if linked is not None and (user := await read_user(session, linked)) is not None:
        return user
    if claims.email is None:
        raise SignInRefusedError("email_required", "no email claim")
    try:
        email = _EMAIL.validate_python(claims.email)
    except ValidationError:
        raise SignInRefusedError("email_required", "the email claim is no email address") from None
    existing = (await session.execute(select_users().where(UserRow.email == email))).first()
    if existing is not None:
        if not claims.email_verified:
            raise SignInRefusedError("email_not_verified", "an account has this unverified email")
        await identities.link(provider, claims.subject, existing.id, email)
        return to_user(existing)
    name = _name(claims.name, email)
    user = User(id=uuid.uuid4(), email=email, name=name, role="user", created_at=utc_now())
    # No password: the account signs in through its identities until one is set.
    await PostgresUserRepository(session).add(user)
    await identities.link(provider, claims.subject, user.id, email)
    return user


def _name(claimed: str | None, email: str) -> str:
    """The ``name`` claim, trimmed; else the part of the email before the @."""
    for candidate in ((claimed or "").strip(), email.split("@", 1)[0][:100]):
        try:
            return _NAME.validate_python(candidate)
        except ValidationError:
            continue
    return "user"
