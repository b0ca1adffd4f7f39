"""How users of a service with the auth task sign in: the ``auth_methods`` question.

The one list the validator, the context hook and the tests read; copier.yml writes its
choices out (it cannot import Python), and tests/test_answers.py checks them against this.
"""

from __future__ import annotations

from extensions import choices
from extensions.choices import Choice

METHODS: tuple[Choice, ...] = (
    Choice("jwt", "email and password, then the service's own access and refresh tokens"),
    Choice("oauth", "sign in with an OpenID Connect provider (Google, Microsoft, any issuer)"),
)
NAMES: tuple[str, ...] = tuple(method.name for method in METHODS)
# The service always issues its own tokens: every other method ends in them.
REQUIRED = "jwt"
OFFERED: tuple[str, ...] = tuple(method.name for method in METHODS if method.offered)
# The methods besides jwt; each is a ``use_<name>`` flag in the render context.
OPTIONAL: tuple[str, ...] = tuple(name for name in NAMES if name != REQUIRED)


def not_offered_message(name: str) -> str:
    return choices.not_offered_message("auth_methods", name, METHODS)
