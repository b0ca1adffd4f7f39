"""The OpenID Connect provider the OAuth tests sign in at, as a client of it sees it.

``tests/oidc_provider.py`` starts it (tests/oidc/provider.mjs: oidc-provider on loopback).
``OidcProvider.sign_in`` plays the user's browser: it follows an authorization request
through the provider's login and consent forms and returns where the provider sends the
browser back (the relying party's callback, with ``code`` and ``state``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')
_FORM_PROMPT = re.compile(r'name="prompt" value="([^"]+)"')


@dataclass(frozen=True)
class OidcProvider:
    issuer: str

    def add_account(self, sub: str, email: str, *, email_verified: bool, name: str = "Ada") -> None:
        """An account that may sign in at the login form by its ``sub``."""
        claims = {"sub": sub, "email": email, "email_verified": email_verified, "name": name}
        response = httpx.post(f"{self.issuer}/test/accounts", json=claims, timeout=10)
        assert response.status_code == 204, response.text

    def spoil_next_token(self, kind: str) -> None:
        """The next token exchange's ID token comes back spoiled (tests/oidc/provider.mjs lists how)."""
        response = httpx.post(f"{self.issuer}/test/mischief", json={"kind": kind}, timeout=10)
        assert response.status_code == 204, response.text

    def sign_in(self, browser: httpx.Client, authorize_url: str, sub: str) -> str:
        """Follow ``authorize_url`` through login (as ``sub``) and consent; the URL the provider
        redirects to outside itself."""
        response = browser.get(authorize_url)
        for _ in range(10):
            if response.status_code == 200:  # a form of the provider: log in, or consent
                action = _FORM_ACTION.search(response.text)
                prompt = _FORM_PROMPT.search(response.text)
                assert action, f"no interaction form in the provider's page:\n{response.text[:2000]}"
                assert prompt, f"no prompt in the provider's form:\n{response.text[:2000]}"
                form = {"prompt": prompt[1]} | ({"login": sub, "password": "unused"} if prompt[1] == "login" else {})
                response = browser.post(urljoin(str(response.url), action[1]), data=form)
                continue
            assert response.status_code in {302, 303}, f"{response.status_code}: {response.text[:2000]}"
            location = urljoin(str(response.url), response.headers["location"])
            if not location.startswith(self.issuer + "/"):
                return location
            response = browser.get(location)
        msg = "the provider never redirected back"
        raise AssertionError(msg)
