"""The scenario library, on SQLite and on a real PostgreSQL server: names, versions, trash, rename with
redirects, owners, quota, the one-time import, migrations, and concurrent writers losing nothing."""
import datetime
import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from model.scenario import Scenario
from model.yamlio import InputError
from store import ScenarioLibrary
from store.library import ADMIN, Actor, engine_for
from store.models import Base
from store.names import check_name, name_key, slug


@pytest.fixture
def library(database, data):
    return ScenarioLibrary(database, data=data)


def scenario(data, name, payment=0.5, description=""):
    return Scenario(name=name, levers=dict(data.status_quo_levers, payment_interop=payment), description=description)


def codes(caught) -> list[str]:
    return [p.code for p in caught.value.problems]


# ----- names (no database) -----

@pytest.mark.parametrize("name, code", [("", "name_empty"), ("   ", "name_empty"), ("x" * 81, "name_too_long"),
                                        ("tab\there", "name_characters"), ("bell\x07", "name_characters"),
                                        ("rtl\u202eevil", "name_characters"), ("zero\u200dwidth", "name_characters"),
                                        ("emoji 😀", "name_characters"), ("![](http://x/b.png)", "name_characters"),
                                        ("<a href='x'>y</a>", "name_characters"), ("$\\frac{a}{b}$", "name_characters"),
                                        ("**URGENT**", "name_characters")])
def test_bad_names_are_refused(name, code):
    assert code in [p.code for p in check_name(name)]
    assert all(p.field == "name" for p in check_name(name))


@pytest.mark.parametrize("name", ["Payment first 2", "支付 优先", "SME_case-3", "Bilateral (variant), v2",
                                  "Alibaba–Tencent & co.", "x" * 80, "  padded  ", "Q3/Q4 plan: draft!",
                                  "方案（草案）：支付、链接；数据？", "Caf\u0065\u0301 plan", "नमस्ते", "CON", "-2-3",
                                  "“Quoted” 'plan' #1 @home ¥5 + 10% = more!"])
def test_ordinary_punctuation_in_both_languages_passes(name):
    assert check_name(name) == []


@pytest.mark.parametrize("one, other", [("Status quo", "Stаtus quo"), ("Status quo", "ＳＴＡＴＵＳ　ＱＵＯ"),
                                        ("Status quo", "status-quo."), ("Payment first", "Paymеnt first"),
                                        ("Policy", "P0licy")])
def test_look_alike_names_share_a_key(one, other):
    assert one != other and name_key(one) == name_key(other)


def test_different_names_have_different_keys():
    assert name_key("Payment first") != name_key("Payment second") and name_key("现状") != name_key("现况")


# ----- the library -----

def test_save_list_get_and_the_yaml_text(library, data):
    entry = library.save(scenario(data, "支付 优先"))
    assert entry.stem == "支付-优先" and entry.version == 1 and entry.owner is None and not entry.protected
    assert library.get("支付-优先").scenario.levers["payment_interop"] == 0.5
    assert library.presets()[0].stem == "status-quo" and library.saved_page() == ([entry], 1)
    assert yaml.safe_load(library.text("支付-优先"))["name"] == "支付 优先"


@pytest.mark.parametrize("name, code", [("Payment first", "name_taken_by_preset"),
                                        ("PAYMENT-FIRST", "name_taken_by_preset"), ("支付先行", "name_taken_by_preset"),
                                        ("Paymеnt first", "name_taken_by_preset"),   # Cyrillic е
                                        ("Status quo", "name_reserved"), ("Stаtus quo", "name_reserved"),
                                        ("现状", "name_reserved"), ("Current levers (unsaved)", "name_reserved"),
                                        ("当前杠杆（未保存）", "name_reserved")])
def test_names_reading_as_presets_or_page_labels_are_refused_with_the_reason(library, data, name, code):
    with pytest.raises(InputError) as caught:
        library.save(scenario(data, name))
    assert codes(caught) == [code] and "choose another name" in str(caught.value)
    assert library.saved() == []


