"""The users repository of this request, from the service's storage (``storage.py``)."""

from typing import Annotated

from fastapi import Depends

from ..storage import get_user_repository
from .repository import UserRepository

UserRepositoryDep = Annotated[UserRepository, Depends(get_user_repository)]
