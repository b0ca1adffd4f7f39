"""Password hashing with Argon2id, off the event loop (hashing is deliberately slow)."""

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool

# RFC 9106's second recommended profile: Argon2id, 3 passes over 64 MiB, 4 lanes.
PARAMETERS = profiles.RFC_9106_LOW_MEMORY
# What new hashes are made with. The project's tests swap in the cheapest parameters
# (tests/auth/part.py): they check what hashing does, not what it costs.
hasher = PasswordHasher.from_parameters(PARAMETERS)


async def hash_password(password: str) -> str:
    return await run_in_threadpool(hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``.

    Without a hash (no such account) the password is hashed instead, which costs as much
    as verifying it: the answer does not tell by its timing whether the email exists.
    """
    if password_hash is None:
        await hash_password(password)
        return False
    try:
        return await run_in_threadpool(hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