def test_a_look_alike_of_a_saved_name_needs_consent_and_keeps_the_old_version(library, data):
    library.save(scenario(data, "Alice plan", 0.1))
    with pytest.raises(InputError) as caught:
        library.save(scenario(data, "Alicе plan", 0.9))   # Cyrillic е
    assert codes(caught) == ["exists"] and caught.value.problems[0].params["name"] == "Alice plan"
    entry = library.save(scenario(data, "Alice plan", 0.9), overwrite=True)
    assert entry.version == 2 and library.get("alice-plan").scenario.levers["payment_interop"] == 0.9
    old = library.history("alice-plan")[-1]
    assert old.version == 1 and yaml.safe_load(old.yaml_text)["levers"]["payment_interop"] == 0.1


def test_every_version_can_be_restored(library, data):
    for payment in (0.1, 0.2, 0.3):
        library.save(scenario(data, "Versions", payment), overwrite=True)
    library.restore_version("versions", 1)
    assert library.get("versions").scenario.levers["payment_interop"] == 0.1
    assert [v.version for v in library.history("versions")] == [4, 3, 2, 1]
    with pytest.raises(InputError) as caught:
        library.restore_version("versions", 9)
    assert codes(caught) == ["not_found"]


def test_rename_keeps_the_id_and_the_old_slug_redirects(library, data):
    first = library.save(scenario(data, "Draft idea"))
    renamed = library.rename("draft-idea", "Final idea")
    assert renamed.id == first.id and renamed.stem == "final-idea"
    assert library.get("draft-idea").stem == "final-idea" and library.resolve("draft-idea") == "final-idea"
    assert library.get(first.id).stem == "final-idea"
    assert library.find(["draft-idea", first.id]) == {"draft-idea": renamed, first.id: renamed}
    with pytest.raises(InputError) as caught:
        library.rename("final-idea", "Payment first")
    assert codes(caught) == ["name_taken_by_preset"]


def test_pages_of_saved_scenarios_by_name_case_ignored_with_the_total(library, data):
    for name in ("beta", "Alpha", "gamma 2", "Gamma 10", "Delta", "支付 优先"):
        library.save(scenario(data, name))

    def page(**kwargs):
        entries, total = library.saved_page(**kwargs)
        return [entry.scenario.name for entry in entries], total

    assert page() == (["Alpha", "beta", "Delta", "Gamma 10", "gamma 2", "支付 优先"], 6)
    assert page(limit=2) == (["Alpha", "beta"], 6)
    assert page(limit=2, offset=2) == (["Delta", "Gamma 10"], 6)
    assert page(limit=2, offset=4) == (["gamma 2", "支付 优先"], 6)
    assert page(limit=2, offset=6) == ([], 6)
    assert page(search="GAMMA", limit=1, offset=1) == (["gamma 2"], 2)
    assert page(search="ta") == (["beta", "Delta"], 2)
    assert page(search="支付") == (["支付 优先"], 1)
    assert page(search="nowhere") == ([], 0)


@pytest.mark.parametrize("search, found", [("50%", ["50% share"]), ("SME_case", ["SME_case"]), ("%", ["50% share"]),
                                           ("_", ["SME_case"]), ("\\", []), ("'", []), ("500", ["500 share"])])
def test_search_takes_wildcards_literally(library, data, search, found):
    for name in ("50% share", "500 share", "SME_case", "SMExcase"):
        library.save(scenario(data, name))
    entries, total = library.saved_page(search=search)
    assert [entry.scenario.name for entry in entries] == found and total == len(found)


def test_the_trash_is_paged_and_searched_apart_from_the_live_scenarios(library, data):
    for name in ("Kept", "Binned one", "Binned two", "Binned three"):
        library.save(scenario(data, name))
    for stem in ("binned-one", "binned-two", "binned-three"):
        library.delete(stem)
    trash, total = library.saved_page(limit=2, trash=True)
    assert [e.scenario.name for e in trash] == ["Binned one", "Binned three"] and total == 3
    assert all(e.deleted_at for e in trash)
    assert library.saved_page(search="two", trash=True)[1] == 1 and library.saved_page(search="binned") == ([], 0)
    assert [e.stem for e in library.saved()] == ["kept"] and len(library.saved(trash=True)) == 3


