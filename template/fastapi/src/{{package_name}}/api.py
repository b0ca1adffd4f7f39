"""The versioned REST API: the users and posts routers, under /api/v1.

A task's own routes (the auth task's /auth and /users/me) are added by its ``lifespan.py``.
"""

from fastapi import APIRouter

from .posts.router import router as posts_router
from .users.router import router as users_router

API_PREFIX = "/api/v1"

router = APIRouter(prefix=API_PREFIX)
router.include_router(users_router)
router.include_router(posts_router)
