"""OCDS JSON, streamed: release packages (``{"releases": [...]}``), record packages
(``{"records": [...]}``) and JSON Lines (a release or a package per line), read with ijson in
bounded memory: a release is held only as the few fields a sampling frame needs, and the
releases of one ``ocid`` are compiled into one by the OCDS merge routine, done on the
flattened fields as ocdsmerge (the reference implementation) does it, and held equal to
ocdsmerge by the tests: :func:`flatten`, :func:`merge`.

Returns the tenders as :func:`units` rows: one per lot (or per tender without lots), with
its estimated and awarded amounts and their currencies, the date of its award and of its
publication. Bad input is an :class:`~effectmodel.domain.errors.InputError`; malformed JSON
names its line and column.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from effectmodel.domain.errors import InputError, Problem, short

#: the release schema whose merge rules compile releases (OCDS 1.1.5, Apache 2.0:
#: https://standard.open-contracting.org/schema/1__1__5/release-schema.json)
SCHEMA = Path(__file__).resolve().parents[1] / "maps" / "ocds-release-schema-1__1__5.json"
#: award statuses whose value is no contract
NOT_AWARDED = ("pending", "cancelled", "unsuccessful")
ALLOWED = ("an OCDS release package, record package, or JSON Lines of releases")
#: the guard's bounds, as a message says them
LIMITS = ("nested at most 1,000 deep, strings of at most 10,000,000 bytes, at most 1,000 "
          "digits in a row")


#: the fields a frame reads (:func:`flatten`): buyer.name; tender.id, .datePublished,
#: .value, .classification; tender.lots[].value; tender.items[].classification;
#: awards[].date, .status, .value, .relatedLots (a Value: amount and currency; a
#: Classification: scheme and id)
_ARRAYS = {("tender", "lots"), ("tender", "items"), ("awards",)}


def keep(v: Any) -> bool:
    """Whether ocdsmerge keeps a value (null included; an empty object or array skipped; an
    object where a value belongs is no value here, left out)."""
    return not isinstance(v, dict | list) or (type(v) is list and bool(v))


def _leaf(flat: dict, key: tuple, obj: dict, name: str) -> None:
    """``obj[name]`` at ``key`` where ocdsmerge keeps it (:func:`keep`)."""
    if name in obj:
        v = obj[name]
        if keep(v):
            flat[key] = v


def _under(flat: dict, key: tuple, obj: dict, name: str, names: tuple[str, ...]) -> None:
    """The fields ``names`` of the object ``obj[name]`` (a Value, a Classification)."""
    sub = obj.get(name)
    if type(sub) is dict and sub:
        for n in names:
            if n in sub:
                v = sub[n]
                if keep(v):
                    flat[(*key, n)] = v


def flatten(release: dict[str, Any], token: str = "") -> dict[tuple, Any]:
    """The fields of a release a frame needs (see above), as ocdsmerge flattens them:
    path -> value (null included), an entry of an array of objects under its ``id`` (as
    text; an entry without one under a key of its own, from ``token`` and its position),
    with a marker (path to the entry -> its id) so that entries keep the order they first
    appear in. Merging is then ``dict.update`` in date order (:func:`merge`)."""
    flat: dict[tuple, Any] = {("ocid",): release.get("ocid")}
    buyer = release.get("buyer")
    if type(buyer) is dict:
        _leaf(flat, ("buyer", "name"), buyer, "name")
    tender = release.get("tender")
    if type(tender) is dict:
        _leaf(flat, ("tender", "id"), tender, "id")
        _leaf(flat, ("tender", "datePublished"), tender, "datePublished")
        _under(flat, ("tender", "value"), tender, "value", _MONEY)
        _under(flat, ("tender", "classification"), tender, "classification", _CLASS)
        for x, key in _entries(flat, ("tender", "lots"), tender.get("lots"), token):
            _under(flat, (*key, "value"), x, "value", _MONEY)
        for x, key in _entries(flat, ("tender", "items"), tender.get("items"), token):
            _under(flat, (*key, "classification"), x, "classification", _CLASS)
    for x, key in _entries(flat, ("awards",), release.get("awards"), token):
        _leaf(flat, (*key, "date"), x, "date")
        _leaf(flat, (*key, "status"), x, "status")
        _under(flat, (*key, "value"), x, "value", _MONEY)
        _leaf(flat, (*key, "relatedLots"), x, "relatedLots")
    return flat


_MONEY, _CLASS = ("amount", "currency"), ("scheme", "id")


def _entries(flat: dict, at: tuple, xs: Any, token: str) -> list[tuple[dict, tuple]]:
    """The entries of an array of objects with their keys (and their markers set in
    ``flat``); none for an empty array or one holding anything but objects (which the
    merge routine replaces whole: no entries to read)."""
    if type(xs) is not list or not xs or not all(type(x) is dict for x in xs):
        return []
    out = []
    for k, x in enumerate(xs):
        if not x:  # an empty object: the merge routine skips it
            continue
        key = (*at, str(x["id"]) if "id" in x else f"\x00{token}.{k}")
        flat[key] = x.get("id")
        out.append((x, key))
    return out


def merge(flats: list[tuple[str, dict[tuple, Any]]]) -> dict[tuple, Any]:
    """The compiled release, flat, of one ocid's (date, flattened release) pairs: each
    release's fields over the earlier ones, in the order of their dates (a stable sort, as
    ocdsmerge's), a null replacing a value as the merge routine does."""
    out: dict[tuple, Any] = {}
    for _, flat in sorted(flats, key=lambda x: x[0]):
        out.update(flat)
    return out


