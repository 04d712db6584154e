"""An SMTP server on loopback (aiosmtpd) that misbehaves the way real ones do.

Faults are queued per stage of the SMTP dialogue: the greeting ("connect"),
EHLO/HELO, MAIL FROM, RCPT TO, the DATA command ("data") and the reply to the
message itself ("end"). A fault answers with its reply (a 421 also closes the
connection, as RFC 5321 says) or, with no reply, drops the connection; a drop
at "end" happens after the message was taken, so the message counts as
received, as it does on a real server that fails to say so. ``delay`` waits
before the 250 to DATA, as content-scanning servers do, with the message
already received.

``sent`` plays the Sent folder of a provider whose SMTP submission files what
it accepts there (Gmail, Microsoft 365): the Message-IDs of accepted messages.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

STAGES = ("connect", "ehlo", "mail", "rcpt", "data", "end")


@dataclass
class Fault:
    stage: str
    reply: str | None
    """The reply, such as "450 4.7.1 Greylisted"; None drops the connection."""
    times: int = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class FaultySmtp:
    port: int = field(default_factory=free_port)
    delay: float = 0.0
    messages: list[EmailMessage] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    sent: set[str] = field(default_factory=set)
    connections: int = 0
    _refused_greetings: dict[int, Fault] = field(default_factory=dict)

    def fail(self, stage: str, reply: str | None, times: int = 1) -> None:
        assert stage in STAGES, stage
        self.faults.append(Fault(stage, reply, times))

    def take(self, stage: str) -> Fault | None:
        for fault in self.faults:
            if fault.stage == stage and fault.times != 0:
                fault.times -= 1
                return fault
        return None

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]

    def copies(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for ident in self.message_ids():
            counts[ident] = counts.get(ident, 0) + 1
        return counts

    # aiosmtpd handler hooks

    async def handle_EHLO(  # noqa: N802
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        fault = self.take("ehlo")
        if fault is None:
            session.host_name = hostname
            return responses
        if fault.reply is None:
            _drop(server)
            return []
        self._refused_greetings[id(session)] = fault
        _close_after_421(server, fault.reply)
        return [fault.reply]

    async def handle_HELO(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str
    ) -> str:
        """A server that refused EHLO refuses the HELO a client falls back to as well."""
        fault = self._refused_greetings.pop(id(session), None) or self.take("ehlo")
        if fault is None:
            session.host_name = hostname
            return f"250 {server.hostname}"
        return _answer(server, fault)

    async def handle_MAIL(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        fault = self.take("mail")
        if fault is not None:
            return _answer(server, fault)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        fault = self.take("rcpt")
        if fault is not None:
            return _answer(server, fault)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        fault = self.take("end")
        if fault is not None and fault.reply is not None:
            return _answer(server, fault)
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.sent.add(str(parsed["Message-ID"]))
        if fault is not None:
            _drop(server)
            return "250 OK"
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


def _answer(server: SMTP, fault: Fault) -> str:
    if fault.reply is None:
        _drop(server)
        return "250 OK"
    _close_after_421(server, fault.reply)
    return fault.reply


def _drop(server: SMTP) -> None:
    assert server.transport is not None
    server.transport.abort()


def _close_after_421(server: SMTP, reply: str) -> None:
    if reply.startswith("421"):
        transport = server.transport
        assert transport is not None
        asyncio.get_running_loop().call_soon(transport.close)


class _FaultySMTP(SMTP):
    """aiosmtpd's server, with faults at the greeting and at the DATA command."""

    def __init__(self, box: FaultySmtp, **options: Any) -> None:
        super().__init__(box, **options)
        self._box = box
        self._greeted = False

    async def push(self, status: str | bytes) -> None:
        text = status.decode() if isinstance(status, bytes) else status
        if not self._greeted and text.startswith("220 "):
            self._greeted = True
            self._box.connections += 1
            fault = self._box.take("connect")
            if fault is not None:
                if fault.reply is None:
                    _drop(self)
                    return
                await super().push(fault.reply)
                assert self.transport is not None
                self.transport.close()
                return
        await super().push(status)

    async def smtp_DATA(self, arg: str) -> None:  # noqa: N802
        if self.envelope.rcpt_tos:
            fault = self._box.take("data")
            if fault is not None:
                reply = _answer(self, fault)
                if fault.reply is not None:
                    await super().push(reply)
                return
        await super().smtp_DATA(arg)


class _Controller(Controller):
    def __init__(self, box: FaultySmtp) -> None:
        super().__init__(box, hostname="127.0.0.1", port=box.port)
        self._box = box

    def factory(self) -> SMTP:
        return _FaultySMTP(
            self._box,
            hostname="mail.test",
            authenticator=_accept_any_login,
            auth_require_tls=False,
        )


def _accept_any_login(*_: object) -> AuthResult:
    return AuthResult(success=True)


@contextmanager
def faulty_smtp(delay: float = 0.0, port: int | None = None) -> Iterator[FaultySmtp]:
    box = FaultySmtp(delay=delay) if port is None else FaultySmtp(port=port, delay=delay)
    controller = _Controller(box)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
