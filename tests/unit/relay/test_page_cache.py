from __future__ import annotations

from inviteonce_desktop.relay.page_cache import PageCache

NOW = 1_800_000_000.0


def test_pages_are_kept_while_nothing_changed() -> None:
    cache = PageCache(ttl=60)
    cache.put(("t", ""), b"page", version=3, until=NOW + 600)
    assert cache.get(("t", ""), 3, NOW) == b"page"
    assert cache.get(("t", "UTC"), 3, NOW) is None
    cache.clear()
    assert cache.get(("t", ""), 3, NOW) is None


def test_a_change_anywhere_makes_the_copy_stale_for_good() -> None:
    cache = PageCache(ttl=60)
    cache.put(("t", ""), b"page", version=3, until=NOW + 600)
    assert cache.get(("t", ""), 4, NOW) is None
    assert cache.get(("t", ""), 3, NOW) is None


def test_a_copy_ends_when_its_offer_expires_or_a_slot_passes_its_notice() -> None:
    cache = PageCache(ttl=60)
    cache.put(("t", ""), b"page", version=1, until=NOW + 10)
    assert cache.get(("t", ""), 1, NOW + 9) == b"page"
    assert cache.get(("t", ""), 1, NOW + 10) is None
    assert cache.get(("t", ""), 1, NOW + 9) is None


def test_a_copy_lives_at_most_its_ttl() -> None:
    ticks = [0.0]
    cache = PageCache(ttl=1.0, clock=lambda: ticks[0])
    cache.put(("t", ""), b"old", version=1, until=NOW + 600)
    ticks[0] = 0.9
    assert cache.get(("t", ""), 1, NOW) == b"old"
    ticks[0] = 1.0
    assert cache.get(("t", ""), 1, NOW) is None


def test_a_zero_ttl_keeps_nothing() -> None:
    cache = PageCache(ttl=0)
    cache.put(("t", ""), b"page", version=1, until=NOW + 600)
    assert not cache.enabled
    assert cache.get(("t", ""), 1, NOW) is None
