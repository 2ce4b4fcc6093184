"""The scenario library: shipped presets (files in scenarios/, read-only) and saved scenarios in a
database (SQLite by default, PostgreSQL when INTERCONNECT_DATABASE_URL names one).

Nothing is lost: every save keeps the previous version, delete moves to a trash that is purged only
after TRASH_DAYS, rename keeps the id and the old slug keeps opening the scenario. When scenarios have
owners (sign-in configured), only the owner may change or delete them; anonymous saves belong to the
shared library and anyone may change them, which the history and trash make safe to undo.
"""
from __future__ import annotations

import datetime
import fcntl
import hashlib
import hmac
import os
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, delete, event, func, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from model.data import ModelData, default_data
from model.scenario import SCENARIO_FILE_LIMIT, Scenario, load_scenario, parse_scenario
from model.yamlio import InputError, Problem, parse_yaml

from .models import MetaRow, ScenarioRow, SlugAliasRow, VersionRow
from .names import check_name, name_key, slug

ROOT = Path(__file__).resolve().parent.parent
PRESETS_DIR = ROOT / "scenarios"
DEFAULT_FOLDER = PRESETS_DIR / "saved"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DATABASE_URL_VARIABLE = "INTERCONNECT_DATABASE_URL"
SAVED_DIR_VARIABLE = "INTERCONNECT_SAVED_DIR"
QUOTA_VARIABLE = "INTERCONNECT_QUOTA"
TRASH_DAYS = 30
PARSE_CACHE_SIZE = 5_000
DEFAULT_QUOTA = 200  # live scenarios per owner, or per anonymous visitor's address; the trash does not count
MAX_VERSIONS = 100   # versions kept per scenario: beyond it the oldest are pruned (the current one never)
MAX_ALIASES = 20     # old slugs kept per scenario: beyond it the oldest stop opening it
WAIT_SECONDS = 3     # how long a write waits for a lock held elsewhere before it says it was not done
UI_LABELS = ("chart.status_quo", "compare.current")  # names that would impersonate the UI


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


@dataclass(frozen=True)
class Actor:
    """Who acts on the library. `key` is the owner key (a web sign-in's issuer and subject; None when
    anonymous), `name` what the history shows (a verified e-mail), `client` an anonymous visitor's
    pseudonymous address (their quota), and `admin` the command line, which may act on anyone's
    scenario: no web sign-in can set it, whatever its claims say."""
    key: str | None = None
    name: str | None = None
    client: str | None = None
    admin: bool = False


ADMIN = Actor(name="(command line)", admin=True)
ActorLike = Actor | str | None


def as_actor(actor: ActorLike) -> Actor:
    """A bare string is an owner key (as the tests and the one-owner callers pass it)."""
    return actor if isinstance(actor, Actor) else Actor(key=actor, name=actor)


@dataclass(frozen=True)
class StoredScenario:
    stem: str                    # the slug: what links and the pages use
    scenario: Scenario
    protected: bool              # a shipped preset
    id: str = ""
    owner: str | None = None
    version: int = 0
    updated_at: datetime.datetime | None = None
    deleted_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Change:
    """One field a version changed: `levers.payment_interop`, `assumptions.<id>`, `horizon`, `name`, ...;
    None where the field was not set (a lever at its status-quo value, an assumption at its central one)."""
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class Version:
    version: int
    name: str
    saved_at: datetime.datetime
    saved_by: str | None         # the owner key of who saved it
    action: str
    yaml_text: str
    saved_by_name: str | None = None  # what the history shows for them
    changes: tuple[Change, ...] = ()  # against the version before it; empty for the first or a trash move


def scenario_changes(before: Scenario, after: Scenario) -> tuple[Change, ...]:
    """What differs between two versions of a scenario, field by field."""
    changes = [Change(field, getattr(before, field) or None, getattr(after, field) or None)
               for field in ("name", "name_zh", "description", "description_zh", "horizon")
               if getattr(before, field) != getattr(after, field)]
    for group in ("levers", "assumptions"):
        old, new = getattr(before, group), getattr(after, group)
        changes += [Change(f"{group}.{key}", old.get(key), new.get(key))
                    for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]
    return tuple(changes)


