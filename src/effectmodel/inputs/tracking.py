"""The statuses of buyer-group tenders read from OCDS releases, streamed (:mod:`.ocds`): a
release tagged ``planning`` makes a tender planned, ``tender`` published, ``award`` (with
an award not pending, cancelled or unsuccessful) awarded, ``contract`` (or a signed
contract) contracted, and ``tenderCancellation`` (or a tender status cancelled or
unsuccessful) cancelled; each status at the earliest date a release gives it, the date in
Europe/Amsterdam. A release belongs to a buyer-group tender by its ocid (the ocid the
tender's outcomes name) or by its tender id (the buyer group's own tender_id).

For ``track --propose``, :class:`Candidates` keeps what every other ocid's releases say of
it (buyer, title, CPV code, publication date, value, lots), for
:mod:`effectmodel.model.matching` to score against the tenders no release matched.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd

from effectmodel.domain.columns import OUTCOME_RANK
from effectmodel.inputs import ocds

#: release tags -> status
TAGS = {"planning": "planned", "tender": "published", "tenderUpdate": "published",
        "award": "awarded", "awardUpdate": "awarded", "contract": "contracted",
        "contractUpdate": "contracted", "implementation": "contracted",
        "tenderCancellation": "cancelled"}


def statuses_of(release: dict[str, Any]) -> set[str]:
    """The statuses one release shows (see the module's text)."""
    tags = release.get("tag") or []
    out = {TAGS[t] for t in tags if isinstance(t, str) and t in TAGS}
    awards = [a for a in release.get("awards") or [] if isinstance(a, dict)]
    if "awarded" in out and awards and all(a.get("status") in ocds.NOT_AWARDED
                                           for a in awards):
        out.discard("awarded")
    contracts = [c for c in release.get("contracts") or [] if isinstance(c, dict)]
    if any(c.get("dateSigned") or c.get("status") in ("active", "terminated")
           for c in contracts):
        out.add("contracted")
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    if tender.get("status") in ("cancelled", "unsuccessful"):
        out.add("cancelled")
    return out


def _text(x: Any) -> str:
    return x.strip() if isinstance(x, str) else ""


def _amount(value: Any) -> float | None:
    """A Value's amount in EUR (None: no amount, or another currency)."""
    if not isinstance(value, dict) or value.get("currency") not in ("EUR", None):
        return None
    a = value.get("amount")
    ok = isinstance(a, int | float) and not isinstance(a, bool) and 0 < a < float("inf")
    return float(a) if ok else None


def _cpv(tender: dict[str, Any]) -> str:
    """The tender's CPV code as written: its classification's, else its first item's."""
    cls = [tender.get("classification")] + [i.get("classification") for i in
                                           tender.get("items") or [] if isinstance(i, dict)]
    return next((_text(c.get("id")) for c in cls if isinstance(c, dict)
                 and _text(c.get("scheme")).upper() in ("CPV", "") and _text(c.get("id"))), "")


def _buyer(release: dict[str, Any]) -> str:
    """The buyer's name: ``buyer.name``, else the first party with the role buyer."""
    b = release.get("buyer")
    if isinstance(b, dict) and _text(b.get("name")):
        return _text(b.get("name"))
    return next((_text(p.get("name")) for p in release.get("parties") or []
                 if isinstance(p, dict) and "buyer" in (p.get("roles") or [])
                 and _text(p.get("name"))), "")


class Candidates:
    """What the releases of each ocid say of it, for matching: each field as the latest
    release (by date) that gives it, as the compiled release would; each lot's title and
    value; the earliest release date; and the first status (by date) its releases show.

    Held compactly, an ocid a list of slots (about 0.7 KB with its strings, measured): ``FIELDS``
    each as (date, value) from slot 4 on, after the first date, the status and its date,
    and the lots; buyer names and codes, which repeat, are kept once (``sys.intern``)."""

    FIELDS = ("buyer", "title", "cpv", "published", "value")

    def __init__(self) -> None:
        self.seen: dict[str, list[Any]] = {}

    def add(self, ocid: str, date: str, release: dict[str, Any], statuses: set[str]) -> None:
        tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
        c = self.seen.get(ocid)
        if c is None:
            c = self.seen[ocid] = [date, None, None, None] + [None] * (2 * len(self.FIELDS))
        c[0] = min(c[0], date)
        period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"),
                                                          dict) else {}
        got = (sys.intern(_buyer(release)),
               _text(tender.get("title")) or _text(tender.get("description")),
               sys.intern(_cpv(tender)),
               _text(tender.get("datePublished")) or _text(period.get("startDate")),
               _amount(tender.get("value")))
        for k, v in enumerate(got):
            at = 4 + 2 * k
            if v not in ("", None) and (c[at] is None or c[at] <= date):
                c[at], c[at + 1] = date, v
        for lot in tender.get("lots") or []:
            if isinstance(lot, dict) and isinstance(lot.get("id"), str | int):
                lots = c[3] = c[3] or {}
                old = lots.get(str(lot["id"]), ("", "", None))
                if old[0] <= date:
                    lots[str(lot["id"])] = (date, _text(lot.get("title")) or old[1],
                                            _amount(lot.get("value")) or old[2])
        for st in statuses:
            if c[1] is None or (date, OUTCOME_RANK[st]) < (c[2], OUTCOME_RANK[c[1]]):
                c[1], c[2] = st, date

    def table(self) -> pd.DataFrame:
        """One row per ocid (``lot`` '') and per lot of it: ocid, lot, buyer, title (a lot's
        after its tender's), cpv (as written), published (a local date, else the earliest
        release's; '' where unreadable), value_eur (NaN: none in EUR), status and
        status_date (the first status its releases show, '' for none)."""
        from effectmodel.inputs.tenderlist import read_local_dates

        rows = []
        for ocid, c in self.seen.items():
            buyer, title, cpv, published, value = c[5::2]
            base = (ocid, buyer or "", cpv or "", published or c[0], c[1] or "", c[2] or "")
            rows.append((*base, "", title or "", value))
            for lid, (_, lot_title, lot_value) in (c[3] or {}).items():
                rows.append((*base, lid, f"{title or ''} {lot_title}".strip(), lot_value))
        df = pd.DataFrame(rows, columns=["ocid", "buyer", "cpv", "published", "status",
                                         "status_date", "lot", "title", "value_eur"])
        df = df[["ocid", "lot", "buyer", "title", "cpv", "published", "value_eur", "status",
                 "status_date"]]
        df["value_eur"] = df["value_eur"].astype(float)
        for col in ("published", "status_date"):  # a date that does not read plays no part:
            # a candidate's date is evidence, not a figure
            dates = read_local_dates(df[col])
            df[col] = dates.dt.strftime("%Y-%m-%d").fillna("").astype(object)
        return df


