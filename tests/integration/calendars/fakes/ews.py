"""A fake Exchange Web Services endpoint: GetUserAvailability, CreateItem, UpdateItem, DeleteItem,
and FindItem of a calendar item by its GlobalObjectId.

CreateItem also sends messages given as MimeContent (SendOnly or SendAndSaveCopy).

Requests are SOAP 1.1 as exchangelib sends them; answers use Exchange's own
XML (ServerVersionInfo header, ResponseMessages, SOAP faults with
ResponseCode and BackOffMilliseconds). HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import email
import email.policy
import secrets
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .common import FaultQueue

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
E = "http://schemas.microsoft.com/exchange/services/2006/errors"
NS = {"s": SOAP, "m": M, "t": T}
PATH = "/EWS/Exchange.asmx"

_HEADER = (
    f'<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" '
    f'MinorBuildNumber="39" Version="V2017_07_11" xmlns:h="{T}" xmlns="{T}"/></s:Header>'
)


def envelope(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP}">{_HEADER}'
        f'<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns:xsd="http://www.w3.org/2001/XMLSchema">{body}</s:Body></s:Envelope>'
    ).encode()


def global_object_id(uid: str) -> bytes:
    """PidLidGlobalObjectId of a meeting created with a non-Outlook UID ([MS-OXOCAL] 2.2.1.27)."""
    data = b"vCal-Uid" + struct.pack("<I", 1) + uid.encode() + b"\x00"
    header = bytes.fromhex("040000008200E00074C5B7101A82E008")
    return header + bytes(4) + bytes(8) + bytes(8) + struct.pack("<I", len(data)) + data


def server_busy_fault(back_off_ms: int = 1000) -> bytes:
    message = "The server cannot service this request right now. Try again later."
    return envelope(
        f'<s:Fault><faultcode xmlns:a="{T}">a:ErrorServerBusy</faultcode>'
        f'<faultstring xml:lang="en-US">{message}</faultstring><detail>'
        f'<e:ResponseCode xmlns:e="{E}">ErrorServerBusy</e:ResponseCode>'
        f'<e:Message xmlns:e="{E}">{message}</e:Message>'
        f'<t:MessageXml xmlns:t="{T}"><t:Value Name="BackOffMilliseconds">{back_off_ms}'
        f"</t:Value></t:MessageXml></detail></s:Fault>"
    )


def _ews_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class BusyBlock:
    start: datetime
    end: datetime
    busy_type: str = "Busy"


@dataclass
class FakeExchange:
    user: str = "CONTOSO\\organizer"
    password: str = "exchange-password"
    mailbox: str = "organizer@contoso.com"
    blocks: dict[str, list[BusyBlock]] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: FaultQueue = field(default_factory=FaultQueue)
    operations: list[str] = field(default_factory=list)
    bearer_tokens: set[str] = field(default_factory=set)
    sent: list[tuple[str, EmailMessage]] = field(default_factory=list)
    """Messages sent, each with its MessageDisposition."""

    def add_block(self, mailbox: str, block: BusyBlock) -> None:
        self.blocks.setdefault(mailbox, []).append(block)

    def app(self) -> Starlette:
        return Starlette(routes=[Route(PATH, self._endpoint, methods=["POST"])])

    def _authorized(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        header = request.headers.get("authorization", "")
        if header.startswith("Bearer "):
            return header[7:] in self.bearer_tokens
        return header == f"Basic {expected}"

    async def _endpoint(self, request: Request) -> Response:
        fault = await self.faults.next_response()
        if fault is not None:
            fault.media_type = "text/xml; charset=utf-8"
            return fault
        if not self._authorized(request):
            challenge = 'Bearer realm="ews"' if self.bearer_tokens else 'Basic realm="ews"'
            return Response(b"", 401, {"WWW-Authenticate": challenge})
        body = etree.fromstring(await request.body()).find(f"{{{SOAP}}}Body")
        operation = body[0]
        name = etree.QName(operation).localname
        self.operations.append(name)
        handler = {
            "GetUserAvailabilityRequest": self._availability,
            "CreateItem": self._create,
            "UpdateItem": self._update,
            "DeleteItem": self._delete,
            "FindItem": self._find,
        }.get(name)
        if handler is None:
            return Response(b"", 400)
        return Response(envelope(handler(operation)), 200, media_type="text/xml; charset=utf-8")

    # -- availability ------------------------------------------------------

    def _availability(self, request: Any) -> str:
        start = _parse_time(request.findtext(".//t:TimeWindow/t:StartTime", namespaces=NS))
        end = _parse_time(request.findtext(".//t:TimeWindow/t:EndTime", namespaces=NS))
        answers = []
        for address in request.findall(".//t:MailboxData/t:Email/t:Address", namespaces=NS):
            answers.append(self._free_busy_response(address.text or "", start, end))
        return (
            f'<GetUserAvailabilityResponse xmlns="{M}"><FreeBusyResponseArray>'
            f"{''.join(answers)}</FreeBusyResponseArray></GetUserAvailabilityResponse>"
        )

    def _free_busy_response(self, mailbox: str, start: datetime, end: datetime) -> str:
        known = mailbox in self.blocks or mailbox == self.mailbox
        if not known and not any(i["mailbox"] == mailbox for i in self.items.values()):
            return (
                '<FreeBusyResponse><ResponseMessage ResponseClass="Error">'
                "<MessageText>The SMTP address has no mailbox associated with it.</MessageText>"
                "<ResponseCode>ErrorMailRecipientNotFound</ResponseCode>"
                "<DescriptiveLinkKey>0</DescriptiveLinkKey></ResponseMessage></FreeBusyResponse>"
            )
        blocks = list(self.blocks.get(mailbox, []))
        blocks += [
            BusyBlock(i["start"], i["end"]) for i in self.items.values() if i["mailbox"] == mailbox
        ]
        events = "".join(
            f"<CalendarEvent><StartTime>{_ews_time(b.start)}</StartTime>"
            f"<EndTime>{_ews_time(b.end)}</EndTime><BusyType>{b.busy_type}</BusyType>"
            f"</CalendarEvent>"
            for b in blocks
            if b.start < end and start < b.end
        )
        return (
            '<FreeBusyResponse><ResponseMessage ResponseClass="Success">'
            "<ResponseCode>NoError</ResponseCode></ResponseMessage><FreeBusyView>"
            f'<FreeBusyViewType xmlns="{T}">FreeBusy</FreeBusyViewType>'
            f'<CalendarEventArray xmlns="{T}">{events}</CalendarEventArray>'
            f'<WorkingHours xmlns="{T}"><TimeZone><Bias>0</Bias><StandardTime><Bias>0</Bias>'
            "<Time>00:00:00</Time><DayOrder>1</DayOrder><Month>1</Month>"
            "<DayOfWeek>Sunday</DayOfWeek></StandardTime><DaylightTime><Bias>0</Bias>"
            "<Time>00:00:00</Time><DayOrder>5</DayOrder><Month>12</Month>"
            "<DayOfWeek>Saturday</DayOfWeek></DaylightTime></TimeZone><WorkingPeriodArray>"
            "<WorkingPeriod><DayOfWeek>Monday Tuesday Wednesday Thursday Friday</DayOfWeek>"
            "<StartTimeInMinutes>480</StartTimeInMinutes><EndTimeInMinutes>1020</EndTimeInMinutes>"
            "</WorkingPeriod></WorkingPeriodArray></WorkingHours></FreeBusyView></FreeBusyResponse>"
        )

    # -- items -------------------------------------------------------------

    def _item_message(self, kind: str, item: dict[str, Any]) -> str:
        return (
            f'<m:{kind}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
            f'</m:ResponseCode><m:Items><t:CalendarItem><t:ItemId Id="{item["id"]}" '
            f'ChangeKey="{item["changekey"]}"/></t:CalendarItem></m:Items>'
            + (
                "<m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>"
                if kind == "UpdateItem"
                else ""
            )
            + f"</m:{kind}ResponseMessage>"
        )

    @staticmethod
    def _wrap(kind: str, messages: str) -> str:
        return (
            f'<m:{kind}Response xmlns:m="{M}" xmlns:t="{T}"><m:ResponseMessages>{messages}'
            f"</m:ResponseMessages></m:{kind}Response>"
        )

    def _create(self, request: Any) -> str:
        owner = request.findtext(".//m:SavedItemFolderId//t:EmailAddress", namespaces=NS)
        messages = []
        for element in request.findall("m:Items/t:CalendarItem", namespaces=NS):
            item = {
                "id": "AAMkAD" + secrets.token_urlsafe(30),
                "changekey": secrets.token_hex(8),
                "mailbox": owner or self.mailbox,
                "send": request.get("SendMeetingInvitations"),
            }
            self._apply(item, element)
            self.items[item["id"]] = item
            messages.append(self._item_message("CreateItem", item))
        for element in request.findall("m:Items/t:Message", namespaces=NS):
            messages.append(self._send_message(request.get("MessageDisposition", ""), element))
        return self._wrap("CreateItem", "".join(messages))

    def _send_message(self, disposition: str, element: Any) -> str:
        mime = element.findtext("t:MimeContent", namespaces=NS)
        if disposition not in ("SendOnly", "SendAndSaveCopy") or not mime:
            return (
                '<m:CreateItemResponseMessage ResponseClass="Error"><m:MessageText>Invalid '
                "request.</m:MessageText><m:ResponseCode>ErrorInvalidRequest</m:ResponseCode>"
                "<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:CreateItemResponseMessage>"
            )
        message = email.message_from_bytes(base64.b64decode(mime), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.sent.append((disposition, message))
        return (
            '<m:CreateItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
            "</m:ResponseCode><m:Items/></m:CreateItemResponseMessage>"
        )

    def _apply(self, item: dict[str, Any], element: Any) -> None:
        for child in element:
            name = etree.QName(child).localname
            if name in ("Start", "End"):
                item[name.lower()] = _parse_time(child.text)
            elif name in ("RequiredAttendees", "OptionalAttendees", "Resources"):
                item[name] = [a.findtext("t:Mailbox/t:EmailAddress", namespaces=NS) for a in child]
            else:
                item[name] = child.text

    def _find(self, request: Any) -> str:
        """FindItem in a calendar, restricted to one PidLidGlobalObjectId (IsEqualTo).

        Like Exchange, a restriction on calendar:UID is refused: the UID is
        found through the meeting's GlobalObjectId, which holds it.
        """
        owner = request.findtext(".//m:ParentFolderIds//t:EmailAddress", namespaces=NS)
        field_uri = request.find(".//m:Restriction//t:FieldURI", namespaces=NS)
        if field_uri is not None and field_uri.get("FieldURI") == "calendar:UID":
            return self._wrap(
                "FindItem",
                '<m:FindItemResponseMessage ResponseClass="Error"><m:MessageText>The property '
                "can not be used with this type of restriction.</m:MessageText><m:ResponseCode>"
                "ErrorUnsupportedPathForQuery</m:ResponseCode><m:DescriptiveLinkKey>0"
                "</m:DescriptiveLinkKey></m:FindItemResponseMessage>",
            )
        extended = request.find(".//m:Restriction/t:IsEqualTo/t:ExtendedFieldURI", namespaces=NS)
        constant = request.find(".//m:Restriction/t:IsEqualTo//t:Constant", namespaces=NS)
        wanted = None
        if extended is not None and constant is not None:
            meeting_goid = (
                extended.get("DistinguishedPropertySetId") == "Meeting"
                and extended.get("PropertyId") == "3"
            )
            wanted = base64.b64decode(constant.get("Value", "")) if meeting_goid else None
        found = [
            i
            for i in self.items.values()
            if i["mailbox"] == (owner or self.mailbox)
            and (wanted is None or global_object_id(i.get("UID", "")) == wanted)
        ]
        items = "".join(
            f'<t:CalendarItem><t:ItemId Id="{i["id"]}" ChangeKey="{i["changekey"]}"/>'
            "</t:CalendarItem>"
            for i in found
        )
        return self._wrap(
            "FindItem",
            '<m:FindItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
            f'</m:ResponseCode><m:RootFolder IndexedPagingOffset="{len(found)}" '
            f'TotalItemsInView="{len(found)}" IncludesLastItemInRange="true"><t:Items>{items}'
            "</t:Items></m:RootFolder></m:FindItemResponseMessage>",
        )

    def _update(self, request: Any) -> str:
        messages = []
        for change in request.findall("m:ItemChanges/t:ItemChange", namespaces=NS):
            item_id = change.find("t:ItemId", namespaces=NS)
            item = self.items.get(item_id.get("Id"))
            if item is None or item["changekey"] != item_id.get("ChangeKey"):
                code = "ErrorItemNotFound" if item is None else "ErrorIrresolvableConflict"
                messages.append(
                    f'<m:UpdateItemResponseMessage ResponseClass="Error"><m:MessageText>{code}'
                    f"</m:MessageText><m:ResponseCode>{code}</m:ResponseCode>"
                    f"<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:UpdateItemResponseMessage>"
                )
                continue
            for update in change.findall("t:Updates/t:SetItemField/t:CalendarItem", namespaces=NS):
                self._apply(item, update)
            item["changekey"] = secrets.token_hex(8)
            item["send"] = request.get("SendMeetingInvitationsOrCancellations")
            messages.append(self._item_message("UpdateItem", item))
        return self._wrap("UpdateItem", "".join(messages))

    def _delete(self, request: Any) -> str:
        messages = []
        for item_id in request.findall("m:ItemIds/t:ItemId", namespaces=NS):
            item = self.items.pop(item_id.get("Id"), None)
            if item is None:
                messages.append(
                    '<m:DeleteItemResponseMessage ResponseClass="Error"><m:MessageText>The '
                    "specified object was not found in the store.</m:MessageText><m:ResponseCode>"
                    "ErrorItemNotFound</m:ResponseCode><m:DescriptiveLinkKey>0"
                    "</m:DescriptiveLinkKey></m:DeleteItemResponseMessage>"
                )
                continue
            item["cancellations"] = request.get("SendMeetingCancellations")
            self.deleted[item["id"]] = item
            messages.append(
                '<m:DeleteItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
                "</m:ResponseCode></m:DeleteItemResponseMessage>"
            )
        return self._wrap("DeleteItem", "".join(messages))
