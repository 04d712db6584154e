from __future__ import annotations

import time

from inviteonce_desktop.relay.page_cache import PageCache


def test_pages_are_kept_until_cleared() -> None:
    cache = PageCache(ttl=60)
    cache.put(("t", ""), b"page")
    assert cache.get(("t", "")) == b"page"
    assert cache.get(("t", "UTC")) is None
    cache.clear()
    assert cache.get(("t", "")) is None


def test_an_expired_page_is_rendered_again_by_one_caller() -> None:
    cache = PageCache(ttl=0.001)
    cache.put(("t", ""), b"old")
    time.sleep(0.01)
    assert cache.get(("t", "")) is None
    assert cache.get(("t", "")) == b"old"


def test_a_zero_ttl_keeps_nothing() -> None:
    cache = PageCache(ttl=0)
    cache.put(("t", ""), b"page")
    assert cache.get(("t", "")) is None
