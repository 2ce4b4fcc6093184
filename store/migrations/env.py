"""Alembic environment: store.library runs the migrations on its own connection (programmatic
configuration, no alembic.ini), passed in `config.attributes["connection"]`."""
from alembic import context

import store.rooms  # noqa: F401 -- its tables join Base.metadata
from store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
