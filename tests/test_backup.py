"""Backups that restore exactly (N2): `store backup FILE` then `store restore FILE` into an empty library
reproduces it row by row, PostgreSQL -> SQLite and back; restoring twice changes nothing; the Chinese
name and description survive every path; slugs never swap; re-importing exits 0 and a newer file adds
a version."""
import datetime
import json

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.main import main
from model.scenario import Scenario
from store import ScenarioLibrary
from store.backup import backup, restore
from store.library import ADMIN, Actor
from store.models import MetaRow, ScenarioRow, SlugAliasRow, VersionRow

@pytest.fixture
def library(database, data):
    return ScenarioLibrary(database, data=data)


ALICE = Actor(key="https://id.example alice-sub", name="alice@example.org")


def bilingual(data, name, payment=0.5, **fields):
    return Scenario(name=name, levers=dict(data.status_quo_levers, payment_interop=payment), name_zh=f"{name[:70]} 中文",
                    description=f"About {name}", description_zh=f"关于{name}", **fields)


def rows(library: ScenarioLibrary) -> dict[str, list[tuple]]:
    """Every row of every table, as comparable tuples (datetimes in UTC; the versions' own counter left out)."""
    def value(v):
        if isinstance(v, datetime.datetime):
            return v if v.tzinfo else v.replace(tzinfo=datetime.UTC)
        return v

    with Session(library.engine) as session:
        tables = {}
        for model, skip in ((ScenarioRow, ()), (VersionRow, ("id",)), (SlugAliasRow, ()), (MetaRow, ())):
            columns = [c.name for c in model.__table__.columns if c.name not in skip]
            tables[model.__tablename__] = sorted(
                tuple(value(getattr(row, c)) for c in columns) for row in session.scalars(select(model)))
        return tables


def rich_library(library: ScenarioLibrary, data) -> None:
    """Owners, several versions, the trash, renames, the Chinese fields, two long names sharing a prefix."""
    library.save(bilingual(data, "Alice plan", 0.2), actor=ALICE)
    library.save(bilingual(data, "Alice plan", 0.4), actor=ALICE, overwrite=True)
    library.save(bilingual(data, "Anon plan"), actor=Actor(client=library.client_key("203.0.113.9")))
    library.save(bilingual(data, "Binned"))
    library.delete("binned")
    library.save(bilingual(data, "Old name"))
    library.rename("old-name", "New name")
    prefix = "Interconnection scenario for every platform and every merchant in China "
    library.save(bilingual(data, prefix + "AAAA one", 0.1))
    library.save(bilingual(data, prefix + "BBBB two", 0.9))


def test_backup_restores_exactly_postgresql_to_sqlite_and_back(postgres, data, tmp_path):
    from pgserver import fresh_database

    original = ScenarioLibrary(fresh_database(postgres), data=data)
    rich_library(original, data)
    assert backup(original, tmp_path / "pg.json") == 6
    on_sqlite = ScenarioLibrary(f"sqlite:///{tmp_path / 'restored.sqlite3'}", data=data)
    done, refused = restore(on_sqlite, tmp_path / "pg.json")
    assert refused == [] and len(done) == 6
    assert rows(on_sqlite) == rows(original)
    backup(on_sqlite, tmp_path / "sqlite.json")
    back_on_postgres = ScenarioLibrary(fresh_database(postgres), data=data)
    restore(back_on_postgres, tmp_path / "sqlite.json")
    assert rows(back_on_postgres) == rows(original)
    # what a user relies on: the owner still owns it, the trash and old links still work
    assert back_on_postgres.get("alice-plan").owner == ALICE.key and back_on_postgres.resolve("old-name") == "new-name"
    assert [e.stem for e in back_on_postgres.saved(trash=True)] == ["binned"]
    assert back_on_postgres.get("new-name").scenario.description_zh == "关于Old name"


def test_restoring_twice_changes_nothing_and_a_changed_scenario_is_refused_with_why(database, data, tmp_path):
    library = ScenarioLibrary(database, data=data)
    rich_library(library, data)
    backup(library, tmp_path / "library.json")
    before = rows(library)
    done, refused = restore(library, tmp_path / "library.json")
    assert refused == [] and all("unchanged" in line for line in done) and rows(library) == before
    library.save(bilingual(data, "Alice plan", 0.8), actor=ALICE, overwrite=True)
    done, refused = restore(library, tmp_path / "library.json")
    assert refused == ["alice-plan: not restored: the library holds this scenario (same id) with other content "
                       "or history"]


