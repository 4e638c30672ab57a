"""OCDS release packages read in batches: the guard's own scan of each block
(:class:`~.ocds.Scanner`) finds where the releases array's objects end, the whole releases
of a block are decoded at once by msgspec into only the fields a frame reads (every other
field is skipped in C), and each is flattened as :func:`~.ocds.flatten` flattens it.

This path gives what the general one (ijson, :func:`~.ocds.releases`) gives, release by
release; where it cannot be sure of that it hands over:

- a batch holding a field of another type than the frame reads (a buyer that is text), or
  an array entry with none of the fields read (empty or not: the typed decoding cannot
  tell), is decoded as plain JSON and flattened by :func:`~.ocds.flatten`;
- anything else (bytes that are not UTF-8, a number msgspec refuses, malformed JSON, an
  entry of the releases array that is not an object) raises :class:`Handover`, and
  :func:`~.ocds.flat_releases` reads the file again on the general path from where this one
  stopped, so that its messages and readings hold.

The JSON around the releases arrays (the package's metadata) is checked as JSON at the end,
with the arrays' contents left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from effectmodel.inputs import ocds

U = msgspec.UNSET
#: a value the frame reads: any JSON but an object or an array (those are kept by the merge
#: differently: a batch that has one where a value belongs is decoded as plain JSON)
Scalar = str | int | float | bool | None | msgspec.UnsetType
#: bytes read and scanned at a time [B] (1 GB in 4 MB blocks took as long as in 1 MB ones,
#: and its scan's arrays 50 MB more)
BLOCK = 1 << 20
#: the most JSON kept around the releases arrays [B] (a package's metadata is a few kB)
MAX_OUTSIDE = 1 << 26
_WHITE = b" \t\r\n"
#: the bytes that shape the package's top levels
_OBJECT, _END_OBJECT, _ARRAY, _END_ARRAY, _QUOTE = (ord(c) for c in '{}[]"')
#: the bytes of the last block kept to read a key that began there [B]
_WINDOW = 4096


class Handover(Exception):
    """This path cannot read the rest as the general one would: hand over to it."""


class Money(msgspec.Struct):
    amount: Scalar = U
    currency: Scalar = U


class Classification(msgspec.Struct):
    scheme: Scalar = U
    id: Scalar = U


class Lot(msgspec.Struct):
    id: Scalar = U
    value: Money | None | msgspec.UnsetType = U


class Item(msgspec.Struct):
    id: Scalar = U
    classification: Classification | None | msgspec.UnsetType = U


class Award(msgspec.Struct):
    id: Scalar = U
    date: Scalar = U
    status: Scalar = U
    value: Money | None | msgspec.UnsetType = U
    relatedLots: Any = U  # noqa: N815 (OCDS's name)


class Tender(msgspec.Struct):
    id: Scalar = U
    datePublished: Scalar = U  # noqa: N815
    value: Money | None | msgspec.UnsetType = U
    classification: Classification | None | msgspec.UnsetType = U
    lots: list[Lot] | None | msgspec.UnsetType = U
    items: list[Item] | None | msgspec.UnsetType = U


class Buyer(msgspec.Struct):
    name: Scalar = U


class Release(msgspec.Struct):
    """The fields of a release a frame reads (:func:`~.ocds.flatten`); others skipped."""

    ocid: Any = U
    date: Any = U
    buyer: Buyer | None | msgspec.UnsetType = U
    tender: Tender | None | msgspec.UnsetType = U
    awards: list[Award] | None | msgspec.UnsetType = U


_TYPED = msgspec.json.Decoder(list[Release])
_PLAIN = msgspec.json.Decoder()


class _Unsure(Exception):
    """A typed release this path cannot flatten for sure (an entry with no field read)."""


def _under(flat: dict, key: tuple, obj: Any, kind: type) -> None:
    """The fields present of ``obj`` where it is a ``kind`` (a Value, a Classification),
    at ``key`` and in the order of its fields (those of :func:`~.ocds.flatten`)."""
    if type(obj) is kind:
        for name in kind.__struct_fields__:
            v = getattr(obj, name)
            if v is not U:
                flat[(*key, name)] = v


def _key(flat: dict, at: tuple, x: Any, token: str, k: int) -> tuple:
    """The key of an array entry, its marker set (as :func:`~.ocds.flatten` keys it)."""
    if x.id is U:
        if all(getattr(x, f) is U for f in x.__struct_fields__):
            raise _Unsure  # an empty object (skipped) or one of other fields (kept)
        key = (*at, f"\x00{token}.{k}")
        flat[key] = None
    else:
        key = (*at, str(x.id))
        flat[key] = x.id
    return key


def flatten(r: Release, token: str) -> dict[tuple, Any]:
    """:func:`~.ocds.flatten` of a typed release: the same fields, in the same order (a
    value present is kept: none is an object or an array, but ``relatedLots``)."""
    flat: dict[tuple, Any] = {("ocid",): None if r.ocid is U else r.ocid}
    b = r.buyer
    if type(b) is Buyer and b.name is not U:
        flat[("buyer", "name")] = b.name
    t = r.tender
    if type(t) is Tender:
        if t.id is not U:
            flat[("tender", "id")] = t.id
        if t.datePublished is not U:
            flat[("tender", "datePublished")] = t.datePublished
        _under(flat, ("tender", "value"), t.value, Money)
        _under(flat, ("tender", "classification"), t.classification, Classification)
        if t.lots:
            for k, x in enumerate(t.lots):
                _under(flat, (*_key(flat, ("tender", "lots"), x, token, k), "value"), x.value,
                       Money)
        if t.items:
            for k, x in enumerate(t.items):
                _under(flat, (*_key(flat, ("tender", "items"), x, token, k), "classification"),
                       x.classification, Classification)
    if r.awards:
        for k, x in enumerate(r.awards):
            key = _key(flat, ("awards",), x, token, k)
            if x.date is not U:
                flat[(*key, "date")] = x.date
            if x.status is not U:
                flat[(*key, "status")] = x.status
            _under(flat, (*key, "value"), x.value, Money)
            if x.relatedLots is not U and ocds.keep(x.relatedLots):
                flat[(*key, "relatedLots")] = x.relatedLots
    return flat


def _decoded(batch: bytes, first: int) -> Iterator[tuple[str, Any, Any, dict]]:
    """(where, ocid, date, flat) of each release in ``batch`` (whole releases, separated as
    in the file), the first of them ``releases[first]``."""
    body = b"[" + batch + b"]"
    try:
        typed = _TYPED.decode(body)
    except msgspec.ValidationError:
        typed = None  # a field of another type: decoded as plain JSON below
    except (msgspec.DecodeError, UnicodeDecodeError, ValueError):
        raise Handover from None
    if typed is not None:
        try:
            flats = [flatten(r, str(first + k + 1)) for k, r in enumerate(typed)]
        except _Unsure:
            typed = None
        else:
            for k, (r, f) in enumerate(zip(typed, flats, strict=True)):
                yield (f"releases[{first + k}]", None if r.ocid is U else r.ocid,
                       None if r.date is U else r.date, f)
            return
    try:
        plain = _PLAIN.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, ValueError):
        raise Handover from None
    for k, r in enumerate(plain):
        if type(r) is not dict:
            raise Handover
        yield (f"releases[{first + k}]", r.get("ocid"), r.get("date"),
               ocds.flatten(r, str(first + k + 1)))


class _Cutter:
    """Cuts a release package, block by block, into batches of whole releases (the objects
    of every ``releases`` array of the top object) and the JSON around them (with each such
    array left empty). The separators between batches are checked here (a comma between
    releases, none before the first or after the last); those within a batch by its
    decoding."""

    def __init__(self):
        self.in_releases = False  # inside a releases array
        self.inside = False       # inside one of its releases
        self.seen = False         # a release of this array was read
        self.outside = bytearray()  # the JSON around the releases arrays
        self.pending = bytearray()  # the release begun but not ended
        self.gap = bytearray()      # the bytes since the last release
        self.quote = None           # an open string of the top object: its first byte
        self.last = (-1, -1)        # the last string of the top object: its quotes
        self.recent = b""           # the end of the last block

    def cut(self, block: bytes, shape: tuple, offset: int) -> list[bytes]:
        """The batches of whole releases that end in ``block`` (what went before them
        included), each as bytes separated as in the file; the rest kept for the next."""
        idx, ch, structural, before, after = shape
        pick = np.flatnonzero(structural & (np.minimum(before, after) <= 2))
        out: list[bytes] = []
        pos, k = 0, 0  # the block's bytes before pos are placed
        while k < len(pick):
            if self.in_releases:
                sub = pick[k:]
                c, b, a = ch[sub], before[sub], after[sub]
                ok = ((c == _OBJECT) & (b == 2)) | ((c == _END_OBJECT) & (a == 2))  # a release's
                stop = len(sub) if ok.all() else int(np.argmin(ok))
                if stop and not self.inside:
                    pos = self._begin(block, pos, int(idx[sub[0]]))
                ends = np.flatnonzero(c[:stop] == _END_OBJECT)
                if ends.size:
                    end = int(idx[sub[int(ends[-1])]]) + 1
                    out.append(bytes(self.pending) + block[pos:end])
                    self.pending.clear()
                    pos, self.inside, self.seen = end, False, True
                    if int(ends[-1]) + 1 < stop:  # one more begins
                        pos = self._begin(block, pos, int(idx[sub[int(ends[-1]) + 1]]))
                if stop == len(sub):
                    break
                j = sub[stop]
                if ch[j] != _END_ARRAY or after[j] != 1 or self.inside:
                    raise Handover  # an entry of the releases array that is not an object
                self.gap += block[pos:int(idx[j])]
                self._check_gap(last=True)
                self.in_releases, self.seen = False, False
                pos, k = int(idx[j]), k + stop
                continue
            j = pick[k]
            c, b, a, at = int(ch[j]), int(before[j]), int(after[j]), int(idx[j])
            if c == _QUOTE and a == 1:  # a quote of a string of the top object
                if self.quote is None:
                    self.quote = offset + at
                else:
                    self.last, self.quote = (self.quote, offset + at), None
            elif c == _ARRAY and b == 1 and self._releases_key(block, offset, at):
                self._outside(block[pos:at + 1])
                pos, self.in_releases = at + 1, True
            k += 1
        if self.in_releases:
            (self.pending if self.inside else self.gap).extend(block[pos:])
        else:
            self._outside(block[pos:])
        self.recent = (self.recent + block)[-_WINDOW:]
        return out

    def _begin(self, block: bytes, pos: int, start: int) -> int:
        """A release begins at ``start``: the bytes since the last are its separator."""
        self.gap += block[pos:start]
        self._check_gap(last=False)
        self.inside = True
        return start

    def _check_gap(self, last: bool) -> None:
        want = b"," if self.seen and not last else b""
        if bytes(self.gap).strip(_WHITE) != want:
            raise Handover  # malformed between releases: the general path says where
        self.gap.clear()

    def _releases_key(self, block: bytes, offset: int, at: int) -> bool:
        """Whether the array opening at ``at`` is the value of the top object's key
        ``releases`` (its last string, then a colon); :class:`Handover` where the bytes
        between are no longer at hand."""
        start, end = self.last
        window, w0 = self.recent + block, offset - len(self.recent)
        if start < w0:
            raise Handover
        seg = window[start - w0:offset + at - w0]
        if seg[end - start + 1:].strip(_WHITE) != b":":
            return False  # not a key's value: an array in an array
        return seg[:end - start + 1] == b'"releases"'

    def _outside(self, data: bytes) -> None:
        self.outside += data
        if len(self.outside) > MAX_OUTSIDE:
            raise Handover


def flat_releases(path: Path) -> Iterator[tuple[str, Any, Any, dict]]:
    """(where, ocid, date, flat) of every release of a release package, in file order (see
    the module's text; raises :class:`Handover` where it cannot go on)."""
    scan, cutter, first = ocds.Scanner(), _Cutter(), 0
    with open(path, "rb") as f:
        while True:
            block = f.read(BLOCK)
            if not block:
                break
            try:
                scan.feed(block)
            except ocds.Refused:
                raise Handover from None
            for batch in cutter.cut(block, scan.shape, scan.offset - len(block)):
                for item in _decoded(batch, first):
                    first += 1
                    yield item
    if scan.depth or scan.in_string or cutter.in_releases:
        raise Handover  # the file ends inside its JSON
    try:
        _PLAIN.decode(bytes(cutter.outside))
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, ValueError):
        raise Handover from None
