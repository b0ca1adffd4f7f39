"""The declarative base that every table model of this service derives from."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# PostgreSQL's own default constraint names (users_pkey, users_email_key,
# posts_author_id_fkey, ...): a constraint gets the same name whether SQLAlchemy, a
# hand-written migration or plain SQL created it, so migrations can drop it by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