def test_recent_lists_the_last_saved_or_changed_first_and_skips_the_trash(library, data):
    for name in ("First", "Second", "Third", "Fourth"):
        library.save(scenario(data, name))
    library.save(scenario(data, "First", 0.9), overwrite=True)
    library.delete("fourth")
    assert [e.stem for e in library.recent(2)] == ["first", "third"]
    assert [e.stem for e in library.recent(10)] == ["first", "third", "second"]
    library.rename("second", "Second renamed")
    assert library.recent(1)[0].stem == "second-renamed"


def test_find_fetches_only_the_named_scenarios_by_slug_old_slug_or_id(library, data):
    kept = library.save(scenario(data, "Kept"))
    library.save(scenario(data, "Draft"))
    renamed = library.rename("draft", "Final")
    library.save(scenario(data, "Gone"))
    library.delete("gone")
    found = library.find(["final", "nowhere", "draft", "payment-first", kept.id, "gone", "final"])
    assert list(found) == ["final", "draft", "payment-first", kept.id]
    assert found["final"] == found["draft"] == renamed and found[kept.id] == kept
    assert found["payment-first"].protected and library.find([]) == {}


def test_a_new_scenario_never_takes_an_old_slug(library, data):
    library.save(scenario(data, "Draft"))
    library.rename("draft", "Renamed")
    entry = library.save(scenario(data, "Draft"))
    assert entry.stem == "draft-2" and library.get("draft").stem == "renamed"


def test_long_names_sharing_a_slug_prefix_get_their_own_ids(library, data):
    a, b = "A" * 70 + " one", "A" * 70 + " two"
    stems = [library.save(scenario(data, b)).stem, library.save(scenario(data, a)).stem]
    assert stems == [slug(b), slug(a)] and stems[0] != stems[1]           # each its own, whichever came first
    assert all(len(stem) == 60 and stem.startswith("a" * 51) for stem in stems)


def test_delete_moves_to_the_trash_restore_brings_it_back(library, data):
    library.save(scenario(data, "Binned"))
    library.delete("binned")
    assert library.saved() == [] and [e.stem for e in library.saved(trash=True)] == ["binned"]
    with pytest.raises(InputError):
        library.get("binned")
    library.restore("binned")
    assert [e.stem for e in library.saved()] == ["binned"] and library.saved(trash=True) == []
    assert [v.action for v in library.history("binned")] == ["restore", "delete", "create"]


def test_restore_refuses_when_a_look_alike_was_saved_meanwhile(library, data):
    library.save(scenario(data, "Twin"))
    library.delete("twin")
    library.save(scenario(data, "TWIN"))
    with pytest.raises(InputError) as caught:
        library.restore(library.saved(trash=True)[0].id)
    assert codes(caught) == ["exists"]


def test_the_trash_is_purged_only_after_its_time(library, data):
    library.save(scenario(data, "Old"))
    library.delete("old")
    now = datetime.datetime.now(datetime.timezone.utc)
    assert library.purge_expired(now=now + datetime.timedelta(days=29)) == 0
    assert library.purge_expired(now=now + datetime.timedelta(days=31)) == 1
    assert library.saved(trash=True) == []


def test_presets_cannot_be_changed(library):
    for action in (library.delete, lambda stem: library.rename(stem, "Something else")):
        with pytest.raises(InputError) as caught:
            action("payment-first")
        assert codes(caught) == ["protected"]


def test_only_the_owner_changes_or_deletes_others_open_and_copy(library, data):
    library.save(scenario(data, "Alice plan", 0.2, "careful work"), actor="alice@example.org")
    with pytest.raises(InputError) as caught:
        library.save(scenario(data, "ALICE plan", 0.9), actor="mallory@example.org", overwrite=True)
    assert codes(caught) == ["name_owned"] and "belongs to another user" in str(caught.value)
    for attempt in (lambda: library.rename("alice-plan", "Mallory owns this", actor="mallory@example.org"),
                    lambda: library.delete("alice-plan", actor="mallory@example.org"),
                    lambda: library.delete("alice-plan", actor=None),
                    lambda: library.restore_version("alice-plan", 1, actor="mallory@example.org")):
        with pytest.raises(InputError) as caught:
            attempt()
        assert codes(caught) == ["not_owner"]
    kept = library.get("alice-plan")
    assert kept.scenario.description == "careful work" and kept.version == 1 and kept.owner == "alice@example.org"
    copy = library.save(Scenario(name="Mallory's copy", levers=kept.scenario.levers), actor="mallory@example.org")
    assert copy.owner == "mallory@example.org"
    library.delete("alice-plan", actor=ADMIN)   # the command line acts for the administrator
    assert library.saved(trash=True)[0].owner == "alice@example.org"


