"""The OpenAPI 3.1 description of every route, served at ``/openapi.json``."""

from __future__ import annotations

from typing import Any

_STR = {"type": "string"}
_INSTANT = {"type": "string", "format": "date-time"}
_TOKEN = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
_INVITATION = {
    "name": "invitation_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
_TZ = {"name": "tz", "in": "query", "required": False, "schema": {"type": "string"}}
_BEARER: list[dict[str, list[str]]] = [{"organizerKey": []}]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _html(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"text/html": {"schema": _STR}}}


def _err(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


_ORGANIZER_ERRORS = {
    "400": _err("Malformed request."),
    "401": _err("Missing or wrong organizer key."),
    "404": _err("No such offer or route."),
    "413": _err("Request body too large."),
}

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {"error": _STR, "message": _STR},
    },
    "SlotIn": {
        "type": "object",
        "required": ["start", "end"],
        "properties": {
            "start": _INSTANT,
            "end": _INSTANT,
            "resources": {"type": "array", "items": _STR, "maxItems": 50},
            "pools": {
                "type": "array",
                "maxItems": 10,
                "items": {"type": "array", "items": _STR, "minItems": 1},
            },
        },
    },
    "Offer": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "subject",
            "duration_minutes",
            "organizer_name",
            "meeting_type",
            "time_zone",
            "expires_at",
            "slots",
        ],
        "properties": {
            "subject": {"type": "string", "minLength": 1, "maxLength": 500},
            "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 1440},
            "organizer_name": {"type": "string", "minLength": 1, "maxLength": 500},
            "meeting_type": {"enum": ["in_person", "phone", "video"]},
            "location": {"type": "string", "maxLength": 500},
            "time_zone": _STR,
            "time_zone_conversion": {"enum": ["customer", "fixed"]},
            "fixed_time_zone": {"type": ["string", "null"]},
            "expires_at": _INSTANT,
            "slots": {"type": "array", "items": _ref("SlotIn"), "maxItems": 2000},
            "promoted": {"type": "array", "items": _INSTANT},
            "branding": _ref("Branding"),
        },
    },
    "Branding": {
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {
            "accent_color": {"type": ["string", "null"], "pattern": "^#[0-9a-fA-F]{6}$"},
            "logo": {"type": ["string", "null"], "maxLength": 133400},
            "photo": {"type": ["string", "null"], "maxLength": 133400},
        },
    },
    "Published": {
        "type": "object",
        "required": ["token", "url", "promoted_urls"],
        "properties": {
            "token": _STR,
            "url": _STR,
            "promoted_urls": {"type": "object", "additionalProperties": _STR},
        },
    },
    "FeedBooking": {
        "type": "object",
        "required": [
            "id",
            "cursor",
            "invitation_id",
            "token",
            "start",
            "end",
            "resource_keys",
            "customer_time_zone",
            "booked_at",
        ],
        "properties": {
            "id": {"type": "integer"},
            "cursor": {"type": "integer"},
            "invitation_id": _STR,
            "token": _STR,
            "start": _INSTANT,
            "end": _INSTANT,
            "resource_keys": {"type": "array", "items": _STR},
            "customer_time_zone": _STR,
            "booked_at": _INSTANT,
        },
    },
    "BookingsPage": {
        "type": "object",
        "required": ["bookings", "cursor"],
        "properties": {
            "bookings": {"type": "array", "items": _ref("FeedBooking")},
            "cursor": {"type": "integer"},
        },
    },
    "Ack": {
        "oneOf": [
            {
                "type": "object",
                "required": ["cursor"],
                "properties": {"cursor": {"type": "integer", "minimum": 0}},
            },
            {
                "type": "object",
                "required": ["ids"],
                "properties": {"ids": {"type": "array", "items": {"type": "integer"}}},
            },
        ]
    },
    "Slot": {
        "type": "object",
        "required": ["id", "start", "end"],
        "properties": {"id": _STR, "start": _INSTANT, "end": _INSTANT},
    },
    "CustomerBooking": {
        "type": "object",
        "required": ["status", "start", "end", "time_zone", "ics_url"],
        "properties": {
            "status": {"const": "scheduled"},
            "start": _INSTANT,
            "end": _INSTANT,
            "time_zone": _STR,
            "ics_url": _STR,
        },
    },
    "Link": {
        "type": "object",
        "required": [
            "status",
            "subject",
            "duration_minutes",
            "organizer_name",
            "meeting_type",
            "location",
            "time_zone",
            "time_zone_conversion",
            "expires_at",
            "slots",
            "booking",
        ],
        "properties": {
            "status": {"enum": ["open", "scheduled"]},
            "subject": _STR,
            "duration_minutes": {"type": "integer"},
            "organizer_name": _STR,
            "meeting_type": {"enum": ["in_person", "phone", "video"]},
            "location": _STR,
            "time_zone": _STR,
            "time_zone_conversion": {"enum": ["customer", "fixed"]},
            "expires_at": _INSTANT,
            "slots": {"type": "array", "items": _ref("Slot")},
            "booking": {"oneOf": [_ref("CustomerBooking"), {"type": "null"}]},
        },
    },
    "BookRequest": {
        "type": "object",
        "properties": {"slot_id": _STR, "start": _INSTANT, "time_zone": _STR},
    },
}