def track(path: Path, tender_ids: list[str], ocids: dict[str, str],
          candidates: Candidates | None = None) -> tuple[pd.DataFrame, list[str], int]:
    """(statuses found: tender_id, status, date, ocid; the tenders no release matched; the
    releases read). ``ocids``: ocid -> tender_id, from the outcomes already known.
    ``candidates``: where to keep what the other ocids' releases say (``--propose``)."""
    from effectmodel.inputs.tenderlist import local_dates

    wanted = set(tender_ids)
    first: dict[tuple[str, str], tuple[str, str]] = {}  # (tender, status) -> (date, ocid)
    n = 0
    for _, r in ocds.releases(path):
        n += 1
        ocid = r.get("ocid") if isinstance(r.get("ocid"), str) else ""
        tender = r.get("tender") if isinstance(r.get("tender"), dict) else {}
        own = tender.get("id")  # a tender id is text or a number; a list or an object none
        own = str(own) if isinstance(own, str | int) and not isinstance(own, bool) else None
        tid = ocids.get(ocid) or (own if own in wanted else None)
        date = r.get("date")
        if not isinstance(date, str):
            continue
        if tid is None:
            if candidates is not None and ocid:
                candidates.add(ocid, date, r, statuses_of(r))
            continue
        for status in statuses_of(r):
            key = (tid, status)
            if key not in first or date < first[key][0]:
                first[key] = (date, ocid)
    rows = [{"tender_id": t, "status": s, "date": d, "ocid": o}
            for (t, s), (d, o) in first.items()]
    df = pd.DataFrame(rows, columns=["tender_id", "status", "date", "ocid"])
    if len(df):
        df["date"] = local_dates(df["date"], str(path), "date").dt.strftime("%Y-%m-%d")
        df = df.assign(_r=df["status"].map(OUTCOME_RANK)).sort_values(
            ["tender_id", "date", "_r"]).drop(columns="_r").reset_index(drop=True)
    matched = set(df["tender_id"])
    return df, [t for t in tender_ids if t not in matched], n
