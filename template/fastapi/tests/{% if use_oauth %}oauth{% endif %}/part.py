"""The OAuth part of the test helpers: one provider, ``test``, that nothing answers for.

No provider runs inside these tests (the template's contract suite signs in at a real one):
discovery of ``test`` fails at once, and everything before and after the provider's part is
tested directly.
"""

import socket
from typing import TYPE_CHECKING

from tests.part import TestPart

if TYPE_CHECKING:
    from tests.helpers import TestServers

PROVIDER = "test"
FRONT_END = "https://app.example/signed-in"
CLIENT_SECRET = "a-client-secret-of-the-tests"


def _closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


ISSUER = f"http://127.0.0.1:{_closed_port()}"


def _environment(_servers: "TestServers") -> dict[str, str]:
    return {
        "OIDC_PROVIDERS": PROVIDER,
        "OIDC_TEST_ISSUER": ISSUER,
        "OIDC_TEST_CLIENT_ID": "service",
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ALLOW_HTTP_ISSUER": "true",
        "OAUTH_REDIRECT_ALLOWLIST": FRONT_END,
    }


PART = TestPart(
    environment=_environment,
    tables=("identities", "oauth_states", "login_codes"),
)
