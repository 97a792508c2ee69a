"""Cheaper pickling for the many small objects a batch carries from one process to another."""

from __future__ import annotations

from operator import attrgetter


def pickled_by_fields(cls):
    """Class decorator for a `dataclass(slots=True)`: pickled as its class and its field values in order.

    The default for a slots class builds a dictionary of its state for every object (copyreg); the import's
    prepared batches hold four such objects per offer: pickled that way (with the sketch as a numpy array), a batch
    cost 52–62 µs per offer to pickle and 38–40 to unpickle; as field values 31–33 and 24–28 (docs/offers.md,
    "The arithmetic of the bar")."""
    get = attrgetter(*cls.__slots__)
    single = len(cls.__slots__) == 1  # attrgetter of one name gives the value, not a tuple

    def __reduce__(self):
        values = get(self)
        return (cls, (values,) if single else values)

    cls.__reduce__ = __reduce__
    return cls
