"""InviteOnce Desktop: invite a customer to pick a meeting time."""

__version__ = "0.1.0"
