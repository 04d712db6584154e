"""The calendar fakes' fixtures, for the tests of the services that talk to them.

The fakes and their fixtures live with the calendar flows (tests/integration/calendars);
the tests of one service module sit here, mirroring inviteonce_desktop/services/.
"""

from tests.integration.calendars.conftest import (  # noqa: F401 (fixtures, used by name)
    exchange,
    google,
    graph,
    loopback_certificate,
    memory_keyring,
    radicale,
)
