"""A value kept for each live object, by the object's identity: forgotten when the object is."""

import threading
import weakref
from typing import Any, Generic, TypeVar

__all__ = ["IdentityMemo"]

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """Values kept by object identity (never equality), each dropped when its object is collected; thread-safe.

    For what is worked out once per object a caller holds (an organisation's checks, a rules file's rule set):
    an ``id`` reused by a later object never finds the earlier object's value.
    """

    def __init__(self) -> None:
        self._items: dict[int, tuple[weakref.ref[Any], V]] = {}
        self._lock = threading.RLock()  # a collection inside a locked section calls back into it

    def get(self, obj: object) -> V | None:
        found = self._items.get(id(obj))
        return found[1] if found is not None and found[0]() is obj else None

    def setdefault(self, obj: object, value: V) -> V:
        """The value kept for ``obj``: the one already kept (another thread's), else ``value``, kept from now on."""
        key = id(obj)
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0]() is obj:
                return found[1]

            def forget(_: object, key: int = key) -> None:
                with self._lock:
                    self._items.pop(key, None)

            self._items[key] = (weakref.ref(obj, forget), value)
        return value

    def __len__(self) -> int:
        return len(self._items)
