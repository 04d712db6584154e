from __future__ import annotations

from inviteonce_desktop.relay.page_cache import PageCache


class Ticks:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pages_are_kept_until_cleared() -> None:
    cache = PageCache(ttl=60)
    cache.put(("t", ""), b"page")
    assert cache.get(("t", "")) == b"page"
    assert cache.get(("t", "UTC")) is None
    cache.clear()
    assert cache.get(("t", "")) is None


def test_an_expired_page_is_rendered_again_by_one_caller() -> None:
    clock = Ticks()
    cache = PageCache(ttl=5, clock=clock)
    cache.put(("t", ""), b"old")
    clock.now += 4.9
    assert cache.get(("t", "")) == b"old"
    clock.now += 0.2
    assert cache.get(("t", "")) is None
    assert cache.get(("t", "")) == b"old"
    clock.now += 5.1
    assert cache.get(("t", "")) is None


def test_a_zero_ttl_keeps_nothing() -> None:
    cache = PageCache(ttl=0)
    cache.put(("t", ""), b"page")
    assert cache.get(("t", "")) is None
