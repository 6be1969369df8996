"""The fast JSON reader gives exactly what the YAML reader gives: data, and the line and column
of every key and value; anything else goes to the YAML reader, which names the defect."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathway.errors import InputError
from pathway.io import json_fast as jsonpos
from pathway.io import read as yamlio

from .conftest import EXAMPLES, read_yaml

KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
).filter(lambda d: isinstance(d, (dict, list)))


def both(text: str) -> tuple[yamlio.Document, yamlio.Document]:
    raw = text.encode()
    fast = yamlio.parse_text(text, "f.json", raw)
    original = jsonpos.read
    try:
        jsonpos.read = _refuse  # type: ignore[assignment]
        slow = yamlio.parse_text(text, "f.json", raw)
    finally:
        jsonpos.read = original  # type: ignore[assignment]
    return fast, slow


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise jsonpos.NotPlainJSON


@pytest.mark.slow
@settings(max_examples=300, derandomize=True, deadline=None)
@given(DOCS, st.sampled_from([None, 1, 2]))
def test_same_data_and_positions_as_the_yaml_reader(data: Any, indent: int | None) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    fast, slow = both(text)
    assert fast.data == slow.data
    assert fast.value_locations == slow.value_locations
    assert fast.key_locations == slow.key_locations


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml"))[:12], ids=lambda p: p.stem)
def test_examples_as_json(path: Any) -> None:
    text = json.dumps(read_yaml(path), indent=2, default=str)
    fast, slow = both(text)
    assert fast.data == slow.data and fast.value_locations == slow.value_locations


@pytest.mark.parametrize(
    "text, words",
    [
        ('{"format": 1, "name": "x", "name": "y"}', "duplicate key"),
        ('{"format": 1, "name": "x"', "malformed"),
        ('{"format": 1} {"name": "x"}', "malformed"),
        ("[" * 60 + "]" * 60, "nested deeper"),
    ],
)
def test_what_is_not_plain_json_is_reported_by_the_yaml_reader(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        yamlio.parse_text(text, "f.json", text.encode())
