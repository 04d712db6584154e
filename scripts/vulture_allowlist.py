# ruff: noqa
"""Names vulture cannot see used: called by a framework, a protocol or by name.

Anything else vulture finds is dead code, and `make lint` fails on it.
"""

_ = object()

# Enum members read by value from stored data and from the fronts.
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SUNDAY  # core.hours.Weekday
IN_PERSON, PHONE  # core.invitation.MeetingType

# Qt calls these overrides.
_.closeEvent
_.columnCount
_.headerData
_.initializePage
_.isComplete
_.row_values  # RowsModel: a row's cells, what a view's delegate or a test reads

# http.server calls these on the OAuth loopback handler.
_.do_GET
_.do_POST
_.log_message
format

# SQLAlchemy: declarative settings and TypeDecorator hooks.
type_annotation_map
impl
cache_ok
_.process_bind_param
_.process_result_value
dialect
_.isolation_level
done_at
_.done_at

# Library settings assigned for the library to read.
_.TIMEOUT  # exchangelib's BaseProtocol
_.should_exit  # uvicorn's Server
_.required_attendees  # exchangelib's CalendarItem
_.optional_attendees
_.sensitivity

# Named in strings: uvicorn's factory, keyring's backend selection.
create_app_from_environ
MemoryKeyring
priority

# The calendar provider protocol: every provider moves an event.
_.update_event

# The injected clock that tests and benchmarks run the application on.
FixedClock

# Each schema's Alembic head, compared with the fast-path constant.
head_revision
_.head_revision

# Kept in a Google account's record: the client ID file it was connected with.
_.client_id_file

# Read by the booking page templates (Jinja), where vulture does not look.
_.iso

# msgspec: fields of the relay contract's shapes, filled by keyword and encoded by name.
_.ics_url

# exchangelib reads an extended property's definition from these class attributes.
_.distinguished_property_set_id
_.property_id
_.property_type

# A CalDAV account's busy-time mode, chosen by its stored value.
_.SEARCH

# Open dialogs and message boxes are held by their window while they show (Qt would
# otherwise drop a window-modal box the moment its Python wrapper goes away).
_.cancel_box
_.discard_box
_.mail_dialog
_.relay_dialog