def _organizer_paths() -> dict[str, Any]:
    return {
        "/api/v1/offers/{invitation_id}": {
            "put": {
                "summary": "Publish or replace an invitation's offer (replacing keeps the link).",
                "security": _BEARER,
                "parameters": [_INVITATION],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Offer")}},
                },
                "responses": {
                    "200": _json(_ref("Published"), "Replaced."),
                    "201": _json(_ref("Published"), "Published."),
                    "422": _err("The offer does not make sense."),
                    **_ORGANIZER_ERRORS,
                },
            },
            "delete": {
                "summary": "Cancel the offer; its link then shows a cancelled page.",
                "security": _BEARER,
                "parameters": [_INVITATION],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["invitation_id", "cancelled"],
                            "properties": {"invitation_id": _STR, "cancelled": {"type": "boolean"}},
                        },
                        "Cancelled.",
                    ),
                    "422": _err("Bad invitation id."),
                    **_ORGANIZER_ERRORS,
                },
            },
        },
        "/api/v1/bookings": {
            "get": {
                "summary": "Unacknowledged bookings after a cursor (long-poll up to 30 s).",
                "security": _BEARER,
                "parameters": [
                    {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {
                        "name": "wait",
                        "in": "query",
                        "schema": {"type": "number", "minimum": 0, "maximum": 30},
                    },
                ],
                "responses": {"200": _json(_ref("BookingsPage"), "Bookings."), **_ORGANIZER_ERRORS},
            }
        },
        "/api/v1/bookings/ack": {
            "post": {
                "summary": "Acknowledge bookings up to a cursor, or by id.",
                "security": _BEARER,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Ack")}},
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["acknowledged"],
                            "properties": {"acknowledged": {"type": "integer"}},
                        },
                        "Acknowledged.",
                    ),
                    **_ORGANIZER_ERRORS,
                },
            }
        },
    }


def _customer_paths() -> dict[str, Any]:
    page = {"404": _html("Unknown link."), "410": _html("Cancelled or expired.")}
    return {
        "/i/{token}": {
            "get": {
                "summary": "The invitation's free times, grouped by day.",
                "parameters": [_TOKEN, _TZ],
                "responses": {"200": _html("The page."), **page},
            }
        },
        "/i/{token}/slot/{slot_id}": {
            "get": {
                "summary": "One slot with a Confirm button (promoted links point here).",
                "parameters": [
                    _TOKEN,
                    {"name": "slot_id", "in": "path", "required": True, "schema": _STR},
                    _TZ,
                ],
                "responses": {"200": _html("The confirm page."), **page},
            }
        },
        "/i/{token}/confirmed": {
            "get": {
                "summary": "The confirmation after booking.",
                "parameters": [_TOKEN, _TZ],
                "responses": {
                    "200": _html("Booked."),
                    "303": {"description": "Not booked yet."},
                    **page,
                },
            }
        },
        "/i/{token}/book": {
            "post": {
                "summary": "Book a slot from the confirm form.",
                "parameters": [_TOKEN],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["slot_id", "csrf"],
                                "properties": {"slot_id": _STR, "csrf": _STR, "time_zone": _STR},
                            }
                        }
                    },
                },
                "responses": {
                    "303": {"description": "Booked, or already scheduled."},
                    "403": _html("The form is stale."),
                    "409": _html("Taken."),
                    "413": _err("Too large."),
                    "429": _html("Too many attempts."),
                    "400": {"description": "Malformed form."},
                    **page,
                },
            }
        },
        "/i/{token}/event.ics": {
            "get": {
                "summary": "The booked meeting as an iCalendar file.",
                "parameters": [_TOKEN],
                "responses": {
                    "200": {
                        "description": "The event.",
                        "content": {"text/calendar": {"schema": _STR}},
                    },
                    **page,
                },
            }
        },
        "/api/v1/i/{token}": {
            "get": {
                "summary": "The invitation as JSON.",
                "parameters": [_TOKEN, _TZ],
                "responses": {
                    "200": _json(_ref("Link"), "The invitation."),
                    "404": _err("Unknown link."),
                    "410": _err("Cancelled or expired."),
                },
            }
        },
        "/api/v1/i/{token}/book": {
            "post": {
                "summary": "Book a slot by id or start.",
                "parameters": [_TOKEN],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("BookRequest")}},
                },
                "responses": {
                    "201": _json(_ref("CustomerBooking"), "Booked."),
                    "400": _err("Malformed booking."),
                    "404": _err("Unknown link."),
                    "409": _err("Taken or already scheduled (with the remaining slots)."),
                    "410": _err("Cancelled or expired."),
                    "413": _err("Too large."),
                    "429": _err("Too many attempts."),
                },
            }
        },
    }


def openapi_document(base_url: str) -> dict[str, Any]:
    service = {
        "/healthz": {
            "get": {
                "summary": "Liveness and database check.",
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["status"], "properties": {"status": _STR}},
                        "Healthy.",
                    ),
                    "503": _json(
                        {"type": "object", "required": ["status"], "properties": {"status": _STR}},
                        "Database unreachable.",
                    ),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document.",
                "responses": {"200": _json({"type": "object"}, "OpenAPI document.")},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "InviteOnce booking relay", "version": "1"},
        "servers": [{"url": base_url}],
        "paths": {**_organizer_paths(), **_customer_paths(), **service},
        "components": {
            "schemas": _SCHEMAS,
            "securitySchemes": {"organizerKey": {"type": "http", "scheme": "bearer"}},
        },
    }
