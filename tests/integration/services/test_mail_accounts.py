"""Sending the product's mail through a connected account: Gmail, Graph sendMail, EWS,
and an invitation email through the facade with mail set to the account."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

import pytest

from inviteonce_desktop.application.demo import seed_demo
from inviteonce_desktop.application.facade import InviteOnce
from inviteonce_desktop.application.mail_settings import MailSettings
from inviteonce_desktop.core.account_settings import AccountSettings
from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.invitation import (
    Invitation,
    InvitationStatus,
    MeetingDetails,
    Notifications,
    Participant,
    SendMode,
)
from inviteonce_desktop.core.timeframe import TimeFrame
from inviteonce_desktop.services.calendars.connect import connect_exchange, connect_microsoft
from inviteonce_desktop.services.calendars.connected import TOKEN
from inviteonce_desktop.services.calendars.exchange import exchange_configuration
from inviteonce_desktop.services.calendars.factory import AccountConfig, account_mail_transport
from inviteonce_desktop.services.credentials import CredentialStore
from inviteonce_desktop.services.mail import MailOutcomeUnknown, MailRejected, MailUnavailable
from inviteonce_desktop.services.mail_accounts import (
    ExchangeMailTransport,
    GmailTransport,
    GraphMailTransport,
    gmail_endpoint,
    sent_as,
)
from inviteonce_desktop.services.memory_keyring import MemoryKeyring
from inviteonce_desktop.store.accounts import CalendarAccounts
from tests.integration.calendars.conftest import ExchangeServer, GoogleServer, GraphServer
from tests.integration.calendars.fakes.common import Fault
from tests.integration.calendars.fakes.ews import PATH as EWS_PATH
from tests.integration.calendars.fakes.ews import server_busy_fault

MESSAGE_ID = "<invitation.7.1.3f2a@inviteonce.example.org>"
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def invitation_email() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Org Anizer <profile@example.org>"
    message["To"] = "First Customer <first@example.com>"
    message["Subject"] = "Pick a time for our Discovery call"
    message["Message-ID"] = MESSAGE_ID
    message.set_content("Pick a time: https://relay.example.org/i/abc")
    message.add_alternative(
        "<p>Pick a <a href='https://relay.example.org/i/abc'>time</a></p>", "html"
    )
    message.add_attachment(ICS.encode(), maintype="text", subtype="calendar", filename="invite.ics")
    return message


def assert_delivered(received: EmailMessage, sender: str) -> None:
    assert parseaddr(str(received["From"])) == ("Org Anizer", sender)
    assert parseaddr(str(received["To"])) == ("First Customer", "first@example.com")
    assert received["Subject"] == "Pick a time for our Discovery call"
    assert received["Message-ID"] == MESSAGE_ID
    html = received.get_body(("html",))
    assert html is not None and "relay.example.org/i/abc" in html.get_content()
    attachments = list(received.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["invite.ics"]
    assert "METHOD:REQUEST" in attachments[0].get_content()


def send(transport: GmailTransport | GraphMailTransport | ExchangeMailTransport) -> None:
    asyncio.run(transport.send(invitation_email()))


def test_the_from_address_becomes_the_accounts_keeping_the_name() -> None:
    original = invitation_email()
    changed = sent_as(original, "organizer@contoso.com")
    assert parseaddr(str(changed["From"])) == ("Org Anizer", "organizer@contoso.com")
    assert original["From"] == "Org Anizer <profile@example.org>"
    assert sent_as(original, "PROFILE@example.org") is original


def test_the_gmail_endpoint_sits_beside_the_calendar_endpoint() -> None:
    assert gmail_endpoint("http://127.0.0.1:9/calendar/v3/") == "http://127.0.0.1:9/"
    assert gmail_endpoint(None) is None


# -- Gmail ------------------------------------------------------------------


def gmail(google: GoogleServer, **options: object) -> GmailTransport:
    return GmailTransport(
        account_name="Work Google",
        credentials=options.pop("credentials", google.credentials()),  # type: ignore[arg-type]
        address=google.fake.account_email,
        api_endpoint=gmail_endpoint(google.api_endpoint),
        **options,  # type: ignore[arg-type]
    )


def test_gmail_sends_the_raw_message_as_the_account(google: GoogleServer) -> None:
    send(gmail(google))
    [received] = google.fake.sent
    assert_delivered(received, "organizer@example.com")


def test_gmail_refreshes_an_expired_token_first(google: GoogleServer) -> None:
    send(gmail(google, credentials=google.credentials(valid=False)))
    assert len(google.fake.sent) == 1


def test_gmail_revoked_sign_in_asks_to_reconnect(google: GoogleServer) -> None:
    transport = gmail(google)
    google.fake.tokens.revoke_all()
    with pytest.raises(MailRejected, match="reconnect this calendar") as caught:
        send(transport)
    assert "access-" not in str(caught.value) and "refresh-" not in str(caught.value)


def test_gmail_without_the_send_scope_asks_to_reconnect_to_allow_sending(
    google: GoogleServer,
) -> None:
    google.fake.send_scope = False
    with pytest.raises(MailRejected, match="reconnect this calendar to allow sending"):
        send(gmail(google))
    assert google.fake.sent == []


@pytest.mark.parametrize(
    "fault",
    [
        Fault(500, {"error": {"code": 500, "message": "Backend Error"}}),
        Fault(429, {"error": {"code": 429, "message": "Too many"}}),
    ],
)
def test_gmail_failures_of_the_service_are_retried_later(
    google: GoogleServer, fault: Fault
) -> None:
    google.fake.faults.add(fault)
    with pytest.raises(MailUnavailable, match="'Work Google'"):
        send(gmail(google, timeout=0.5))


def test_gmail_unanswered_send_is_an_unknown_outcome_the_sent_folder_settles(
    google: GoogleServer,
) -> None:
    transport = gmail(google, timeout=0.5)
    folder = transport.sent_folder()
    assert not asyncio.run(folder.contains(MESSAGE_ID))
    send(transport)
    google.fake.faults.add(Fault(200, {}, delay=1.5))

    with pytest.raises(MailOutcomeUnknown, match="did not confirm"):
        send(transport)

    assert asyncio.run(folder.contains(MESSAGE_ID))
    assert not asyncio.run(folder.contains("<invitation.7.2.3f2a@inviteonce.example.org>"))
    assert ("GET", "gmail/me/list") in google.fake.requests


# -- Microsoft Graph ----------------------------------------------------------


def graph_mail(graph: GraphServer, **options: object) -> GraphMailTransport:
    return GraphMailTransport(
        account_name="Contoso",
        access_token=graph.access_token(),
        address=graph.fake.account_email,
        graph_url=f"{graph.graph_url}/v1.0",
        **options,  # type: ignore[arg-type]
    )


def test_graph_sends_the_mime_message_as_the_account(graph: GraphServer) -> None:
    send(graph_mail(graph))
    [received] = graph.fake.sent
    assert_delivered(received, "organizer@contoso.com")
    assert ("POST", "me/sendMail") in graph.fake.requests


def test_graph_an_expired_token_is_renewed_once(graph: GraphServer) -> None:
    graph.fake.faults.add(
        Fault(401, {"error": {"code": "InvalidAuthenticationToken", "message": "expired"}})
    )
    send(graph_mail(graph))
    assert len(graph.fake.sent) == 1


def test_graph_revoked_sign_in_asks_to_reconnect(graph: GraphServer) -> None:
    transport = graph_mail(graph)
    graph.fake.tokens.revoke_all()
    with pytest.raises(MailRejected, match="reconnect this calendar") as caught:
        send(transport)
    assert "access-" not in str(caught.value)


def test_graph_without_mail_send_permission_asks_to_reconnect(graph: GraphServer) -> None:
    graph.fake.faults.add(Fault(403, {"error": {"code": "ErrorAccessDenied", "message": "No"}}))
    with pytest.raises(MailRejected, match="to allow sending"):
        send(graph_mail(graph))


@pytest.mark.parametrize(
    "fault",
    [
        Fault(500, {"error": {"code": "generalException"}}),
        Fault(503, {"error": {"code": "serviceNotAvailable"}}),
    ],
)
def test_graph_failures_of_the_service_are_retried_later(graph: GraphServer, fault: Fault) -> None:
    graph.fake.faults.add(fault)
    with pytest.raises(MailUnavailable, match="'Contoso'"):
        send(graph_mail(graph, timeout=0.5))


def test_graph_unanswered_send_is_an_unknown_outcome_sent_items_settle(
    graph: GraphServer,
) -> None:
    transport = graph_mail(graph, timeout=0.5)
    folder = transport.sent_folder()
    assert not asyncio.run(folder.contains(MESSAGE_ID))
    graph.fake.faults.add(Fault(202, {}, delay=1.5))

    with pytest.raises(MailOutcomeUnknown, match="did not confirm"):
        send(transport)
    send(transport)

    assert asyncio.run(folder.contains(MESSAGE_ID))
    assert not asyncio.run(folder.contains("<it's.another@inviteonce.example.org>"))
    assert ("GET", "me/mailFolders/sentitems/messages") in graph.fake.requests


def test_graph_an_unreachable_service_is_retried_later(graph: GraphServer) -> None:
    transport = GraphMailTransport(
        account_name="Contoso",
        access_token=graph.access_token(),
        address=graph.fake.account_email,
        graph_url="http://127.0.0.1:9/v1.0",
    )
    with pytest.raises(MailUnavailable, match="could not be reached"):
        send(transport)


# -- Exchange -------------------------------------------------------------------


def ews_mail(
    exchange: ExchangeServer, password: str | None = None, timeout: float = 30.0
) -> ExchangeMailTransport:
    config = exchange_configuration(
        server_url=f"{exchange.url}{EWS_PATH}",
        username=exchange.fake.user,
        secret=exchange.fake.password if password is None else password,
        auth="basic",
    )
    return ExchangeMailTransport(
        account_name="Contoso Exchange",
        config=config,
        address=exchange.fake.mailbox,
        timeout=timeout,
    )


def test_ews_sends_the_mime_message_and_keeps_a_copy(exchange: ExchangeServer) -> None:
    send(ews_mail(exchange))
    [(disposition, received)] = exchange.fake.sent
    assert disposition == "SendAndSaveCopy"
    assert_delivered(received, "organizer@contoso.com")


def test_ews_wrong_password_asks_to_reconnect(exchange: ExchangeServer) -> None:
    with pytest.raises(MailRejected, match="reconnect this calendar") as caught:
        send(ews_mail(exchange, password="wrong-password"))
    assert "wrong-password" not in str(caught.value)


@pytest.mark.parametrize(
    "fault",
    [
        Fault(500, raw=server_busy_fault(600_000)),
        Fault(503, raw=b"Service Unavailable"),
        Fault(500, raw=b"Internal Server Error"),
        Fault(200, raw=b"", delay=1.5),
    ],
)
def test_ews_failures_of_the_service_are_retried_later(
    exchange: ExchangeServer, fault: Fault
) -> None:
    exchange.fake.faults.add(fault)
    with pytest.raises(MailUnavailable, match="'Contoso Exchange'"):
        send(ews_mail(exchange, timeout=0.5))
    assert exchange.fake.sent == []


# -- Through the facade -------------------------------------------------------


@pytest.fixture
def demo_app(tmp_path: Path, memory_keyring: object) -> Iterator[InviteOnce]:
    app = InviteOnce.open(tmp_path / "ws")
    seed_demo(app)
    yield app
    asyncio.run(app.calendars.aclose())
    app.close()


def google_account(app: InviteOnce, google: GoogleServer) -> int:
    with app.workspace.session() as session:
        accounts = CalendarAccounts(session)
        account_id = accounts.reserve("google")
        settings = AccountSettings(
            calendar=google.fake.account_email,
            email=google.fake.account_email,
            api_endpoint=google.api_endpoint,
        )
        accounts.complete(account_id, google.fake.account_email, settings)
    app.credentials.set(account_id, TOKEN, google.credentials().to_json())
    return account_id


def test_an_invitation_email_goes_out_through_the_connected_google_account(
    demo_app: InviteOnce, google: GoogleServer
) -> None:
    app = demo_app
    account_id = google_account(app, google)
    app.mail.configure(MailSettings("account", account_id=account_id))
    assert app.mail.settings().account_id == account_id
    member = app.members()[0]
    assert member.id is not None
    invitation = Invitation(
        Participant("First Customer", "first@example.com"),
        MeetingDetails("Discovery call", timedelta(minutes=30), (member.id,)),
        TimeFrame("Europe/Berlin", rolling_days=14),
        Notifications(send_mode=SendMode.EMAIL),
    )
    created = asyncio.run(app.create_invitation(invitation))
    assert created.invitation.status is InvitationStatus.PENDING
    [received] = google.fake.sent
    assert parseaddr(str(received["From"])) == ("Alex Organizer", "organizer@example.com")
    assert parseaddr(str(received["To"])) == ("First Customer", "first@example.com")
    assert "Discovery call" in str(received["Subject"])
    assert str(received["Message-ID"]).startswith("<invitation.")


def test_sending_through_a_removed_account_is_refused_with_a_sentence(
    demo_app: InviteOnce,
) -> None:
    demo_app.mail.configure(MailSettings("account", account_id=404))
    with pytest.raises(MailRejected, match="Settings, Mail sending"):
        demo_app.mail.transport()


def test_an_account_must_be_chosen(demo_app: InviteOnce) -> None:
    with pytest.raises(ValidationError, match="connected calendar account"):
        demo_app.mail.configure(MailSettings("account"))


# -- From a stored account ------------------------------------------------------


def test_a_connected_exchange_account_sends_as_its_mailbox(exchange: ExchangeServer) -> None:
    store = CredentialStore(MemoryKeyring())
    fake = exchange.fake
    connected = asyncio.run(
        connect_exchange(
            store,
            22,
            email=fake.mailbox,
            username=fake.user,
            password=fake.password,
            server_url=f"{exchange.url}{EWS_PATH}",
            auth="basic",
        )
    )
    account = AccountConfig(22, "exchange", "Exchange", connected.settings)
    asyncio.run(account_mail_transport(account, store).send(invitation_email()))
    [(_, received)] = fake.sent
    assert_delivered(received, fake.mailbox)


def test_a_connected_microsoft_account_sends_with_its_stored_sign_in(graph: GraphServer) -> None:
    store = CredentialStore(MemoryKeyring())

    def show(message: str) -> None:
        graph.fake.approve_device(message.split("enter the code ")[1].split()[0])

    connected = asyncio.run(
        connect_microsoft(
            graph.fake.client_id,
            store,
            11,
            open_browser=lambda url: False,
            show_device_code=show,
            authority=graph.fake.authority(),
            graph_url=f"{graph.graph_url}/v1.0",
            http_client=graph.http_client(),
            timeout=20,
        )
    )
    account = AccountConfig(11, "microsoft", "Contoso", connected.settings)
    transport = account_mail_transport(account, store, http_client=graph.http_client())
    asyncio.run(transport.send(invitation_email()))
    [received] = graph.fake.sent
    assert_delivered(received, graph.fake.account_email)


def test_accounts_that_cannot_send_are_refused_with_a_sentence() -> None:
    store = CredentialStore(MemoryKeyring())
    caldav = AccountConfig(5, "caldav", "Fastmail", AccountSettings(email="me@fastmail.example"))
    with pytest.raises(MailRejected, match="'Fastmail' cannot send mail"):
        account_mail_transport(caldav, store)
    google = AccountConfig(6, "google", "Work Google", AccountSettings(email="me@example.com"))
    with pytest.raises(MailRejected, match="reconnect this calendar"):
        account_mail_transport(google, store)


def test_ews_sent_items_are_searched_by_internet_message_id(exchange: ExchangeServer) -> None:
    transport = ews_mail(exchange)
    folder = transport.sent_folder()
    assert not asyncio.run(folder.contains(MESSAGE_ID))

    send(transport)

    assert asyncio.run(folder.contains(MESSAGE_ID))
    assert not asyncio.run(folder.contains("<invitation.7.2.3f2a@inviteonce.example.org>"))
    assert exchange.fake.operations.count("FindItem") == 3


def test_ews_unanswered_send_is_an_unknown_outcome(exchange: ExchangeServer) -> None:
    exchange.fake.faults.add(Fault(200, raw=b"", delay=1.5))

    with pytest.raises(MailOutcomeUnknown, match="did not confirm"):
        send(ews_mail(exchange, timeout=0.5))
