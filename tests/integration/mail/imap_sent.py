"""An IMAP4rev1 server on loopback with one read-only folder: a provider's Sent folder.

It speaks the part of RFC 3501 a Sent-folder search uses (CAPABILITY, LOGIN,
SELECT/EXAMINE, SEARCH HEADER, NOOP, LOGOUT) and answers the rest with BAD, as
a real server answers what it does not know. Its folder holds the Message-IDs
of a :class:`FaultySmtp`'s accepted messages, as a Gmail or Microsoft 365
mailbox files what their SMTP submission sends.
"""

from __future__ import annotations

import asyncio
import shlex
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .smtp_faults import free_port


@dataclass
class ImapSent:
    message_ids: Callable[[], set[str]]
    username: str
    password: str
    folder: str = "Sent"
    port: int = field(default_factory=free_port)
    searches: list[str] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
        logged_in, selected = False, False
        while line := await reader.readline():
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, arguments = rest.partition(" ")
            command = command.upper()
            reply = f"{tag} BAD unknown command"
            if command == "CAPABILITY":
                writer.write(b"* CAPABILITY IMAP4rev1\r\n")
                reply = f"{tag} OK CAPABILITY completed"
            elif command == "NOOP":
                reply = f"{tag} OK NOOP completed"
            elif command == "LOGOUT":
                writer.write(b"* BYE logging out\r\n")
                writer.write(f"{tag} OK LOGOUT completed\r\n".encode())
                break
            elif command == "LOGIN":
                user, password = shlex.split(arguments)
                logged_in = (user, password) == (self.username, self.password)
                reply = f"{tag} OK LOGIN completed" if logged_in else f"{tag} NO LOGIN failed"
            elif command in ("SELECT", "EXAMINE") and logged_in:
                selected = shlex.split(arguments) == [self.folder]
                count = len(self.message_ids())
                if selected:
                    writer.write(f"* {count} EXISTS\r\n* 0 RECENT\r\n".encode())
                    reply = f"{tag} OK [READ-ONLY] {command} completed"
                else:
                    reply = f"{tag} NO no such mailbox"
            elif command == "SEARCH" and selected:
                words = shlex.split(arguments)
                if len(words) == 3 and words[0].upper() == "HEADER":
                    wanted = words[2]
                    self.searches.append(wanted)
                    ids = sorted(self.message_ids())
                    hits = [str(n + 1) for n, ident in enumerate(ids) if wanted in ident]
                    writer.write(f"* SEARCH {' '.join(hits)}".rstrip().encode() + b"\r\n")
                    reply = f"{tag} OK SEARCH completed"
            writer.write(reply.encode() + b"\r\n")
            await writer.drain()
        writer.close()


@contextmanager
def imap_sent(
    message_ids: Callable[[], set[str]], username: str = "olivia", password: str = "secret"
) -> Iterator[ImapSent]:
    server = ImapSent(message_ids, username, password)
    loop = asyncio.new_event_loop()
    started = threading.Event()

    async def main() -> None:
        listener = await asyncio.start_server(server.serve, "127.0.0.1", server.port)
        started.set()
        async with listener:
            await listener.serve_forever()

    thread = threading.Thread(target=lambda: loop.run_until_complete(_until_cancelled(main())))
    thread.start()
    started.wait(10)
    try:
        yield server
    finally:
        loop.call_soon_threadsafe(lambda: [t.cancel() for t in asyncio.all_tasks(loop)])
        thread.join(10)
        loop.close()


async def _until_cancelled(work: object) -> None:
    try:
        await work  # type: ignore[misc]
    except asyncio.CancelledError:
        pass
