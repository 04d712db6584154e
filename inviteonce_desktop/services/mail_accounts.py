"""Sending mail as the organizer, through a connected calendar account.

    Google      Gmail API ``users.messages.send`` with the raw message, base64url
    Microsoft   Graph ``POST /me/sendMail`` with the MIME message, base64, as text/plain
    Exchange    EWS ``CreateItem`` with ``MimeContent``, sent and saved to Sent Items

The composed message goes out as it is, except its From: that becomes the
account's own address (the display name is kept), since the service sends only
as its signed-in user. Failures land in the mail error tree: the network, a
timeout or a 5xx is :class:`MailUnavailable` (the outbox retries), a send
request that got no answer is :class:`MailOutcomeUnknown`; a refused sign-in is
:class:`MailRejected` asking to reconnect the calendar. No message ever carries
a token or password.

Each service keeps what it sent, so each transport offers its Sent folder for
a look-up by Message-ID: Gmail's search ``rfc822msgid:``, Graph's
``internetMessageId`` filter, EWS's FindItem on Sent Items.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import formataddr, getaddresses
from typing import Any

import google_auth_httplib2
import httplib2
import httpx
import requests
from exchangelib import DELEGATE, Account, Configuration, EWSTimeZone, Mailbox, Message
from exchangelib import errors as ews_errors
from exchangelib.folders import Root, SentItems
from exchangelib.properties import DistinguishedFolderId
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from .calendars.errors import CalendarError, CalendarRejected, ReconnectRequired
from .mail import (
    HandingOver,
    MailOutcomeUnknown,
    MailRejected,
    MailUnavailable,
    SentFolder,
)
from .tls import http_tls_context

AccessToken = Callable[[bool], Awaitable[str]]
ConfigSource = Callable[[bool], Awaitable[Configuration]]


def sent_as(message: EmailMessage, address: str) -> EmailMessage:
    """*message* from *address*: a copy with its From changed when it names someone else."""
    current = getaddresses([str(message.get("From", ""))])
    name, old = current[0] if current else ("", "")
    if old.lower() == address.lower():
        return message
    changed = copy.deepcopy(message)
    del changed["From"]
    changed["From"] = formataddr((name, address))
    return changed


async def _nothing() -> None:
    return None


def rfc822(message: EmailMessage) -> bytes:
    """The message as it goes on the wire, with CRLF line ends."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def _reconnect(service: str, account_name: str) -> MailRejected:
    return MailRejected(
        f"{service} no longer accepts the sign-in of '{account_name}': reconnect this calendar."
    )


def mail_error(problem: CalendarError) -> MailRejected | MailUnavailable:
    """A sign-in or settings problem of the account, as mail sending reports it: one to
    fix (a sign-in to renew, a setting missing) is refused; anything else is retried."""
    if isinstance(problem, (ReconnectRequired, CalendarRejected)):
        return MailRejected(str(problem))
    return MailUnavailable(str(problem))


# -- Gmail --------------------------------------------------------------------


def gmail_endpoint(calendar_endpoint: str | None) -> str | None:
    """The Gmail API root beside a Calendar API endpoint (None: Google's own)."""
    if not calendar_endpoint:
        return None
    root = calendar_endpoint.rstrip("/")
    root = root.removesuffix("/calendar/v3")
    return root + "/"


