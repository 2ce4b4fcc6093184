"""Workshop rooms in the store, on SQLite and on a real PostgreSQL server: joining, one live proposal
per participant, revising until the round is locked, one vote each, moderation, the cap, rate limits,
name rules, closed and expired rooms, and concurrent participants losing nothing."""
import datetime
import threading

import pytest

from model.yamlio import InputError
from store.library import engine_for
from store.rooms import CODE_ALPHABET, CODE_LENGTH, RoomStore, normal_code


@pytest.fixture
def rooms(database, data):
    return RoomStore(database, data=data, write_interval=0)


def levers(data, **changes):
    return dict(data.status_quo_levers, **changes)


def codes(caught) -> list[str]:
    return [p.code for p in caught.value.problems]


def test_a_room_has_a_short_code_and_only_its_key_runs_it(rooms):
    room, key = rooms.open_room()
    assert len(room.code) == CODE_LENGTH and set(room.code) <= set(CODE_ALPHABET) and room.status() == "open"
    assert rooms.room(room.code.lower()).id == room.id == rooms.room(f" {room.code[:3]}-{room.code[3:]} ").id
    assert rooms.presenter_room(room.code, key).id == room.id
    with pytest.raises(InputError) as caught:
        rooms.update_room(room.code, "a guess", locked=True)
    assert codes(caught) == ["not_presenter"] and not rooms.room(room.code).locked
    with pytest.raises(InputError) as caught:
        rooms.room("ZZZZZZ" if room.code != "ZZZZZZ" else "YYYYYY")
    assert codes(caught) == ["no_room"]


def test_join_propose_revise_until_locked(rooms, data):
    room, key = rooms.open_room()
    ana, token = rooms.join(room.code, "Ana (merchants)")
    first = rooms.propose(room.code, token, "Payment first", levers(data, payment_interop=0.8), guess=12.5)
    assert first.revision == 1 and first.levers["payment_interop"] == 0.8 and first.guess == 12.5
    second = rooms.propose(room.code, token, "Payment and links", levers(data, payment_interop=0.8,
                                                                         link_unblocking=0.5))
    assert second.id == first.id and second.revision == 2 and second.guess is None
    assert [(p.participant, p.name) for p in rooms.proposals(room.code)] == [("Ana (merchants)", "Payment and links")]
    rooms.update_room(room.code, key, locked=True)
    with pytest.raises(InputError) as caught:
        rooms.propose(room.code, token, "Too late", levers(data))
    assert codes(caught) == ["round_locked"]
    assert rooms.own_proposal(room.code, token).name == "Payment and links"


def test_names_follow_the_scenario_rules_and_are_unique_in_a_room(rooms, data):
    room, _ = rooms.open_room()
    _, token = rooms.join(room.code, "Bo")
    for bad in ("", "x" * 81, "<b>bold</b>", "[link](https://evil.example)", "rtl\u202eevil"):
        with pytest.raises(InputError) as caught:
            rooms.join(room.code, bad)
        assert all(p.field == "name" for p in caught.value.problems)
    with pytest.raises(InputError) as caught:
        rooms.join(room.code, "BО")  # Cyrillic О: reads as Bo
    assert codes(caught) == ["name_in_room"]
    with pytest.raises(InputError) as caught:
        rooms.propose(room.code, token, "**loud**", levers(data, payment_interop=2.0), guess=float("nan"))
    assert {p.field for p in caught.value.problems} == {"name", "levers.payment_interop", "guess"}
    assert rooms.proposals(room.code) == []


def test_one_vote_each_for_visible_proposals_only(rooms, data):
    room, key = rooms.open_room()
    tokens = {name: rooms.join(room.code, name)[1] for name in ("A", "B", "C")}
    ids = {name: rooms.propose(room.code, token, f"Plan {name}", levers(data)).id for name, token in tokens.items()}
    with pytest.raises(InputError) as caught:
        rooms.vote(room.code, tokens["A"], ids["B"])
    assert codes(caught) == ["vote_closed"]
    rooms.update_room(room.code, key, voting=True)
    rooms.vote(room.code, tokens["A"], ids["B"])
    rooms.vote(room.code, tokens["C"], ids["A"])
    rooms.vote(room.code, tokens["C"], ids["B"])        # a change of mind: still one vote
    with pytest.raises(InputError) as caught:
        rooms.vote(room.code, tokens["B"], ids["B"])
    assert codes(caught) == ["own_proposal"]
    assert {p.name: p.votes for p in rooms.proposals(room.code)} == {"Plan A": 0, "Plan B": 2, "Plan C": 0}
    rooms.hide(room.code, key, ids["C"])
    assert [p.name for p in rooms.proposals(room.code, hidden=False)] == ["Plan A", "Plan B"]
    with pytest.raises(InputError) as caught:
        rooms.vote(room.code, tokens["A"], ids["C"])
    assert codes(caught) == ["no_proposal"]