def unflatten(flat: dict[tuple, Any]) -> dict[str, Any]:
    """A flat compiled release as the nested one ocdsmerge gives (nulls left out; an array
    entry with the id it had, or none): for comparing with the reference routine."""
    out: dict[str, Any] = {}
    entries: dict[tuple, dict] = {}
    for key, value in flat.items():
        if value is None and key[:-1] not in _ARRAYS:
            continue  # a null leaves no field (and makes no object on its way)
        node, i = out, 0
        while i < len(key):
            if key[:i + 1] in _ARRAYS:  # an array: the next part names its entry
                at = key[:i + 2]
                if at not in entries:
                    entries[at] = {}
                    node.setdefault(key[i], []).append(entries[at])
                if len(key) == i + 2 and value is not None:
                    entries[at].setdefault("id", value)
                node, i = entries[at], i + 2
                continue
            if i == len(key) - 1:
                if value is not None:
                    node[key[i]] = value
            else:
                node = node.setdefault(key[i], {})
            i += 1
    return out


def _objects(xs: Any) -> list[dict[str, Any]]:
    return [x for x in xs if isinstance(x, dict)] if isinstance(xs, list) else []


#: bytes the parser asks for at a time [B]
BUF = 1 << 16
#: bytes the guard reads and checks at a time [B] (its numpy passes cost less per byte in
#: larger blocks: 0.34 s per 100 MB in 1 MB blocks, 1.1 s in 64 kB ones)
BLOCK = 1 << 20
#: the deepest nesting read (OCDS needs fewer than 20 levels; the parser's memory grows with
#: the square of the depth, so a file nested 100,000 deep would take gigabytes)
MAX_DEPTH = 1000
#: the longest string read [B] (the parser's time grows with the square of a string's
#: length: 80 MB took 58 s; an OCDS text is a few kB)
MAX_STRING = 10_000_000
#: the longest run of digits read (ijson's C parser dies with SIGSEGV on an integer of about
#: 4,800 digits; an amount or an id has fewer than 30)
MAX_DIGITS = 1000
#: one pass over a block's bytes: digits -> 2, the bytes that shape JSON -> 1, others -> 0
_KINDS = bytearray(256)
for _c in b'"\\[]{}':
    _KINDS[_c] = 1
for _c in b"0123456789":
    _KINDS[_c] = 2
_KINDS = bytes(_KINDS)
_STEP = np.zeros(256, dtype=np.int8)
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1
_QUOTE, _BACK = ord('"'), ord("\\")
_DIGITS = b"0123456789"


class Refused(ValueError):
    """A JSON file beyond the guard's bounds: deeper, a longer string, more digits."""


