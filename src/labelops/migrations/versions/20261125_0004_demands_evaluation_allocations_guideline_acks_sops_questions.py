"""demands, evaluation, allocations, guideline acks, sops, questions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 05:27:24.510326
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sops",
        sa.Column("id", ID, nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("roles", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sops")),
        sa.UniqueConstraint("slug", name=op.f("uq_sops_slug")),
    )
    op.create_table(
        "vendor_languages",
        sa.Column("id", ID, nullable=False),
        sa.Column("vendor_id", ID, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("hourly_rate", sa.Double(), nullable=False),
        sa.Column("weekly_hours", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendors.id"],
            name=op.f("fk_vendor_languages_vendor_id_vendors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_languages")),
        sa.UniqueConstraint(
            "vendor_id", "language", name=op.f("uq_vendor_languages_vendor_id_language")
        ),
    )
    op.create_table(
        "sop_acks",
        sa.Column("id", ID, nullable=False),
        sa.Column("sop_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["sop_id"], ["sops.id"], name=op.f("fk_sop_acks_sop_id_sops"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sop_acks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sop_acks")),
        sa.UniqueConstraint(
            "sop_id", "user_id", "version", name=op.f("uq_sop_acks_sop_id_user_id_version")
        ),
    )
    with op.batch_alter_table("sop_acks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sop_acks_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sop_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("sop_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("changelog", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_sop_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sop_id"], ["sops.id"], name=op.f("fk_sop_versions_sop_id_sops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sop_versions")),
        sa.UniqueConstraint("sop_id", "version", name=op.f("uq_sop_versions_sop_id_version")),
    )
    op.create_table(
        "demands",
        sa.Column("id", ID, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("taxonomy_template", sa.String(length=64), nullable=True),
        sa.Column("taxonomy_notes", sa.Text(), nullable=False),
        sa.Column("volumes", JSON, nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("target_accuracy", sa.Double(), nullable=True),
        sa.Column("target_alpha", sa.Double(), nullable=True),
        sa.Column("budget", sa.Double(), nullable=True),
        sa.Column("severity_mix", JSON, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("demander_id", ID, nullable=False),
        sa.Column("pm_id", ID, nullable=True),
        sa.Column("project_id", ID, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("delivery", sa.String(length=16), nullable=True),
        sa.Column("delivery_note", sa.Text(), nullable=True),
        sa.Column("delivery_decided_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["demander_id"], ["users.id"], name=op.f("fk_demands_demander_id_users")
        ),
        sa.ForeignKeyConstraint(["pm_id"], ["users.id"], name=op.f("fk_demands_pm_id_users")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_demands_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demands")),
    )
    with op.batch_alter_table("demands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demands_demander_id"), ["demander_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demands_project_id"), ["project_id"], unique=False)

    op.create_table(
        "guideline_acks",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_guideline_acks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_guideline_acks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guideline_acks")),
        sa.UniqueConstraint(
            "project_id",
            "user_id",
            "version",
            name=op.f("uq_guideline_acks_project_id_user_id_version"),
        ),
    )
    with op.batch_alter_table("guideline_acks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guideline_acks_user_id"), ["user_id"], unique=False)

    op.create_table(
        "vendor_allocations",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("vendor_id", ID, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_vendor_allocations_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_vendor_allocations_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_vendor_allocations_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_allocations")),
        sa.UniqueConstraint(
            "project_id",
            "vendor_id",
            "language",
            name=op.f("uq_vendor_allocations_project_id_vendor_id_language"),
        ),
    )
    with op.batch_alter_table("vendor_allocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vendor_allocations_vendor_id"), ["vendor_id"], unique=False
        )

    op.create_table(
        "demand_changes",
        sa.Column("id", ID, nullable=False),
        sa.Column("demand_id", ID, nullable=False),
        sa.Column("actor_id", ID, nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old", JSON, nullable=True),
        sa.Column("new", JSON, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_demand_changes_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"],
            ["demands.id"],
            name=op.f("fk_demand_changes_demand_id_demands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_changes")),
    )
    with op.batch_alter_table("demand_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_demand_changes_demand_id"), ["demand_id"], unique=False
        )

    op.create_table(
        "demand_comments",
        sa.Column("id", ID, nullable=False),
        sa.Column("demand_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_demand_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"],
            ["demands.id"],
            name=op.f("fk_demand_comments_demand_id_demands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_comments")),
    )
    with op.batch_alter_table("demand_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_demand_comments_demand_id"), ["demand_id"], unique=False
        )

    op.create_table(
        "demand_estimates",
        sa.Column("id", ID, nullable=False),
        sa.Column("demand_id", ID, nullable=False),
        sa.Column("inputs", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_demand_estimates_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"],
            ["demands.id"],
            name=op.f("fk_demand_estimates_demand_id_demands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_estimates")),
    )
    with op.batch_alter_table("demand_estimates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_demand_estimates_demand_id"), ["demand_id"], unique=False
        )

    op.create_table(
        "questions",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("asker_id", ID, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("guideline_version", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_id", ID, nullable=True),
        sa.Column("answered_at", TIMESTAMP, nullable=True),
        sa.Column("example_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_questions_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["asker_id"], ["users.id"], name=op.f("fk_questions_asker_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["example_id"],
            ["guideline_examples.id"],
            name=op.f("fk_questions_example_id_guideline_examples"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_questions_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_questions_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_asker_id"), ["asker_id"], unique=False)
        batch_op.create_index("ix_questions_open", ["project_id", "answered_at"], unique=False)

    with op.batch_alter_table("guideline_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sections", JSON, server_default="{}", nullable=False))
        batch_op.add_column(sa.Column("glossary", JSON, server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("changelog", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("changed_labels", JSON, server_default="[]", nullable=False))

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requalify_after", TIMESTAMP, nullable=True))
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("deadline")
        batch_op.drop_column("requalify_after")

    with op.batch_alter_table("guideline_versions", schema=None) as batch_op:
        batch_op.drop_column("changed_labels")
        batch_op.drop_column("changelog")
        batch_op.drop_column("glossary")
        batch_op.drop_column("sections")

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_open")
        batch_op.drop_index(batch_op.f("ix_questions_asker_id"))

    op.drop_table("questions")
    with op.batch_alter_table("demand_estimates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_estimates_demand_id"))

    op.drop_table("demand_estimates")
    with op.batch_alter_table("demand_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_comments_demand_id"))

    op.drop_table("demand_comments")
    with op.batch_alter_table("demand_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_changes_demand_id"))

    op.drop_table("demand_changes")
    with op.batch_alter_table("vendor_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vendor_allocations_vendor_id"))

    op.drop_table("vendor_allocations")
    with op.batch_alter_table("guideline_acks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guideline_acks_user_id"))

    op.drop_table("guideline_acks")
    with op.batch_alter_table("demands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demands_project_id"))
        batch_op.drop_index(batch_op.f("ix_demands_demander_id"))

    op.drop_table("demands")
    op.drop_table("sop_versions")
    with op.batch_alter_table("sop_acks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sop_acks_user_id"))

    op.drop_table("sop_acks")
    op.drop_table("vendor_languages")
    op.drop_table("sops")
