"""Where the workspace lives, for the fronts; light enough to ask before the window loads."""

from __future__ import annotations

from ..store.home import HOME_VARIABLE, default_home

__all__ = ["HOME_VARIABLE", "default_home"]
