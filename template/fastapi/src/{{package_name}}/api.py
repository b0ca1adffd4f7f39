"""The versioned REST API: every domain router, under /api/v1."""

from fastapi import APIRouter

from .posts.router import router as posts_router
from .users.router import router as users_router

API_PREFIX = "/api/v1"

router = APIRouter(prefix=API_PREFIX)
router.include_router(users_router)
router.include_router(posts_router)
