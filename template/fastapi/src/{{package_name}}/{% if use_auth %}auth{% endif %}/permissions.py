"""Who may do what: the one map from role to permissions, read by every protected route.

A permission ending in ``:own`` covers only the caller's own records (their account,
their posts); the same permission without it covers everyone's.
"""

from collections.abc import Mapping
from typing import Literal

from ..users.repository import Role

Permission = Literal[
    "users:list",
    "users:read",
    "users:read:own",
    "users:delete",
    "posts:create",
    "posts:read",
    "posts:update",
    "posts:update:own",
    "posts:delete",
    "posts:delete:own",
]

_USER: frozenset[Permission] = frozenset(
    {
        "users:read:own",
        "posts:create",
        "posts:read",
        "posts:update:own",
        "posts:delete:own",
    }
)

PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    "user": _USER,
    "admin": _USER | {"users:list", "users:read", "users:delete", "posts:update", "posts:delete"},
}


def allows(role: Role, permission: Permission, *, owns: bool = False) -> bool:
    """True when ``role`` has ``permission``, or its ``:own`` form and ``owns`` the record."""
    granted = PERMISSIONS.get(role, frozenset())
    return permission in granted or (owns and f"{permission}:own" in granted)
