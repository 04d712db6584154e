"""drafts kept in the invitation request's JSON form, as templates are

Revision ID: 0003_i10_drafts_as_requests
Revises: 0002
Create Date: 2026-12-01 16:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0003_i10_drafts_as_requests"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen here: the form drafts had and the form they get, whatever the code says later.
_DETAILS = (
    "subject",
    "duration_minutes",
    "team_member_ids",
    "description",
    "conferencing",
    "meeting_type",
    "location",
    "room_ids",
    "pool_ids",
)
_TIME_FRAME = (
    "time_zone",
    "weekly_hours",
    "start_date",
    "end_date",
    "rolling_days",
    "slot_interval_minutes",
    "minimum_notice_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
)
_NOTIFICATIONS = (
    "send_mode",
    "promoted_slots",
    "add_to_calendar_event",
    "send_confirmation_email",
    "time_zone_conversion",
    "fixed_time_zone",
)
_EVENT = {
    "title_template": "event_title",
    "calendar_account_id": "calendar_account_id",
    "invite_customer": "invite_customer",
    "visibility": "visibility",
    "conferencing_placement": "conferencing_placement",
}

drafts = sa.table("drafts", sa.column("id", sa.Integer), sa.column("state", sa.JSON))


def nested(flat):
    def part(names):
        return {name: flat[name] for name in names if name in flat}

    notifications = part(_NOTIFICATIONS)
    notifications["event"] = {key: flat[name] for key, name in _EVENT.items() if name in flat}
    return {
        "participant": {
            "name": flat.get("participant_name", ""),
            "email": flat.get("participant_email", ""),
        },
        "details": part(_DETAILS),
        "time_frame": part(_TIME_FRAME),
        "notifications": notifications,
    }


def flat(nested_state):
    participant = nested_state.get("participant", {})
    notifications = dict(nested_state.get("notifications", {}))
    event = notifications.pop("event", {})
    return {
        "participant_name": participant.get("name", ""),
        "participant_email": participant.get("email", ""),
        **nested_state.get("details", {}),
        **nested_state.get("time_frame", {}),
        **notifications,
        **{_EVENT[key]: value for key, value in event.items() if key in _EVENT},
    }


def _rewrite(change, wanted) -> None:
    connection = op.get_bind()
    for row_id, state in connection.execute(sa.select(drafts.c.id, drafts.c.state)).all():
        if isinstance(state, dict) and wanted(state):
            connection.execute(
                drafts.update().where(drafts.c.id == row_id).values(state=change(state))
            )


def upgrade() -> None:
    _rewrite(nested, lambda state: "details" not in state)


def downgrade() -> None:
    _rewrite(flat, lambda state: "details" in state)
