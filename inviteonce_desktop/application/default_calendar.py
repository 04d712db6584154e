"""The organizer's default calendar: where a booked meeting's event goes.

The profile names it; until the organizer chooses, it is the first connected
account's own calendar, and the built-in calendar only while nothing is
connected. A choice whose account was removed falls back the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import NotFound, ValidationError
from ..core.invitation import BUILT_IN_CALENDAR, CalendarChoice
from ..store.accounts import CalendarAccount, CalendarAccounts
from ..store.settings import Settings
from ..store.workspace import Workspace

DEFAULT_CALENDAR = "default_calendar"
BUILT_IN_LABEL = "Built-in calendar"


@dataclass(frozen=True, slots=True)
class CalendarOption:
    """One calendar a meeting can go to, as the wizard and the profile list it."""

    choice: CalendarChoice
    label: str


class DefaultCalendar:
    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def get(self) -> CalendarChoice:
        with self._workspace.session() as session:
            stored = Settings(session).get(DEFAULT_CALENDAR)
            accounts = CalendarAccounts(session).list()
        ids = {a.id for a in accounts}
        if stored is not None:
            choice = CalendarChoice(stored.get("account_id"), stored.get("calendar_id"))
            if choice.built_in or choice.account_id in ids:
                return choice
        return CalendarChoice(accounts[0].id) if accounts else BUILT_IN_CALENDAR

    def set(self, choice: CalendarChoice) -> CalendarChoice:
        with self._workspace.session() as session:
            if choice.account_id is not None:
                CalendarAccounts(session).get(choice.account_id)
            Settings(session).put(
                DEFAULT_CALENDAR,
                {"account_id": choice.account_id, "calendar_id": choice.calendar_id},
            )
        return choice

    def account_connected(self, previously_connected: int) -> None:
        """The first account connected replaces the built-in calendar as the default."""
        if previously_connected:
            return
        with self._workspace.session() as session:
            settings = Settings(session)
            stored = settings.get(DEFAULT_CALENDAR)
            if stored is not None and stored.get("account_id") is None:
                settings.delete(DEFAULT_CALENDAR)

    def options(self) -> list[CalendarOption]:
        """Every connected account's own calendar, then the built-in one."""
        with self._workspace.session() as session:
            accounts = CalendarAccounts(session).list()
        found = [CalendarOption(CalendarChoice(a.id), label(a)) for a in accounts]
        default = self.get()
        if default.calendar_id and default.account_id in {a.id for a in accounts}:
            account = next(a for a in accounts if a.id == default.account_id)
            found.insert(0, CalendarOption(default, f"{label(account)}: {default.calendar_id}"))
        return [*found, CalendarOption(BUILT_IN_CALENDAR, BUILT_IN_LABEL)]

    def parse(self, text: str) -> CalendarChoice:
        """``ACCOUNT[/CALENDAR]``: an account by id or name, or ``built-in``."""
        spec = text.strip()
        if spec.lower() in ("built-in", "builtin", "local"):
            return BUILT_IN_CALENDAR
        with self._workspace.session() as session:
            accounts = CalendarAccounts(session).list()
        for account in accounts:
            for name in (str(account.id), account.name):
                if spec == name or spec.lower() == name.lower():
                    return CalendarChoice(account.id)
                prefix = name + "/"
                if spec.lower().startswith(prefix.lower()) and len(spec) > len(prefix):
                    return CalendarChoice(account.id, spec[len(prefix) :])
        if not accounts:
            raise NotFound(f"There is no calendar account '{spec}': no calendar is connected yet.")
        names = ", ".join(f"{a.id} ({a.name})" for a in accounts)
        raise ValidationError(f"There is no calendar account '{spec}'; connected: {names}.")

    def describe(self, choice: CalendarChoice) -> str:
        if choice.account_id is None:
            return BUILT_IN_LABEL
        with self._workspace.session() as session:
            try:
                account = CalendarAccounts(session).get(choice.account_id)
            except NotFound:
                return f"calendar account {choice.account_id} (removed)"
        return f"{label(account)}: {choice.calendar_id}" if choice.calendar_id else label(account)


def label(account: CalendarAccount) -> str:
    kinds = {"google": "Google", "microsoft": "Microsoft 365", "exchange": "Exchange"}
    return f"{account.name} ({kinds.get(account.kind, 'CalDAV')})"
