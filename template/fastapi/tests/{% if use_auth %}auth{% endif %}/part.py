"""The auth task's part of the test helpers: a signing secret, and a password to sign up with."""

import secrets
from typing import TYPE_CHECKING

from tests.part import TestPart

if TYPE_CHECKING:
    from tests.helpers import TestServers

PASSWORD = "correct horse battery staple"
# A secret as the project generates them: the settings tests expect it accepted.
GENERATED_SECRET = "q8V1x3ZkYfN0b7Lr2sWm9cTe4HuJ6pAo5dGi-R_yKzQ"


def _environment(_servers: "TestServers") -> dict[str, str]:
    return {"JWT_SECRET": secrets.token_urlsafe(48)}


PART = TestPart(
    environment=_environment,
    valid_environment={"JWT_SECRET": GENERATED_SECRET},
    sign_up={"password": PASSWORD},
    tables=("refresh_tokens",),
)