def test_the_cap_the_rate_limit_and_the_number_of_open_rooms(database, data):
    rooms = RoomStore(database, data=data, write_interval=60, max_open_rooms=2)
    room, _ = rooms.open_room(cap=2)
    _, token = rooms.join(room.code, "One")
    rooms.join(room.code, "Two")
    with pytest.raises(InputError) as caught:
        rooms.join(room.code, "Three")
    assert codes(caught) == ["room_full"]
    rooms.propose(room.code, token, "Quick", levers(data))
    with pytest.raises(InputError) as caught:
        rooms.propose(room.code, token, "Quicker", levers(data))
    assert codes(caught) == ["rate_limited"] and rooms.proposals(room.code)[0].name == "Quick"
    rooms.open_room()
    with pytest.raises(InputError) as caught:
        rooms.open_room()
    assert codes(caught) == ["too_many_rooms"]


def test_closed_and_expired_rooms_say_so_and_keep_their_proposals(database, data):
    rooms = RoomStore(database, data=data, write_interval=0)
    room, key = rooms.open_room()
    _, token = rooms.join(room.code, "Di")
    rooms.propose(room.code, token, "Kept", levers(data))
    rooms.close(room.code, key)
    assert rooms.room(room.code).status() == "closed"
    for action in (lambda: rooms.join(room.code, "Late"), lambda: rooms.propose(room.code, token, "X", levers(data))):
        with pytest.raises(InputError) as caught:
            action()
        assert codes(caught) == ["room_closed"]
    assert [p.name for p in rooms.proposals(room.code)] == ["Kept"]

    brief = RoomStore(database, data=data, hours=0)
    gone, _ = brief.open_room()
    assert brief.room(gone.code).status() == "expired"
    with pytest.raises(InputError) as caught:
        brief.join(gone.code, "Late")
    assert codes(caught) == ["room_expired"]
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=31)
    assert rooms.purge_ended(now=later) == 2
    with pytest.raises(InputError):
        rooms.room(room.code)


def test_proposals_survive_a_restart(database, data):
    rooms = RoomStore(database, data=data, write_interval=0)
    room, key = rooms.open_room()
    _, token = rooms.join(room.code, "Eve")
    rooms.propose(room.code, token, "Survivor", levers(data, data_sharing=0.4), guess=3.0)
    engine_for.cache_clear()  # a new process: a new engine on the same database
    again = RoomStore(database, data=data)
    assert again.presenter_room(room.code, key).participants == 1
    [proposal] = again.proposals(room.code)
    assert (proposal.name, proposal.levers["data_sharing"], proposal.guess) == ("Survivor", 0.4, 3.0)
    assert again.participant(room.code, token).name == "Eve"
    scenario = proposal.scenario()
    assert scenario.name == "Survivor" and scenario.levers == proposal.levers


@pytest.mark.slow
def test_concurrent_participants_lose_nothing(rooms, data):
    """40 participants at once, each joining and submitting twice: 40 proposals, each at revision 2."""
    room, _ = rooms.open_room()
    failures = []

    def participant(number: int) -> None:
        try:
            _, token = rooms.join(room.code, f"Person {number}")
            for revision in (1, 2):
                rooms.propose(room.code, token, f"Plan {number}", levers(data, payment_interop=revision / 10))
        except Exception as error:  # collected and asserted below
            failures.append(repr(error))

    threads = [threading.Thread(target=participant, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    proposals = rooms.proposals(room.code)
    assert len(proposals) == 40 and {p.revision for p in proposals} == {2}
    assert {p.levers["payment_interop"] for p in proposals} == {0.2}
    assert rooms.room(room.code).participants == 40


def test_codes_are_normalised_as_typed():
    assert normal_code(" ab3-k9x ") == "AB3K9X"
