"""Access tokens already verified by this process: a client's next request skips PyJWT.

With the same token, a request skips the parsing and the signature check. Safe because
verification is a function of the token's exact text, the key and the options (all
fixed for the app: the memo lives on ``app.state`` next to the settings) and of the
clock, through ``exp`` alone: our tokens carry no ``nbf``, and those that do are never
remembered. So a remembered token is accepted only while ``exp`` is still ahead, checked
on every use as PyJWT checks it; a changed byte is another string, verified in full.
Only successes are kept.
"""

import time
from dataclasses import dataclass

from .tokens import AccessClaims

# Enough for every client of a busy instance within one token lifetime.
MAX_REMEMBERED = 10_000


@dataclass(frozen=True, slots=True)
class _Remembered:
    claims: AccessClaims
    # The ``exp`` claim, in seconds since the epoch.
    expires_at: int


def epoch_seconds() -> int:
    """PyJWT's clock: whole seconds, and a token is expired from the second ``exp`` names."""
    return int(time.time())


class VerifiedTokens:
    def __init__(self, limit: int = MAX_REMEMBERED) -> None:
        self.limit = limit
        # Insertion-ordered: the first key is the oldest.
        self._tokens: dict[str, _Remembered] = {}

    def __len__(self) -> int:
        return len(self._tokens)

    def get(self, token: str) -> AccessClaims | None:
        """The claims of ``token`` if it was verified here and has not expired since."""
        found = self._tokens.get(token)
        if found is None:
            return None
        if found.expires_at <= epoch_seconds():
            del self._tokens[token]
            return None
        return found.claims

    def remember(self, token: str, claims: AccessClaims, expires_at: int) -> None:
        """Keep a token that has just passed every check; the oldest one goes when full."""
        if len(self._tokens) >= self.limit and token not in self._tokens:
            del self._tokens[next(iter(self._tokens))]
        self._tokens[token] = _Remembered(claims, expires_at)
