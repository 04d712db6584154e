"""``inviteonce settings mail|relay|secrets|language``: how mail goes out, which relay
serves the links, where secrets are kept, and the language of the emails."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Any

from ..application.facade import InviteOnce, Security
from ..application.mail_settings import MailSettings
from ..application.relay_host import RelaySettings
from ..core.errors import ValidationError
from ..core.languages import LANGUAGES
from . import reminders, secrets
from .output import emit_json
from .parsing import minutes, record_id


def register(commands: Any) -> None:
    settings = commands.add_parser(
        "settings", help="mail sending, the relay, reminders, the emails' language"
    ).add_subparsers(dest="area", required=True, metavar="AREA")
    mail = settings.add_parser("mail", help="how invitations are emailed").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    smtp = mail.add_parser("smtp", help="send over an SMTP server")
    smtp.add_argument("host")
    smtp.add_argument("--port", type=int, default=587)
    smtp.add_argument("--security", choices=[s.value for s in Security], default="starttls")
    smtp.add_argument("--username", default="")
    smtp.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    smtp.add_argument(
        "--sent-imap",
        metavar="HOST[:PORT]",
        default="",
        help="an IMAP server whose Sent folder keeps what this SMTP server sends (Gmail, "
        "Microsoft 365): searched before a send that got no answer is repeated",
    )
    smtp.add_argument("--sent-security", choices=[s.value for s in Security], default="tls")
    smtp.add_argument("--sent-folder", default="Sent")
    smtp.set_defaults(func=set_smtp)
    delivery = mail.add_parser(
        "retry", help="how long temporary failures are retried (no option: show it)"
    )
    delivery.add_argument("--give-up-hours", type=float)
    delivery.add_argument(
        "--sent-wait-minutes",
        type=float,
        help="how long a Sent folder is given to show a send that got no answer before the "
        "email is sent again (default 2)",
    )
    delivery.set_defaults(func=set_give_up)
    account = mail.add_parser(
        "account", help="send through a connected Google, Microsoft 365 or Exchange account"
    )
    account.add_argument("account_id", metavar="ID", help="see: inviteonce calendars list")
    account.set_defaults(func=set_account_mail)
    mail.add_parser("none", help="do not send email (copy links instead)").set_defaults(
        func=set_no_mail
    )
    show = mail.add_parser("show", help="show how mail is sent")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=show_mail)

    lead = settings.add_parser(
        "change-lead",
        help="until how long before the start customers may reschedule or cancel (new invitations)",
    )
    lead.add_argument("lead", nargs="?", help="e.g. 12h, 90m or 0 (default: show it)")
    lead.set_defaults(func=change_lead)

    relay = settings.add_parser("relay", help="the booking relay").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    embedded = relay.add_parser("embedded", help="the relay inside the app (127.0.0.1)")
    embedded.add_argument(
        "--lan",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also listen on this computer's network address, so the links open on this network",
    )
    embedded.set_defaults(func=set_embedded)
    standalone = relay.add_parser("url", help="a standalone relay")
    standalone.add_argument("url", help="e.g. https://book.example.com")
    standalone.add_argument(
        "--key-stdin", action="store_true", help="read the organizer key from stdin"
    )
    standalone.set_defaults(func=set_standalone)
    pair = relay.add_parser("pair", help="use a standalone relay by its pairing code")
    pair.add_argument(
        "code", nargs="?", help="the code 'inviteonce-relay init' printed (default: from stdin)"
    )
    pair.set_defaults(func=pair_relay)
    shown = relay.add_parser("show", help="show the relay in use")
    shown.add_argument("--json", action="store_true")
    shown.set_defaults(func=show_relay)
    secrets.register(settings)

    language = settings.add_parser(
        "language", help="the language of the emails to customers and the team"
    )
    language.add_argument(
        "code", nargs="?", help=f"one of {', '.join(LANGUAGES)} (default: show the current one)"
    )
    language.set_defaults(func=email_language)
    reminders.register(settings)


def _secret(args: argparse.Namespace, flag: str, prompt: str) -> str | None:
    if getattr(args, flag.removeprefix("--").replace("-", "_")):
        return sys.stdin.readline().rstrip("\r\n") or None
    if sys.stdin.isatty():
        return getpass.getpass(prompt) or None
    return None


def set_smtp(app: InviteOnce, args: argparse.Namespace) -> int:
    password = _secret(args, "--password-stdin", "SMTP password: ") if args.username else None
    sent_host, _, sent_port = args.sent_imap.partition(":")
    if sent_port and not sent_port.isdigit():
        raise ValidationError(f"'{args.sent_imap}' is not HOST or HOST:PORT.")
    settings = MailSettings(
        "smtp",
        args.host,
        args.port,
        Security(args.security),
        args.username,
        sent_host=sent_host,
        sent_port=int(sent_port) if sent_port else 993,
        sent_security=Security(args.sent_security),
        sent_folder=args.sent_folder,
    )
    app.configure_mail(settings, password)
    print(f"Mail goes out through {args.host}:{args.port} ({args.security}).")
    if sent_host:
        print(f"A send that gets no answer is looked up in {args.sent_folder} on {sent_host}.")
    return 0


def set_give_up(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.give_up_hours is None and args.sent_wait_minutes is None:
        print(
            f"Temporary failures are retried for {app.give_up_hours():g} h; a send that got no "
            f"answer is looked up in the Sent folder for {app.sent_settle_minutes():g} min."
        )
        return 0
    if args.give_up_hours is not None:
        app.set_give_up_hours(args.give_up_hours)
        print(f"Temporary failures are retried for {args.give_up_hours:g} h, then you are told.")
    if args.sent_wait_minutes is not None:
        app.set_sent_settle_minutes(args.sent_wait_minutes)
        print(
            "A send that got no answer is sent again only when the Sent folder does not "
            f"show it {args.sent_wait_minutes:g} min after it."
        )
    return 0


def set_account_mail(app: InviteOnce, args: argparse.Namespace) -> int:
    account = app.calendar_account(record_id(args.account_id, "calendar account"))
    app.configure_mail(MailSettings("account", account_id=account.id))
    print(f"Mail goes out through {account.name}, from its own address.")
    return 0


def set_no_mail(app: InviteOnce, args: argparse.Namespace) -> int:
    app.configure_mail(MailSettings())
    print("Mail sending is off; invitations can still be copied as links.")
    return 0


def show_mail(app: InviteOnce, args: argparse.Namespace) -> int:
    settings = app.mail_settings()
    if args.json:
        emit_json(settings.to_json())
    elif settings.mode == "account" and settings.account_id is not None:
        print(f"Through the account {app.calendar_account(settings.account_id).name}")
    elif settings.mode == "smtp":
        who = f" as {settings.username}" if settings.username else ""
        print(f"SMTP {settings.host}:{settings.port} ({settings.security.value}){who}")
    else:
        print("Mail sending is not set up.")
    return 0


def set_embedded(app: InviteOnce, args: argparse.Namespace) -> int:
    app.configure_relay(RelaySettings(embedded=True, port=app.relay_settings().port, lan=args.lan))
    if args.lan:
        print(
            "Links are served by the embedded relay on this computer's network address: "
            "anyone on this network can open them, nobody outside it."
        )
    else:
        print(
            "Links are served by the embedded relay on 127.0.0.1: they open on this computer only."
        )
    return 0


def set_standalone(app: InviteOnce, args: argparse.Namespace) -> int:
    key = _secret(args, "--key-stdin", "Organizer key: ")
    app.configure_relay(RelaySettings(embedded=False, url=args.url.rstrip("/")), key)
    print(f"Links are served by the relay at {args.url}.")
    return 0


def pair_relay(app: InviteOnce, args: argparse.Namespace) -> int:
    code = args.code
    if not code:
        code = getpass.getpass("Pairing code: ") if sys.stdin.isatty() else sys.stdin.readline()
    url = asyncio.run(app.pair_relay(code))
    print(f"Paired: links are served by the relay at {url}.")
    return 0


def show_relay(app: InviteOnce, args: argparse.Namespace) -> int:
    settings = app.relay_settings()
    if args.json:
        emit_json(settings.to_json())
    else:
        print(app.relay_status())
    return 0


def email_language(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.code is None:
        profile = app.profile()
        code = profile.language if profile is not None else "en"
        print(f"Emails are written in {LANGUAGES[code]} ({code}).")
        return 0
    profile = app.set_email_language(args.code)
    print(f"Emails are written in {LANGUAGES[profile.language]} ({profile.language}) from now on.")
    return 0


def change_lead(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.lead is not None:
        app.set_change_lead_default(minutes(args.lead, "lead time"))
    total = int(app.change_lead_default().total_seconds() // 60)
    hours, rest = divmod(total, 60)
    shown = f"{hours} h {rest} min" if hours and rest else f"{hours} h" if hours else f"{rest} min"
    print(
        f"Customers can reschedule or cancel with their link until {shown} before the start "
        "(for invitations created from now on)."
    )
    return 0
