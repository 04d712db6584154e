"""The Activity stream: the Invitations and Meetings pages."""
