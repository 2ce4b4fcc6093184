"""Application persistence: the scenario library on SQLAlchemy (SQLite or PostgreSQL), with Alembic
migrations. No Streamlit here: the app, the command line and the tests all use this package."""
from .library import (DATABASE_URL_VARIABLE, TRASH_DAYS, ScenarioLibrary, StoredScenario, Version, database_url,
                      default_library)
from .rooms import Room, RoomStore, default_rooms

__all__ = ["DATABASE_URL_VARIABLE", "TRASH_DAYS", "ScenarioLibrary", "StoredScenario", "Version", "database_url",
           "default_library", "Room", "RoomStore", "default_rooms"]
