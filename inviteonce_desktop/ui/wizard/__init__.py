"""The invitation wizard: participant, meeting details, time frame, notifications, links."""