def test_the_chinese_name_and_description_survive_save_upload_rename_import_and_restore(library, data, tmp_path):
    library.save(bilingual(data, "Saved"))
    library.save_upload(yaml.safe_dump(bilingual(data, "Uploaded").to_file_dict(), allow_unicode=True).encode())
    library.save(bilingual(data, "Before rename"))
    library.rename("before-rename", "Renamed")
    (tmp_path / "file.yaml").write_text(yaml.safe_dump(bilingual(data, "Imported").to_file_dict(), allow_unicode=True),
                                        encoding="utf-8")
    library.import_files([tmp_path / "file.yaml"])
    expected = {"saved": "Saved", "uploaded": "Uploaded", "renamed": "Before rename", "imported": "Imported"}
    for stem, original in expected.items():
        scenario = library.get(stem).scenario
        assert (scenario.name_zh, scenario.description_zh) == (f"{original[:70]} 中文", f"关于{original}")
    backup(library, tmp_path / "b.json")
    restored = ScenarioLibrary(f"sqlite:///{tmp_path / 'again.sqlite3'}", data=data)
    restore(restored, tmp_path / "b.json")
    assert restored.get("imported").scenario.name_zh == "Imported 中文"


def test_long_names_sharing_a_prefix_keep_their_own_links_whatever_the_order(database, data, tmp_path):
    """N2: export then import in sorted file order swapped the two scenarios' slugs."""
    prefix = "Interconnection scenario for every platform and every merchant in China "
    first, second = bilingual(data, prefix + "AAAA one", 0.1), bilingual(data, prefix + "BBBB two", 0.9)
    one = ScenarioLibrary(database, data=data)
    slugs = {one.save(first).stem: 0.1, one.save(second).stem: 0.9}
    other = ScenarioLibrary(f"sqlite:///{tmp_path / 'other.sqlite3'}", data=data)
    other.save(second)
    other.save(first)
    for stem, payment in slugs.items():
        assert other.get(stem).scenario.levers["payment_interop"] == payment


def test_command_line_backup_restore_import_and_purge(tmp_path, monkeypatch, data, capsys):
    monkeypatch.setenv("INTERCONNECT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    library = ScenarioLibrary(f"sqlite:///{tmp_path / 'cli.sqlite3'}", data=data)
    rich_library(library, data)
    assert main(["store", "backup", str(tmp_path / "cli.json")]) == 0
    monkeypatch.setenv("INTERCONNECT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert main(["store", "restore", str(tmp_path / "cli.json")]) == 0
    assert main(["store", "restore", str(tmp_path / "cli.json")]) == 0       # twice: nothing changes, exit 0
    restored = ScenarioLibrary(f"sqlite:///{tmp_path / 'empty.sqlite3'}", data=data)
    assert rows(restored)["scenarios"] == rows(library)["scenarios"]
    file = tmp_path / "alice.yaml"
    file.write_text(yaml.safe_dump(bilingual(data, "Alice plan", 0.4).to_file_dict(), allow_unicode=True), "utf-8")
    capsys.readouterr()
    assert main(["store", "import", str(file)]) == 0                          # already there: exit 0, says so
    assert "unchanged" in capsys.readouterr().out
    file.write_text(yaml.safe_dump(bilingual(data, "Alice plan", 0.7).to_file_dict(), allow_unicode=True), "utf-8")
    assert main(["store", "import", str(file)]) == 0                          # newer: the next version
    entry = restored.get("alice-plan")
    assert entry.version == 3 and entry.owner == ALICE.key and [v.action for v in restored.history("alice-plan")][:1] == ["save"]
    assert main(["store", "purge"]) == 0 and restored.saved(trash=True) == []
    (tmp_path / "bad.json").write_text(json.dumps({"format": "something else"}), "utf-8")
    assert main(["store", "restore", str(tmp_path / "bad.json")]) == 2


def test_the_command_line_administrator_is_a_flag_not_a_name(library, data):
    """N1: the string "(admin)" was the administrator, and a web user could sign in under that name."""
    library.save(bilingual(data, "Alice plan"), actor=ALICE)
    impostor = Actor(key="https://id.example (admin)", name="(admin)")
    for attempt in (lambda: library.save(bilingual(data, "Alice plan", 0.9), actor=impostor, overwrite=True),
                    lambda: library.save(bilingual(data, "Alice plan", 0.9), actor="(admin)", overwrite=True),
                    lambda: library.delete("alice-plan", actor="(admin)")):
        with pytest.raises(Exception) as caught:
            attempt()
        assert {p.code for p in caught.value.problems} <= {"name_owned", "not_owner"}
    same_email = Actor(key="https://id.example mallory-sub", name="alice@example.org")
    with pytest.raises(Exception) as caught:
        library.delete("alice-plan", actor=same_email)
    assert [p.code for p in caught.value.problems] == ["not_owner"]
    assert library.get("alice-plan").version == 1
    library.delete("alice-plan", actor=ADMIN)