class Scanner:
    """What the parser is about to read, checked block by block before it does, as JSON
    reads it: the depth of brackets outside strings (an escaped quote does not end a
    string), the length of each string, and runs of digits. Vectorised: each block is one
    ``bytes.translate`` and numpy passes over the few bytes that shape JSON."""

    def __init__(self, max_depth: int = MAX_DEPTH, max_string: int = MAX_STRING,
                 max_digits: int = MAX_DIGITS):
        self.max_depth, self.max_string, self.max_digits = max_depth, max_string, max_digits
        self._long = b"\x02" * (max_digits + 1)
        self.depth = 0
        self.in_string = False
        self.start = 0        # where the open string began [byte]
        self.backslashes = 0  # the run of backslashes the last block ended with
        self.digits = 0       # the run of digits the last block ended with
        self.offset = 0       # the block's first byte in the file
        self._last: tuple = ()  # the last block's arrays (shape)

    def feed(self, data: bytes) -> None:
        """Check the next block (raises :class:`Refused`)."""
        n = len(data)
        if not n:
            return
        kinds = data.translate(_KINDS)
        self._digit_runs(data, kinds)
        idx = np.flatnonzero(np.frombuffer(kinds, dtype=np.uint8) == 1)
        ch = np.frombuffer(data, dtype=np.uint8)[idx]
        q = ch == _QUOTE
        if self.backslashes or (ch == _BACK).any():
            q &= ~self._escaped(idx, ch)
        after = np.cumsum(q, dtype=np.int32) + int(self.in_string)  # (bool's own is slow)
        inside = ((after - q) & 1).astype(bool)
        steps = np.take(_STEP, ch) * ~inside  # a bracket inside a string is text
        run = np.zeros(0, dtype=np.int64)
        if steps.size:
            run = self.depth + np.cumsum(steps, dtype=np.int64)
            if int(run.max()) > self.max_depth:
                at = self.offset + int(idx[int(np.argmax(run))])
                raise Refused(f"nested deeper than {self.max_depth:,} levels at byte {at:,}")
            self.depth = int(run[-1])
        self._last = (idx, ch, q, inside, steps, run)  # the shape's parts, for shape
        self._strings(idx[q] + self.offset, n)
        tail = n - len(data.rstrip(b"\\"))
        self.backslashes = tail + (self.backslashes if tail == n else 0)
        self.offset += n

    @property
    def shape(self) -> tuple[np.ndarray, ...]:
        """The last block's shape, for a reader that cuts it (:mod:`.ocdsbatch`; the guard
        alone never computes it): the position of each byte that shapes JSON, the byte,
        whether it is part of the JSON's structure (a quote, or a bracket outside a string),
        its depth before and after."""
        idx, ch, q, inside, steps, run = self._last
        return idx, ch, q | ~inside, run - steps, run

    def _strings(self, quotes: np.ndarray, n: int) -> None:
        """The lengths of the strings that close in this block, and of the one left open."""
        if self.in_string:
            quotes = np.r_[self.start, quotes]
        if quotes.size > 1:
            lengths = quotes[1::2] - quotes[0:len(quotes) - 1:2]
            if lengths.size and int(lengths.max()) > self.max_string:
                at = int(quotes[0:len(quotes) - 1:2][int(np.argmax(lengths))])
                raise Refused(f"a string of more than {self.max_string:,} bytes at byte "
                              f"{at:,}")
        self.in_string = bool(len(quotes) % 2)
        if self.in_string:
            self.start = int(quotes[-1])
            if self.offset + n - self.start > self.max_string:
                raise Refused(f"a string of more than {self.max_string:,} bytes at byte "
                              f"{self.start:,}")

    def _digit_runs(self, data: bytes, kinds: bytes) -> None:
        head = len(data) - len(data.lstrip(_DIGITS))
        at = kinds.find(self._long)
        if self.digits + head > self.max_digits or at >= 0:
            where = self.offset - self.digits if at < 0 else self.offset + at
            raise Refused(f"a run of more than {self.max_digits:,} digits at byte {where:,}")
        tail = len(data) - len(data.rstrip(_DIGITS))
        self.digits = tail + (self.digits if tail == len(data) else 0)

    def _escaped(self, idx: np.ndarray, ch: np.ndarray) -> np.ndarray:
        """Which of the block's shaping bytes follow an odd run of backslashes (a quote so
        placed is escaped: it does not end its string)."""
        bs = ch == _BACK
        gap1 = np.r_[False, np.diff(idx) == 1]          # right after the previous one
        follows = np.r_[False, bs[:-1]] & gap1          # right after a backslash
        start = bs & ~follows                           # a run of backslashes begins
        run_id = np.cumsum(start) - 1
        counts = np.bincount(run_id[bs]) if bs.any() else np.zeros(1, dtype=np.int64)
        before = np.zeros(len(ch), dtype=np.int64)
        j = np.flatnonzero(follows)
        before[j] = counts[run_id[j - 1]]
        if self.backslashes and idx.size and idx[0] == 0:  # the last block's run goes on
            if bs[0]:
                before[np.flatnonzero(follows & (np.r_[-1, run_id[:-1]] == 0))] += \
                    self.backslashes
            else:
                before[0] = self.backslashes
        return (before & 1).astype(bool)


