"""The outside world, all asyncio: calendars, mail, the relay client, credentials, sync."""
