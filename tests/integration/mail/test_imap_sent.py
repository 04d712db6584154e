"""The IMAP Sent folder look-up, with Python's own imaplib against a server on loopback."""

from __future__ import annotations

import asyncio

import pytest

from inviteonce_desktop.services.mail import (
    ImapSentFolder,
    ImapSettings,
    MailRejected,
    MailUnavailable,
    Security,
)

from .imap_sent import imap_sent
from .smtp_faults import free_port


def folder(port: int, password: str = "secret", name: str = "Sent") -> ImapSentFolder:
    return ImapSentFolder(ImapSettings("127.0.0.1", port, Security.NONE, "olivia", name), password)


def test_a_sent_message_is_found_by_its_message_id_and_another_is_not() -> None:
    kept = {"<invitation.1.1.abc@example.com>"}
    with imap_sent(lambda: kept) as server:
        sent = folder(server.port)

        assert asyncio.run(sent.contains("<invitation.1.1.abc@example.com>")) is True
        assert asyncio.run(sent.contains("<invitation.1.2.abc@example.com>")) is False
        assert server.searches == [
            "<invitation.1.1.abc@example.com>",
            "<invitation.1.2.abc@example.com>",
        ]


def test_a_wrong_password_or_folder_is_a_refusal_that_says_which() -> None:
    with imap_sent(set) as server:
        with pytest.raises(MailRejected, match="refused the IMAP login"):
            asyncio.run(folder(server.port, password="wrong").contains("<a@b>"))
        with pytest.raises(MailRejected, match="no folder called 'Gesendet'"):
            asyncio.run(folder(server.port, name="Gesendet").contains("<a@b>"))


def test_no_imap_server_is_unavailable() -> None:
    with pytest.raises(MailUnavailable, match="IMAP"):
        asyncio.run(folder(free_port()).contains("<a@b>"))