class _Guarded:
    """A binary file read through a :class:`Scanner`: each block is checked before the
    parser sees any of it, and served in the pieces the parser asks for."""

    def __init__(self, f: BinaryIO):
        self.f, self.scan = f, Scanner()
        self.block, self.at = b"", 0

    def read(self, n: int = -1) -> bytes:
        if self.at >= len(self.block):
            self.block, self.at = self.f.read(max(BLOCK, n)), 0
            self.scan.feed(self.block)
        end = len(self.block) if n < 0 else self.at + n
        out = self.block[self.at:end]
        self.at = end
        return out


def kind_of(path: Path) -> str:
    """'releases', 'records' or 'lines': what the file holds, from its first keys."""
    import ijson

    label = str(path)
    with open(path, "rb") as raw:
        f = _Guarded(raw)
        try:
            for prefix, event, value in ijson.parse(f, multiple_values=True):
                if prefix == "" and event == "map_key":
                    if value in ("releases", "records"):
                        return value
                    if value in ("ocid", "id", "date", "tag", "tender", "awards"):
                        return "lines"
                elif prefix == "" and event not in ("start_map", "map_key"):
                    break
        except ijson.JSONError:
            locate_error(path)
        except Refused as exc:
            raise InputError([Problem(label, "(file)", f"{exc} (allowed: {ALLOWED}, "
                                      f"{LIMITS})")]) from None
    raise InputError([Problem(label, "(file)", f"neither 'releases' nor 'records' nor a "
                              f"release at the top (allowed: {ALLOWED})")])


