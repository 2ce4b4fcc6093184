"""Scenario files on disk: the shipped presets (protected) and users' saved scenarios.

Saves are atomic (temporary file, fsync, rename) and serialised across threads and processes by
a lock file, so two people pressing Save at once never lose or half-write a scenario.
"""
from __future__ import annotations

import fcntl
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .data import ModelData, default_data
from .scenario import NAME_MAX, SCENARIO_FILE_LIMIT, Scenario, load_scenario, parse_scenario, slug
from .yamlio import InputError, Problem, parse_yaml

PRESETS_DIR = Path(__file__).resolve().parent.parent / "scenarios"
SAVED_DIR_VARIABLE = "INTERCONNECT_SAVED_DIR"
EXTRA_NAME_CHARACTERS = set(" -_–(),.&")
_THREAD_LOCK = threading.Lock()


def check_name(name: str) -> list[Problem]:
    """Problems with a scenario name: length, characters, path tricks."""
    stripped = name.strip()
    if not stripped:
        return [Problem("name", "must not be empty", "name_empty")]
    problems = []
    if len(stripped) > NAME_MAX:
        problems.append(Problem("name", f"must be at most {NAME_MAX} characters, got {len(stripped)}",
                                "name_too_long", {"limit": NAME_MAX, "length": len(stripped)}))
    bad = sorted({ch for ch in stripped if not (ch.isalnum() or ch in EXTRA_NAME_CHARACTERS)})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        problems.append(Problem("name", "may hold letters (Chinese too), digits, spaces and - _ – ( ) , . & only; "
                                        f"remove {shown}",
                                "name_characters", {"characters": shown}))
    if ".." in stripped or stripped.startswith("."):
        problems.append(Problem("name", "must not start with '.' or contain '..'", "name_dots"))
    return problems


@dataclass(frozen=True)
class StoredScenario:
    stem: str
    path: Path
    scenario: Scenario
    protected: bool


