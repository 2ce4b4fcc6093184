"""Verified owners and bounded growth: owners become a sign-in's issuer and subject, so the e-mail keys
of earlier owners are marked `email:<address>` (a key no sign-in produces: a sign-in's key holds a space,
between issuer and subject); each is handed to the account that signs in with that e-mail verified by
the provider (store.library.ScenarioLibrary.claim_legacy), and until then only the command line may
change it. Versions record who saved them for display apart from the key; anonymous saves record the
saver's pseudonymous address (the anonymous quota is per address); old slugs record when they were
added (the oldest are dropped beyond the cap).

Revision ID: 0002_verified_owners
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002_verified_owners"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("client", sa.String(64), nullable=True))
        batch.create_index("ix_scenarios_client", ["client"])
    with op.batch_alter_table("scenario_versions") as batch:
        batch.add_column(sa.Column("saved_by_name", sa.String(320), nullable=True))
    with op.batch_alter_table("slug_aliases") as batch:
        batch.add_column(sa.Column("added_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE scenario_versions SET saved_by_name = saved_by")
    op.execute("UPDATE scenarios SET owner = 'email:' || owner WHERE owner IS NOT NULL")
    op.execute("UPDATE scenario_versions SET saved_by = 'email:' || saved_by WHERE saved_by IS NOT NULL")
    meta = sa.table("library_meta", sa.column("key"), sa.column("value"))
    op.bulk_insert(meta, [{"key": "client_salt", "value": secrets.token_hex(16)}])


def downgrade() -> None:
    op.execute("DELETE FROM library_meta WHERE key = 'client_salt'")
    op.execute("UPDATE scenarios SET owner = substr(owner, 7) WHERE owner LIKE 'email:%'")
    op.execute("UPDATE scenario_versions SET saved_by = substr(saved_by, 7) WHERE saved_by LIKE 'email:%'")
    with op.batch_alter_table("slug_aliases") as batch:
        batch.drop_column("added_at")
    with op.batch_alter_table("scenario_versions") as batch:
        batch.drop_column("saved_by_name")
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_index("ix_scenarios_client")
        batch.drop_column("client")
