"""Fast pickling for slots dataclasses, whose instances fill detection checkpoints.

A slots dataclass pickles through ``dataclasses``' own ``__getstate__``, which calls ``fields()`` for every
instance: most of the time of a checkpoint holding thousands of posts and stories, taken on the event loop.

>>> import pickle
>>> from schemas.post import Post
>>> post = Post("1", 0.0, "Dubes dipanggil", lang="id")
>>> post.__getstate__()
('1', 0.0, 'Dubes dipanggil', 'id', 'social', None, None, None, ())
>>> pickle.loads(pickle.dumps(post)) == post
True
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_by_slots(cls: type[T]) -> type[T]:
    """Pickle a slots dataclass as the tuple of its fields, read in one call. Reads what was pickled before
    too: the field list of a frozen dataclass, the ``(None, {slot: value})`` of a plain slots class."""
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    if len(names) < 3:
        # One name: attrgetter returns no tuple. Two: a state (None, {...}) would read as the older form.
        raise TypeError(f"{cls.__name__}: needs three fields or more")
    read = operator.attrgetter(*names)

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return read(self)

    def __setstate__(self: Any, state: Sequence[Any] | tuple[None, dict[str, Any]]) -> None:
        if len(state) == 2 and state[0] is None and isinstance(state[1], dict):
            items: Any = state[1].items()  # pickled by Python's own slots support (non-frozen, before this)
        else:
            items = zip(names, state, strict=True)
        for name, value in items:
            object.__setattr__(self, name, value)  # frozen classes too

    cls.__getstate__ = __getstate__  # type: ignore[method-assign]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
