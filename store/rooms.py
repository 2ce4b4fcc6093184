"""Workshop rooms: a presenter opens a room, participants join with its short code (no sign-in, a
display name only), each keeps one proposal (the five levers, a name and an optional guess of one
outcome) that they may revise until the round is locked, and vote once on the others' proposals.

Rooms live in the scenario database beside the library (same engine and migrations), so they
survive a restart and several app servers on one PostgreSQL share them. Every write first bumps the
room's `version`: that takes the write lock (SQLite) or the room row's lock (PostgreSQL), so the cap
and rate checks below still hold when the row is written, and it tells a presenter's view polling
`version` that something changed. Secrets (the presenter's key, a participant's token) are stored
only as hashes.
"""
from __future__ import annotations

import datetime
import hashlib
import os
import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func, select,
                        update)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from model.data import ModelData, default_data
from model.scenario import Scenario, check_lever
from model.yamlio import InputError, Problem

from .library import DATABASE_URL_VARIABLE, _aware, _now, database_url, engine_for
from .models import Base
from .names import check_name, name_key

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read off a projector
CODE_LENGTH = 6
ROOM_HOURS = 4                 # a room expires this long after it opens
ROOM_HOURS_VARIABLE = "INTERCONNECT_ROOM_HOURS"
DEFAULT_CAP = 200              # participants per room
MAX_OPEN_ROOMS = 100           # open, unexpired rooms in the whole database: opening one is anonymous
WRITE_INTERVAL = 1.0           # seconds a participant waits between two writes (proposal or vote)
KEEP_DAYS = 30                 # an expired or closed room is removed this long after it ended
GUESS_LIMIT = 1e9              # a guess's magnitude, in the outcome's model unit


class RoomRow(Base):
    __tablename__ = "rooms"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True, index=True)
    presenter_hash: Mapped[str] = mapped_column(String(64))
    guess_outcome: Mapped[str] = mapped_column(String(64))
    cap: Mapped[int] = mapped_column(Integer)
    locked: Mapped[bool] = mapped_column(Boolean)
    revealed: Mapped[bool] = mapped_column(Boolean)
    voting: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), index=True)
    closed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))


