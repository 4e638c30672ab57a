"""The statuses of buyer-group tenders read from OCDS releases, streamed (:mod:`.ocds`): a
release tagged ``planning`` makes a tender planned, ``tender`` published, ``award`` (with
an award not pending, cancelled or unsuccessful) awarded, ``contract`` (or a signed
contract) contracted, and ``tenderCancellation`` (or a tender status cancelled or
unsuccessful) cancelled; each status at the earliest date a release gives it, the date in
Europe/Amsterdam. A release belongs to a buyer-group tender by its ocid (the ocid the
tender's outcomes name) or by its tender id (the buyer group's own tender_id).
"""

from __future__ import annotations

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


def track(path: Path, tender_ids: list[str], ocids: dict[str, str]
          ) -> tuple[pd.DataFrame, list[str], int]:
    """(statuses found: tender_id, status, date, ocid; the tenders no release matched; the
    releases read). ``ocids``: ocid -> tender_id, from the outcomes already known."""
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
        if tid is None or not isinstance(date, str):
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
