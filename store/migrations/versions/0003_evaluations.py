"""The analysis cache: chunks of model evaluations and finished analyses (store/evaluations.py).

Revision ID: 0003_evaluations (after 0002_verified_owners: the two branches each added a 0002)
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_evaluations"
down_revision = "0002_verified_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("job", sa.String(80), nullable=False),
        sa.Column("model_version", sa.String(32), nullable=False),
        sa.Column("data_hash", sa.String(64), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("draws", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_evaluations_job", "evaluations", ["job"])


def downgrade() -> None:
    op.drop_index("ix_evaluations_job", "evaluations")
    op.drop_table("evaluations")
