"""A fake SOAP autodiscover endpoint (``/autodiscover/autodiscover.svc``) of an OAuth-only Exchange.

Like Exchange Online with basic authentication off: a request without a token
gets 401 with a ``Bearer`` challenge naming the organization's authority
(``authorization_uri``) beside an empty ``Basic`` one; a request with a token
the Microsoft fake issued gets ``GetUserSettingsResponseMessage`` with the EWS
URL; any other ``Authorization`` (a password) is refused and recorded.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from xml.etree import ElementTree

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

AUTODISCOVER_NS = "http://schemas.microsoft.com/exchange/2010/Autodiscover"
PATH = "/autodiscover/autodiscover.svc"


@dataclass
class FakeAutodiscover:
    ews_url: str
    authority: str
    """The Bearer challenge's authority, e.g. ``https://login…/TENANT``."""
    bearer_tokens: set[str] = field(default_factory=set)
    mailboxes: set[str] = field(default_factory=set)
    authorizations: list[str] = field(default_factory=list)
    """Every Authorization header received, in order ("" for none)."""
    basic_users: dict[str, str] = field(default_factory=dict)
    """An on-premises server that takes passwords: user name → password (Basic only)."""

    def app(self) -> Starlette:
        return Starlette(routes=[Route(PATH, self._answer, methods=["POST"])])

    async def _answer(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        self.authorizations.append(header)
        if self.basic_users:
            if not self._basic_ok(header):
                return Response(b"", 401, {"WWW-Authenticate": 'Basic realm="autodiscover"'})
        elif not header.startswith("Bearer ") or header[7:] not in self.bearer_tokens:
            challenge = (
                'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", '
                'token_types="app_asserted_user_v1 service_asserted_app_v1", '
                f'authorization_uri="{self.authority}/oauth2/authorize", error="invalid_token"'
            )
            refused = Response(b"", 401)
            refused.raw_headers += [
                (b"www-authenticate", challenge.encode()),
                (b"www-authenticate", b'Basic Realm=""'),
            ]
            return refused
        body = ElementTree.fromstring(await request.body())
        mailbox = body.findtext(f".//{{{AUTODISCOVER_NS}}}Mailbox") or ""
        return Response(self._user_settings(mailbox), 200, media_type="text/xml; charset=utf-8")

    def _basic_ok(self, header: str) -> bool:
        if not header.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return self.basic_users.get(user) == password

    def _user_settings(self, mailbox: str) -> bytes:
        if mailbox.lower() not in self.mailboxes:
            user = (
                "<UserResponse><ErrorCode>InvalidUser</ErrorCode>"
                f"<ErrorMessage>Invalid user: '{mailbox}'</ErrorMessage></UserResponse>"
            )
        else:
            settings = {
                "AutoDiscoverSMTPAddress": mailbox,
                "ExternalEwsUrl": self.ews_url,
                "EwsSupportedSchemas": "Exchange2007, Exchange2007_SP1, Exchange2010, "
                "Exchange2010_SP1, Exchange2010_SP2, Exchange2013, Exchange2013_SP1, "
                "Exchange2016",
            }
            items = "".join(
                f'<UserSetting i:type="StringSetting"><Name>{name}</Name>'
                f"<Value>{value}</Value></UserSetting>"
                for name, value in settings.items()
            )
            user = (
                "<UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage>"
                '<RedirectTarget i:nil="true"/><UserSettingErrors/>'
                f"<UserSettings>{items}</UserSettings></UserResponse>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:a="http://www.w3.org/2005/08/addressing">'
            '<s:Header><a:Action s:mustUnderstand="1">'
            "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/"
            "GetUserSettingsResponse</a:Action></s:Header>"
            f'<s:Body><GetUserSettingsResponseMessage xmlns="{AUTODISCOVER_NS}">'
            '<Response xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
            "<ErrorCode>NoError</ErrorCode><ErrorMessage/>"
            f"<UserResponses>{user}</UserResponses>"
            "</Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>"
        ).encode()