class ParticipantRow(Base):
    """One person in a room; `name_key` makes display names unique per room (look-alikes included)."""

    __tablename__ = "room_participants"
    __table_args__ = (UniqueConstraint("room_id", "name_key"), UniqueConstraint("token_hash"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(320))
    joined_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    last_write_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    vote: Mapped[str | None] = mapped_column(String(32))  # a proposal id: one vote per participant


class ProposalRow(Base):
    """A participant's one live proposal (unique per participant); a revision replaces it."""

    __tablename__ = "room_proposals"
    __table_args__ = (UniqueConstraint("participant_id"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("room_participants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    levers_text: Mapped[str] = mapped_column(Text)  # "lever=value;..." in LEVER_IDS order
    guess: Mapped[float | None] = mapped_column(Float)
    hidden: Mapped[bool] = mapped_column(Boolean)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Room:
    id: str
    code: str
    guess_outcome: str
    cap: int
    locked: bool
    revealed: bool
    voting: bool
    version: int
    created_at: datetime.datetime
    expires_at: datetime.datetime
    closed_at: datetime.datetime | None
    participants: int = 0

    def status(self, now: datetime.datetime | None = None) -> str:
        """"open", "closed" (by the presenter) or "expired"."""
        if self.closed_at is not None:
            return "closed"
        return "expired" if (now or _now()) >= self.expires_at else "open"


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    vote: str | None


@dataclass(frozen=True)
class Proposal:
    id: str
    participant_id: str
    participant: str
    name: str
    levers: dict
    guess: float | None
    hidden: bool
    revision: int
    updated_at: datetime.datetime
    votes: int = 0

    def scenario(self, horizon: int | None = None) -> Scenario:
        """The proposal as a scenario (for the model, Compare and a scenario file)."""
        kwargs = {"horizon": horizon} if horizon else {}
        return Scenario(name=self.name, levers=dict(self.levers),
                        description=f"Proposed by {self.participant} in workshop room", **kwargs)


def _problem(field: str, message: str, kind: str, **params) -> InputError:
    return InputError([Problem(field, message, kind, params)])


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _levers_text(levers: dict) -> str:
    return ";".join(f"{lever}={value}" for lever, value in levers.items())


def _levers_of(text: str, data: ModelData) -> dict:
    """The levers a proposal stored, in levers.yaml's order; a lever added since keeps its status quo."""
    stored = dict(item.split("=", 1) for item in text.split(";"))
    return {lever.id: (stored[lever.id] if lever.kind == "choice" else float(stored[lever.id]))
            if lever.id in stored else lever.status_quo for lever in data.levers.values()}


def normal_code(code: str) -> str:
    """A code as typed (any case, spaces or a dash) in its stored form."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[:CODE_LENGTH + 2]


class RoomStore:
    def __init__(self, url: str | None = None, data: ModelData | None = None, hours: float | None = None,
                 write_interval: float = WRITE_INTERVAL, max_open_rooms: int = MAX_OPEN_ROOMS):
        self.engine = engine_for(url or database_url())
        self.data = data or default_data()
        self.hours = hours if hours is not None else float(os.environ.get(ROOM_HOURS_VARIABLE) or ROOM_HOURS)
        self.write_interval = write_interval
        self.max_open_rooms = max_open_rooms

    # ----- the presenter -----

    def open_room(self, guess_outcome: str = "consumer.surplus", cap: int = DEFAULT_CAP) -> tuple[Room, str]:
        """A new room and the presenter's key (kept by the presenter's page; only its hash is stored)."""
        if guess_outcome not in self.data.outcomes:
            raise _problem("guess_outcome", f"is not a known outcome: {guess_outcome!r}", "not_allowed")
        now = _now()
        key = secrets.token_urlsafe(18)
        with Session(self.engine) as session:
            live = session.scalar(select(func.count()).select_from(RoomRow).where(
                RoomRow.closed_at.is_(None), RoomRow.expires_at > now))
            if live >= self.max_open_rooms:
                raise _problem("room", f"{live} rooms are open, the most allowed: close one or wait until one "
                                       "expires", "too_many_rooms", count=live)
            for _ in range(20):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                row = RoomRow(id=uuid.uuid4().hex, code=code, presenter_hash=_hash(key), guess_outcome=guess_outcome,
                              cap=cap, locked=False, revealed=False, voting=False, version=1, created_at=now,
                              expires_at=now + datetime.timedelta(hours=self.hours), closed_at=None)
                session.add(row)
                try:
                    session.commit()
                except IntegrityError:  # the code is taken: draw another
                    session.rollback()
                    continue
                return self._room(row), key
        raise _problem("room", "no free room code", "no_code")

    def presenter_room(self, code: str, key: str) -> Room:
        """The room, if `key` is its presenter's."""
        with Session(self.engine) as session:
            row = self._row(session, code)
            if not secrets.compare_digest(row.presenter_hash, _hash(key or "")):
                raise _problem("room", "this link does not let you run the room: open the presenter link, which carries its key", "not_presenter")
            return self._room(row, self._count(session, row.id))

    def update_room(self, code: str, key: str, **changes) -> Room:
        """Lock or unlock the round, reveal results, open or close the vote, change the guessed outcome."""
        allowed = {"locked", "revealed", "voting", "guess_outcome"}
        if set(changes) - allowed:
            raise ValueError(f"cannot change {sorted(set(changes) - allowed)}")
        if "guess_outcome" in changes and changes["guess_outcome"] not in self.data.outcomes:
            raise _problem("guess_outcome", "is not a known outcome", "not_allowed")
        with self._writing(code) as (session, row):
            self._check_presenter(row, key)
            for field, value in changes.items():
                setattr(row, field, value)
            session.commit()
            return self._room(row)

    def close(self, code: str, key: str) -> Room:
        with self._writing(code, open_only=False) as (session, row):
            self._check_presenter(row, key)
            row.closed_at = row.closed_at or _now()
            session.commit()
            return self._room(row)

    def hide(self, code: str, key: str, proposal_id: str, hidden: bool = True) -> None:
        """Moderation: a hidden proposal leaves the presenter's table, the charts and the vote."""
        with self._writing(code, open_only=False) as (session, row):
            self._check_presenter(row, key)
            proposal = session.get(ProposalRow, proposal_id)
            if proposal is None or proposal.room_id != row.id:
                raise _problem("proposal", "there is no such proposal in this room", "no_proposal")
            proposal.hidden = hidden
            session.commit()

    # ----- participants -----

    def room(self, code: str) -> Room:
        """The room with this code (whatever its status); InputError when there is none."""
        with Session(self.engine) as session:
            row = self._row(session, code)
            return self._room(row, self._count(session, row.id))

    def join(self, code: str, display_name: str) -> tuple[Participant, str]:
        """A new participant and their token (kept by their page). The name follows the scenario name
        rules and must not look like another participant's in the room."""
        display_name = str(display_name).strip()
        problems = check_name(display_name)
        if problems:
            raise InputError(problems)
        token = secrets.token_urlsafe(18)
        with self._writing(code) as (session, row):
            count = self._count(session, row.id)
            if count >= row.cap:
                raise _problem("room", f"the room is full ({row.cap} participants)", "room_full", limit=row.cap)
            key = name_key(display_name)
            clash = session.scalars(select(ParticipantRow).where(ParticipantRow.room_id == row.id,
                                                                 ParticipantRow.name_key == key)).first()
            if clash is not None:
                raise _problem("name", f"{display_name!r} looks like {clash.name!r}, already in the room: choose "
                                       "another name", "name_in_room", name=clash.name)
            person = ParticipantRow(id=uuid.uuid4().hex, room_id=row.id, token_hash=_hash(token), name=display_name,
                                    name_key=key, joined_at=_now(), last_write_at=None, vote=None)
            session.add(person)
            session.commit()
            return Participant(person.id, person.name, None), token

    def participant(self, code: str, token: str) -> Participant:
        with Session(self.engine) as session:
            row = self._row(session, code)
            person = self._person(session, row, token)
            return Participant(person.id, person.name, person.vote)

    def propose(self, code: str, token: str, name: str, levers: dict, guess: float | None = None) -> Proposal:
        """Submit or revise this participant's one proposal; refused once the round is locked."""
        name = str(name).strip()
        problems = check_name(name)
        checked = {}
        for lever in self.data.levers:
            if lever not in levers:
                problems.append(Problem(f"levers.{lever}", "is required", "missing"))
                continue
            value, found = check_lever(lever, levers[lever], self.data, schedules=False)
            problems += found
            checked[lever] = value
        if guess is not None and not (isinstance(guess, (int, float)) and abs(float(guess)) <= GUESS_LIMIT
                                      and float(guess) == float(guess)):
            problems.append(Problem("guess", f"must be a number of at most {GUESS_LIMIT:g} in size", "out_of_range",
                                    {"low": -GUESS_LIMIT, "high": GUESS_LIMIT, "value": str(guess)[:40]}))
        if problems:
            raise InputError(problems)
        with self._writing(code) as (session, row):
            if row.locked:
                raise _problem("room", "the round is locked: proposals can no longer change", "round_locked")
            person = self._person(session, row, token)
            self._rate_limit(person)
            proposal = session.scalars(select(ProposalRow).where(ProposalRow.participant_id == person.id)).first()
            now = _now()
            if proposal is None:
                proposal = ProposalRow(id=uuid.uuid4().hex, room_id=row.id, participant_id=person.id, hidden=False,
                                       revision=0)
                session.add(proposal)
            proposal.name, proposal.levers_text = name, _levers_text(checked)
            proposal.guess = None if guess is None else float(guess)
            proposal.revision += 1
            proposal.updated_at = person.last_write_at = now
            session.commit()
            return self._proposal(proposal, person.name)

    def vote(self, code: str, token: str, proposal_id: str | None) -> None:
        """Vote for a visible proposal (not one's own), or withdraw with None; one vote per participant,
        changeable while the vote is open."""
        with self._writing(code) as (session, row):
            if not row.voting:
                raise _problem("room", "voting is not open", "vote_closed")
            person = self._person(session, row, token)
            self._rate_limit(person)
            if proposal_id is not None:
                proposal = session.get(ProposalRow, proposal_id)
                if proposal is None or proposal.room_id != row.id or proposal.hidden:
                    raise _problem("vote", "there is no such proposal to vote for", "no_proposal")
                if proposal.participant_id == person.id:
                    raise _problem("vote", "you cannot vote for your own proposal", "own_proposal")
            person.vote = proposal_id
            person.last_write_at = _now()
            session.commit()

    # ----- reading -----

    def proposals(self, code: str, hidden: bool = True) -> list[Proposal]:
        """Every proposal in the room (or only the visible ones), with its votes, in order of arrival."""
        with Session(self.engine) as session:
            row = self._row(session, code)
            votes = dict(session.execute(select(ParticipantRow.vote, func.count()).where(
                ParticipantRow.room_id == row.id, ParticipantRow.vote.is_not(None)).group_by(ParticipantRow.vote)).all())
            query = (select(ProposalRow, ParticipantRow.name).join(ParticipantRow,
                                                                   ProposalRow.participant_id == ParticipantRow.id)
                     .where(ProposalRow.room_id == row.id).order_by(ParticipantRow.joined_at, ProposalRow.id))
            if not hidden:
                query = query.where(ProposalRow.hidden.is_(False))
            return [self._proposal(p, who, votes.get(p.id, 0)) for p, who in session.execute(query).all()]

    def own_proposal(self, code: str, token: str) -> Proposal | None:
        with Session(self.engine) as session:
            row = self._row(session, code)
            person = self._person(session, row, token)
            proposal = session.scalars(select(ProposalRow).where(ProposalRow.participant_id == person.id)).first()
            return proposal and self._proposal(proposal, person.name)

    def purge_ended(self, days: int = KEEP_DAYS, now: datetime.datetime | None = None) -> int:
        """Remove rooms that ended (closed or expired) more than `days` ago; returns how many."""
        cutoff = (now or _now()) - datetime.timedelta(days=days)
        with Session(self.engine) as session:
            ended = session.scalars(select(RoomRow).where(RoomRow.expires_at < cutoff)).all()
            ended += session.scalars(select(RoomRow).where(RoomRow.closed_at < cutoff,
                                                           RoomRow.expires_at >= cutoff)).all()
            for row in ended:
                for table in (ProposalRow, ParticipantRow):
                    session.query(table).filter(table.room_id == row.id).delete()
                session.delete(row)
            session.commit()
            return len(ended)

    # ----- helpers -----

    def _row(self, session: Session, code: str) -> RoomRow:
        row = session.scalars(select(RoomRow).where(RoomRow.code == normal_code(code))).first()
        if row is None:
            raise _problem("room", f"there is no room {normal_code(code)!r}: check the code", "no_room",
                           code=normal_code(code))
        return row

    @contextmanager
    def _writing(self, code: str, open_only: bool = True):
        """A write session on the room: its version bumped first (the lock), refused when the room is
        closed or expired (unless `open_only` is off)."""
        with Session(self.engine) as session:
            session.execute(update(RoomRow).where(RoomRow.code == normal_code(code))
                            .values(version=RoomRow.version + 1))
            row = self._row(session, code)
            status = self._room(row).status()
            if open_only and status != "open":
                raise _problem("room", f"room {row.code} is {status}", f"room_{status}", code=row.code)
            yield session, row

    @staticmethod
    def _check_presenter(row: RoomRow, key: str) -> None:
        if not secrets.compare_digest(row.presenter_hash, _hash(key or "")):
            raise _problem("room", "this link does not let you run the room: open the presenter link, which carries its key", "not_presenter")

    @staticmethod
    def _person(session: Session, row: RoomRow, token: str) -> ParticipantRow:
        person = session.scalars(select(ParticipantRow).where(ParticipantRow.token_hash == _hash(token or ""),
                                                              ParticipantRow.room_id == row.id)).first()
        if person is None:
            raise _problem("participant", "you are not in this room: join it with a name", "not_joined")
        return person

    def _rate_limit(self, person: ParticipantRow) -> None:
        if person.last_write_at is None:
            return
        waited = (_now() - _aware(person.last_write_at)).total_seconds()
        if waited < self.write_interval:
            raise _problem("participant", f"too fast: wait {self.write_interval - waited:.1f} s and send again",
                           "rate_limited", seconds=f"{self.write_interval - waited:.1f}")

    @staticmethod
    def _count(session: Session, room_id: str) -> int:
        return session.scalar(select(func.count()).select_from(ParticipantRow).where(ParticipantRow.room_id == room_id))

    @staticmethod
    def _room(row: RoomRow, participants: int = 0) -> Room:
        return Room(row.id, row.code, row.guess_outcome, row.cap, row.locked, row.revealed, row.voting, row.version,
                    _aware(row.created_at), _aware(row.expires_at), row.closed_at and _aware(row.closed_at),
                    participants)

    def _proposal(self, row: ProposalRow, participant: str, votes: int = 0) -> Proposal:
        return Proposal(row.id, row.participant_id, participant, row.name, _levers_of(row.levers_text, self.data),
                        row.guess, row.hidden, row.revision, _aware(row.updated_at), votes)


@lru_cache(maxsize=4)
def _rooms_for(url: str) -> RoomStore:
    store = RoomStore(url)
    store.purge_ended()
    return store


def default_rooms(url: str | None = None) -> RoomStore:
    """The rooms in the project's database (named as for the library); on first use in a process, rooms
    that ended more than KEEP_DAYS ago are removed."""
    return _rooms_for(os.environ.get(DATABASE_URL_VARIABLE) or url or database_url())

