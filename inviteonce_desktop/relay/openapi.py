"""The OpenAPI 3.1 description of every route, served at ``/openapi.json``.

The request and response bodies are the shapes of the relay contract
(:mod:`inviteonce_desktop.core.relay_contract`), with the limits the relay
enforces: the schema is derived from the declaration that validates.
"""

from __future__ import annotations

from typing import Any

from inviteonce_desktop.core.relay_contract import (
    MAX_ID,
    MAX_INVITATION_ID,
    MAX_WAIT_SECONDS,
    json_schemas,
)

_REF = "#/components/schemas/{name}"
_STR = {"type": "string"}
_TOKEN = {"name": "token", "in": "path", "required": True, "schema": _STR}
_INVITATION = {
    "name": "invitation_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_INVITATION_ID},
}
_TZ = {"name": "tz", "in": "query", "required": False, "schema": _STR}
_SEEN = {
    "name": "seen",
    "in": "query",
    "required": False,
    "schema": _STR,
    "description": "The page's proof, sent by its time zone form: the customer has it open.",
}
_BOOKING = {
    "name": "booking_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
}
_BEARER: list[dict[str, list[str]]] = [{"organizerKey": []}]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(name=name)}


def _json(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _html(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"text/html": {"schema": _STR}}}


def _err(description: str) -> dict[str, Any]:
    return _json("Problem", description)


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


_BUSY = {"503": _err("The database is saturated; retry after the Retry-After seconds.")}
_BUSY_PAGE = {"503": _html("The database is saturated; retry after the Retry-After seconds.")}

_TOKEN_FROM_BODY = {"token": "$response.body#/token"}
_PUBLISHED_LINKS = {
    "LinkState": {"operationId": "getLinkState", "parameters": _TOKEN_FROM_BODY},
    "Book": {
        "operationId": "bookLink",
        "parameters": _TOKEN_FROM_BODY,
        "requestBody": {"start": "$request.body#/slots/0/start"},
        "description": "Book the offer's first slot.",
    },
    "LinkPage": {"operationId": "getLinkPage", "parameters": _TOKEN_FROM_BODY},
    "EventFile": {"operationId": "getEventFile", "parameters": _TOKEN_FROM_BODY},
    "Feed": {
        "operationId": "getBookings",
        "description": "The organizer's feed, where the offer's booking arrives.",
    },
    "Cancel": {
        "operationId": "cancelOffer",
        "parameters": {"invitation_id": "$request.path.invitation_id"},
    },
}
"""What a client can do next with a published offer's link (followed by stateful tests)."""

_TOKEN_FROM_PATH = {"token": "$request.path.token"}
_BOOKED_LINKS = {
    "LinkPage": {"operationId": "getLinkPage", "parameters": _TOKEN_FROM_PATH},
    "LinkState": {"operationId": "getLinkState", "parameters": _TOKEN_FROM_PATH},
    "Feed": {
        "operationId": "getBookings",
        "description": "The organizer's feed, where the booking arrives.",
    },
}
"""After a booking: the link shows the meeting, and the organizer's feed carries it."""

_FEED_LINKS = {
    "Ack": {
        "operationId": "ackBookings",
        "requestBody": {"cursor": "$response.body#/cursor"},
        "description": "Acknowledge everything the page delivered.",
    },
}

_ORGANIZER_ERRORS = {
    "400": _err("Malformed request."),
    "401": _err("Missing or wrong organizer key."),
    "404": _err("No such offer or route."),
    "413": _err("Request body too large."),
    **_BUSY,
}