def test_quota_per_owner_with_a_clear_message(database, data):
    library = ScenarioLibrary(database, data=data, quota=2)
    library.save(scenario(data, "One"), actor="a@x")
    library.save(scenario(data, "Two"), actor="a@x")
    with pytest.raises(InputError) as caught:
        library.save(scenario(data, "Three"), actor="a@x")
    assert codes(caught) == ["quota"] and "the most allowed (2; the trash does not count)" in str(caught.value)
    library.save(scenario(data, "Three"), actor="b@x")                      # another owner is not affected
    library.save(scenario(data, "One", 0.9), actor="a@x", overwrite=True)   # a new version is not a new scenario


def test_one_anonymous_visitor_cannot_fill_the_shared_library_and_the_trash_never_counts(database, data):
    """N3: 5 anonymous saves from one address used to block every anonymous save, delete freed nothing and
    nothing could purge the trash."""
    library = ScenarioLibrary(database, data=data, quota=5)
    flooder, neighbour = (Actor(client=library.client_key(address)) for address in ("203.0.113.9", "198.51.100.7"))
    for number in range(5):
        library.save(scenario(data, f"Flood {number}"), actor=flooder)
    with pytest.raises(InputError) as caught:
        library.save(scenario(data, "Flood 5"), actor=flooder)
    assert codes(caught) == ["quota"]
    assert library.save(scenario(data, "Neighbour's plan"), actor=neighbour).owner is None  # another visitor saves
    library.delete("flood-0", actor=flooder)
    library.save(scenario(data, "Flood 5"), actor=flooder)                    # the trash does not count
    assert library.purge_expired(days=0) == 1 and library.saved(trash=True) == []  # `store purge` empties it
    assert "203.0.113.9" not in library.client_key("203.0.113.9")


def test_versions_and_old_slugs_are_capped_the_oldest_pruned_only_beyond_the_cap(library, data, monkeypatch):
    """N3: 300 overwrites kept 301 versions and 100 renames 100 old slugs."""
    monkeypatch.setattr("store.library.MAX_VERSIONS", 5)
    monkeypatch.setattr("store.library.MAX_ALIASES", 3)
    library.save(scenario(data, "Busy", 0.0))
    for step in range(1, 5):
        library.save(scenario(data, "Busy", step / 10), overwrite=True)
    assert [v.version for v in library.history("busy")] == [5, 4, 3, 2, 1]    # at the cap: nothing pruned
    for step in range(5, 8):
        library.save(scenario(data, "Busy", step / 10), overwrite=True)
    assert [v.version for v in library.history("busy")] == [8, 7, 6, 5, 4]
    for number in range(1, 6):
        library.rename(library.find(["busy"]).get("busy", library.saved()[0]).stem, f"Busy {number}")
    assert library.resolve("busy-5") == "busy-5" and library.resolve("busy-2") == "busy-5"
    assert library.resolve("busy-1") is None and library.resolve("busy") is None  # the oldest two dropped
    versions, total = library.history_page("busy-5", limit=2, offset=1)
    assert total == 5 and [v.version for v in versions] == [12, 11]


def test_history_says_what_each_version_changed(library, data):
    library.save(scenario(data, "Tracked", 0.2))
    library.save(Scenario(name="Tracked", levers=dict(data.status_quo_levers, payment_interop=0.6),
                          assumptions={"network_effect": 1.2}, horizon=2035), overwrite=True)
    library.rename("tracked", "Tracked 2")
    newest, middle, first = library.history("tracked-2")
    assert [(c.field, c.before, c.after) for c in newest.changes] == [("name", "Tracked", "Tracked 2")]
    assert {(c.field, c.before, c.after) for c in middle.changes} == {
        ("levers.payment_interop", 0.2, 0.6), ("assumptions.network_effect", None, 1.2), ("horizon", 2030, 2035)}
    assert first.changes == ()


