"""Workshop rooms: rooms, their participants and their proposals (store/rooms.py).

Revision ID: 0003_rooms
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_rooms"
down_revision = "0002_verified_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("presenter_hash", sa.String(64), nullable=False),
        sa.Column("guess_outcome", sa.String(64), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("voting", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_rooms_code", "rooms", ["code"], unique=True)
    op.create_index("ix_rooms_expires_at", "rooms", ["expires_at"])
    op.create_table(
        "room_participants",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("room_id", sa.String(32), sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(320), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_write_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("vote", sa.String(32), nullable=True),
        sa.UniqueConstraint("room_id", "name_key"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_room_participants_room_id", "room_participants", ["room_id"])
    op.create_table(
        "room_proposals",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("room_id", sa.String(32), sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.String(32), sa.ForeignKey("room_participants.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("levers_text", sa.Text(), nullable=False),
        sa.Column("guess", sa.Float(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("participant_id"),
    )
    op.create_index("ix_room_proposals_room_id", "room_proposals", ["room_id"])


def downgrade() -> None:
    op.drop_table("room_proposals")
    op.drop_table("room_participants")
    op.drop_table("rooms")
