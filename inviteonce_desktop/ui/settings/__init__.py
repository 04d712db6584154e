"""The Settings pages: profile, calendars, team members, rooms, pools, mail, relay."""