def test_invalid_uploads_are_refused_and_nothing_written(library):
    with pytest.raises(InputError) as caught:
        library.save_upload(b"schema_version: 1\nname: Bad\nlevers:\n  payment_interop: 2\n  openness: some\n")
    assert [p.field for p in caught.value.problems] == ["levers.payment_interop", "levers.openness"]
    with pytest.raises(InputError) as caught:
        library.save_upload(b"schema_version: 1\nname: Q3 plan \xf0\x9f\x98\x80\nlevers:\n  payment_interop: 2\n")
    assert codes(caught) == ["out_of_range", "name_characters"]
    assert library.saved() == []


def test_the_saved_folder_is_imported_once_and_leftovers_removed(library, data, tmp_path):
    folder = tmp_path / "saved-files"
    folder.mkdir()
    (folder / "mine.yaml").write_text(yaml.safe_dump(scenario(data, "Mine").to_file_dict()), encoding="utf-8")
    (folder / "broken.yaml").write_text("schema_version: 1\nname: x\nhorizon: !!int abc\n", encoding="utf-8")
    (folder / ".saving-abc.tmp").write_text("half a file", encoding="utf-8")
    lines = library.import_folder(folder)
    assert any("imported as mine" in line for line in lines) and any("int value 'abc'" in line for line in lines)
    assert not (folder / ".saving-abc.tmp").exists()
    assert library.import_folder(folder) == [] and [e.stem for e in library.saved()] == ["mine"]


def test_the_migrated_schema_matches_the_models(database):
    engine = engine_for(database)
    tables = inspect(engine).get_table_names()
    for table in Base.metadata.sorted_tables:
        assert table.name in tables
        columns = {c["name"] for c in inspect(engine).get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
    engine_for.cache_clear()
    assert "alembic_version" in inspect(engine_for(database)).get_table_names()   # a second start is a no-op


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_name_is_saved_or_refused_with_a_reason(name):
    library = _shared_library()
    levers = dict(library.data.status_quo_levers)
    try:
        entry = library.save(Scenario(name=name, levers=levers))
    except InputError as error:
        assert error.problems and all(p.field == "name" for p in error.problems)
    else:
        assert library.get(entry.stem).scenario.name == name.strip()


_SHARED: list = []


def _shared_library() -> ScenarioLibrary:
    """One SQLite library for the Hypothesis run (fixtures are not reset between examples)."""
    if not _SHARED:
        import tempfile
        _SHARED.append(ScenarioLibrary(f"sqlite:///{tempfile.mkdtemp()}/names.sqlite3"))
    return _SHARED[0]


# ----- concurrency: nothing lost -----

def test_concurrent_saves_from_threads(library, data):
    errors = []

    def worker(k):
        try:
            for i in range(8):
                library.save(scenario(data, f"Thread {k} scenario {i}", i / 10))
        except Exception as error:  # collected so that the test reports it
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert {e.scenario.name: e.scenario.levers["payment_interop"] for e in library.saved()} == {
        f"Thread {k} scenario {i}": i / 10 for k in range(6) for i in range(8)}


def test_two_sessions_saving_one_new_name_at_once_make_one_scenario(library, data):
    barrier, outcomes = threading.Barrier(4), []

    def worker(k):
        barrier.wait()
        try:
            library.save(scenario(data, "Same name", k / 10))
            outcomes.append("saved")
        except InputError as error:
            outcomes.append(error.problems[0].code)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["exists"] * 3 + ["saved"] and len(library.saved()) == 1


def _process_churn(url, worker):
    # This test is about losing nothing; on a loaded machine a writer may wait longer than the pages'
    # WAIT_SECONDS (after which a page says "not written"), so the workers wait as long as it takes.
    library = ScenarioLibrary(url, wait_seconds=60)
    levers = dict(library.data.status_quo_levers)
    for i in range(6):
        library.save(Scenario(name=f"Churn {worker} {i}", levers=levers))
        library.rename(f"churn-{worker}-{i}", f"Renamed {worker} {i}")
        library.save(Scenario(name="Shared", levers=dict(levers, payment_interop=worker / 10)), overwrite=True)
        if i % 2:
            library.delete(f"renamed-{worker}-{i}")


@pytest.mark.slow
def test_saves_renames_and_deletes_from_processes_lose_nothing(library, database):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_process_churn, args=(database, w)) for w in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=180)
        assert w.exitcode == 0
    assert {e.stem for e in library.saved()} == {f"renamed-{w}-{i}" for w in range(3) for i in (0, 2, 4)} | {"shared"}
    assert len(library.saved(trash=True)) == 9
    assert len(library.history("shared")) == 3 * 6      # every overwrite kept


