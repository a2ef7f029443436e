"""The per-process caches are bounded by the bytes they hold, least recently used out first."""

import pickle
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches

from articles.memory_cache import ByteBoundedLocMemCache


@pytest.fixture
def small_cache():
    cache = ByteBoundedLocMemCache(
        f"test-bytes-{uuid.uuid4()}", {"OPTIONS": {"MAX_BYTES": 20_000, "MAX_ENTRIES": 10**6}}
    )
    yield cache
    cache.clear()


def stored_bytes(cache):
    """What the entries really stored weigh: their keys plus their pickled values."""
    return sum(len(key) + len(value) for key, value in cache._cache.items())


def test_filling_past_the_bound_keeps_the_bytes_within_it(small_cache):
    for n in range(200):  # about 200 kB offered to a 20 kB cache
        small_cache.set(f"fragment-{n}", "x" * 1000)
    assert small_cache.held_bytes <= 20_000
    assert small_cache.held_bytes == stored_bytes(small_cache)
    # Full, not emptied: it holds as many 1 kB entries as fit.
    assert len(small_cache._cache) >= 18
    assert small_cache.get("fragment-199") == "x" * 1000  # the newest is kept
    assert small_cache.get("fragment-0") is None  # the oldest went


def test_entries_of_different_sizes_are_counted_by_size(small_cache):
    small_cache.set("big", b"b" * 15_000)
    for n in range(50):
        small_cache.set(f"small-{n}", b"s" * 10)
    assert small_cache.get("big") == b"b" * 15_000  # 50 small entries fit beside it: nothing was evicted
    small_cache.set("another-big", b"c" * 10_000)
    assert small_cache.get("big") is None  # the least recently used had to make room
    assert small_cache.held_bytes == stored_bytes(small_cache) <= 20_000


def test_reading_an_entry_keeps_it_over_ones_not_read(small_cache):
    for n in range(10):
        small_cache.set(f"entry-{n}", "v" * 1500)
    assert small_cache.get("entry-0") == "v" * 1500  # now the most recently used
    for n in range(10, 16):
        small_cache.set(f"entry-{n}", "v" * 1500)
    assert small_cache.get("entry-0") is not None
    assert small_cache.get("entry-1") is None  # the least recently used of the first ten
    assert small_cache.held_bytes == stored_bytes(small_cache) <= 20_000


def test_a_value_larger_than_the_whole_budget_is_not_kept_and_evicts_nothing(small_cache):
    small_cache.set("kept", "k" * 100)
    small_cache.set("huge", "h" * 50_000)
    assert small_cache.get("huge") is None
    assert small_cache.get("kept") == "k" * 100
    small_cache.set("kept", "h" * 50_000)  # replacing a kept value with one too large drops the old one
    assert small_cache.get("kept") is None
    assert small_cache.held_bytes == 0


def test_replacing_deleting_and_clearing_keep_the_count_exact(small_cache):
    small_cache.set("a", "1" * 1000)
    small_cache.set("a", "2" * 3000)  # counted once, at its new size
    small_cache.add("b", "3" * 500)
    small_cache.set("n", 9)
    small_cache.incr("n", 10**30)  # a number that pickles bigger
    assert small_cache.get("n") == 9 + 10**30
    assert small_cache.held_bytes == stored_bytes(small_cache)
    key = small_cache.make_and_validate_key("a")
    assert len(small_cache._cache[key]) == len(pickle.dumps("2" * 3000, pickle.HIGHEST_PROTOCOL))
    small_cache.delete("a")
    assert small_cache.held_bytes == stored_bytes(small_cache)
    small_cache.clear()
    assert small_cache.held_bytes == 0


def test_an_expired_entry_leaves_the_count_when_it_is_read(small_cache):
    small_cache.set("soon", "s" * 1000, timeout=-1)  # already expired
    assert small_cache.held_bytes > 0
    assert small_cache.get("soon") is None
    assert small_cache.held_bytes == 0


def test_the_site_keeps_page_parts_and_searches_within_their_byte_budgets():
    fragments, search = caches["fragments"], caches["search"]
    assert isinstance(fragments, ByteBoundedLocMemCache)
    assert isinstance(search, ByteBoundedLocMemCache)
    assert fragments.max_bytes == settings.NEWSMAG_FRAGMENT_CACHE_BYTES
    assert search.max_bytes == settings.NEWSMAG_SEARCH_CACHE_BYTES
