"""gold answers and labeler pauses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:53:13.515931
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "labeler_pauses",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("labeler_id", ID, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("evidence", JSON, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("lifted_at", TIMESTAMP, nullable=True),
        sa.Column("lifted_by_id", ID, nullable=True),
        sa.Column("lift_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["labeler_id"], ["users.id"], name=op.f("fk_labeler_pauses_labeler_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"], ["users.id"], name=op.f("fk_labeler_pauses_lifted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_labeler_pauses_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labeler_pauses")),
    )
    op.create_index(op.f("ix_labeler_pauses_labeler_id"), "labeler_pauses", ["labeler_id"])
    op.create_index(
        "ix_labeler_pauses_open",
        "labeler_pauses",
        ["project_id", "labeler_id"],
        sqlite_where=sa.text("lifted_at IS NULL"),
        postgresql_where=sa.text("lifted_at IS NULL"),
    )
    op.create_table(
        "gold_answers",
        sa.Column("item_id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("labels", JSON, nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_gold_answers_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_gold_answers_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_gold_answers_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_gold_answers")),
    )
    op.create_index(op.f("ix_gold_answers_project_id"), "gold_answers", ["project_id"])
    op.add_column(
        "projects", sa.Column("gold_rate", sa.Double(), nullable=False, server_default="0")
    )
    op.add_column("projects", sa.Column("gold_threshold", sa.Double(), nullable=True))
    op.add_column(
        "projects",
        sa.Column("gold_min_answers", sa.Integer(), nullable=False, server_default="5"),
    )
    op.add_column(
        "queue_entries",
        sa.Column("is_gold", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_queue_entries_gold",
        "queue_entries",
        ["project_id", "language"],
        sqlite_where=sa.text("is_gold"),
        postgresql_where=sa.text("is_gold"),
    )


def downgrade() -> None:
    op.drop_index("ix_queue_entries_gold", table_name="queue_entries")
    with op.batch_alter_table("queue_entries") as batch_op:
        batch_op.drop_column("is_gold")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_column("gold_min_answers")
        batch_op.drop_column("gold_threshold")
        batch_op.drop_column("gold_rate")
    op.drop_index(op.f("ix_gold_answers_project_id"), table_name="gold_answers")
    op.drop_table("gold_answers")
    op.drop_index("ix_labeler_pauses_open", table_name="labeler_pauses")
    op.drop_index(op.f("ix_labeler_pauses_labeler_id"), table_name="labeler_pauses")
    op.drop_table("labeler_pauses")
