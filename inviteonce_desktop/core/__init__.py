"""The pure domain: models, availability, time zones, invitation lifecycle.

Nothing in here does I/O or knows about Qt, SQL or HTTP.
"""
