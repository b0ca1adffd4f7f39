"""OAuth settings: the OpenID Connect providers users may sign in with, and where to send them back.

Each name in ``OIDC_PROVIDERS`` brings its own variables, ``OIDC_<NAME>_ISSUER``,
``_CLIENT_ID``, ``_CLIENT_SECRET`` and ``_SCOPES``: names no field declares, so they are
gathered from the environment (then ``.env``) by ``ProviderVariables`` and checked here,
each problem named by its variable.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource

from ..core.config import ENV_CONFIG

PROVIDER_NAME = re.compile(r"[a-z][a-z0-9]{0,31}")
_PROVIDER_VARIABLE = re.compile(
    r"oidc_([a-z][a-z0-9]{0,31})_(issuer|client_id|client_secret|scopes)"
)
DEFAULT_SCOPES = "openid email profile"


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    name: str
    issuer: str
    client_id: str
    client_secret: SecretStr
    scopes: str


def _split(value: object) -> object:
    # A comma-separated list reads better in an environment variable than JSON.
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class OauthSettings(BaseSettings):
    model_config = ENV_CONFIG

    oidc_providers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    oauth_redirect_allowlist: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Where browsers reach this service; the providers send them back under it.
    public_base_url: str | None = None
    # Loopback providers in tests and development only: tokens over plain HTTP can be read.
    oidc_allow_http_issuer: bool = False
    # Every OIDC_<NAME>_* variable found, gathered by _gather_provider_variables.
    oidc_variables: dict[str, str] = Field(default_factory=dict, repr=False, exclude=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            ProviderVariables(settings_cls),
            file_secret_settings,
        )

    @field_validator("oidc_providers", "oauth_redirect_allowlist", mode="before")
    @classmethod
    def _split_lists(cls, value: object) -> object:
        return _split(value)

    @field_validator("oidc_providers")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not PROVIDER_NAME.fullmatch(name):
                msg = f"{name!r}: lower-case letters and digits (1-32), a letter first"
                raise ValueError(msg)
        if len(set(value)) != len(value):
            msg = "names a provider twice"
            raise ValueError(msg)
        return value

    @field_validator("oauth_redirect_allowlist")
    @classmethod
    def _front_end_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            parts = urlsplit(url)
            if parts.scheme not in {"http", "https"} or not parts.netloc or parts.fragment:
                msg = f"{url!r} is not an absolute http(s) URL without a fragment"
                raise ValueError(msg)
        return value

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
            msg = "must be an absolute http(s) URL, such as https://api.example.com"
            raise ValueError(msg)
        return value.rstrip("/")

    @model_validator(mode="before")
    @classmethod
    def _gather_provider_variables(cls, data: Any) -> Any:  # noqa: ANN401  (pydantic's raw input)
        """OIDC_<NAME>_* given as arguments or found by ProviderVariables, in one field."""
        if not isinstance(data, dict):
            return data
        found = {
            key.lower(): value
            for key, value in data.items()
            if isinstance(key, str) and _PROVIDER_VARIABLE.fullmatch(key.lower())
        }
        return {**data, "oidc_variables": {**data.get("oidc_variables", {}), **found}}

    @model_validator(mode="after")
    def _providers_complete(self) -> Self:
        """Each provider's variables, every problem named by its variable (core/config.py)."""
        problems = [
            (f"oidc_{name}_{key}", why)
            for name in self.oidc_providers
            for key, why in _provider_problems(self._values(name), self.oidc_allow_http_issuer)
        ]
        if self.oidc_providers and not self.oauth_redirect_allowlist:
            problems.append(
                ("oauth_redirect_allowlist", "is required: where sign-in may return to")
            )
        if problems:
            details = [
                InitErrorDetails(
                    type=PydanticCustomError("oauth_setting", why), loc=(variable,), input=None
                )
                for variable, why in problems
            ]
            raise ValidationError.from_exception_data(type(self).__name__, details)
        return self

    def _values(self, name: str) -> dict[str, str]:
        return {key: self.oidc_variables.get(f"oidc_{name}_{key}", "").strip() for key in _KEYS}

    @property
    def providers(self) -> dict[str, ProviderSettings]:
        """The configured providers by name (the ``{provider}`` of the routes)."""
        found = {}
        for name in self.oidc_providers:
            values = self._values(name)
            found[name] = ProviderSettings(
                name=name,
                issuer=values["issuer"],
                client_id=values["client_id"],
                client_secret=SecretStr(values["client_secret"]),
                scopes=values["scopes"] or DEFAULT_SCOPES,
            )
        return found


_KEYS = ("issuer", "client_id", "client_secret", "scopes")


def _provider_problems(values: dict[str, str], allow_http: bool) -> list[tuple[str, str]]:  # noqa: FBT001  (a setting's value)
    problems = [
        (key, "is required but not set")
        for key in ("issuer", "client_id", "client_secret")
        if not values[key]
    ]
    issuer = urlsplit(values["issuer"])
    if issuer.scheme == "http" and not allow_http:
        why = "is http://: refused unless OIDC_ALLOW_HTTP_ISSUER=true (a local test provider only)"
        problems.append(("issuer", why))
    elif values["issuer"] and (
        issuer.scheme not in {"http", "https"}
        or not issuer.netloc
        or issuer.query
        or issuer.fragment
    ):
        problems.append(("issuer", "must be the issuer URL, such as https://accounts.google.com"))
    if "openid" not in (values["scopes"] or DEFAULT_SCOPES).split():
        problems.append(("scopes", "must include openid"))
    return problems


class ProviderVariables(PydanticBaseSettingsSource):
    """The OIDC_<NAME>_* variables, which no field declares: the environment first, then .env."""

    def get_field_value(
        self,
        field: FieldInfo,  # noqa: ARG002  (the base class's signature)
        field_name: str,
    ) -> tuple[Any, str, bool]:
        # Never asked by __call__ below: every variable here is undeclared.
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        env_file = self.config.get("env_file")
        path = Path(env_file) if isinstance(env_file, str | Path) else None
        from_file = dotenv_values(path) if path is not None and path.is_file() else {}
        found: dict[str, Any] = {}
        for source in (from_file, os.environ):
            found.update(
                (key.lower(), value)
                for key, value in source.items()
                if value is not None and _PROVIDER_VARIABLE.fullmatch(key.lower())
            )
        return found
