"""Offers and bookings at the storage level, on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from inviteonce_desktop.core.invitation import MeetingType, TimeZoneConversion
from inviteonce_desktop.relay.booking import BookingDesk
from inviteonce_desktop.relay.database import create_relay_engine, migrate
from inviteonce_desktop.relay.errors import AlreadyScheduled, LinkGone, SlotTaken
from inviteonce_desktop.relay.offer import Offer, Slot
from inviteonce_desktop.relay.offer_store import OfferStore
from inviteonce_desktop.relay.organizers import OrganizerDirectory

NOW = 1_800_000_000


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = create_relay_engine(sqlite_url)
    migrate(engine)
    yield engine
    engine.dispose()


def _offer(*slots: Slot, expires: int = NOW + 86400) -> Offer:
    return Offer(
        "S",
        30,
        "Ann",
        MeetingType.VIDEO,
        "",
        "UTC",
        TimeZoneConversion.CUSTOMER,
        None,
        expires,
        slots,
    )


def _parts(engine: Engine) -> tuple[OfferStore, BookingDesk, int, str]:
    directory = OrganizerDirectory(engine, clock=lambda: NOW)
    key = directory.add("Ann")
    organizer_id = directory.authenticate(key)
    assert organizer_id is not None
    store = OfferStore(engine, clock=lambda: NOW)
    return store, BookingDesk(engine, store, clock=lambda: NOW), organizer_id, key


def test_a_booking_withdraws_overlapping_slots_of_offers_sharing_a_key(engine: Engine) -> None:
    store, desk, organizer, key = _parts(engine)
    start = NOW + 3600
    a = store.publish(organizer, key, "a", _offer(Slot(start, start + 1800, ("ann",)))).token
    b = store.publish(
        organizer,
        key,
        "b",
        _offer(
            Slot(start + 900, start + 2700, ("ann", "room")),
            Slot(start + 1800, start + 3600, ("ann",)),
        ),
    ).token
    c = store.publish(organizer, key, "c", _offer(Slot(start, start + 1800, ("bob",)))).token
    desk.book(a, start=start, time_zone="UTC")
    with pytest.raises(SlotTaken):
        desk.book(b, start=start + 900, time_zone="UTC")
    booking, _ = desk.book(b, start=start + 1800, time_zone="UTC")
    assert booking.resource_keys == ("ann",)
    desk.book(c, start=start, time_zone="UTC")
    with pytest.raises(AlreadyScheduled):
        desk.book(a, start=start, time_zone="UTC")


def test_pool_members_are_taken_one_by_one(engine: Engine) -> None:
    store, desk, organizer, key = _parts(engine)
    start = NOW + 3600
    tokens = [
        store.publish(
            organizer, key, f"p{n}", _offer(Slot(start, start + 1800, (), (("r1", "r2"),)))
        ).token
        for n in range(3)
    ]
    first, _ = desk.book(tokens[0], start=start, time_zone="UTC")
    second, _ = desk.book(tokens[1], start=start, time_zone="UTC")
    assert (first.resource_keys, second.resource_keys) == (("r1",), ("r2",))
    with pytest.raises(SlotTaken):
        desk.book(tokens[2], start=start, time_zone="UTC")


def test_cancelling_releases_the_resources_and_republishing_reopens(engine: Engine) -> None:
    store, desk, organizer, key = _parts(engine)
    start = NOW + 3600
    slot = Slot(start, start + 1800, ("ann",))
    first = store.publish(organizer, key, "a", _offer(slot)).token
    second = store.publish(organizer, key, "b", _offer(slot)).token
    desk.book(first, start=start, time_zone="UTC")
    assert store.cancel(organizer, "a")
    with pytest.raises(LinkGone):
        desk.book(first, start=start, time_zone="UTC")
    desk.book(second, start=start, time_zone="UTC")
    assert store.cancel(organizer, "b")
    assert store.publish(organizer, key, "a", _offer(slot)).token == first
    desk.book(first, start=start, time_zone="UTC")


def test_expired_offers_and_past_slots_cannot_be_booked(engine: Engine) -> None:
    store, desk, organizer, key = _parts(engine)
    old = store.publish(
        organizer, key, "old", _offer(Slot(NOW + 60, NOW + 1860), expires=NOW)
    ).token
    past = store.publish(organizer, key, "past", _offer(Slot(NOW - 60, NOW + 1740))).token
    with pytest.raises(LinkGone):
        desk.book(old, start=NOW + 60, time_zone="UTC")
    with pytest.raises(SlotTaken):
        desk.book(past, start=NOW - 60, time_zone="UTC")


def test_rotating_the_key_keeps_old_links_working(engine: Engine) -> None:
    store, desk, organizer, key = _parts(engine)
    slot = Slot(NOW + 3600, NOW + 5400)
    old = store.publish(organizer, key, "a", _offer(slot)).token
    new_key = OrganizerDirectory(engine).rotate("Ann")
    new = store.publish(organizer, new_key, "a", _offer(slot)).token
    assert new != old
    with engine.connect() as connection:
        found_old, found_new = store.find(connection, old), store.find(connection, new)
    assert found_old is not None and found_new is not None and found_old.id == found_new.id


def test_finished_offers_lose_their_content_after_the_retention(engine: Engine) -> None:
    store, desk, organizer, key = _parts(engine)
    start = NOW + 3600
    cancelled = store.publish(organizer, key, "c", _offer(Slot(start, start + 1800, ("a",))))
    booked = store.publish(organizer, key, "b", _offer(Slot(start, start + 1800, ("b",))))
    kept = store.publish(
        organizer, key, "k", _offer(Slot(start, start + 1800, ("k",)), expires=NOW + 60 * 86400)
    )
    desk.book(booked.token, start=start, time_zone="UTC")
    store.cancel(organizer, "c")
    later = OfferStore(engine, clock=lambda: NOW + 10 * 86400)
    assert later.purge(retention_seconds=30 * 86400) == 0
    # Forty days on: the cancelled one and the expired one whose meeting is over go.
    much_later = OfferStore(engine, clock=lambda: NOW + 40 * 86400)
    assert much_later.purge(retention_seconds=30 * 86400) == 2
    with engine.connect() as connection:
        gone = much_later.find(connection, cancelled.token)
        over = much_later.find(connection, booked.token)
        left = much_later.find(connection, kept.token)
        contents = connection.execute(text("SELECT content FROM offers ORDER BY id")).scalars()
        assert [bool(c) for c in contents] == [False, False, True]
    assert gone is not None and gone.purged and gone.offer.subject == ""
    assert over is not None and over.purged and over.booking is not None
    assert left is not None and not left.purged
    with pytest.raises(LinkGone):
        BookingDesk(engine, much_later, clock=lambda: NOW).book(
            cancelled.token, start=start, time_zone="UTC"
        )
    # Publishing the invitation again brings its content back.
    again = much_later.publish(organizer, key, "c", _offer(Slot(start, start + 1800, ("a",))))
    with engine.connect() as connection:
        found = much_later.find(connection, again.token)
    assert found is not None and not found.purged and found.offer.subject == "S"


def test_offers_stored_before_notice_and_buffers_still_read() -> None:
    stored = (
        '{"subject":"S","duration_minutes":30,"organizer_name":"Ann","meeting_type":"video",'
        '"location":"","time_zone":"UTC","time_zone_conversion":"customer",'
        '"fixed_time_zone":null,"expires_at":1800086400,'
        '"slots":[[1800003600,1800005400,["ann"],[["r1","r2"]]]],"promoted":[1800003600]}'
    )
    offer = Offer.from_json(stored)
    assert offer.slots == (Slot(1800003600, 1800005400, ("ann",), (("r1", "r2"),)),)
    assert (offer.notice, offer.buffer_before, offer.buffer_after) == (0, 0, 0)