def _problem(field: str, message: str, code: str, **params) -> InputError:
    return InputError([Problem(field, message, code, params)])


def reserved_labels() -> dict[str, str]:
    """UI labels a saved name must not look like ("Status quo", "现状", "Current levers (unsaved)", ...),
    read from the string catalogue without importing the UI."""
    catalogue = parse_yaml((ROOT / "ui" / "strings.yaml").read_bytes(), max_bytes=500_000)
    return {catalogue[key][lang]: key for key in UI_LABELS for lang in ("en", "zh")}


def database_url(folder: Path | None = None) -> str:
    """INTERCONNECT_DATABASE_URL, else an SQLite file where saved files used to live (git-ignored)."""
    configured = os.environ.get(DATABASE_URL_VARIABLE)
    if configured:
        return configured
    folder = folder or saved_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'library.sqlite3'}"


def saved_folder() -> Path:
    return Path(os.environ.get(SAVED_DIR_VARIABLE) or DEFAULT_FOLDER)


@lru_cache(maxsize=8)
def engine_for(url: str, wait_seconds: float = WAIT_SECONDS) -> Engine:
    """One engine (connection pool) per database per process, with the schema migrated to the latest."""
    sqlite = url.startswith("sqlite")
    # A lock held elsewhere is waited for `wait_seconds`, then the write says it was not done.
    engine = create_engine(url, pool_pre_ping=not sqlite,
                           connect_args={"timeout": wait_seconds} if sqlite
                           else {"options": f"-c lock_timeout={round(wait_seconds * 1000)}"})
    if sqlite:
        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for a writer
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration. Servers starting together on one database take turns:
    a PostgreSQL advisory lock, or a lock file beside an SQLite file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sql_text("SELECT pg_advisory_xact_lock(20211020)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def _migration_lock(engine: Engine):
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrating", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class ScenarioLibrary:
    def __init__(self, url: str | None = None, presets_dir: Path = PRESETS_DIR, data: ModelData | None = None,
                 quota: int | None = None, reserved: dict[str, str] | None = None,
                 wait_seconds: float = WAIT_SECONDS):
        self.engine = engine_for(url or database_url(), wait_seconds)
        self.presets_dir = Path(presets_dir)
        self.data = data or default_data()
        self.quota = quota if quota is not None else int(os.environ.get(QUOTA_VARIABLE) or DEFAULT_QUOTA)
        self.reserved = reserved if reserved is not None else reserved_labels()
        self._preset_cache: tuple | None = None
        self._parse_cache: dict[str, Scenario] = {}
        self._file_identity = _file_identity(self.engine)
        self._client_salt: str | None = None

    # ----- reading -----

    def presets(self) -> list[StoredScenario]:
        paths = sorted(self.presets_dir.glob("*.yaml"), key=lambda p: (p.stem != "status-quo", p.name))
        version = tuple((p.name, p.stat().st_mtime_ns) for p in paths)
        if self._preset_cache is None or self._preset_cache[0] != version:
            self._preset_cache = (version, [StoredScenario(p.stem, load_scenario(p, self.data), True)
                                            for p in paths])
        return self._preset_cache[1]

    def _entry(self, row: ScenarioRow) -> StoredScenario:
        return StoredScenario(row.slug, self._parsed(row), False, row.id, row.owner, row.version,
                              _aware(row.updated_at), row.deleted_at and _aware(row.deleted_at))

    def _parsed(self, row: ScenarioRow) -> Scenario:
        return self._parsed_text(row.yaml_text)

    def _parsed_text(self, text: str) -> Scenario:
        """Parse each version once: the pages show the same few scenarios on every rerun. Bounded: the
        oldest parse is dropped first."""
        scenario = self._parse_cache.pop(text, None) or parse_scenario(text, self.data)
        self._parse_cache[text] = scenario
        while len(self._parse_cache) > PARSE_CACHE_SIZE:
            self._parse_cache.pop(next(iter(self._parse_cache)))
        return scenario

    def _by_name(self) -> tuple:
        """Case ignored, then the id for a stable order. PostgreSQL is told to compare code points, as
        SQLite does, so that both list the same order whatever the server's locale."""
        folded = func.lower(ScenarioRow.name)
        if self.engine.dialect.name == "postgresql":
            folded = folded.collate("C")
        return folded, ScenarioRow.id

    def saved_page(self, search: str = "", limit: int | None = None, offset: int = 0,
                   trash: bool = False) -> tuple[list[StoredScenario], int]:
        """Saved scenarios (or those in the trash) whose name contains `search`, by name: `limit` of
        them from `offset` (all with None), and how many match in all. Case is ignored for the
        letters the database folds: all of them on PostgreSQL, A–Z on SQLite."""
        wanted = [ScenarioRow.deleted_at.is_not(None) if trash else ScenarioRow.deleted_at.is_(None)]
        if search:
            wanted.append(ScenarioRow.name.ilike(f"%{_like_escaped(search)}%", escape="\\"))
        with Session(self.engine) as session:
            total = session.scalar(select(func.count()).select_from(ScenarioRow).where(*wanted))
            rows = session.scalars(select(ScenarioRow).where(*wanted).order_by(*self._by_name())
                                   .limit(limit).offset(offset))
            return [self._entry(row) for row in rows], total

    def saved(self, trash: bool = False) -> list[StoredScenario]:
        """Every saved scenario (or every one in the trash), by name: for the command line; the pages
        ask for a page at a time."""
        return self.saved_page(trash=trash)[0]

    def recent(self, limit: int) -> list[StoredScenario]:
        """The `limit` live saved scenarios saved or changed last, newest first."""
        with Session(self.engine) as session:
            rows = session.scalars(select(ScenarioRow).where(ScenarioRow.deleted_at.is_(None))
                                   .order_by(ScenarioRow.updated_at.desc(), ScenarioRow.id).limit(limit))
            return [self._entry(row) for row in rows]

    def find(self, stems: Iterable[str]) -> dict[str, StoredScenario]:
        """The live scenarios these identifiers name (a preset's stem; a saved scenario's slug, old slug
        or id), keyed by the identifier asked for, in the order asked; what names nothing live is left
        out. One query for the saved ones, however many are saved."""
        stems = list(dict.fromkeys(stems))
        presets = {preset.stem: preset for preset in self.presets()}
        asked = [stem for stem in stems if stem not in presets]
        rows: dict[str, ScenarioRow] = {}
        if asked:
            with Session(self.engine) as session:
                aliases = dict(session.execute(select(SlugAliasRow.slug, SlugAliasRow.scenario_id)
                                               .where(SlugAliasRow.slug.in_(asked))).all())
                live = session.scalars(select(ScenarioRow).where(
                    ScenarioRow.deleted_at.is_(None),
                    ScenarioRow.slug.in_(asked) | ScenarioRow.id.in_([*asked, *aliases.values()]))).all()
            by_slug, by_id = {row.slug: row for row in live}, {row.id: row for row in live}
            rows = {stem: row for stem in asked
                    if (row := by_slug.get(stem) or by_id.get(stem) or by_id.get(aliases.get(stem, "")))}
        return {stem: presets[stem] if stem in presets else self._entry(rows[stem])
                for stem in stems if stem in presets or stem in rows}

    def resolve(self, stem: str) -> str | None:
        """The current slug for a slug, an old slug (renamed) or an id; None if nothing live has it."""
        entry = self.find([stem]).get(stem)
        return entry.stem if entry else None

    def _live_row(self, session: Session, stem: str, trash: bool = False) -> ScenarioRow | None:
        alias = session.get(SlugAliasRow, stem)
        wanted = (ScenarioRow.slug == stem) | (ScenarioRow.id == stem)
        if alias is not None:
            wanted = wanted | (ScenarioRow.id == alias.scenario_id)
        deleted = ScenarioRow.deleted_at.is_not(None) if trash else ScenarioRow.deleted_at.is_(None)
        return session.scalars(select(ScenarioRow).where(wanted, deleted)).first()

    def get(self, stem: str) -> StoredScenario:
        entry = self.find([stem]).get(stem)
        if entry is None:
            raise _problem("scenario", f"there is no scenario {stem!r}", "not_found", stem=stem)
        return entry

    def text(self, stem: str) -> str:
        entry = self.get(stem)
        if entry.protected:
            return (self.presets_dir / f"{entry.stem}.yaml").read_text(encoding="utf-8")
        return yaml_of(entry.scenario)

    def history(self, stem: str) -> list[Version]:
        """Every saved version, newest first (live or in the trash)."""
        return self.history_page(stem)[0]

    def history_page(self, stem: str, limit: int | None = None, offset: int = 0) -> tuple[list[Version], int]:
        """`limit` versions from `offset`, newest first, each with what it changed against the version
        before it, and how many versions are kept in all."""
        with Session(self.engine) as session:
            row = self._live_row(session, stem) or self._live_row(session, stem, trash=True)
            if row is None:
                raise _problem("scenario", f"there is no saved scenario {stem!r}", "not_found", stem=stem)
            total = session.scalar(select(func.count()).select_from(VersionRow).where(VersionRow.scenario_id == row.id))
            rows = session.scalars(select(VersionRow).where(VersionRow.scenario_id == row.id)
                                   .order_by(VersionRow.version.desc()).offset(offset)
                                   .limit(None if limit is None else limit + 1)).all()  # one more: what the last changed
        shown = rows if limit is None else rows[:limit]
        return [Version(v.version, v.name, _aware(v.saved_at), v.saved_by, v.action, v.yaml_text, v.saved_by_name,
                        scenario_changes(self._parsed_text(older.yaml_text), self._parsed_text(v.yaml_text))
                        if older is not None else ())
                for v, older in zip(shown, [*rows[1:len(shown) + 1], *[None] * len(shown)])], total

    # ----- writing -----

    @contextmanager
    def _writing(self):
        """A session for one change, committed when the block ends, rolled back when it raises. Its first
        statement takes the library's write lock: one writer at a time, so that the name checks are still
        true when the row is written. A database that is locked, gone or replaced gives a `not_written`
        problem within WAIT_SECONDS, never a hang or a write that a restart would lose."""
        self._check_database_file()
        session = Session(self.engine)
        try:
            session.execute(update(MetaRow).where(MetaRow.key == "lock").values(value=MetaRow.value))
            yield session
            session.commit()
        except DBAPIError as error:
            session.rollback()
            reason = f"the database did not answer ({_reason(error)})"
            raise _problem("database", f"NOT saved: nothing was written, because {reason}; try again in a moment",
                           "not_written", reason=reason) from error
        finally:
            session.close()

    def _check_database_file(self) -> None:
        """Refuse to write when the SQLite file this library opened was removed or replaced meanwhile: a write
        would go to a file nobody reads again (the old one is unlinked) or to one that was never migrated."""
        if self._file_identity is None:
            return
        path = Path(self.engine.url.database)
        try:
            found = path.stat()
        except FileNotFoundError:
            found = None
        if found is None or (found.st_dev, found.st_ino) != self._file_identity:
            reason = (f"the database file was {'removed' if found is None else 'replaced'} while the app was "
                      f"running ({path.name}): restart the app")
            raise _problem("database", f"NOT saved: nothing was written, because {reason}", "not_written",
                           reason=reason)

    def _check_name_free(self, session: Session, name: str, actor: Actor, keep_id: str | None = None) -> None:
        problems = check_name(name)
        if problems:
            raise InputError(problems)
        key = name_key(name)
        for label in self.reserved:
            if name_key(label) == key:
                raise _problem("name", f"{name!r} reads as the page's own label {label!r}; choose another name",
                               "name_reserved", name=name, label=label)
        for preset in self.presets():
            names = (preset.scenario.name, preset.scenario.name_zh, preset.stem)
            if key in {name_key(n) for n in names if n}:
                raise _problem("name", f"{name!r} reads as the preset {preset.scenario.name!r}, which cannot be "
                                       "replaced; choose another name", "name_taken_by_preset",
                               name=name, preset=preset.scenario.name)
        clash = session.scalars(select(ScenarioRow).where(ScenarioRow.name_key == key,
                                                          ScenarioRow.deleted_at.is_(None))).first()
        if clash is None or clash.id == keep_id:
            return
        if not _may(clash, actor):
            raise _problem("name", f"{name!r} looks like the saved scenario {clash.name!r}, which belongs to another "
                                   "user; choose another name", "name_owned", name=clash.name)
        raise _problem("name", f"{name!r} looks like the saved scenario {clash.name!r}",
                       "exists", name=clash.name, stem=clash.slug)

    def _free_slug(self, session: Session, name: str, keep_id: str | None = None) -> str:
        """The slug for a name: the same for the same name whoever saves it first, so two long names
        sharing their first 60 characters never take each other's (a cut slug ends in a hash of the
        whole name); `-2`, `-3` only if that is taken."""
        base = slug(name)
        for number in range(1, 10_000):
            candidate = base if number == 1 else f"{base[:55]}-{number}"
            row = session.scalars(select(ScenarioRow).where(ScenarioRow.slug == candidate)).first()
            alias = session.get(SlugAliasRow, candidate)
            preset = any(p.stem == candidate for p in self.presets())
            if not preset and (row is None or row.id == keep_id) and (alias is None or alias.scenario_id == keep_id):
                return candidate
        raise _problem("name", "no free identifier for this name", "no_slug")

    @staticmethod
    def _may_change(row: ScenarioRow, actor: Actor) -> None:
        if not _may(row, actor):
            raise _problem("scenario", f"{row.name!r} belongs to another user: you can open it and save a copy "
                                       "under a new name, but not change or delete it", "not_owner", name=row.name)

    def _add_version(self, session: Session, row: ScenarioRow, actor: Actor, action: str) -> None:
        """Record the row as it now is, as its next version; beyond MAX_VERSIONS the oldest are pruned."""
        session.add(VersionRow(scenario_id=row.id, version=row.version, name=row.name, yaml_text=row.yaml_text,
                               saved_at=row.updated_at, saved_by=actor.key, saved_by_name=actor.name, action=action))
        session.execute(delete(VersionRow).where(VersionRow.scenario_id == row.id,
                                                 VersionRow.version <= row.version - MAX_VERSIONS))

    def _changed(self, session: Session, row: ScenarioRow, actor: Actor, action: str) -> None:
        """A new version of the row: content, trash state or name changed."""
        row.version += 1
        row.updated_at = _now()
        self._add_version(session, row, actor, action)

    def _move_slug(self, session: Session, row: ScenarioRow, name: str) -> None:
        """The slug follows a new name; the old one stays an alias (at most MAX_ALIASES, oldest dropped)."""
        new_slug = self._free_slug(session, name, keep_id=row.id)
        if new_slug != row.slug and session.get(SlugAliasRow, row.slug) is None:
            session.add(SlugAliasRow(slug=row.slug, scenario_id=row.id, added_at=_now()))
            session.flush()
            kept = select(SlugAliasRow.slug).where(SlugAliasRow.scenario_id == row.id).order_by(
                SlugAliasRow.added_at.desc(), SlugAliasRow.slug).limit(MAX_ALIASES)
            session.execute(delete(SlugAliasRow).where(SlugAliasRow.scenario_id == row.id,
                                                       SlugAliasRow.slug.not_in(kept.scalar_subquery())))
        row.slug = new_slug

    def _checked_text(self, scenario: Scenario) -> tuple[Scenario, str]:
        clean = replace(scenario, name=scenario.name.strip())  # every other field, name_zh included, as given
        text = yaml_of(clean)
        parse_scenario(text, self.data)  # never store what the loader would refuse
        return clean, text

    def save(self, scenario: Scenario, actor: ActorLike = None, overwrite: bool = False) -> StoredScenario:
        """Save a new scenario, or with `overwrite` a new version of the one with that name (the previous
        version stays in the history). `actor` is who saves (None: anonymous)."""
        problems = check_name(scenario.name)
        if problems:
            raise InputError(problems)
        scenario, text = self._checked_text(scenario)
        return self._save(scenario, text, as_actor(actor), overwrite)

    def _save(self, scenario: Scenario, text: str, actor: Actor, overwrite: bool) -> StoredScenario:
        with self._writing() as session:
            try:
                self._check_name_free(session, scenario.name, actor)
            except InputError as error:
                clash = next((p for p in error.problems if p.code == "exists"), None)
                if clash is None or not overwrite:
                    raise
                row = session.scalars(select(ScenarioRow).where(ScenarioRow.slug == clash.params["stem"])).one()
                self._may_change(row, actor)
                row.name, row.name_key, row.yaml_text = scenario.name, name_key(scenario.name), text
                self._changed(session, row, actor, "save")
            else:
                self._check_quota(session, actor)
                now = _now()
                row = ScenarioRow(id=uuid.uuid4().hex, slug=self._free_slug(session, scenario.name),
                                  name=scenario.name, name_key=name_key(scenario.name), owner=actor.key,
                                  client=None if actor.key else actor.client, yaml_text=text,
                                  version=1, created_at=now, updated_at=now, deleted_at=None)
                session.add(row)
                session.flush()
                self._add_version(session, row, actor, "create")
            return self._entry(row)

    def _check_quota(self, session: Session, actor: Actor) -> None:
        """Live scenarios per owner, or per anonymous visitor's address, so that no one visitor fills the
        shared library for everyone; the trash never counts (it empties itself, and `purge` empties it)."""
        if actor.admin:
            return
        if actor.key is not None:
            owned = ScenarioRow.owner == actor.key
        else:
            owned = ScenarioRow.owner.is_(None) & (ScenarioRow.client == actor.client if actor.client
                                                    else ScenarioRow.client.is_(None))
        count = session.scalar(select(func.count()).select_from(ScenarioRow).where(
            owned, ScenarioRow.deleted_at.is_(None)))
        if count >= self.quota:
            raise _problem("quota", f"you already have {count} saved scenarios, the most allowed ({self.quota}; the "
                                    "trash does not count): delete some first", "quota", count=count, limit=self.quota)

    def save_upload(self, raw: bytes, actor: ActorLike = None, overwrite: bool = False) -> StoredScenario:
        """Validate an uploaded file completely, then save it; nothing is written if it is invalid."""
        try:
            scenario = parse_scenario(raw, self.data)
        except InputError as error:
            raise InputError(error.problems + _upload_name_problems(raw, error.problems)) from None
        return self.save(scenario, actor=actor, overwrite=overwrite)

    def rename(self, stem: str, new_name: str, actor: ActorLike = None) -> StoredScenario:
        """New display name and slug; the id stays and the old slug keeps opening the scenario."""
        actor, new_name = as_actor(actor), new_name.strip()
        with self._writing() as session:
            row = self._changeable(session, stem, actor)
            self._check_name_free(session, new_name, actor, keep_id=row.id)
            self._move_slug(session, row, new_name)
            renamed, text = self._checked_text(replace(parse_scenario(row.yaml_text, self.data), name=new_name))
            row.name, row.name_key, row.yaml_text = renamed.name, name_key(renamed.name), text
            self._changed(session, row, actor, "rename")
            return self._entry(row)

    def _changeable(self, session: Session, stem: str, actor: Actor, trash: bool = False) -> ScenarioRow:
        if not trash and any(p.stem == stem for p in self.presets()):
            raise _problem("scenario", f"{stem!r} is a preset and cannot be changed", "protected", name=stem)
        row = self._live_row(session, stem, trash=trash)
        if row is None:
            where = "in the trash" if trash else "saved"
            raise _problem("scenario", f"there is no scenario {stem!r} {where}", "not_found", stem=stem)
        self._may_change(row, actor)
        return row

    def delete(self, stem: str, actor: ActorLike = None) -> StoredScenario:
        """Move to the trash: restorable for TRASH_DAYS days."""
        actor = as_actor(actor)
        with self._writing() as session:
            row = self._changeable(session, stem, actor)
            row.deleted_at = _now()
            self._changed(session, row, actor, "delete")
            return self._entry(row)

    def restore(self, stem: str, actor: ActorLike = None) -> StoredScenario:
        """Bring a scenario back from the trash, unless a live one now has a look-alike name."""
        actor = as_actor(actor)
        with self._writing() as session:
            row = self._changeable(session, stem, actor, trash=True)
            self._check_name_free(session, row.name, actor, keep_id=row.id)
            row.deleted_at = None
            self._changed(session, row, actor, "restore")
            return self._entry(row)

    def restore_version(self, stem: str, version: int, actor: ActorLike = None) -> StoredScenario:
        """Make an earlier version the current one (as a new version: nothing is overwritten)."""
        actor = as_actor(actor)
        with self._writing() as session:
            row = self._changeable(session, stem, actor)
            old = session.scalars(select(VersionRow).where(VersionRow.scenario_id == row.id,
                                                           VersionRow.version == version)).first()
            if old is None:
                raise _problem("version", f"{row.name!r} has no version {version}", "not_found", stem=str(version))
            self._check_name_free(session, old.name, actor, keep_id=row.id)
            if old.name != row.name:
                self._move_slug(session, row, old.name)
            row.name, row.name_key, row.yaml_text = old.name, name_key(old.name), old.yaml_text
            self._changed(session, row, actor, f"restore {version}"[:16])
            return self._entry(row)

    def purge_expired(self, days: int = TRASH_DAYS, now: datetime.datetime | None = None) -> int:
        """Remove for good what has been in the trash longer than `days` (0: everything in it); returns how
        many. The command line's `store purge` empties the trash at once."""
        cutoff = (now or _now()) - datetime.timedelta(days=days)
        with self._writing() as session:
            rows = [row for row in session.scalars(select(ScenarioRow).where(ScenarioRow.deleted_at.is_not(None)))
                    if _aware(row.deleted_at) <= cutoff]
            for row in rows:
                session.execute(delete(VersionRow).where(VersionRow.scenario_id == row.id))
                session.execute(delete(SlugAliasRow).where(SlugAliasRow.scenario_id == row.id))
                session.delete(row)
            return len(rows)

    def import_folder(self, folder: Path, once: bool = True) -> list[str]:
        """Import the YAML files of a folder (the old scenarios/saved/), once: later calls do nothing.
        Returns one line per file: imported, or why not. Leftover temporary files (L4) are removed."""
        folder = Path(folder)
        if not folder.is_dir():
            return []
        for leftover in folder.glob(".saving-*.tmp"):  # a save killed mid-write by the old file store
            leftover.unlink(missing_ok=True)
        marker = "imported:" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:40]
        if once:
            with Session(self.engine) as session:
                if session.get(MetaRow, marker) is not None:
                    return []
        imported, refused = self.import_files(sorted(folder.glob("*.yaml")), actor=None, newer=False)
        if once:
            with self._writing() as session:
                if session.get(MetaRow, marker) is None:
                    session.add(MetaRow(key=marker, value=f"{folder.resolve()} at {_now().isoformat()}"))
        return imported + refused

    def import_files(self, paths: list[Path], actor: ActorLike = ADMIN,
                     newer: bool = True) -> tuple[list[str], list[str]]:
        """Save each file; returns the lines for what was imported (or was already there, unchanged) and
        for what was refused, and why. With `newer`, a file whose name is a saved scenario's but whose
        content differs becomes that scenario's next version (its history kept)."""
        imported, refused = [], []
        for path in paths:
            try:
                scenario = load_scenario(path, self.data)
                current = self._live_named(scenario.name)
                if current is not None and yaml_of(current.scenario) == self._checked_text(scenario)[1]:
                    imported.append(f"{path}: unchanged, already saved as {current.stem}")
                    continue
                entry = self.save(scenario, actor=actor, overwrite=newer)
            except InputError as error:
                refused += [f"{path}: {p}" for p in error.problems]
            else:
                added = "a new scenario" if entry.version == 1 else f"version {entry.version}"
                imported.append(f"{path}: imported as {entry.stem} ({added})")
        return imported, refused

    def claim_legacy(self, email: str, actor: ActorLike) -> int:
        """Hand the scenarios an earlier release keyed on this e-mail (`email:<address>`, migration 0002)
        to the signed-in account whose provider verified that e-mail; returns how many. The caller
        checks that the e-mail is verified."""
        actor, legacy = as_actor(actor), f"email:{email}"
        if actor.key is None:
            return 0
        with Session(self.engine) as session:  # a read first: almost every visitor has none, and reads take no lock
            if not session.scalar(select(func.count()).select_from(ScenarioRow).where(ScenarioRow.owner == legacy)):
                return 0
        with self._writing() as session:
            return session.execute(update(ScenarioRow).where(ScenarioRow.owner == legacy)
                                   .values(owner=actor.key)).rowcount

    def client_key(self, address: str) -> str:
        """An anonymous visitor's address as the library keeps it: a keyed hash (the key is this library's
        own, in library_meta), enough to count their saves, not to recover the address."""
        if self._client_salt is None:
            with Session(self.engine) as session:
                self._client_salt = session.get(MetaRow, "client_salt").value
        return hmac.new(self._client_salt.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]

    def _live_named(self, name: str) -> StoredScenario | None:
        """The live saved scenario whose name reads as `name`, if any."""
        with Session(self.engine) as session:
            row = session.scalars(select(ScenarioRow).where(ScenarioRow.name_key == name_key(name.strip()),
                                                            ScenarioRow.deleted_at.is_(None))).first()
            return row and self._entry(row)


