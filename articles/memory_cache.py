"""A per-process memory cache bounded by bytes: Django's LocMemCache with a byte budget instead of a count.

Counting entries bounds nothing that matters: a kept article page may be 150 kB, a kept date line 40 bytes,
so "20,000 entries" is anything from a megabyte to gigabytes per worker. This backend keeps the size of
every stored entry (its key plus its pickled value, which is what LocMemCache holds) and, when a new entry
takes the total past `MAX_BYTES`, drops the least recently used entries (LocMemCache already moves an
entry to the front on every read) until it fits again. A single value larger than the whole budget is not
kept at all. Python's own bookkeeping per entry (dictionary slots, object headers: about 200 bytes) is not
counted.

    CACHES["fragments"] = {
        "BACKEND": "articles.memory_cache.ByteBoundedLocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_BYTES": 64 * 1024 * 1024},
    }

`MAX_ENTRIES` still applies as well (LocMemCache's default is 300: give a large one), also evicting the
least recently used.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

# Per LOCATION, like LocMemCache's own stores: every cache object of a name in a process shares them.
_sizes: dict[str, dict[str, int]] = {}
_held: dict[str, list[int]] = {}  # a one-item list: the running total, changed in place under the lock


class ByteBoundedLocMemCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._sizes = _sizes.setdefault(name, {})
        self._held = _held.setdefault(name, [0])

    @property
    def held_bytes(self) -> int:
        """The bytes held: keys plus pickled values of the entries stored (expired ones until removed)."""
        return self._held[0]

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        # Called with the lock held (set, add); `value` is the pickled bytes.
        self._delete(key)  # a replaced value leaves first, also when the new one cannot be kept
        size = len(key) + len(value)
        if size > self.max_bytes:
            return  # could never fit: keeping it would empty the cache for one entry
        self._cache[key] = value
        self._cache.move_to_end(key, last=False)  # the front is the most recently used end
        self._expire_info[key] = self.get_backend_timeout(timeout)
        self._sizes[key] = size
        self._held[0] += size
        while self._held[0] > self.max_bytes or len(self._cache) > self._max_entries:
            oldest, _ = self._cache.popitem()  # from the back: the least recently used
            self._expire_info.pop(oldest, None)
            self._held[0] -= self._sizes.pop(oldest, 0)

    def _forget(self, key):
        """Take `key` out of the byte count (if it was stored)."""
        self._held[0] -= self._sizes.pop(key, 0)

    def _delete(self, key):
        deleted = super()._delete(key)
        self._forget(key)
        return deleted

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version)
        stored_key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if stored_key in self._cache:  # the pickled number may have grown by a byte
                self._forget(stored_key)
                self._sizes[stored_key] = len(stored_key) + len(self._cache[stored_key])
                self._held[0] += self._sizes[stored_key]
        return value

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._held[0] = 0
