"""Release packages read in batches (inputs/ocdsbatch.py) give, release by release, what
the general path (ijson, ocds.releases) gives: on any releases, cut at any block size, with
fields of other types and entries without the fields read; and where the batches cannot go
on, the general path's own message."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ocds import RELEASE, RELEASES

from effectmodel.domain.errors import InputError
from effectmodel.inputs import ocds, ocdsbatch

#: fields of other types than the frame reads, and entries with none of its fields
ODD = st.fixed_dictionaries({"ocid": st.just("ocds-x-2"), "date": st.just("2019-01-01")},
                            optional={
    "buyer": st.one_of(st.text(max_size=2), st.fixed_dictionaries(
        {"name": st.one_of(st.lists(st.integers(), max_size=1), st.just({}))})),
    "tender": st.fixed_dictionaries({}, optional={
        "value": st.one_of(st.just(3), st.fixed_dictionaries({"amount": st.just({"a": 1})})),
        "lots": st.lists(st.one_of(st.just({}), st.just({"title": "x"}),
                                   st.fixed_dictionaries({"id": st.just(["1"])})),
                         max_size=2),
        "id": st.one_of(st.integers(-2**70, 2**70), st.floats(allow_nan=False,
                                                               allow_infinity=False))}),
    "awards": st.lists(st.fixed_dictionaries({}, optional={
        "relatedLots": st.one_of(st.just([]), st.just({}), st.just("1"), st.just(["1"])),
        "date": st.one_of(st.just(None), st.just({}))}), max_size=2)})
#: whitespace JSON allows between tokens
SPACE = st.sampled_from(["", " ", "\n", "\r\n\t  "])


def general(path):
    """What the general path gives: (where, ocid, date, flat) per release."""
    return [(w, r.get("ocid"), r.get("date"), ocds.flatten(r, str(k + 1)))
            for k, (w, r) in enumerate(ocds.releases(path))]


@st.composite
def packages(draw):
    """A release package's text: releases plain and odd, the package's own fields before
    and after them (one an array of strings, one a key named like the array), spaced."""
    rels = draw(st.lists(st.one_of(RELEASE, ODD), min_size=0, max_size=6))
    sp = draw(SPACE)
    body = ("," + sp).join(json.dumps(r, separators=(",", ": " if sp else ":"))
                           for r in rels)
    before = draw(st.sampled_from([
        '"uri": "releases", ', '"extensions": ["a\\"b", "[{"], ',
        '"publisher": {"name": "releases", "releases": [{"ocid": 1}]}, ', ""]))
    after = draw(st.sampled_from(["", ', "license": null', ', "x": [[{}], {"releases": []}]']))
    return f"{sp}{{{before}\"releases\"{sp}:{sp}[{sp}{body}{sp}]{after}}}{sp}"


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(text=packages(), block=st.sampled_from([1, 2, 7, 64, 1 << 22]))
def test_batches_give_what_the_general_path_gives(tmp_path, monkeypatch, text, block):
    """Any package, cut into blocks of 1 byte to 4 MB: the same releases, where, ocids,
    dates and fields as the general path, and no handover."""
    path = tmp_path / "p.json"
    path.write_text(text)
    monkeypatch.setattr(ocdsbatch, "BLOCK", block)
    assert list(ocdsbatch.flat_releases(path)) == general(path)


def test_the_reference_releases_are_read_in_batches(tmp_path):
    """The frame's worked example goes through the batches, and its units are those of the
    general path, number for number."""
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"uri": "x", "releases": RELEASES}, indent=2))
    got = list(ocdsbatch.flat_releases(path))
    assert len(got) == len(RELEASES)
    assert got == general(path)


def test_two_releases_arrays_are_both_read(tmp_path):
    """A package with its key ``releases`` twice: ijson reads both arrays; so do batches."""
    a, b = (json.dumps(r) for r in RELEASES[:2])
    path = tmp_path / "two.json"
    path.write_text(f'{{"releases": [{a}], "uri": "x", "releases": [{b}]}}')
    got = list(ocdsbatch.flat_releases(path))
    assert [g[1] for g in got] == ["T1", "T2"]
    assert got == general(path)


@pytest.mark.parametrize(("text", "said"), [
    ('{"releases": [{"ocid": "a", "date": "d"} {"ocid": "b"}]}', "line 1, column"),
    ('{"releases": [{"ocid": "a", "date": "d"},]}', "line 1, column"),
    ('{"releases": [, {"ocid": "a", "date": "d"}]}', "line 1, column"),
    ('{"releases": [{"ocid": "a", "date": "d"}]} x', "line 1, column"),
    ('{"uri" "x", "releases": [{"ocid": "a", "date": "d"}]}', "line 1, column"),
    ('{"releases": ["text", {"ocid": "a", "date": "d"}]}', "releases[0]: str, not an object"),
    ('{"releases": [{"ocid": "a", "date": "d", "tender": {"id": 1e400}}]}', "not JSON"),
])
@pytest.mark.parametrize("block", [3, 1 << 22])
def test_where_batches_stop_the_general_path_speaks(tmp_path, monkeypatch, text, said, block):
    """Malformed JSON (a comma missing, one too many, text after the package), an entry not
    an object, a number msgspec refuses: the batches hand over, and the reading ends as the
    general path's does (its message, with line and column where it has them)."""
    path = tmp_path / "bad.json"
    path.write_text(text)
    monkeypatch.setattr(ocdsbatch, "BLOCK", block)
    with pytest.raises(ocdsbatch.Handover):
        list(ocdsbatch.flat_releases(path))
    with pytest.raises(InputError) as caught:
        list(ocds.flat_releases(path))
    message = str(caught.value)
    assert said in message and "(allowed: " in message and "\n" not in message, message
