"""Two-phase booking at the storage level, on SQLite and PostgreSQL: a held pick takes its
resources under the same guard as a booking, waits out of the feed for the desktop's
verdict, and is confirmed, released, or confirmed by the relay at its deadline."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, select

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.booking import BookingDesk
from inviteonce_desktop.relay.database import create_relay_engine
from inviteonce_desktop.relay.errors import AlreadyScheduled, SlotTaken
from inviteonce_desktop.relay.feed import BookingFeed, BookingSignal
from inviteonce_desktop.relay.offer import Offer, Slot
from inviteonce_desktop.relay.offer_store import OfferStore
from inviteonce_desktop.relay.organizers import OrganizerDirectory
from inviteonce_desktop.relay.recheck import RecheckNotFound, Rechecks, TooLate
from inviteonce_desktop.relay.schema import resource_holds

NOW = 1_800_000_000.0
START = int(NOW) + 86400


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated relay database of the test's own."""
    if request.param == "sqlite":
        engine = create_relay_engine(request.getfixturevalue("sqlite_url"))
    else:
        engine = create_relay_engine(request.getfixturevalue("postgres_schema_url"), pool_size=6)
    yield engine
    engine.dispose()


@dataclass
class Relay:
    now: list[float]
    store: OfferStore
    desk: BookingDesk
    rechecks: Rechecks
    feed: BookingFeed
    directory: OrganizerDirectory
    organizer: int
    key: str

    def offer(self, name: str, *slots: Slot) -> str:
        offer = Offer(
            "S",
            30,
            "Ann",
            MeetingType.VIDEO,
            "",
            "UTC",
            TimeZoneConversion.CUSTOMER,
            None,
            int(NOW) + 7 * 86400,
            slots,
            promoted=tuple(slot.start for slot in slots[:1]),
        )
        return self.store.publish(self.organizer, self.key, name, offer).token

    def slots_of(self, token: str) -> list[int]:
        with self.store._engine.connect() as connection:
            record = self.store.find_open(connection, token)
        return [slot.start for slot in record.offer.slots]


@pytest.fixture
def relay(engine: Engine) -> Relay:
    now = [NOW]

    def clock() -> float:
        return now[0]

    directory = OrganizerDirectory(engine, clock)
    key = directory.add("Ann")
    organizer = directory.authenticate(key)
    assert organizer is not None
    directory.seen(organizer)  # The desktop is connected.
    store = OfferStore(engine, clock)
    desk = BookingDesk(engine, store, clock)
    rechecks = Rechecks(engine, desk, BookingSignal(), 4.0, clock)
    return Relay(now, store, desk, rechecks, BookingFeed(engine), directory, organizer, key)


def _ann(start: int) -> Slot:
    return Slot(start, start + 1800, ("ann",))


def test_a_held_pick_takes_its_resources_and_waits_out_of_the_feed(relay: Relay) -> None:
    a = relay.offer("a", _ann(START), _ann(START + 3600))
    b = relay.offer("b", _ann(START))
    held, is_hold = relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    assert is_hold
    with pytest.raises(SlotTaken):  # Another customer cannot take the held time.
        relay.desk.book(b, start=START, time_zone="UTC")
    with pytest.raises(SlotTaken):
        relay.rechecks.book(b, start=START, time_zone="UTC")
    with pytest.raises(AlreadyScheduled):
        relay.rechecks.book(a, start=START + 3600, time_zone="UTC")
    assert relay.feed.after(relay.organizer, 0) == []
    [ask] = relay.rechecks.asks(relay.organizer)
    assert (ask.invitation_id, ask.start, ask.resource_keys) == ("a", START, ("ann",))
    assert ask.deadline_ms == int(NOW * 1000) + 4000
    assert relay.rechecks.standing(a).status == "checking"
    assert held.resource_keys == ("ann",)


