"""services/calendars."""
