"""Shared hypothesis settings and strategies for the bad-input tests: arbitrary bytes, arbitrary JSON values, and
mutations of a valid sample (bytes deleted, inserted, replaced, duplicated; file truncated)."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Reproducible in CI and quick: each property runs a modest number of examples, without deadline.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)

_noise = st.binary(min_size=1, max_size=8) | st.sampled_from(
    [b"\x00", b"\xff\xfe", b"\xe9", b'"', b",", b";", b"\n", b"\r", b"{", b"}", b"[", b"<", b">", b"&", b"\\"]
)
_text_noise = st.text(min_size=1, max_size=8).map(
    lambda text: text.encode("utf-8", "surrogatepass")
) | st.sampled_from(
    [b"\x00", "é".encode(), b'"', b",", b";", b"\n", b"\r", b"{", b"}", b"[", b"<", b">", b"&", b"\\"]
)
utf8_bytes = st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass"))


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@st.composite
def mutations(draw, sample: bytes, max_edits: int = 4, *, utf8: bool = False) -> bytes:
    """`sample` with a few random edits; `utf8`: the edits keep it valid UTF-8 (cut at character bounds)."""
    noise = _text_noise if utf8 else _noise
    data = bytearray(sample)
    for _ in range(draw(st.integers(min_value=1, max_value=max_edits))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        position = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        length = draw(st.integers(min_value=1, max_value=40))
        if kind == "delete":
            del data[position : position + length]
        elif kind == "insert":
            data[position:position] = draw(noise)
        elif kind == "replace":
            data[position : position + 1] = draw(noise)
        elif kind == "duplicate":
            data[position:position] = data[position : position + length]
        else:
            del data[position:]
    if utf8:
        return bytes(data).decode("utf-8", "ignore").encode("utf-8", "surrogatepass")
    return bytes(data)
