"""Users and posts.

Every constraint and index is named here (PostgreSQL's default names for constraints),
so the schema is the same whichever stack's migrations created it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = postgresql.TIMESTAMP(timezone=True, precision=3)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), server_default="user", nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("users_pkey")),
        sa.UniqueConstraint("email", name=op.f("users_email_key")),
        sa.CheckConstraint("email = lower(email)", name=op.f("users_email_lower_check")),
        sa.CheckConstraint("role IN ('user', 'admin')", name=op.f("users_role_check")),
    )
    op.create_index(
        op.f("ix_users_created_at_id"),
        "users",
        [sa.text("created_at DESC"), sa.text("id DESC")],
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("posts_pkey")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("posts_author_id_fkey"), ondelete="CASCADE"
        ),
    )
    op.create_index(
        op.f("ix_posts_created_at_id"),
        "posts",
        [sa.text("created_at DESC"), sa.text("id DESC")],
    )
    op.create_index(
        op.f("ix_posts_author_id_created_at_id"),
        "posts",
        ["author_id", sa.text("created_at DESC"), sa.text("id DESC")],
    )


def downgrade() -> None:
    op.drop_table("posts")
    op.drop_table("users")
