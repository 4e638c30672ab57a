"""OCDS JSON that cannot crash the reader: the guard reads what the parser is about to read
as JSON does (brackets inside strings are text, an escaped quote ends no string), refuses
depth, string length and digit runs beyond its bounds before the C parser sees them, and
integers beyond 2^63 are read exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ERROR_LINE, ROOT
from effectmodel.domain.errors import InputError
from effectmodel.inputs import ocds


def by_hand(text: str) -> tuple[int, int]:
    """(the deepest nesting, the longest string [B, quote to quote]) of a JSON text, read
    character by character."""
    depth = deepest = longest = start = 0
    inside = escaped = False
    for i, c in enumerate(text):
        if inside:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                inside = False
                longest = max(longest, i - start)
        elif c == '"':
            inside, start = True, i
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest, longest


TRICKY = st.text(alphabet='[]{}"\\a1', max_size=12)
JSONS = st.recursive(TRICKY, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(TRICKY, inner, max_size=3), max_leaves=20)


def scanned(data: bytes, block: int, **bounds) -> bool:
    """Whether a scanner with ``bounds`` takes ``data`` fed in blocks of ``block`` bytes."""
    s = ocds.Scanner(**{"max_depth": 10**6, "max_string": 10**9, **bounds})
    try:
        for i in range(0, len(data), block):
            s.feed(data[i:i + block])
    except ocds.Refused:
        return False
    return True


@pytest.mark.slow
@given(JSONS, st.integers(1, 9))
@settings(max_examples=400, deadline=None)
def test_the_guard_reads_depth_and_strings_as_json_does(value, block):
    """Against a character-by-character reading, for strings full of brackets, quotes and
    backslashes, cut into blocks anywhere: a bound equal to the document's is taken, one
    below it refused."""
    text = json.dumps(value)
    deepest, longest = by_hand(text)
    data = text.encode()
    assert scanned(data, block, max_depth=deepest)
    assert deepest == 0 or not scanned(data, block, max_depth=deepest - 1)
    assert scanned(data, block, max_string=longest)
    assert longest == 0 or not scanned(data, block, max_string=longest - 1)


def release(i: int, **more) -> dict:
    return {"ocid": f"ocds-x-{i}", "id": str(i), "date": "2020-01-01T00:00:00Z",
            "tag": ["tender"], "tender": {"id": f"t{i}", "value": {"amount": 10.5,
                                                                 "currency": "EUR"}}, **more}


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_brackets_in_titles_are_text_not_depth(tmp_path):
    """1,010 notices with one '[' in a title were refused as 'nested deeper than 1,000'."""
    rels = [release(i, title=f"lot [{i}") for i in range(1010)]
    path = write(tmp_path / "r.json", json.dumps({"releases": rels}))
    assert len(list(ocds.units(path))) == 1010


def test_closing_brackets_in_a_string_cancel_no_depth(tmp_path):
    """']' characters in a string used to cancel the count, so 20,000-deep nesting passed
    (1 GB of memory from 120 kB); now it is refused at byte 50,035, at once."""
    text = ('{"releases": [{"ocid": "o", "t": "' + "]" * 30000 + '", "x": '
            + "[" * 20000 + "]" * 20000 + "}]}")
    with pytest.raises(InputError, match="nested deeper than 1,000 levels"):
        list(ocds.units(write(tmp_path / "r.json", text)))


def test_a_long_string_is_refused_before_the_parser_reads_it(tmp_path):
    text = '{"releases": [{"ocid": "o", "t": "' + "a" * 12_000_000 + '"}]}'
    with pytest.raises(InputError, match="a string of more than 10,000,000 bytes"):
        list(ocds.units(write(tmp_path / "r.json", text)))


def test_an_id_of_twenty_digits_is_read_exactly(tmp_path):
    """ijson's float path refuses integers beyond 2^63 ('not JSON'); the reader reads such a
    file again exactly, from where it stopped."""
    rels = [release(0), release(1, id=123456789012345678901234), release(2)]
    units = list(ocds.units(write(tmp_path / "r.json", json.dumps({"releases": rels}))))
    assert [u["tender_id"] for u in units] == ["ocds-x-0", "ocds-x-1", "ocds-x-2"]
    assert [u["estimated"][0][0] for u in units] == [10.5] * 3


def test_an_integer_of_thousands_of_digits_ends_in_one_line_not_a_signal(tmp_path):
    """ijson 3.6.0's C parser dies with SIGSEGV on an integer of about 4,800 digits (exit
    139, no message): the command must end with exit 2 and one line."""
    rels = json.dumps({"releases": [release(0)]})
    path = write(tmp_path / "r.json", rels.replace('"amount": 10.5', '"amount": '
                                                   + "9" * 6000))
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "frame", str(path), "--period",
                        "2019-2020", "--out", str(tmp_path / "f")], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2, (r.returncode, r.stderr[-500:])
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and ERROR_LINE.match(lines[0]), lines
    assert "a run of more than 1,000 digits" in lines[0]


def test_a_record_package_of_linked_releases_is_read_through_its_compiled_release(tmp_path):
    """Records whose releases are links (url, date, tag) were refused ('no ocid')."""
    rec = {"ocid": "ocds-x-1", "releases": [
        {"url": "https://example.org/r1.json", "date": "2020-01-01T00:00:00Z",
         "tag": ["tender"]}], "compiledRelease": release(1)}
    path = write(tmp_path / "r.json", json.dumps({"records": [rec]}))
    assert [u["tender_id"] for u in ocds.units(path)] == ["ocds-x-1"]
