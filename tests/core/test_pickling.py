import pickle
from dataclasses import dataclass

from core.pickling import pickled_by_fields


@pickled_by_fields
@dataclass(slots=True)
class Pair:
    name: str
    values: list


@pickled_by_fields
@dataclass(slots=True)
class Single:
    value: tuple


def test_a_slots_dataclass_comes_back_equal_from_its_field_values():
    pair = Pair("a", [1, Single((2, 3))])
    assert pair.__reduce__() == (Pair, ("a", [1, Single((2, 3))]))
    assert pickle.loads(pickle.dumps(pair)) == pair


def test_a_single_field_is_still_a_tuple_of_arguments():
    single = Single((1, 2))
    assert single.__reduce__() == (Single, ((1, 2),))
    assert pickle.loads(pickle.dumps(single)) == single
