"""The library's tables. Alembic migrations in store/migrations/ create and change them; these classes
must match the latest migration (a test compares them)."""
from __future__ import annotations

import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ScenarioRow(Base):
    """A saved scenario as it is now. `id` never changes; `slug` follows the name and old slugs stay in
    `slug_aliases` so that links keep working. `deleted_at` set means it is in the trash."""

    __tablename__ = "scenarios"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(320), index=True)
    owner: Mapped[str | None] = mapped_column(String(320), index=True)  # a sign-in's issuer and subject
    client: Mapped[str | None] = mapped_column(String(64), index=True)  # an anonymous saver's pseudonymous address
    yaml_text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class VersionRow(Base):
    """Every version ever saved, the current one included: history and restore."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    yaml_text: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    saved_by: Mapped[str | None] = mapped_column(String(320))       # the owner key of who saved it
    saved_by_name: Mapped[str | None] = mapped_column(String(320))  # what the history shows (a verified e-mail)
    action: Mapped[str] = mapped_column(String(16))


class SlugAliasRow(Base):
    """A slug a scenario had before a rename: links with it still open the scenario."""

    __tablename__ = "slug_aliases"
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))  # the oldest go first


class MetaRow(Base):
    """Library-wide facts (the saved folder was imported) and the row every write locks first, which
    serialises writers on SQLite and PostgreSQL alike."""

    __tablename__ = "library_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
