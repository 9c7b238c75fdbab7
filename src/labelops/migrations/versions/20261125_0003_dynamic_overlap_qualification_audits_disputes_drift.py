"""dynamic overlap, qualification, audits, disputes, drift, examples

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 04:16:42
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "audits",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("batch_id", ID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("margin", sa.Double(), nullable=False),
        sa.Column("confidence_level", sa.Double(), nullable=False),
        sa.Column("expected_accuracy", sa.Double(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("strata", JSON, nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("decided_by_id", ID, nullable=True),
        sa.Column("decided_at", TIMESTAMP, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("accuracy", sa.Double(), nullable=True),
        sa.Column("interval_low", sa.Double(), nullable=True),
        sa.Column("interval_high", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_audits_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_audits_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_audits_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_audits_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audits")),
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audits_project_id"), ["project_id"], unique=False)

    op.create_table(
        "drift_alerts",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("labeler_id", ID, nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("statistic", sa.Double(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("acknowledged_by_id", ID, nullable=True),
        sa.Column("acknowledged_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["users.id"],
            name=op.f("fk_drift_alerts_acknowledged_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["labeler_id"], ["users.id"], name=op.f("fk_drift_alerts_labeler_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_drift_alerts_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drift_alerts")),
    )
    with op.batch_alter_table("drift_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_drift_alerts_labeler", ["project_id", "labeler_id"], unique=False)

    op.create_table(
        "qualification_attempts",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("labeler_id", ID, nullable=False),
        sa.Column("item_ids", JSON, nullable=False),
        sa.Column("answers", JSON, nullable=True),
        sa.Column("correct", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("reset_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["labeler_id"], ["users.id"], name=op.f("fk_qualification_attempts_labeler_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_qualification_attempts_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_attempts")),
    )
    with op.batch_alter_table("qualification_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_qualification_attempts_labeler", ["project_id", "labeler_id"], unique=False
        )
        batch_op.create_index(
            "uq_qualification_attempts_open",
            ["project_id", "labeler_id"],
            unique=True,
            sqlite_where=sa.text("finished_at IS NULL"),
            postgresql_where=sa.text("finished_at IS NULL"),
        )

    op.create_table(
        "quality_fits",
        sa.Column("project_id", ID, nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("labels", JSON, nullable=False),
        sa.Column("priors", JSON, nullable=False),
        sa.Column("confusion", JSON, nullable=False),
        sa.Column("annotations", sa.Integer(), nullable=False),
        sa.Column("fitted_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_quality_fits_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_quality_fits")),
    )
    op.create_table(
        "audit_items",
        sa.Column("id", ID, nullable=False),
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("stratum", sa.String(length=200), nullable=False),
        sa.Column("final_labels", JSON, nullable=False),
        sa.Column("reviewer_id", ID, nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("corrected_labels", JSON, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewed_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audits.id"],
            name=op.f("fk_audit_items_audit_id_audits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_audit_items_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_audit_items_reviewer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_items")),
        sa.UniqueConstraint("audit_id", "item_id", name=op.f("uq_audit_items_audit_id_item_id")),
    )
    with op.batch_alter_table("audit_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_items_item_id"), ["item_id"], unique=False)

    op.create_table(
        "escalations",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("labels", JSON, nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("resolved_by_id", ID, nullable=True),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        sa.Column("resolved_labels", JSON, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_escalations_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_escalations_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_escalations_resolved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
        sa.UniqueConstraint("item_id", name=op.f("uq_escalations_item_id")),
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalations_project_id"), ["project_id"], unique=False)

    op.create_table(
        "guideline_examples",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("labels", JSON, nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_guideline_examples_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_guideline_examples_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_guideline_examples_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guideline_examples")),
        sa.UniqueConstraint(
            "project_id", "item_id", name=op.f("uq_guideline_examples_project_id_item_id")
        ),
    )
    op.create_table(
        "disputes",
        sa.Column("id", ID, nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("labeler_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("audit_item_id", ID, nullable=True),
        sa.Column("labels", JSON, nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("resolved_by_id", ID, nullable=True),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("corrected_labels", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_item_id"],
            ["audit_items.id"],
            name=op.f("fk_disputes_audit_item_id_audit_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_disputes_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["labeler_id"], ["users.id"], name=op.f("fk_disputes_labeler_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_disputes_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_disputes_resolved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disputes_labeler_id"), ["labeler_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disputes_project_id"), ["project_id"], unique=False)
    op.create_index(
        "ux_disputes_open",
        "disputes",
        ["item_id", "labeler_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_overlap", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("target_confidence", sa.Double(), server_default="0.95", nullable=False)
        )
        batch_op.add_column(sa.Column("quality_target", sa.Double(), nullable=True))
        batch_op.add_column(
            sa.Column("qualification_items", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("qualification_pass_mark", sa.Double(), server_default="0.8", nullable=False)
        )
        batch_op.add_column(
            sa.Column("qualification_tries", sa.Integer(), server_default="2", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("qualification_tries")
        batch_op.drop_column("qualification_pass_mark")
        batch_op.drop_column("qualification_items")
        batch_op.drop_column("quality_target")
        batch_op.drop_column("target_confidence")
        batch_op.drop_column("max_overlap")

    op.drop_index("ux_disputes_open", table_name="disputes")
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disputes_project_id"))
        batch_op.drop_index(batch_op.f("ix_disputes_labeler_id"))

    op.drop_table("disputes")
    op.drop_table("guideline_examples")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalations_project_id"))

    op.drop_table("escalations")
    with op.batch_alter_table("audit_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_items_item_id"))

    op.drop_table("audit_items")
    op.drop_table("quality_fits")
    with op.batch_alter_table("qualification_attempts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_qualification_attempts_open",
            sqlite_where=sa.text("finished_at IS NULL"),
            postgresql_where=sa.text("finished_at IS NULL"),
        )
        batch_op.drop_index("ix_qualification_attempts_labeler")

    op.drop_table("qualification_attempts")
    with op.batch_alter_table("drift_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_drift_alerts_labeler")

    op.drop_table("drift_alerts")
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audits_project_id"))

    op.drop_table("audits")