def _open_and_save(url, worker):
    library = ScenarioLibrary(url)
    library.save(Scenario(name=f"Started together {worker}", levers=dict(library.data.status_quo_levers)))


@pytest.mark.slow
def test_servers_starting_together_on_a_new_database_migrate_once(database):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_open_and_save, args=(database, w)) for w in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=180)
        assert w.exitcode == 0
    assert len(ScenarioLibrary(database).saved()) == 3


# ----- faults said plainly (N5, N6) -----

def test_a_locked_database_says_within_seconds_that_nothing_was_saved(library, data, database):
    """N5: with the SQLite file locked by another program, Save hung 31 s and then showed a bare error id."""
    library.save(scenario(data, "Before the lock"))
    holder = engine_for(database).raw_connection()
    cursor = holder.cursor()
    cursor.execute("BEGIN EXCLUSIVE" if database.startswith("sqlite") else
                   "SELECT * FROM library_meta WHERE key = 'lock' FOR UPDATE")
    try:
        started = time.monotonic()
        with pytest.raises(InputError) as caught:
            library.save(scenario(data, "During the lock"))
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert codes(caught) == ["not_written"] and waited < 5
    assert "nothing was written" in str(caught.value) and "lock" in str(caught.value)
    assert [e.scenario.name for e in library.saved()] == ["Before the lock"]
    library.save(scenario(data, "After the lock"))                        # and it works again once released


@pytest.mark.parametrize("fault", ["removed", "replaced"])
def test_a_removed_or_replaced_database_file_is_refused_not_written_and_lost(tmp_path, data, fault):
    """N6: with library.sqlite3 deleted while the app ran, saves reported success and were gone after a restart."""
    path = tmp_path / "library.sqlite3"
    library = ScenarioLibrary(f"sqlite:///{path}", data=data)
    library.save(scenario(data, "Kept"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if fault == "replaced":
        sqlite3.connect(path).close()
    with pytest.raises(InputError) as caught:
        library.save(scenario(data, "After the fault"))
    assert codes(caught) == ["not_written"] and f"the database file was {fault}" in str(caught.value)


def test_owners_keyed_on_an_e_mail_by_an_earlier_release_are_kept_apart_and_handed_over_on_a_verified_sign_in(
        tmp_path, data):
    """Migration 0002: an e-mail owner becomes `email:<address>`, which no sign-in produces, until the account
    whose provider verified that e-mail signs in."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    config = Config()
    config.set_main_option("script_location", "store/migrations")
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        text = yaml.safe_dump(scenario(data, "Old plan").to_file_dict())
        connection.execute(sql("INSERT INTO scenarios VALUES ('abc', 'old-plan', 'Old plan', :key, 'alice@example.org',"
                               " :text, 1, '2025-01-01', '2025-01-01', NULL)"), {"key": name_key("Old plan"), "text": text})
    engine.dispose()
    library = ScenarioLibrary(url, data=data)
    assert library.get("old-plan").owner == "email:alice@example.org"
    for stranger in ("alice@example.org", Actor(key="https://id.example mallory", name="alice@example.org")):
        with pytest.raises(InputError):
            library.delete("old-plan", actor=stranger)
    alice = Actor(key="https://id.example alice-sub", name="alice@example.org")
    assert library.claim_legacy("alice@example.org", alice) == 1 and library.get("old-plan").owner == alice.key
