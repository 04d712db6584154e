"""``inviteonce-relay``: serve, migrate, and manage organizer keys.

    inviteonce-relay init --public-url https://book.example.com [--database-url URL]
    inviteonce-relay serve --database-url URL --host H --port P --public-url URL --workers N
    inviteonce-relay migrate
    inviteonce-relay purge                    (removes finished offers' content now)
    inviteonce-relay trim-locale-data         (keeps Babel's data for the relay's languages only)
    inviteonce-relay organizers add NAME      (prints the new key once)
    inviteonce-relay organizers list
    inviteonce-relay organizers rotate NAME   (prints the new key once)
    inviteonce-relay organizers pair NAME     (a new key, as a pairing code for the desktop)

Every option also comes from ``INVITEONCE_RELAY_<OPTION>`` in the environment.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from inviteonce_desktop.core.errors import DomainError, ValidationError
from inviteonce_desktop.core.pairing import Pairing

from .database import connection_budget, create_relay_engine, migrate, pool_size_per_worker
from .init import DEFAULT_DATABASE, InitPlan, initialize
from .locale_data import babel_locale_data, trim
from .offer_store import OfferStore
from .organizers import OrganizerDirectory
from .receipts import ReceiptServer
from .settings import RelaySettings
from .timeouts import PROTOCOL_PATH


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inviteonce-relay", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="sqlite:///path or postgresql+psycopg://...")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run the relay",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Every setting, from the environment:\n"
        + "\n".join(
            f"  {name} (default {default!r}): {meaning}"
            for name, default, meaning in RelaySettings.documented()
        ),
    )
    serve.add_argument("--database-url", dest="serve_database_url")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--public-url", help="the https address customers use")
    serve.add_argument("--workers", type=int)
    serve.add_argument("--forwarded-allow-ips", help="proxies trusted for X-Forwarded-For")
    init = commands.add_parser(
        "init", help="set up this server: database, first organizer, systemd unit, Caddy site"
    )
    init.add_argument(
        "--public-url",
        required=True,
        dest="init_public_url",
        help="the https address customers open, e.g. https://book.example.com",
    )
    init.add_argument(
        "--database-url", dest="init_database_url", help=f"default {DEFAULT_DATABASE}"
    )
    init.add_argument("--organizer", default="organizer", help="the first organizer's name")
    init.add_argument("--workers", type=int, default=0, help="default: one per core, at most 4")
    init.add_argument("--port", type=int, dest="init_port", default=8080)
    init.add_argument(
        "--hosts",
        type=int,
        default=1,
        help="relay hosts that will share this database (each takes an equal share)",
    )
    init.add_argument("--config-dir", type=Path, default=Path("/etc/inviteonce-relay"))
    init.add_argument("--systemd-dir", type=Path, default=Path("/etc/systemd/system"))
    init.add_argument("--caddyfile", type=Path, default=Path("/etc/caddy/Caddyfile"))
    init.add_argument(
        "--tls-internal",
        action="store_true",
        help="Caddy's own certificate authority instead of a public certificate",
    )
    receipts = init.add_argument_group(
        "booking receipts", "email each customer a receipt at booking, through your own SMTP"
    )
    receipts.add_argument("--receipt-smtp-host", default="")
    receipts.add_argument("--receipt-smtp-port", type=int, default=587)
    receipts.add_argument(
        "--receipt-smtp-security", choices=["starttls", "tls", "none"], default="starttls"
    )
    receipts.add_argument("--receipt-smtp-username", default="")
    receipts.add_argument(
        "--receipt-smtp-password-file", default="", help="a file holding the SMTP password"
    )
    receipts.add_argument("--receipt-from", default="", help="e.g. Bookings <bookings@example.com>")
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("purge", help="remove the content of offers past the retention time")
    commands.add_parser(
        "trim-locale-data",
        help="remove Babel's locale data for languages the relay's pages do not speak",
    )
    organizers = commands.add_parser("organizers", help="manage organizer keys")
    actions = organizers.add_subparsers(dest="action", required=True)
    actions.add_parser("add", help="add an organizer and print its key").add_argument("name")
    actions.add_parser("list", help="list organizers")
    actions.add_parser("rotate", help="give an organizer a new key").add_argument("name")
    actions.add_parser(
        "pair", help="give an organizer a new key and print it as a pairing code"
    ).add_argument("name")
    return parser


def _settings(args: argparse.Namespace) -> RelaySettings:
    settings = RelaySettings.from_environ(os.environ)
    return settings.with_overrides(
        database_url=getattr(args, "serve_database_url", None) or args.database_url,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        public_url=getattr(args, "public_url", None),
        workers=getattr(args, "workers", None),
        forwarded_allow_ips=getattr(args, "forwarded_allow_ips", None),
    )


def _serve(settings: RelaySettings) -> None:
    import uvicorn

    engine = create_relay_engine(settings.database_url, pool_size=1)
    migrate(engine)
    if settings.database_connections <= 0:
        budget = connection_budget(engine, settings.hosts)
        settings = settings.with_overrides(database_connections=budget or None)
    engine.dispose()
    if settings.database_connections > 0:
        share = pool_size_per_worker(settings.database_connections, settings.workers)
        print(
            f"inviteonce-relay: {settings.database_connections} database connections, "
            f"{share} per worker.",
            file=sys.stderr,
        )
    os.environ.update(settings.to_environ())
    uvicorn.run(
        "inviteonce_desktop.relay.app:create_app_from_environ",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=5,
        timeout_keep_alive=5,
        http=PROTOCOL_PATH,
    )


def _organizers(settings: RelaySettings, args: argparse.Namespace) -> None:
    engine = create_relay_engine(settings.database_url, pool_size=1)
    migrate(engine)
    directory = OrganizerDirectory(engine)
    if args.action == "add":
        print(directory.add(args.name))
    elif args.action == "rotate":
        print(directory.rotate(args.name))
    elif args.action == "pair":
        if not settings.public_url:
            raise ValidationError(
                "Set the relay's public URL first (--public-url or INVITEONCE_RELAY_PUBLIC_URL)."
            )
        print(Pairing(settings.base_url, directory.rotate(args.name)).encode())
    else:
        for organizer in directory.list():
            created = datetime.fromtimestamp(organizer.created_at, UTC).isoformat()
            print(f"{organizer.name}\tcreated {created}")
    engine.dispose()


def _init(args: argparse.Namespace) -> None:
    plan = InitPlan(
        public_url=args.init_public_url,
        database_url=args.init_database_url or args.database_url or DEFAULT_DATABASE,
        organizer=args.organizer,
        workers=args.workers,
        port=args.init_port,
        hosts=args.hosts,
        config_dir=args.config_dir,
        systemd_dir=args.systemd_dir,
        caddyfile=args.caddyfile,
        tls_internal=args.tls_internal,
        receipts={
            name: getattr(args, name)
            for name in (
                "receipt_smtp_host",
                "receipt_smtp_port",
                "receipt_smtp_security",
                "receipt_smtp_username",
                "receipt_smtp_password_file",
                "receipt_from",
            )
        }
        if args.receipt_smtp_host
        else {},
    )
    result = initialize(plan)
    for path in result.written:
        print(f"Wrote {path}")
    for note in result.notes:
        print(note)
    print()
    print("Pairing code (paste it into InviteOnce: Settings, Relay, Paste pairing code;")
    print("or run: inviteonce settings relay pair CODE). It holds the organizer key:")
    print(result.pairing_code)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
        if args.command == "init":
            _init(args)
        elif args.command == "serve":
            ReceiptServer.of(settings)  # half-set receipts: one sentence before any worker
            _serve(settings)
        elif args.command == "migrate":
            engine = create_relay_engine(settings.database_url, pool_size=1)
            migrate(engine)
            engine.dispose()
            print("The relay database is up to date.")
        elif args.command == "purge":
            engine = create_relay_engine(settings.database_url, pool_size=1)
            migrate(engine)
            purged = OfferStore(engine).purge(settings.retention_days * 86400)
            engine.dispose()
            print(f"Removed the content of {purged} finished offers.")
        elif args.command == "trim-locale-data":
            files, size = trim(babel_locale_data())
            print(f"Removed {files} locale files ({size / 2**20:.1f} MiB) the relay does not use.")
        else:
            _organizers(settings, args)
    except DomainError as error:
        print(f"inviteonce-relay: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"inviteonce-relay: a file could not be written{where}: {error.strerror}.",
            file=sys.stderr,
        )
        return 1
    except SQLAlchemyError as error:
        reason = type(getattr(error, "orig", None) or error).__name__
        print(f"inviteonce-relay: the database could not be used ({reason}).", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