def _may(row: ScenarioRow, actor: Actor) -> bool:
    """An owned scenario may be changed by its owner and the command line only; an unowned one by anyone."""
    return actor.admin or row.owner is None or row.owner == actor.key


def _reason(error: DBAPIError) -> str:
    """The database's own words, first line only (e.g. "database is locked")."""
    return str(error.orig).strip().splitlines()[0][:200] if error.orig else type(error).__name__


def _file_identity(engine: Engine) -> tuple[int, int] | None:
    """The device and inode of an SQLite library's file, to notice it being removed or replaced."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return None
    found = Path(database).stat()
    return found.st_dev, found.st_ino


def _like_escaped(text: str) -> str:
    """`text` matched literally by LIKE: its wildcards and the escape character escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def yaml_of(scenario: Scenario) -> str:
    """A scenario as the text of a scenario file."""
    return yaml.safe_dump(scenario.to_file_dict(), allow_unicode=True, sort_keys=False)


def _upload_name_problems(raw: bytes, found: list[Problem]) -> list[Problem]:
    """The library's own name rules, checked on a refused upload too so that one round lists everything."""
    if any(problem.field == "name" for problem in found):
        return []
    try:
        document = parse_yaml(raw, max_bytes=SCENARIO_FILE_LIMIT)
    except InputError:
        return []
    name = document.get("name") if isinstance(document, dict) else None
    return check_name(name) if isinstance(name, str) else []


@lru_cache(maxsize=4)
def _library_for(url: str) -> ScenarioLibrary:
    library = ScenarioLibrary(url)
    library.import_folder(saved_folder())
    library.purge_expired()
    return library


def default_library(url: str | None = None) -> ScenarioLibrary:
    """The project's library: INTERCONNECT_DATABASE_URL or `url`, else the SQLite file in the saved
    folder. On first use in a process: import the saved folder's YAML files once, purge the old trash."""
    return _library_for(os.environ.get(DATABASE_URL_VARIABLE) or url or database_url())
