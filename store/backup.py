"""Backups that restore exactly: every saved scenario with its id, slug, owner, trash state, every kept
version and every old slug, and the library's own facts, as one JSON file. Restoring it into an empty
library reproduces the library row by row (on SQLite or PostgreSQL, whichever wrote it); restoring it
again changes nothing. The `id` column of the versions table is the database's own counter and is not
kept: a version is (scenario id, version number)."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from model.scenario import parse_scenario
from model.yamlio import InputError, Problem

from .library import ScenarioLibrary, _aware
from .models import MetaRow, ScenarioRow, SlugAliasRow, VersionRow
from .names import name_key

FORMAT = "interconnect-library-backup"
FORMAT_VERSION = 1
LIBRARY_FACTS_NOT_KEPT = ("lock",)  # the write-lock row every library has


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class BackupVersion(_Strict):
    version: int
    name: str
    yaml_text: str
    saved_at: datetime.datetime
    saved_by: str | None
    saved_by_name: str | None
    action: str


class BackupAlias(_Strict):
    slug: str
    added_at: datetime.datetime | None


class BackupScenario(_Strict):
    id: str
    slug: str
    name: str
    owner: str | None
    client: str | None
    yaml_text: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    deleted_at: datetime.datetime | None
    versions: list[BackupVersion]
    aliases: list[BackupAlias]


class Backup(_Strict):
    format: str
    format_version: int
    written_at: datetime.datetime
    library_facts: dict[str, str]
    scenarios: list[BackupScenario]


def is_backup_file(target: str) -> bool:
    """`store restore X` restores a backup when X is a file name (it holds a dot; a slug or id never does),
    else brings the scenario X back from the trash."""
    return "." in target


def _when(moment: datetime.datetime | None) -> datetime.datetime | None:
    return moment and _aware(moment)


def backup(library: ScenarioLibrary, path: Path) -> int:
    """Write the whole library to `path` (one consistent read); returns how many scenarios."""
    with Session(library.engine) as session, session.begin():
        rows = session.scalars(select(ScenarioRow).order_by(ScenarioRow.id)).all()
        versions: dict[str, list[VersionRow]] = {}
        for version in session.scalars(select(VersionRow).order_by(VersionRow.scenario_id, VersionRow.version)):
            versions.setdefault(version.scenario_id, []).append(version)
        aliases: dict[str, list[SlugAliasRow]] = {}
        for alias in session.scalars(select(SlugAliasRow).order_by(SlugAliasRow.slug)):
            aliases.setdefault(alias.scenario_id, []).append(alias)
        facts = {fact.key: fact.value for fact in session.scalars(select(MetaRow))
                 if fact.key not in LIBRARY_FACTS_NOT_KEPT}
        scenarios = [BackupScenario(
            id=row.id, slug=row.slug, name=row.name, owner=row.owner, client=row.client, yaml_text=row.yaml_text,
            version=row.version, created_at=_when(row.created_at), updated_at=_when(row.updated_at),
            deleted_at=_when(row.deleted_at),
            versions=[BackupVersion(version=v.version, name=v.name, yaml_text=v.yaml_text, saved_at=_when(v.saved_at),
                                    saved_by=v.saved_by, saved_by_name=v.saved_by_name, action=v.action)
                      for v in versions.get(row.id, [])],
            aliases=[BackupAlias(slug=a.slug, added_at=_when(a.added_at)) for a in aliases.get(row.id, [])])
            for row in rows]
    document = Backup(format=FORMAT, format_version=FORMAT_VERSION, written_at=datetime.datetime.now(datetime.UTC),
                      library_facts=facts, scenarios=scenarios)
    path.write_text(document.model_dump_json(indent=1), encoding="utf-8")
    return len(scenarios)


def read_backup(path: Path, library: ScenarioLibrary) -> Backup:
    """The backup file, checked whole before anything is written: its form, and every version's text
    as the scenario loader reads it."""
    try:
        document = Backup.model_validate(json.loads(path.read_text(encoding="utf-8")), strict=False)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as error:
        raise InputError([Problem("file", f"is not a library backup: {str(error).splitlines()[0]}",
                                  "not_a_backup")]) from None
    if document.format != FORMAT or document.format_version != FORMAT_VERSION:
        raise InputError([Problem("format", f"must be {FORMAT} version {FORMAT_VERSION}, got {document.format} "
                                            f"version {document.format_version}", "not_a_backup")])
    problems = []
    for scenario in document.scenarios:
        for number, text in [("current", scenario.yaml_text), *((v.version, v.yaml_text) for v in scenario.versions)]:
            try:
                parse_scenario(text, library.data)
            except InputError as error:
                problems += [Problem(f"scenarios.{scenario.id}.{number}.{p.field}", p.message, p.code, p.params)
                             for p in error.problems]
    if problems:
        raise InputError(problems)
    return document


def restore(library: ScenarioLibrary, path: Path) -> tuple[list[str], list[str]]:
    """Restore a backup: each scenario the library lacks is added exactly as it was (id, slug, owner,
    trash state, versions, old slugs); one it holds exactly as in the backup is left alone; one the
    library holds otherwise (changed since, or another scenario in its slug or name) is refused with why.
    Returns the lines for what was restored or already there, and for what was refused."""
    document = read_backup(path, library)
    done, refused = [], []
    with library._writing() as session:
        empty = session.scalars(select(ScenarioRow.id).limit(1)).first() is None
        for fact, value in document.library_facts.items():
            if session.get(MetaRow, fact) is None:
                session.add(MetaRow(key=fact, value=value))
            elif empty:  # e.g. the key of anonymous visitors' addresses: their quotas keep counting the same way
                session.get(MetaRow, fact).value = value
        library._client_salt = None
        for scenario in document.scenarios:
            problem = _conflict(session, scenario)
            if problem == "same":
                done.append(f"{scenario.slug}: unchanged, already in the library")
            elif problem:
                refused.append(f"{scenario.slug}: not restored: {problem}")
            else:
                _add(session, scenario)
                done.append(f"{scenario.slug}: restored ({len(scenario.versions)} versions"
                            f"{', in the trash' if scenario.deleted_at else ''})")
    return done, refused


def _conflict(session: Session, scenario: BackupScenario) -> str:
    """Why this scenario cannot be added as it is ("same" when the library already holds it exactly)."""
    existing = session.get(ScenarioRow, scenario.id)
    if existing is not None:
        same = (_fields(existing) == _fields(scenario)
                and [(v.version, v.yaml_text, v.action) for v in session.scalars(
                    select(VersionRow).where(VersionRow.scenario_id == existing.id).order_by(VersionRow.version))]
                == [(v.version, v.yaml_text, v.action) for v in scenario.versions])
        return "same" if same else "the library holds this scenario (same id) with other content or history"
    for slug in [scenario.slug, *(a.slug for a in scenario.aliases)]:
        taken = session.scalars(select(ScenarioRow).where(ScenarioRow.slug == slug)).first()
        if taken is not None or session.get(SlugAliasRow, slug) is not None:
            return f"another scenario in the library has the link name {slug!r}"
    if scenario.deleted_at is None:
        clash = session.scalars(select(ScenarioRow).where(ScenarioRow.name_key == name_key(scenario.name),
                                                          ScenarioRow.deleted_at.is_(None))).first()
        if clash is not None:
            return f"the library's scenario {clash.name!r} has a look-alike name"
    return ""


def _fields(row) -> tuple:
    return (row.slug, row.name, row.owner, row.client, row.yaml_text, row.version, _when(row.created_at),
            _when(row.updated_at), _when(row.deleted_at))


def _add(session: Session, scenario: BackupScenario) -> None:
    session.add(ScenarioRow(id=scenario.id, slug=scenario.slug, name=scenario.name, name_key=name_key(scenario.name),
                            owner=scenario.owner, client=scenario.client, yaml_text=scenario.yaml_text,
                            version=scenario.version, created_at=scenario.created_at, updated_at=scenario.updated_at,
                            deleted_at=scenario.deleted_at))
    session.flush()
    session.add_all([VersionRow(scenario_id=scenario.id, version=v.version, name=v.name, yaml_text=v.yaml_text,
                                saved_at=v.saved_at, saved_by=v.saved_by, saved_by_name=v.saved_by_name,
                                action=v.action) for v in scenario.versions])
    session.add_all([SlugAliasRow(slug=a.slug, scenario_id=scenario.id, added_at=a.added_at)
                     for a in scenario.aliases])
    session.flush()
