"""``inviteonce calendars connect|list|test|refresh|choose|working-elsewhere|map|remove``."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable
from typing import Any, TypeVar

from ..application.facade import CalendarAccount, InviteOnce
from ..application.sign_ins import (
    CalDavSignIn,
    ExchangeSignIn,
    GoogleSignIn,
    MicrosoftSignIn,
    SignIn,
)
from ..core.errors import ValidationError
from ..core.invitation import CalendarChoice
from .output import emit_json, emit_table
from .parsing import minutes, record_id

T = TypeVar("T")


def register(commands: Any) -> None:
    calendars = commands.add_parser("calendars", help="connected calendars").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    connect = calendars.add_parser("connect", help="connect a calendar account").add_subparsers(
        dest="kind", required=True, metavar="KIND"
    )
    caldav = connect.add_parser("caldav", help="Nextcloud, iCloud, Fastmail, Radicale")
    caldav.add_argument("url")
    caldav.add_argument("username")
    caldav.add_argument("--email", default="", help="the address of the account's owner")
    _password_options(caldav)
    google = connect.add_parser("google", help="Google Calendar (signs in through the browser)")
    google.add_argument(
        "--client-secrets",
        default="",
        help="the OAuth client ID file (default: your organization's provisioned client)",
    )
    microsoft = connect.add_parser("microsoft", help="Microsoft 365 (Graph)")
    microsoft.add_argument(
        "--client-id", default="", help="the application (client) ID (default: provisioned)"
    )
    _microsoft_options(microsoft)
    exchange = connect.add_parser("exchange", help="Exchange through EWS")
    exchange.add_argument("email")
    exchange.add_argument("--username", help="default: the email address")
    exchange.add_argument(
        "--server", default="", help="the EWS URL (default: provisioned, else autodiscover)"
    )
    exchange.add_argument(
        "--auth", choices=["ntlm", "basic", "oauth"], help="default: provisioned, else ntlm"
    )
    exchange.add_argument("--client-id", default="", help="OAuth: the application (client) ID")
    _microsoft_options(exchange)
    _password_options(exchange)
    connect.required = True
    for parser in (caldav, google, microsoft, exchange):
        parser.set_defaults(func=run_connect)

    reconnect = calendars.add_parser(
        "reconnect", help="sign in again to a calendar whose sign-in expired or was revoked"
    )
    reconnect.add_argument("account_id", metavar="ID")
    reconnect.add_argument("--client-secrets", default="", help="Google: the client ID file")
    reconnect.add_argument(
        "--device-code", action="store_true", help="sign in on another device with a code"
    )
    _password_options(reconnect)
    reconnect.set_defaults(func=run_reconnect)

    listing = calendars.add_parser("list", help="list connected calendars")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    for name, func, text in [
        ("test", run_test, "check that a calendar answers"),
        ("remove", run_remove, "disconnect a calendar and forget its sign-in"),
    ]:
        command = calendars.add_parser(name, help=text)
        command.add_argument("account_id", metavar="ID")
        command.set_defaults(func=func)
    refresh = calendars.add_parser("refresh", help="fetch free/busy now")
    refresh.add_argument("account_id", nargs="?", metavar="ID")
    refresh.set_defaults(func=run_refresh)
    choose = calendars.add_parser(
        "choose",
        help="list a CalDAV, Google or Microsoft 365 account's calendars, or choose the one "
        "meetings are written to",
    )
    choose.add_argument("account_id", metavar="ID")
    choose.add_argument("calendar", nargs="?", help="the calendar's name, URL or id")
    choose.add_argument("--json", action="store_true")
    choose.set_defaults(func=run_choose)
    elsewhere = calendars.add_parser(
        "working-elsewhere",
        help="whether 'working elsewhere' blocks time on a Microsoft 365 account",
    )
    elsewhere.add_argument("account_id", metavar="ID")
    elsewhere.add_argument("blocks", choices=["busy", "free"])
    elsewhere.set_defaults(func=run_working_elsewhere)
    every = calendars.add_parser(
        "refresh-every", help="how often connected calendars are read (default 5m)"
    )
    every.add_argument("interval", help="e.g. 2m or 1h")
    every.set_defaults(func=run_refresh_every)
    mapping = calendars.add_parser("map", help="use a calendar for a team member or room")
    mapping.add_argument("ref", help="team member or room")
    mapping.add_argument("account_id", help="a calendar account id, or 'local'")
    mapping.add_argument("--calendar", help="the calendar id (default: their email address)")
    mapping.set_defaults(func=run_map)


def _microsoft_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tenant",
        default="",
        help="your organization's domain or tenant id, for a single-tenant application "
        "(default: provisioned, else any organization)",
    )
    parser.add_argument(
        "--device-code", action="store_true", help="sign in on another device with a code"
    )


def _password_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError("Give the password with --password-stdin.")
    return getpass.getpass("Password: ")


def _run(app: InviteOnce, work: Awaitable[T]) -> T:
    async def run() -> T:
        try:
            return await work
        finally:
            await app.close_calendars()

    return asyncio.run(run())


def run_connect(app: InviteOnce, args: argparse.Namespace) -> int:
    work = app.connect_calendar(_sign_in(args, app), open_browser=_browser, show_device_code=print)
    account = _run(app, work)
    print(f"Connected {account.name} (account {account.id}).")
    return 0


def run_reconnect(app: InviteOnce, args: argparse.Namespace) -> int:
    account = app.calendar_account(_account_id(args))
    oauth = account.kind in ("google", "microsoft") or account.settings.auth == "oauth"
    work = app.reconnect_calendar(
        account.id,
        password="" if oauth else _password(args),
        client_secrets_file=args.client_secrets,
        device_code=args.device_code,
        open_browser=_browser,
        show_device_code=print,
    )
    account = _run(app, work)
    print(f"Reconnected {account.name} (account {account.id}).")
    return 0


def _sign_in(args: argparse.Namespace, app: InviteOnce) -> SignIn:
    if args.kind == "caldav":
        return CalDavSignIn(args.url, args.username, _password(args), args.email)
    if args.kind == "exchange":
        auth = args.auth or app.provisioning().exchange_auth or "ntlm"
        return ExchangeSignIn(
            args.email,
            args.username or args.email,
            "" if auth == "oauth" else _password(args),
            args.server,
            auth,
            client_id=args.client_id,
            tenant=args.tenant,
            device_code=args.device_code,
        )
    if args.kind == "google":
        return GoogleSignIn(args.client_secrets)
    return MicrosoftSignIn(args.client_id, device_code=args.device_code, tenant=args.tenant)


def _browser(url: str) -> bool:
    import webbrowser

    print(f"Sign in through your browser: {url}")
    return webbrowser.open(url)


def _row(account: CalendarAccount, default: CalendarChoice | None = None) -> dict[str, Any]:
    return {
        "id": account.id,
        "kind": account.kind,
        "name": account.name,
        "status": account.status,
        "last_refresh": account.last_refresh,
        "last_error": account.last_error,
        "calendar": account.settings.calendar or None,
        "default": default is not None and default.account_id == account.id,
    }


def run_list(app: InviteOnce, args: argparse.Namespace) -> int:
    accounts = app.calendar_accounts()
    if args.json:
        default = app.default_calendar()
        emit_json([_row(a, default) for a in accounts])
        return 0
    emit_table(
        ["ID", "KIND", "NAME", "STATUS", "LAST REFRESH", "PROBLEM"],
        [
            [
                a.id,
                a.kind,
                a.name,
                a.status,
                f"{a.last_refresh:%Y-%m-%d %H:%M}" if a.last_refresh else "never",
                a.last_error or "",
            ]
            for a in accounts
        ],
    )
    return 0


def run_test(app: InviteOnce, args: argparse.Namespace) -> int:
    print(_run(app, app.test_calendar(_account_id(args))))
    return 0


def run_refresh(app: InviteOnce, args: argparse.Namespace) -> int:
    account_id = None if args.account_id is None else _account_id(args)
    report = _run(app, app.refresh_calendars(account_id))
    for name in report.refreshed:
        print(f"Refreshed {name}.")
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return 1 if report.problems else 0


def run_choose(app: InviteOnce, args: argparse.Namespace) -> int:
    account_id = _account_id(args)
    if args.calendar:
        chosen = _run(app, app.choose_calendar(account_id, args.calendar))
        if app.calendar_account(account_id).kind == "caldav":
            print(f"Account {account_id} now reads and writes the calendar '{chosen.name}'.")
        else:
            print(f"Account {account_id} now writes meetings to the calendar '{chosen.name}'.")
        return 0
    choices = _run(app, app.calendar_choices(account_id))
    if args.json:
        emit_json(
            [
                {"name": c.name, "url": c.url, "events": c.holds_events, "current": c.current}
                for c in choices
            ]
        )
        return 0
    emit_table(
        ["", "NAME", "URL"],
        [["*" if c.current else "", c.name, c.url] for c in choices],
    )
    return 0


def run_working_elsewhere(app: InviteOnce, args: argparse.Namespace) -> int:
    account_id = _account_id(args)
    app.set_working_elsewhere(account_id, args.blocks == "busy")
    verb = "blocks" if args.blocks == "busy" else "does not block"
    print(f"'Working elsewhere' {verb} time on account {account_id} from now on.")
    return 0


def run_refresh_every(app: InviteOnce, args: argparse.Namespace) -> int:
    interval = minutes(args.interval, "refresh interval")
    app.set_calendar_refresh_interval(interval)
    total = int(interval.total_seconds() // 60)
    print(f"Connected calendars are read every {total} min; older busy time counts as stale.")
    return 0


def run_map(app: InviteOnce, args: argparse.Namespace) -> int:
    if args.account_id == "local":
        name = app.map_calendar(args.ref, None, None)
        print(f"{name} now uses the built-in calendar.")
        return 0
    if not args.account_id.strip().removeprefix("#").isdigit():
        raise ValidationError(
            "Give a calendar account id (see inviteonce calendars list) or 'local'."
        )
    account_id = _account_id(args)
    name = app.map_calendar(args.ref, account_id, args.calendar)
    print(f"{name} now uses calendar account {account_id}.")
    return 0


def run_remove(app: InviteOnce, args: argparse.Namespace) -> int:
    account = app.remove_calendar(_account_id(args))
    print(f"Removed {account.name}; its sign-in is forgotten.")
    return 0


def _account_id(args: argparse.Namespace) -> int:
    return record_id(args.account_id, "calendar account")