def test_free_confirms_the_booking_and_it_joins_the_feed(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    [ask] = relay.rechecks.asks(relay.organizer)
    assert relay.rechecks.answer(relay.organizer, ask.id, "free") == "confirmed"
    assert relay.rechecks.answer(relay.organizer, ask.id, "free") == "confirmed"  # Idempotent.
    [entry] = relay.feed.after(relay.organizer, 0)
    assert (entry.invitation_id, entry.start) == ("a", START)
    assert relay.rechecks.asks(relay.organizer) == []
    assert relay.rechecks.standing(a).status == "confirmed"


def test_unknown_confirms_on_the_relays_own_data(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    [ask] = relay.rechecks.asks(relay.organizer)
    assert relay.rechecks.answer(relay.organizer, ask.id, "unknown") == "confirmed"
    assert len(relay.feed.after(relay.organizer, 0)) == 1


def test_busy_releases_the_hold_and_the_time_leaves_the_offer(relay: Relay, engine: Engine) -> None:
    a = relay.offer("a", _ann(START), _ann(START + 3600))
    b = relay.offer("b", _ann(START))
    relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    [ask] = relay.rechecks.asks(relay.organizer)
    assert relay.rechecks.answer(relay.organizer, ask.id, "busy") == "released"
    assert relay.rechecks.answer(relay.organizer, ask.id, "busy") == "released"  # Idempotent.
    with pytest.raises(TooLate):
        relay.rechecks.answer(relay.organizer, ask.id, "free")
    assert relay.rechecks.standing(a).status == "conflict"
    assert relay.feed.after(relay.organizer, 0) == []
    assert relay.slots_of(a) == [START + 3600]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(resource_holds)).scalar() == 0
    # The released resources are free again: the same customer picks another time, and
    # the other offer (which the organizer's calendar did not rule out) can book its own.
    relay.rechecks.book(a, slot_id=_ann(START + 3600).id, time_zone="UTC")
    assert relay.rechecks.standing(a).status == "checking"
    relay.desk.book(b, start=START, time_zone="UTC")


def test_no_answer_by_the_deadline_confirms_and_a_late_busy_is_refused(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    [ask] = relay.rechecks.asks(relay.organizer)
    relay.now[0] = NOW + 4.0
    assert relay.rechecks.asks(relay.organizer) == []  # Settled on the way.
    [entry] = relay.feed.after(relay.organizer, 0)
    assert entry.start == START
    with pytest.raises(TooLate):
        relay.rechecks.answer(relay.organizer, ask.id, "busy")
    assert relay.rechecks.answer(relay.organizer, ask.id, "free") == "confirmed"
    assert relay.rechecks.standing(a).status == "confirmed"
    assert relay.slots_of(a) == [START]


def test_the_customers_page_settles_a_hold_past_its_deadline(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    [ask] = relay.rechecks.asks(relay.organizer)
    relay.now[0] = NOW + 5.0
    assert relay.rechecks.standing(a).status == "confirmed"
    with pytest.raises(TooLate):
        relay.rechecks.answer(relay.organizer, ask.id, "busy")
    assert len(relay.feed.after(relay.organizer, 0)) == 1


def test_without_the_desktop_a_pick_is_booked_at_once(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    relay.now[0] = NOW + 120  # The desktop has not polled for two minutes.
    _booking, is_hold = relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    assert not is_hold
    assert relay.rechecks.asks(relay.organizer) == []
    assert len(relay.feed.after(relay.organizer, 0)) == 1
    assert relay.rechecks.standing(a).status == "none"


def test_an_answer_names_a_recheck_of_its_own_organizer(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    [ask] = relay.rechecks.asks(relay.organizer)
    other = relay.directory.authenticate(relay.directory.add("Bob"))
    assert other is not None
    assert relay.rechecks.asks(other) == []
    with pytest.raises(RecheckNotFound):
        relay.rechecks.answer(other, ask.id, "busy")
    with pytest.raises(RecheckNotFound):
        relay.rechecks.answer(relay.organizer, ask.id + 1, "busy")


def test_concurrent_picks_of_one_time_hold_it_once(relay: Relay) -> None:
    tokens = [relay.offer(f"o{n}", _ann(START)) for n in range(6)]

    def pick(token: str) -> bool:
        try:
            relay.rechecks.book(token, start=START, time_zone="UTC")
        except SlotTaken:
            return False
        return True

    with ThreadPoolExecutor(6) as pool:
        won = list(pool.map(pick, tokens))
    assert won.count(True) == 1
    [ask] = relay.rechecks.asks(relay.organizer)
    relay.rechecks.answer(relay.organizer, ask.id, "busy")
    # Released: exactly one of the others can hold it now.
    with ThreadPoolExecutor(6) as pool:
        again = list(pool.map(pick, [t for t, w in zip(tokens, won, strict=True) if not w]))
    assert again.count(True) == 1


def test_decided_rechecks_are_purged_after_the_retention(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    [ask] = relay.rechecks.asks(relay.organizer)
    assert relay.rechecks.purge(0) == 0  # Still waiting for its verdict.
    relay.rechecks.answer(relay.organizer, ask.id, "free")
    relay.now[0] = NOW + 10
    assert relay.rechecks.purge(3600) == 0
    assert relay.rechecks.purge(5) == 1
    assert relay.rechecks.standing(a).status == "none"
    assert len(relay.feed.after(relay.organizer, 0)) == 1  # The booking stays.


def test_acknowledging_up_to_a_cursor_leaves_a_hold_for_the_feed(relay: Relay) -> None:
    a = relay.offer("a", _ann(START))
    b = relay.offer("b", Slot(START, START + 1800, ("bob",)))
    held, _ = relay.rechecks.book(a, slot_id=_ann(START).id, time_zone="UTC")
    relay.now[0] = NOW + 120  # The desktop went away: b is booked at once.
    later, _ = relay.rechecks.book(b, start=START, time_zone="UTC")
    assert relay.feed.acknowledge(relay.organizer, cursor=later.id) == 1
    assert relay.rechecks.asks(relay.organizer) == []  # Past its deadline: confirmed.
    [entry] = relay.feed.after(relay.organizer, 0)
    assert entry.id == held.id