def releases(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, release) of every release in the file, streamed: ``releases[i]``,
    ``records[i].releases[j]`` (or ``.compiledRelease`` where a record gives no dated
    releases), or ``line i`` of JSON Lines (each a release or a package).

    Numbers are read as floats (the fast path); a file with an integer beyond 2^63 (a
    20-digit id), which that path cannot hold, is read again exactly from where it stopped,
    its numbers as Python ints and its fractions as floats."""
    done = 0
    try:
        for item in _releases(path, exact=False):
            done += 1
            yield item
    except _Overflow:
        for k, (where, r) in enumerate(_releases(path, exact=True)):
            if k >= done:
                yield where, _no_decimals(r)


class _Overflow(Exception):
    """An integer beyond what the float path reads (ijson's C parser: 'integer overflow')."""


def _no_decimals(x: Any) -> Any:
    """``x`` with every Decimal (a fraction read exactly) a float."""
    if isinstance(x, dict):
        return {k: _no_decimals(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_no_decimals(v) for v in x]
    return float(x) if isinstance(x, Decimal) else x


def _releases(path: Path, exact: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    import ijson

    kind = kind_of(path)
    floats = {} if exact else {"use_float": True}
    with open(path, "rb") as raw:
        f = _Guarded(raw)
        try:
            if kind == "releases":
                for i, r in enumerate(ijson.items(f, "releases.item", buf_size=BUF,
                                                       **floats)):
                    yield f"releases[{i}]", r
            elif kind == "records":
                for i, rec in enumerate(ijson.items(f, "records.item", buf_size=BUF,
                                                         **floats)):
                    yield from _record_releases(rec, f"records[{i}]")
            else:
                for i, v in enumerate(ijson.items(f, "", multiple_values=True, buf_size=BUF,
                                                  **floats), start=1):
                    yield from _line_releases(v, f"line {i}")
        except ijson.JSONError as exc:
            if not exact and "integer overflow" in str(exc):
                raise _Overflow from None
            locate_error(path)
        except Refused as exc:
            raise InputError([Problem(str(path), "(file)", f"{exc} (allowed: {ALLOWED}, "
                                      f"{LIMITS})")]) from None


def _record_releases(rec: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(rec, dict):
        return
    # embedded releases (with their ocid), not linked ones (a url, a date and a tag only)
    dated = [r for r in _objects(rec.get("releases")) if "date" in r and "tag" in r
             and not ("url" in r and "ocid" not in r)]
    if dated:
        for j, r in enumerate(dated):
            yield f"{where}.releases[{j}]", r
    elif isinstance(rec.get("compiledRelease"), dict):
        yield f"{where}.compiledRelease", rec["compiledRelease"]


def _line_releases(v: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(v, dict) and isinstance(v.get("releases"), list):
        for j, r in enumerate(_objects(v["releases"])):
            yield f"{where}.releases[{j}]", r
    elif isinstance(v, dict) and isinstance(v.get("records"), list):
        for j, rec in enumerate(v["records"]):
            yield from _record_releases(rec, f"{where}.records[{j}]")
    elif isinstance(v, dict):
        yield where, v


def locate_error(path: Path) -> None:
    """Raise the bad-input error of a malformed JSON file, at its line and column (found by
    ijson's pure-Python parser, which tells where it stopped; only run on an error)."""
    import ijson.backends.python as slow

    label = str(path)
    pos = None
    with open(path, "rb") as f:
        try:
            for _ in slow.basic_parse(f, multiple_values=True):
                pass
        except Exception as exc:  # the pure parser's errors carry the position as text
            import re

            m = re.search(r"at (\d+)", str(exc))
            pos = int(m.group(1)) if m else None
            message = str(exc).split(" at ")[0]
    if pos is None:
        raise InputError([Problem(label, "(file)", f"not JSON (allowed: {ALLOWED})")]) \
            from None
    line, col, seen = 1, 1, 0
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for text in f:
            if seen + len(text) > pos:
                col = pos - seen + 1
                break
            seen += len(text)
            line += 1
    raise InputError([Problem(label, f"line {line}, column {col}", f"not JSON: "
                              f"{short(message)} (allowed: {ALLOWED})")]) from None


def compiled(path: Path, progress: Callable[[int], None] | None = None
             ) -> Iterator[tuple[str, dict[tuple, Any], int, str]]:
    """(where, compiled release (flat, :func:`merge`), number of releases, earliest release
    date) per ``ocid``, in the order each ocid first appears. The releases' fields
    (:func:`flatten`) are held as compact bytes (marshal) until the file is read, then
    merged one ocid at a time. ``progress`` is called with the releases read so far, every
    100,000."""
    groups: dict[str, list[bytes]] = {}
    first: dict[str, str] = {}
    _read(path, progress, groups, first)
    for ocid, blobs in groups.items():
        flats = [marshal.loads(b) for b in blobs]
        yield first[ocid], merge(flats), len(flats), min(d for d, _ in flats)
        groups[ocid] = []  # the releases of an ocid done are let go


def _read(path: Path, progress, groups: dict[str, list[bytes]], first: dict[str, str]
          ) -> None:
    """Every release of the file flattened into ``groups`` (ocid -> marshalled (date,
    fields)), and where each ocid was first read into ``first``."""
    n = 0
    for where, ocid, date, flat in flat_releases(path):
        n += 1
        if progress and n % 100_000 == 0:
            progress(n)
        if not isinstance(ocid, str) or not ocid:
            raise InputError([Problem(str(path), where, "no ocid (allowed: every release "
                                      "with its ocid)")])
        if not isinstance(date, str):
            raise InputError([Problem(str(path), f"{where}.date", "missing or not text "
                                      "(allowed: a date-time; the merge orders releases by "
                                      "it)")])
        groups.setdefault(ocid, []).append(marshal.dumps((date, flat)))
        first.setdefault(ocid, where)


def flat_releases(path: Path) -> Iterator[tuple[str, Any, Any, dict[tuple, Any]]]:
    """(where, ocid, date, :func:`flatten`-ed fields) of every release of the file, in file
    order. A release package is read in batches (:mod:`.ocdsbatch`, 2-3x as fast on 1 GB);
    where that path hands over, or for other layouts, release by release (:func:`releases`),
    from where the batches stopped."""
    from effectmodel.inputs import ocdsbatch  # it builds on this module

    done = 0
    if kind_of(path) == "releases":
        try:
            for item in ocdsbatch.flat_releases(path):
                done += 1
                yield item
            return
        except ocdsbatch.Handover:
            pass
    for k, (where, r) in enumerate(releases(path)):
        if k >= done:
            if not isinstance(r, dict):
                raise InputError([Problem(str(path), where, f"{type(r).__name__}, not an "
                                          "object (allowed: a release, a JSON object)")])
            yield where, r.get("ocid"), r.get("date"), flatten(r, str(k + 1))


def _entries_of(flat: dict[tuple, Any]) -> dict[tuple, list[tuple[str, Any]]]:
    """(key, id) of the entries of each array of a flat release, in the order they first
    appear."""
    out: dict[tuple, list[tuple[str, Any]]] = {a: [] for a in _ARRAYS}
    lots, items, awards = out[("tender", "lots")], out[("tender", "items")], out[("awards",)]
    for k, v in flat.items():
        n = len(k)
        if n == 2:
            if k[0] == "awards":
                awards.append((k[1], v))
        elif n == 3 and k[0] == "tender":
            if k[1] == "lots":
                lots.append((k[2], v))
            elif k[1] == "items":
                items.append((k[2], v))
    return out


def units(path: Path, progress: Callable[[int], None] | None = None
          ) -> Iterator[dict[str, Any]]:
    """The frame's units of an OCDS file, streamed: one per lot of a compiled release (or
    per tender without lots), each with ``tender_id`` (ocid), ``lot``, ``published`` (tender's
    datePublished, else the earliest release's date), ``award_date`` (the earliest date of
    its awards), ``cpv`` (the tender's classification, else its first item's; '' where
    none), ``buyer``, ``estimated`` and ``awarded`` (lists of (amount, currency, share,
    field): an award of k lots gives each 1/k of its amount, as it gives no split; empty:
    none), ``announcements`` (releases compiled) and ``_at`` (where it was read). An award
    with a status of :data:`NOT_AWARDED` counts no value; an award list that is empty adds
    no unit; an award without ``relatedLots`` on a tender with several lots is counted on
    the tender apart (``lot`` '*')."""
    for where, f, n, earliest in compiled(path, progress):
        g = f.get
        entries = _entries_of(f)
        lots, items = entries[("tender", "lots")], entries[("tender", "items")]
        cpv = g(("tender", "classification", "id")) or next(
            (g(("tender", "items", k, "classification", "id")) for k, _ in items
             if g(("tender", "items", k, "classification", "id"))), "")
        base = {"tender_id": f[("ocid",)],
                "published": g(("tender", "datePublished")) or earliest,
                "cpv": str(cpv or ""), "buyer": g(("buyer", "name")) or "",
                "announcements": n,
                # where an amount was read: the release, or the compiled one of several
                "_at": where if n == 1 else
                f"the {n} releases of {f[('ocid',)]} compiled (first at {where}):"}
        lot_ids = [str(i) if i is not None else k for k, i in lots]
        by_lot: dict[str, list] = {}
        for j, (k, _) in enumerate(entries[("awards",)]):
            if g(("awards", k, "status")) in NOT_AWARDED:
                continue
            related = g(("awards", k, "relatedLots"))
            related = [str(x) for x in related] if isinstance(related, list) else []
            if not lots:
                targets = [""]
            elif related:
                targets = [x for x in related if x in lot_ids] or ["*"]
            else:
                targets = lot_ids if len(lot_ids) == 1 else ["*"]
            part = (g(("awards", k, "value", "amount")), g(("awards", k, "value", "currency")),
                    1 / len(targets), f"awards[{j}].value.amount", g(("awards", k, "date")))
            for t in targets:
                by_lot.setdefault(t, []).append(part)
        keys = [(lid, ("tender", "lots", k), f"tender.lots[{j}].value.amount")
                for j, (lid, (k, _)) in enumerate(zip(lot_ids, lots, strict=True))] \
            if lots else [("", ("tender",), "tender.value.amount")]
        if any(x[0] is not None for x in by_lot.get("*", [])):  # an amount for no lot
            keys.append(("*", None, ""))
        for lid, at, field in keys:
            got = by_lot.get(lid, [])
            est = [] if at is None else [(g((*at, "value", "amount")),
                                          g((*at, "value", "currency")), 1.0, field)]
            yield {**base, "lot": lid,
                   "estimated": [x for x in est if x[0] is not None],
                   "awarded": [x[:4] for x in got if x[0] is not None],
                   "award_date": min((x[4] for x in got if isinstance(x[4], str)),
                                     default=None)}
