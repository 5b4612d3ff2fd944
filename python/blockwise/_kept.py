"""The last few objects by key, most recent last: the one bounded cache
behind the restored splines (splines._restored) and the stacks scattered
to a Dask cluster (dask._scattered)."""
import collections
import threading


class Kept(collections.OrderedDict):
    """At most `keep` entries; a lookup or an insertion makes its entry the
    most recent, and an insertion beyond `keep` drops the least recent.
    Safe to use from several threads."""

    def __init__(self, keep):
        super().__init__()
        self.keep = keep
        self._lock = threading.Lock()

    def recent(self, key, usable=None):
        """The entry under `key` (made the most recent), or None when there
        is none or `usable(entry)` is false."""
        with self._lock:
            value = self.get(key)
            if value is None or (usable is not None and not usable(value)):
                return None
            self.move_to_end(key)
            return value

    def keep_value(self, key, value):
        """Stores `value` under `key` as the most recent entry and returns it."""
        with self._lock:
            self[key] = value
            self.move_to_end(key)
            while len(self) > self.keep:
                self.popitem(last=False)
        return value
