"""Password hashing with Argon2id, off the event loop (hashing is deliberately slow)."""

from dataclasses import dataclass
from typing import Literal

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool

# The Argon2id profiles ARGON2_PROFILE names. rfc9106 (the default): RFC 9106's second
# recommended profile, 3 passes over 64 MiB with 4 lanes. owasp: OWASP's minimum for
# Argon2id, 2 passes over 19 MiB with 1 lane, for small containers: each sign-in in flight
# holds a third of the memory and takes a sixth of the CPU.
Argon2Profile = Literal["rfc9106", "owasp"]
PROFILES: dict[Argon2Profile, Parameters] = {
    "rfc9106": profiles.RFC_9106_LOW_MEMORY,
    "owasp": Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=2,
        memory_cost=19_456,
        parallelism=1,
    ),
}
DEFAULT_PROFILE: Argon2Profile = "rfc9106"


@dataclass
class Hashing:
    """What new hashes are made with, one per process.

    The auth task's ``install`` picks the app's ARGON2_PROFILE; the project's tests swap in
    the cheapest parameters (tests/auth/part.py). A stored hash names its own parameters, so
    hashes made with another profile still verify.
    """

    profiles: dict[Argon2Profile, Parameters]
    hasher: PasswordHasher

    def use(self, profile: Argon2Profile) -> None:
        self.hasher = PasswordHasher.from_parameters(self.profiles[profile])


hashing = Hashing(dict(PROFILES), PasswordHasher.from_parameters(PROFILES[DEFAULT_PROFILE]))


async def hash_password(password: str) -> str:
    return await run_in_threadpool(hashing.hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``.

    Without a hash (no such account) the password is hashed instead, which costs as much
    as verifying it: the answer does not tell by its timing whether the email exists.
    """
    if password_hash is None:
        await hash_password(password)
        return False
    try:
        return await run_in_threadpool(hashing.hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
