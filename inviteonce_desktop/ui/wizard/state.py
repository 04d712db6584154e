"""Everything the wizard's fields hold: the invitation request the command line fills too.

A half-filled wizard is saved as a draft from :meth:`InvitationRequest.to_json`;
:meth:`InvitationRequest.invitation` builds the validated invitation, raising a
ValidationError with one sentence when a field is wrong.
"""

from __future__ import annotations

from ...application.requests import DEFAULT_HOURS, InvitationRequest

WizardState = InvitationRequest

__all__ = ["DEFAULT_HOURS", "WizardState"]
