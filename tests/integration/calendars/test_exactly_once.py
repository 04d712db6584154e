"""Writing a meeting's event exactly once when the answer to the write is lost.

Each fake sits behind a proxy that lets the create request through, so the
service carries it out, and then closes the connection before the answer
reaches InviteOnce. The write is tried again (by the HTTP library itself, or
by the outbox later); the calendar must end up with one event, and the
attendees with one invitation.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from inviteonce_desktop.services.calendars.base import (
    Attendee,
    AttendeeRole,
    EventRequest,
)
from inviteonce_desktop.services.calendars.errors import CalendarUnavailable
from inviteonce_desktop.services.calendars.exchange import ExchangeProvider, exchange_configuration
from inviteonce_desktop.services.calendars.google import GoogleCalendarProvider
from inviteonce_desktop.services.calendars.retry import RetryPolicy

from .conftest import ExchangeServer, GoogleServer
from .fakes.dropping import DroppingProxy, dropping_proxy
from .fakes.ews import PATH as EWS_PATH
from .support import run_then_close

UID = "inviteonce-7-b9@inviteonce"


def meeting() -> EventRequest:
    return EventRequest(
        uid=UID,
        title="Intro call with Carla",
        start=datetime(2025, 3, 4, 9, tzinfo=UTC),
        end=datetime(2025, 3, 4, 10, tzinfo=UTC),
        time_zone="Europe/Berlin",
        attendees=(
            Attendee("carla@example.org", "Carla"),
            Attendee("raum-ue@example.com", "Raum Ü", AttendeeRole.RESOURCE),
        ),
    )


@pytest.fixture
def google_proxy(google: GoogleServer) -> Iterator[DroppingProxy]:
    with dropping_proxy(google.url) as proxy:
        yield proxy


def google_provider(google: GoogleServer, proxy: DroppingProxy) -> GoogleCalendarProvider:
    return GoogleCalendarProvider(
        account_name="Work Google",
        credentials=google.credentials(),
        api_endpoint=f"{proxy.url}/calendar/v3/",
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05),
        timeout=10,
    )


def test_google_insert_whose_answer_is_lost_once_makes_one_event_and_one_invitation(
    google: GoogleServer, google_proxy: DroppingProxy
) -> None:
    calendar = google.fake.account_email
    google.fake.add_calendar(calendar)
    rule = google_proxy.drop("POST", UID)
    provider = google_provider(google, google_proxy)

    ref = run_then_close(provider, provider.create_event(calendar, meeting()))

    assert rule.dropped == 1
    (stored,) = google.fake.events[calendar].values()
    assert ref.provider_id == stored["id"] and stored["iCalUID"] == UID
    assert google.fake.invitations_sent == [("POST", stored["id"])]


def test_google_event_created_before_a_failed_attempt_is_found_not_created_again(
    google: GoogleServer, google_proxy: DroppingProxy
) -> None:
    calendar = google.fake.account_email
    google.fake.add_calendar(calendar)
    google_proxy.drop("POST", UID, times=2)
    provider = google_provider(google, google_proxy)

    with pytest.raises(CalendarUnavailable):
        run_then_close(provider, provider.create_event(calendar, meeting()))
    assert len(google.fake.events[calendar]) == 1

    again = google_provider(google, google_proxy)
    ref = run_then_close(again, again.create_event(calendar, meeting()))

    (stored,) = google.fake.events[calendar].values()
    assert ref.provider_id == stored["id"]
    assert google.fake.invitations_sent == [("POST", stored["id"])]


def exchange_provider(exchange: ExchangeServer, proxy: DroppingProxy) -> ExchangeProvider:
    config = exchange_configuration(
        server_url=f"{proxy.url}{EWS_PATH}",
        username=exchange.fake.user,
        secret=exchange.fake.password,
        auth="basic",
    )
    return ExchangeProvider(
        account_name="Contoso Exchange",
        config=config,
        email=exchange.fake.mailbox,
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05),
        timeout=10,
    )


def test_ews_create_whose_answer_is_lost_is_found_by_uid_not_created_again(
    exchange: ExchangeServer,
) -> None:
    me = exchange.fake.mailbox
    with dropping_proxy(exchange.url) as proxy:
        rule = proxy.drop("POST", "CreateItem")
        provider = exchange_provider(exchange, proxy)
        with pytest.raises(CalendarUnavailable):
            run_then_close(provider, provider.create_event(me, meeting()))
        assert rule.dropped == 1 and len(exchange.fake.items) == 1

        again = exchange_provider(exchange, proxy)
        ref = run_then_close(again, again.create_event(me, meeting()))

    (item,) = exchange.fake.items.values()
    assert ref.provider_id == item["id"] and ref.extra["changekey"] == item["changekey"]
    assert item["UID"] == UID and item["send"] == "SendToAllAndSaveCopy"
    assert exchange.fake.operations.count("CreateItem") == 1
    assert exchange.fake.operations.count("FindItem") == 2
