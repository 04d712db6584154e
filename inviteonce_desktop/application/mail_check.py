"""Whether mail can go out now, and a test email that proves it."""

from __future__ import annotations

from ..core.errors import ValidationError
from ..core.profile import Profile
from .clock import Clock
from .emails import Rendered, compose, message_id
from .mail_settings import MailService

NOT_SET_UP = "Mail sending is not set up yet."
TEST_SUBJECT = "InviteOnce test email"


def mail_problem(mail: MailService, account_ids: set[int]) -> str | None:
    """One sentence saying why invitation emails cannot be sent, or None when they can."""
    settings = mail.settings()
    if settings.mode == "smtp":
        return None if settings.host.strip() else "The mail server's host name is missing."
    if settings.mode == "account":
        if settings.account_id in account_ids:
            return None
        return "The calendar account mail was sent through is no longer connected."
    return NOT_SET_UP


async def send_test_email(mail: MailService, profile: Profile | None, clock: Clock) -> str:
    """Send a short email to the organizer's own address; answer that address."""
    if profile is None:
        raise ValidationError("Set your name and email in Settings, Profile first.")
    text = (
        f"Hello {profile.name},\n\nThis is a test email from InviteOnce. "
        "Invitations and confirmations will reach customers the same way.\n"
    )
    html = (
        f"<p>Hello {_escape(profile.name)},</p><p>This is a test email from InviteOnce. "
        "Invitations and confirmations will reach customers the same way.</p>"
    )
    now = clock.now()
    message = compose(
        Rendered(TEST_SUBJECT, text, html),
        sender=profile,
        to=(profile.name, profile.email),
        msg_id=message_id("test", f"{int(now.timestamp() * 1000)}", profile.email, "test"),
        sent_at=now,
    )
    await mail.transport().send(message)
    return profile.email


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