class GmailTransport:
    """Sends through the Gmail API as the signed-in user (``userId`` "me")."""

    def __init__(
        self,
        *,
        account_name: str,
        credentials: Credentials,
        address: str,
        api_endpoint: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._name = account_name
        self._credentials = credentials
        self._address = address
        self._endpoint = api_endpoint
        self._timeout = timeout

    def sent_folder(self) -> SentFolder:
        return GmailSent(self)

    async def send(self, message: EmailMessage, handing_over: HandingOver | None = None) -> None:
        raw = base64.urlsafe_b64encode(rfc822(sent_as(message, self._address))).decode()
        try:
            await self._refresh_if_needed()
            await (handing_over or _nothing)()
            await asyncio.to_thread(self._send, raw)
        except RefreshError:
            raise _reconnect("Google", self._name) from None
        except HttpError as problem:
            raise self._classify(problem) from None
        except (ConnectionRefusedError, TransportError):
            raise MailUnavailable(f"Gmail could not be reached for '{self._name}'.") from None
        except (OSError, httplib2.HttpLib2Error):
            raise MailOutcomeUnknown(
                f"Gmail took the message of '{self._name}' but did not confirm it."
            ) from None

    async def _refresh_if_needed(self) -> None:
        """A fresh token before the send, so a sign-in problem is known before the hand-over."""
        if not self._credentials.valid:
            import google.auth.transport.requests

            request = google.auth.transport.requests.Request()
            try:
                await asyncio.to_thread(self._credentials.refresh, request)
            except (TransportError, OSError):
                raise MailUnavailable(f"Gmail could not be reached for '{self._name}'.") from None

    def _service(self) -> Any:
        options = {"api_endpoint": self._endpoint} if self._endpoint else None
        return build(
            "gmail",
            "v1",
            credentials=self._credentials,
            client_options=options,
            static_discovery=True,
            cache_discovery=False,
        )

    def _send(self, raw: str) -> None:
        self._call(lambda users: users.messages().send(userId="me", body={"raw": raw}))

    def _call(self, request: Callable[[Any], Any]) -> Any:
        service = self._service()
        http = google_auth_httplib2.AuthorizedHttp(
            self._credentials, http=httplib2.Http(timeout=self._timeout)
        )
        try:
            return request(service.users()).execute(http=http)
        finally:
            http.close()
            service.close()

    async def find(self, message_id: str) -> bool:
        """True when the mailbox has a message with *message_id* (Gmail's ``rfc822msgid:``)."""
        query = f"rfc822msgid:{message_id.strip('<>')}"
        try:
            found = await asyncio.to_thread(
                self._call,
                lambda users: users.messages().list(userId="me", q=query, includeSpamTrash=True),
            )
        except RefreshError:
            raise _reconnect("Google", self._name) from None
        except HttpError as problem:
            raise self._classify(problem) from None
        except (TransportError, OSError, httplib2.HttpLib2Error):
            raise MailUnavailable(f"Gmail could not be reached for '{self._name}'.") from None
        return bool(found.get("messages"))

    def _classify(self, problem: HttpError) -> MailRejected | MailUnavailable:
        status, name = int(problem.resp.status), self._name
        if status == 401:
            return _reconnect("Google", name)
        if status == 403 and _reasons(problem.content) & {"insufficientPermissions"}:
            return MailRejected(
                f"'{name}' was connected without permission to send mail: "
                "reconnect this calendar to allow sending."
            )
        if status == 429 or status >= 500:
            return MailUnavailable(f"Gmail could not send for '{name}' now; it will be retried.")
        return MailRejected(f"Gmail refused the message of '{name}' ({status}).")


class GmailSent:
    def __init__(self, transport: GmailTransport) -> None:
        self._transport = transport
        self.name = "the Gmail Sent folder"

    async def contains(self, message_id: str) -> bool:
        return await self._transport.find(message_id)


def _reasons(content: bytes) -> set[str]:
    try:
        error = json.loads(content)["error"]
        reasons = {str(e.get("reason")) for e in error.get("errors", [])}
        reasons |= {str(d.get("reason")) for d in error.get("details", [])}
        return reasons
    except (ValueError, KeyError, TypeError, AttributeError):
        return set()


# -- Microsoft Graph ----------------------------------------------------------


class GraphMailTransport:
    """Sends through Microsoft Graph, the message in MIME format; 202 means accepted."""

    def __init__(
        self,
        *,
        account_name: str,
        access_token: AccessToken,
        address: str,
        graph_url: str,
        timeout: float = 30.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._name = account_name
        self._token = access_token
        self._address = address
        self._url = graph_url.rstrip("/") + "/me/sendMail"
        self._timeout = timeout
        self._client = client

    def sent_folder(self) -> SentFolder:
        return GraphSent(self)

    async def send(self, message: EmailMessage, handing_over: HandingOver | None = None) -> None:
        body = base64.b64encode(rfc822(sent_as(message, self._address)))
        try:
            await self._token(False)
            await (handing_over or _nothing)()
            response = await self._post(body, fresh_token=False)
            if response.status_code == 401:
                response = await self._post(body, fresh_token=True)
        except CalendarError as problem:
            raise mail_error(problem) from None
        except (httpx.ConnectError, httpx.ConnectTimeout):
            raise MailUnavailable(
                f"Microsoft 365 could not be reached for '{self._name}'."
            ) from None
        except httpx.TransportError:
            raise MailOutcomeUnknown(
                f"Microsoft 365 took the message of '{self._name}' but did not confirm it."
            ) from None
        self._check(response)

    async def _post(self, body: bytes, *, fresh_token: bool) -> httpx.Response:
        token = await self._token(fresh_token)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"}
        return await self._request("POST", self._url, content=body, headers=headers)

    async def _request(self, method: str, url: str, **options: Any) -> httpx.Response:
        if self._client is not None:
            return await self._client.request(method, url, **options)
        async with httpx.AsyncClient(timeout=self._timeout, verify=http_tls_context()) as client:
            return await client.request(method, url, **options)

    async def find(self, message_id: str) -> bool:
        """True when Sent Items has a message with *message_id* (``internetMessageId``)."""
        quoted = message_id.replace("'", "''")
        params = {"$filter": f"internetMessageId eq '{quoted}'", "$select": "id", "$top": "1"}
        url = self._url.removesuffix("/me/sendMail") + "/me/mailFolders/sentitems/messages"
        try:
            token = await self._token(False)
            response = await self._request(
                "GET", url, params=params, headers={"Authorization": f"Bearer {token}"}
            )
        except CalendarError as problem:
            raise mail_error(problem) from None
        except httpx.TransportError:
            raise MailUnavailable(
                f"Microsoft 365 could not be reached for '{self._name}'."
            ) from None
        self._check(response)
        return bool(response.json().get("value"))

    def _check(self, response: httpx.Response) -> None:
        status, name = response.status_code, self._name
        if status < 300:
            return
        if status == 401:
            raise _reconnect("Microsoft 365", name)
        if status == 403:
            raise MailRejected(
                f"Microsoft 365 does not let '{name}' send mail: "
                "reconnect this calendar to allow sending."
            )
        if status == 429 or status >= 500:
            raise MailUnavailable(
                f"Microsoft 365 could not send for '{name}' now; it will be retried."
            )
        raise MailRejected(f"Microsoft 365 refused the message of '{name}' ({status}).")


class GraphSent:
    def __init__(self, transport: GraphMailTransport) -> None:
        self._transport = transport
        self.name = "the Microsoft 365 Sent Items folder"

    async def contains(self, message_id: str) -> bool:
        return await self._transport.find(message_id)


# -- Exchange Web Services ----------------------------------------------------


class ExchangeMailTransport:
    """Sends through EWS as the mailbox's user and keeps a copy in its Sent Items."""

    def __init__(
        self,
        *,
        account_name: str,
        config: Configuration | ConfigSource,
        address: str,
        timeout: float = 30.0,
    ) -> None:
        self._name = account_name
        self._config = config
        self._address = address
        self._timeout = timeout

    def sent_folder(self) -> SentFolder:
        return ExchangeSent(self)

    async def send(self, message: EmailMessage, handing_over: HandingOver | None = None) -> None:
        raw = rfc822(sent_as(message, self._address))
        handed = False
        try:
            config = await self._configuration(fresh=False)
            await (handing_over or _nothing)()
            handed = True
            try:
                await asyncio.to_thread(self._send, config, raw)
            except ews_errors.UnauthorizedError:
                if not callable(self._config):
                    raise
                await asyncio.to_thread(self._send, await self._configuration(fresh=True), raw)
        except CalendarError as problem:
            raise mail_error(problem) from None
        except _FAILURES as problem:
            if handed and _unanswered(problem):
                raise MailOutcomeUnknown(
                    f"Exchange took the message of '{self._name}' but did not confirm it."
                ) from None
            raise self._classify(problem) from None

    async def find(self, message_id: str) -> bool:
        """True when Sent Items has a message with *message_id* (FindItem)."""
        try:
            config = await self._configuration(fresh=False)
            return await asyncio.to_thread(self._find, config, message_id)
        except CalendarError as problem:
            raise mail_error(problem) from None
        except _FAILURES as problem:
            raise self._classify(problem) from None

    def _find(self, config: Configuration, message_id: str) -> bool:
        account = self._account(config)
        try:
            return bool(self._sent(account).filter(message_id=message_id).exists())
        finally:
            account.protocol.close()

    def _account(self, config: Configuration) -> Account:
        account = Account(
            primary_smtp_address=self._address,
            config=config,
            autodiscover=False,
            access_type=DELEGATE,
            default_timezone=EWSTimeZone("UTC"),
        )
        account.protocol.TIMEOUT = self._timeout
        return account

    def _sent(self, account: Account) -> SentItems:
        return SentItems(
            _distinguished_id=DistinguishedFolderId(
                id="sentitems", mailbox=Mailbox(email_address=self._address)
            ),
            root=Root(account=account),
        )

    async def _configuration(self, *, fresh: bool) -> Configuration:
        if callable(self._config):
            return await self._config(fresh)
        return self._config

    def _send(self, config: Configuration, raw: bytes) -> None:
        account = self._account(config)
        try:
            sent = self._sent(account)
            Message(account=account, folder=sent, mime_content=raw).send_and_save()
        finally:
            account.protocol.close()

    def _classify(self, problem: Exception) -> MailRejected | MailUnavailable:
        name = self._name
        if isinstance(problem, (ews_errors.UnauthorizedError, ews_errors.ErrorAccessDenied)):
            return _reconnect("Exchange", name)
        if isinstance(
            problem,
            (
                ews_errors.ErrorServerBusy,
                ews_errors.TransportError,
                ews_errors.RateLimitError,
                ews_errors.ErrorInternalServerError,
                ews_errors.ErrorInternalServerTransientError,
                requests.RequestException,
                OSError,
            ),
        ):
            return MailUnavailable(f"Exchange could not send for '{name}' now; it will be retried.")
        return MailRejected(f"Exchange refused the message of '{name}'.")


class ExchangeSent:
    def __init__(self, transport: ExchangeMailTransport) -> None:
        self._transport = transport
        self.name = "the Exchange Sent Items folder"

    async def contains(self, message_id: str) -> bool:
        return await self._transport.find(message_id)


def _unanswered(problem: Exception) -> bool:
    """A failure after the request went out with no answer from the server."""
    if isinstance(problem, requests.ConnectionError) and not isinstance(
        problem, requests.ConnectTimeout
    ):
        return "Connection refused" not in str(problem)
    return isinstance(problem, (requests.Timeout, ews_errors.TransportError, TimeoutError)) and (
        not isinstance(problem, requests.ConnectTimeout)
    )


_FAILURES: tuple[type[Exception], ...] = (
    ews_errors.EWSError,
    requests.RequestException,
    OSError,
    ValueError,
)
