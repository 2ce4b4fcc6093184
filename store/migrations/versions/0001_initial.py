"""The scenario library: scenarios, their versions, old slugs and library facts.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(320), nullable=False),
        sa.Column("owner", sa.String(320), nullable=True),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_scenarios_slug", "scenarios", ["slug"], unique=True)
    op.create_index("ix_scenarios_name_key", "scenarios", ["name_key"])
    op.create_index("ix_scenarios_owner", "scenarios", ["owner"])
    op.create_index("ix_scenarios_deleted_at", "scenarios", ["deleted_at"])
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(32), sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(320), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.UniqueConstraint("scenario_id", "version"),
    )
    op.create_index("ix_scenario_versions_scenario_id", "scenario_versions", ["scenario_id"])
    op.create_table(
        "slug_aliases",
        sa.Column("slug", sa.String(64), primary_key=True),
        sa.Column("scenario_id", sa.String(32), sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_slug_aliases_scenario_id", "slug_aliases", ["scenario_id"])
    op.create_table(
        "library_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.bulk_insert(sa.table("library_meta", sa.column("key"), sa.column("value")), [{"key": "lock", "value": "0"}])


def downgrade() -> None:
    op.drop_table("library_meta")
    op.drop_table("slug_aliases")
    op.drop_table("scenario_versions")
    op.drop_table("scenarios")
