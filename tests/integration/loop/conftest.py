"""Fixtures of the invitation loop tests; they live in parts.py so e2e tests can share them."""

from .parts import (
    clock,
    desktop,
    faulty_proxy,
    mailbox,
    radicale,
    radicale_calendar,
    shared_keyring,
    standalone_relay,
    sync_driver,
)

__all__ = [
    "clock",
    "desktop",
    "faulty_proxy",
    "mailbox",
    "radicale",
    "radicale_calendar",
    "shared_keyring",
    "standalone_relay",
    "sync_driver",
]