def _organizer_paths() -> dict[str, Any]:
    return {
        "/api/v1/offers/{invitation_id}": {
            "put": {
                "summary": "Publish or replace an invitation's offer (replacing keeps the link).",
                "operationId": "putOffer",
                "security": _BEARER,
                "parameters": [_INVITATION],
                "requestBody": _body("OfferIn"),
                "responses": {
                    "200": {**_json("Published", "Replaced."), "links": _PUBLISHED_LINKS},
                    "201": {**_json("Published", "Published."), "links": _PUBLISHED_LINKS},
                    "422": _err("The offer does not make sense."),
                    **_ORGANIZER_ERRORS,
                },
            },
            "delete": {
                "summary": "Cancel the offer; its link then shows a cancelled page.",
                "operationId": "cancelOffer",
                "security": _BEARER,
                "parameters": [_INVITATION],
                "responses": {
                    "200": _json("Cancelled", "Cancelled."),
                    "422": _err("Bad invitation id."),
                    **_ORGANIZER_ERRORS,
                },
            },
        },
        "/api/v1/bookings": {
            "get": {
                "summary": "Unacknowledged bookings after a cursor (long-poll up to 30 s).",
                "operationId": "getBookings",
                "security": _BEARER,
                "parameters": [
                    {
                        "name": "after",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                    },
                    {
                        "name": "wait",
                        "in": "query",
                        "schema": {"type": "number", "minimum": 0, "maximum": MAX_WAIT_SECONDS},
                    },
                ],
                "responses": {
                    "200": {**_json("BookingsPage", "Bookings."), "links": _FEED_LINKS},
                    **_ORGANIZER_ERRORS,
                },
            }
        },
        "/api/v1/bookings/{booking_id}/move": {
            "get": {
                "summary": "The free slots a booked meeting can move to now.",
                "operationId": "getMoveOptions",
                "security": _BEARER,
                "parameters": [_BOOKING],
                "responses": {"200": _json("MoveOptions", "The free slots."), **_ORGANIZER_ERRORS},
            },
            "post": {
                "summary": "Move a booked meeting to another free slot (one guarded transaction).",
                "operationId": "moveBooking",
                "security": _BEARER,
                "parameters": [_BOOKING],
                "requestBody": _body("MoveRequest"),
                "responses": {
                    "200": _json(
                        "FeedBooking", "Moved: the meeting's new row, as the feed has it."
                    ),
                    "409": _err("Not free (with the free slots), cancelled, or already started."),
                    **_ORGANIZER_ERRORS,
                },
            },
        },
        "/api/v1/bookings/ack": {
            "post": {
                "summary": "Acknowledge bookings up to a cursor, or by id.",
                "operationId": "ackBookings",
                "security": _BEARER,
                "requestBody": _body("AckRequest"),
                "responses": {
                    "200": _json("Acknowledged", "Acknowledged."),
                    **_ORGANIZER_ERRORS,
                },
            }
        },
        "/api/v1/rechecks/{recheck_id}": {
            "post": {
                "summary": "The desktop's verdict on a held pick (a re-check ask of the feed).",
                "operationId": "answerRecheck",
                "security": _BEARER,
                "parameters": [
                    {
                        "name": "recheck_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                    }
                ],
                "requestBody": _body("RecheckAnswer"),
                "responses": {
                    "200": _json("RecheckOutcome", "Confirmed, or released."),
                    "409": _err("The deadline passed first: the booking stands."),
                    **_ORGANIZER_ERRORS,
                },
            }
        },
    }


def _customer_paths() -> dict[str, Any]:
    page = {"404": _html("Unknown link."), "410": _html("Cancelled or expired."), **_BUSY_PAGE}
    return {
        "/i/{token}": {
            "get": {
                "summary": "The invitation's free times, grouped by day.",
                "operationId": "getLinkPage",
                "parameters": [_TOKEN, _TZ, _SEEN],
                "responses": {"200": _html("The page."), **page},
            }
        },
        "/i/{token}/slot/{slot_id}": {
            "get": {
                "summary": "One slot with a Confirm button (promoted links point here).",
                "operationId": "getSlotPage",
                "parameters": [
                    _TOKEN,
                    {"name": "slot_id", "in": "path", "required": True, "schema": _STR},
                    _TZ,
                    _SEEN,
                ],
                "responses": {"200": _html("The confirm page."), **page},
            }
        },
        "/i/{token}/confirmed": {
            "get": {
                "summary": "The confirmation after booking.",
                "operationId": "getConfirmedPage",
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
                "operationId": "bookFromForm",
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
        "/i/{token}/opened": {
            "post": {
                "summary": "The link's page reports that the customer has it open.",
                "operationId": "reportOpened",
                "parameters": [_TOKEN],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["proof"],
                                "properties": {"proof": _STR},
                            }
                        }
                    },
                },
                "responses": {
                    "204": {"description": "Noted."},
                    "403": {"description": "Not from the link's page."},
                    "413": _err("Too large."),
                    "400": {"description": "Malformed form."},
                    **_BUSY_PAGE,
                },
            }
        },
        "/i/{token}/checking": {
            "get": {
                "summary": "The wait while the organizer's desktop re-checks a held pick.",
                "operationId": "getCheckingPage",
                "parameters": [_TOKEN, _TZ],
                "responses": {
                    "200": _html("Still checking, or the remaining times after a conflict."),
                    "303": {"description": "Decided: the booked page, or the link."},
                    **page,
                },
            }
        },
        "/i/{token}/event.ics": {
            "get": {
                "summary": "The booked meeting as an iCalendar file.",
                "operationId": "getEventFile",
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
        "/i/{token}/zones": {
            "get": {
                "summary": "Every time zone as a link back to the page (without scripts).",
                "operationId": "getZonesPage",
                "parameters": [
                    _TOKEN,
                    {"name": "slot", "in": "query", "required": False, "schema": _STR},
                    {"name": "day", "in": "query", "required": False, "schema": _STR},
                    _TZ,
                ],
                "responses": {
                    "200": _html("The zones."),
                    "303": {"description": "The offer shows one fixed zone."},
                    **page,
                },
            }
        },
        **{
            f"/i/{{token}}/{asset}": {
                "get": {
                    "summary": f"The organizer's {what}, served from the relay itself.",
                    "operationId": operation,
                    "parameters": [_TOKEN],
                    "responses": {
                        "200": {
                            "description": f"The {what}.",
                            "content": {media: {"schema": _STR}},
                        },
                        "404": _html("No such link, or no such branding."),
                        **_BUSY_PAGE,
                    },
                }
            }
            for asset, what, media, operation in (
                ("brand.css", "accent stylesheet", "text/css", "getBrandCss"),
                ("logo", "logo", "image/*", "getBrandLogo"),
                ("photo", "photo", "image/*", "getBrandPhoto"),
            )
        },
        "/api/v1/i/{token}": {
            "get": {
                "summary": "The invitation as JSON.",
                "operationId": "getLinkState",
                "parameters": [_TOKEN, _TZ],
                "responses": {
                    "200": _json("LinkState", "The invitation."),
                    "404": _err("Unknown link."),
                    "410": _err("Cancelled or expired."),
                    **_BUSY,
                },
            }
        },
        "/api/v1/i/{token}/recheck": {
            "get": {
                "summary": "Where the latest pick stands, waiting up to 30 s for its verdict.",
                "operationId": "getRecheckStatus",
                "parameters": [
                    _TOKEN,
                    {
                        "name": "wait",
                        "in": "query",
                        "schema": {"type": "number", "minimum": 0, "maximum": MAX_WAIT_SECONDS},
                    },
                ],
                "responses": {
                    "200": _json("RecheckStatus", "The standing."),
                    "400": _err("Bad wait."),
                    "404": _err("Unknown link."),
                    **_BUSY,
                },
            }
        },
        "/api/v1/i/{token}/book": {
            "post": {
                "summary": "Book a slot by id or start.",
                "operationId": "bookLink",
                "parameters": [_TOKEN],
                "requestBody": _body("BookingRequest"),
                "responses": {
                    "201": {**_json("CustomerBooking", "Booked."), "links": _BOOKED_LINKS},
                    "400": _err("Malformed booking."),
                    "404": _err("Unknown link."),
                    "409": _err(
                        "Already scheduled (with the booking), or taken or busy in the"
                        " organizer's calendar (with the times left)."
                    ),
                    "410": _err("Cancelled or expired."),
                    "413": _err("Too large."),
                    "429": _err("Too many attempts."),
                    **_BUSY,
                },
            }
        },
    }


def _manage_paths() -> dict[str, Any]:
    """The customer's manage link: pages that only show, and the two forms that act."""
    page = {"404": _html("Unknown link."), "410": _html("Long over."), **_BUSY_PAGE}

    def form(fields: list[str]) -> dict[str, Any]:
        return {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["csrf"],
                        "properties": {name: _STR for name in ["csrf", "from", "tz", *fields]},
                    }
                }
            },
        }

    acted = {
        "303": {"description": "Done; back to the manage page."},
        "403": _html("The form is stale."),
        "409": _html("Not possible now (taken, changed meanwhile, too late): the true state."),
        "413": _err("Too large."),
        "429": _html("Too many attempts."),
        "400": {"description": "Malformed form."},
        **page,
    }
    slot = {"name": "slot_id", "in": "path", "required": True, "schema": _STR}
    return {
        "/m/{token}": {
            "get": {
                "summary": "The booked meeting with Reschedule and Cancel.",
                "operationId": "getManagePage",
                "parameters": [_TOKEN, _TZ],
                "responses": {"200": _html("The page."), **page},
            }
        },
        "/m/{token}/reschedule": {
            "get": {
                "summary": "The invitation's other free times, by day.",
                "operationId": "getReschedulePage",
                "parameters": [_TOKEN, _TZ],
                "responses": {"200": _html("The page."), **page},
            },
            "post": {
                "summary": "Move the meeting to the chosen slot.",
                "operationId": "rescheduleFromForm",
                "parameters": [_TOKEN],
                "requestBody": form(["slot_id"]),
                "responses": acted,
            },
        },
        "/m/{token}/reschedule/{slot_id}": {
            "get": {
                "summary": "One new time with a Confirm button.",
                "operationId": "getMovePage",
                "parameters": [_TOKEN, slot, _TZ],
                "responses": {"200": _html("The confirm page."), **page},
            }
        },
        "/m/{token}/cancel": {
            "get": {
                "summary": "Asks before cancelling.",
                "operationId": "getCancelPage",
                "parameters": [_TOKEN, _TZ],
                "responses": {"200": _html("The confirm page."), **page},
            },
            "post": {
                "summary": "Cancel the meeting.",
                "operationId": "cancelFromForm",
                "parameters": [_TOKEN],
                "requestBody": form([]),
                "responses": acted,
            },
        },
        "/m/{token}/zones": {
            "get": {
                "summary": "Every time zone as a link back to the manage page.",
                "operationId": "getManageZonesPage",
                "parameters": [_TOKEN, _TZ],
                "responses": {"200": _html("The zones."), **page},
            }
        },
    }


def _service_paths() -> dict[str, Any]:
    return {
        "/healthz": {
            "get": {
                "summary": "Liveness and database check.",
                "operationId": "getHealth",
                "responses": {
                    "200": _json("Health", "Healthy."),
                    "503": _json("Health", "Database unreachable."),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document.",
                "operationId": "getOpenapi",
                "responses": {
                    "200": {
                        "description": "OpenAPI document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/favicon.ico": {
            "get": {
                "summary": "The relay's icon.",
                "operationId": "getFavicon",
                "responses": {
                    "200": {
                        "description": "An SVG icon.",
                        "content": {"image/svg+xml": {"schema": _STR}},
                    }
                },
            }
        },
    }


def openapi_document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "InviteOnce booking relay", "version": "1"},
        "servers": [{"url": base_url}],
        "paths": {
            **_organizer_paths(),
            **_customer_paths(),
            **_manage_paths(),
            **_service_paths(),
        },
        "components": {
            "schemas": json_schemas(_REF),
            "securitySchemes": {"organizerKey": {"type": "http", "scheme": "bearer"}},
        },
    }
