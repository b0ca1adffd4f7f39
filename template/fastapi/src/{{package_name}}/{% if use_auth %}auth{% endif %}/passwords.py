"""Password hashing with Argon2id, off the event loop (hashing is deliberately slow)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool

# argon2-cffi's defaults are RFC 9106's second recommended profile, Argon2id.
_HASHER = PasswordHasher()
# Verified when the email is unknown, so that answer costs as much as a wrong password.
_DUMMY_HASH = _HASHER.hash("no account has this password")


async def hash_password(password: str) -> str:
    return await run_in_threadpool(_HASHER.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash costs the same work and is False."""
    try:
        return await run_in_threadpool(_HASHER.verify, password_hash or _DUMMY_HASH, password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False