class ScenarioStore:
    """The presets folder (read-only) and the saved folder (read-write)."""

    def __init__(self, presets_dir: Path, saved_dir: Path, data: ModelData | None = None):
        self.presets_dir = Path(presets_dir)
        self.saved_dir = Path(saved_dir)
        self.data = data or default_data()
        self.invalid: list[tuple[Path, InputError]] = []
        self._parsed: dict[Path, tuple[tuple[int, int], Scenario]] = {}

    def _load(self, path: Path) -> Scenario:
        """Parse a file once per version: the pages list every scenario on every rerun. The inode is part
        of the version because an atomic replace always makes a new one, even within one clock tick."""
        stat = path.stat()
        version = (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
        cached = self._parsed.get(path)
        if cached is None or cached[0] != version:
            cached = (version, load_scenario(path, self.data))
            self._parsed[path] = cached
        return cached[1]

    def _presets(self) -> list[StoredScenario]:
        paths = sorted(self.presets_dir.glob("*.yaml"), key=lambda p: (p.stem != "status-quo", p.name))
        return [StoredScenario(p.stem, p, self._load(p), True) for p in paths]

    def entries(self) -> list[StoredScenario]:
        """Presets first (status quo leading), then saved scenarios by name; invalid files are skipped
        and listed in `self.invalid`."""
        saved, self.invalid = [], []
        for path in sorted(self.saved_dir.glob("*.yaml")) if self.saved_dir.is_dir() else []:
            try:
                saved.append(StoredScenario(path.stem, path, self._load(path), False))
            except FileNotFoundError:
                continue  # deleted by another session while listing
            except InputError as error:
                self.invalid.append((path, error))
        return self._presets() + sorted(saved, key=lambda e: e.scenario.name.casefold())

    def _find(self, stem: str) -> StoredScenario:
        for entry in self.entries():
            if entry.stem == stem:
                return entry
        raise InputError([Problem("scenario", f"there is no scenario {stem!r}", "not_found", {"stem": stem})])

    def load(self, stem: str) -> Scenario:
        return self._find(stem).scenario

    def read_text(self, stem: str) -> str:
        return self._find(stem).path.read_text(encoding="utf-8")

    @contextmanager
    def _locked(self):
        self.saved_dir.mkdir(parents=True, exist_ok=True)
        with _THREAD_LOCK, open(self.saved_dir / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _check_free(self, name: str, stem: str, overwrite: bool, replacing: str | None = None) -> None:
        """Refuse a name that would shadow a preset or, unless allowed, replace another saved scenario.
        Call with the lock held so that the answer is still true when the file is written."""
        wanted = {name.casefold(), stem.casefold()}
        for preset in self._presets():
            if wanted & {preset.stem.casefold(), preset.scenario.name.casefold()}:
                raise InputError([Problem("name", f"{name!r} is the name of a preset, which cannot be replaced",
                                          "name_taken_by_preset", {"name": name, "preset": preset.scenario.name})])
        path = self.saved_dir / f"{stem}.yaml"
        if path.exists() and stem != replacing and not overwrite:
            existing = self._saved_name(path) or name  # two names can share a file name ("A & B", "A, B")
            raise InputError([Problem("name", f"a saved scenario called {existing!r} already exists", "exists",
                                      {"name": existing})])

    def _saved_name(self, path: Path) -> str | None:
        try:
            return self._load(path).name
        except (InputError, FileNotFoundError):
            return None

    def _write(self, path: Path, scenario: Scenario) -> None:
        text = yaml.safe_dump(scenario.to_file_dict(), allow_unicode=True, sort_keys=False)
        parse_scenario(text, self.data)  # never write a file the loader would refuse
        handle, temporary = tempfile.mkstemp(prefix=".saving-", suffix=".tmp", dir=self.saved_dir)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_folder(self.saved_dir)

    def save(self, scenario: Scenario, overwrite: bool = False) -> Path:
        """Save under a file name derived from the name; refuse presets' names and, unless
        `overwrite`, an existing saved scenario's."""
        name = scenario.name.strip()
        _raise_if_bad_name(name)
        stem = slug(name)
        with self._locked():
            self._check_free(name, stem, overwrite)
            path = self.saved_dir / f"{stem}.yaml"
            self._write(path, Scenario(name=name, levers=scenario.levers, description=scenario.description,
                                       assumptions=scenario.assumptions, horizon=scenario.horizon))
        return path

    def save_upload(self, raw: bytes, overwrite: bool = False) -> Path:
        """Validate an uploaded file completely, then save it; nothing is written if it is invalid."""
        try:
            scenario = parse_scenario(raw, self.data)
        except InputError as error:
            raise InputError(error.problems + _upload_name_problems(raw, error.problems)) from None
        return self.save(scenario, overwrite=overwrite)

    def _own(self, stem: str) -> StoredScenario:
        entry = self._find(stem)
        if entry.protected:
            raise InputError([Problem("scenario", f"{entry.scenario.name!r} is a preset and cannot be changed",
                                      "protected", {"name": entry.scenario.name})])
        return entry

    def rename(self, stem: str, new_name: str) -> Path:
        """Give a saved scenario a new name, inside the file and in the file name."""
        name = new_name.strip()
        _raise_if_bad_name(name)
        new_stem = slug(name)
        with self._locked():
            entry = self._own(stem)
            self._check_free(name, new_stem, overwrite=False, replacing=stem)
            path = self.saved_dir / f"{new_stem}.yaml"
            old = entry.scenario
            self._write(path, Scenario(name=name, levers=old.levers, description=old.description,
                                       assumptions=old.assumptions, horizon=old.horizon))
            if path != entry.path:
                entry.path.unlink()
        return path

    def delete(self, stem: str) -> None:
        with self._locked():
            self._own(stem).path.unlink()


def _raise_if_bad_name(name: str) -> None:
    problems = check_name(name)
    if problems:
        raise InputError(problems)


def _upload_name_problems(raw: bytes, found: list[Problem]) -> list[Problem]:
    """The store's own name rules, checked on a refused upload too so that one round lists everything."""
    if any(problem.field == "name" for problem in found):
        return []
    try:
        document = parse_yaml(raw, max_bytes=SCENARIO_FILE_LIMIT)
    except InputError:
        return []
    name = document.get("name") if isinstance(document, dict) else None
    return check_name(name) if isinstance(name, str) else []


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut, not only the file's contents."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def saved_dir() -> Path:
    return Path(os.environ.get(SAVED_DIR_VARIABLE) or PRESETS_DIR / "saved")


@lru_cache(maxsize=4)
def _store_for(folder: str) -> ScenarioStore:
    return ScenarioStore(PRESETS_DIR, Path(folder))


def default_store() -> ScenarioStore:
    """The project's store; the saved folder can be moved with INTERCONNECT_SAVED_DIR."""
    return _store_for(str(saved_dir()))
