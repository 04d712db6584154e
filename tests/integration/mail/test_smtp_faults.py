"""The SMTP transport against a server that fails at every stage, the way real ones do.

Before DATA nothing can have been delivered, so a failure there is certain: a
4xx is "try later", a 5xx a refusal. From DATA on, a reply still says what
happened; a dropped connection or no answer in time does not, and the send's
outcome is unknown (the message may have arrived).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from inviteonce_desktop.services.mail import (
    MailOutcomeUnknown,
    MailRejected,
    MailUnavailable,
    Security,
    SmtpSettings,
    SmtpTransport,
)

from .smtp_faults import STAGES, FaultySmtp, faulty_smtp, free_port

TEMPORARY = (
    "421 4.3.2 Service shutting down",
    "450 4.7.1 Greylisted, try again later",
    "451 4.3.0 Local error",
    "452 4.3.1 Insufficient storage",
)


@pytest.fixture
def server() -> Iterator[FaultySmtp]:
    with faulty_smtp() as box:
        yield box


def message(ident: str = "<invitation.1.1.abc@example.com>") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Olivia Organizer <olivia@example.com>"
    mail["To"] = "Carla Customer <carla@example.org>"
    mail["Subject"] = "Pick a time"
    mail["Message-ID"] = ident
    mail.set_content("https://relay.example/i/abc")
    return mail


def send(port: int, said: list[str] | None = None, timeout: float = 5.0) -> list[str]:
    """Sends one message; the moments the transport said it hands the message over."""
    said = [] if said is None else said

    async def handing_over() -> None:
        said.append("handing over")

    transport = SmtpTransport(SmtpSettings("127.0.0.1", port, Security.NONE, timeout=timeout))
    asyncio.run(transport.send(message(), handing_over))
    return said


def test_a_healthy_server_takes_the_message_once(server: FaultySmtp) -> None:
    assert send(server.port) == ["handing over"]
    assert server.message_ids() == ["<invitation.1.1.abc@example.com>"]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("reply", TEMPORARY)
def test_every_4xx_at_every_stage_is_temporary_and_nothing_arrives(
    server: FaultySmtp, stage: str, reply: str
) -> None:
    server.fail(stage, reply)

    with pytest.raises(MailUnavailable, match=rf"try .* again later \({reply[:3]}\)"):
        send(server.port)

    assert server.messages == []
    send(server.port)
    assert len(server.messages) == 1


@pytest.mark.parametrize("stage", ["mail", "rcpt", "data", "end"])
def test_a_554_is_a_refusal_that_says_so(server: FaultySmtp, stage: str) -> None:
    server.fail(stage, "554 5.7.1 Message refused")

    with pytest.raises(MailRejected, match="refused .*554: 5.7.1 Message refused"):
        send(server.port)
    assert server.messages == []


def test_a_drop_after_data_is_an_unknown_outcome_not_an_unreachable_server(
    server: FaultySmtp,
) -> None:
    server.fail("end", None)

    with pytest.raises(MailOutcomeUnknown) as raised:
        send(server.port)

    assert "cannot be reached" not in str(raised.value)
    assert "did not confirm" in str(raised.value)
    assert len(server.messages) == 1


@pytest.mark.parametrize("stage", ["connect", "ehlo", "mail", "rcpt"])
def test_a_drop_before_data_is_certainly_not_sent(server: FaultySmtp, stage: str) -> None:
    server.fail(stage, None)
    said: list[str] = []

    with pytest.raises(MailUnavailable):
        send(server.port, said)

    assert said == []
    assert server.messages == []


def test_a_slow_250_past_the_timeout_is_an_unknown_outcome() -> None:
    with faulty_smtp(delay=1.5) as slow:
        with pytest.raises(MailOutcomeUnknown):
            send(slow.port, timeout=0.5)
        assert len(slow.messages) == 1


def test_a_slow_250_within_the_timeout_is_sent(server: FaultySmtp) -> None:
    server.delay = 0.2

    assert send(server.port) == ["handing over"]
    assert len(server.messages) == 1


def test_no_server_is_unreachable_and_nothing_was_handed_over() -> None:
    port = free_port()
    said: list[str] = []

    with pytest.raises(MailUnavailable, match=f"127.0.0.1:{port} cannot be reached"):
        send(port, said)
    assert said == []
