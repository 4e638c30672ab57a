"""The ``track`` command: the statuses OCDS releases give a project's buyer-group tenders,
written as the outcome table a researcher completes (:mod:`effectmodel.inputs.tracking`
reads the releases; the model learns from the completed table,
:mod:`effectmodel.model.tracking`); with ``--propose``, the releases that may be the tenders
no ocid or tender id matched, scored (:mod:`effectmodel.model.matching`) and written as
proposals, which nothing reads until a researcher copies one into the outcome table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from effectmodel.domain.errors import InputError, Problem
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.paramsfile import load_params
from effectmodel.inputs.tracking import Candidates, track
from effectmodel.model import matching
from effectmodel.pipeline.framing import new_folder, refuse_unless_empty, write_csv


def make_tracking(releases: Path, params_path: Path, out: Path,
                  threshold: float | None = None) -> dict[str, Any]:
    """Write the statuses OCDS ``releases`` give the buyer-group tenders of ``params_path``
    into ``out`` (a new or empty folder): ``buyer_group_outcomes.csv`` (the outcome format;
    scores and realised quantities left to fill in) and ``unmatched.csv`` (the tenders no
    release matched). With a ``threshold`` (``--propose``), also ``proposals.csv``
    (:func:`proposals`). Returns counts for the command's report."""
    refuse_unless_empty(out)
    if threshold is not None and not 0 <= threshold <= 1:
        raise InputError([Problem("--threshold", "(option)", f"{threshold:g} (allowed: a "
                                  "score from 0 to 1)")])
    params = load_params(params_path)
    if params.buyer_groups is None:
        raise InputError([Problem(str(params_path), "buyer_groups", "missing (allowed: a "
                                  "params file with the buyer groups, whose tenders to track)")])
    inputs = load_inputs(params)
    ids = list(inputs["buyer_group_tenders"]["tender_id"])
    known = inputs["buyer_group_outcomes"] if "buyer_group_outcomes" in inputs.tables else None
    ocids = {} if known is None else {o: t for o, t in zip(known["ocid"], known["tender_id"],
                                                           strict=True) if o}
    cands = Candidates() if threshold is not None else None
    found, unmatched, n = track(Path(releases), ids, ocids, cands)
    table = None
    if cands is not None:
        taken = set(found["ocid"]) | set(ocids)
        units = cands.table()
        tenders = inputs["buyer_group_tenders"]
        table = proposals(tenders[tenders["tender_id"].isin(unmatched)],
                          units[~units["ocid"].isin(taken)].reset_index(drop=True),
                          threshold, Path(releases).name)
    out = new_folder(out)
    source = (f"assumption: status read from the OCDS release tags of {Path(releases).name} "
              "by effectmodel track (replace with the package's address)")
    write_csv(found.assign(quantity="", in_contract="", beyond_market_standard="",
                           source=source)[
        ["tender_id", "status", "date", "ocid", "quantity", "in_contract",
         "beyond_market_standard", "source"]], out / "buyer_group_outcomes.csv")
    write_csv(pd.DataFrame({"tender_id": unmatched}), out / "unmatched.csv")
    if table is not None:
        write_csv(table, out / "proposals.csv")
    return {"releases": n, "rows": len(found), "matched": len(ids) - len(unmatched),
            "tenders": len(ids), "unmatched": unmatched,
            "to_score": list(found.loc[found["status"] == "contracted", "tender_id"]),
            "proposed": None if table is None else int((table["proposed"] == "yes").sum())}


#: how proposals.csv names each kind of evidence (:data:`~effectmodel.model.matching.EVIDENCE`)
EVIDENCE_COLUMNS = {"title": "title_similarity", "words": "words_shared",
                    "numbers": "numbers_shared", "conflict": "number_conflict",
                    "buyer": "buyer_similarity", "buyer_words": "buyer_words_shared",
                    "cpv": "cpv_similarity", "days": "days_apart", "value": "value_factor"}
#: the columns of proposals.csv: first those of an outcome row, to copy
PROPOSAL_COLUMNS = ["tender_id", "status", "date", "ocid", "source", "proposed", "rank",
                    "score", "lot", "buyer", "title", "cpv", "published", "value_eur",
                    *EVIDENCE_COLUMNS.values()]


def _evidence_text(kind: str, x: float) -> str:
    """A kind of evidence as proposals.csv writes it: '' where a side lacks it; days apart
    whole; a conflict yes or no; the value as the factor between the two (1.000: equal);
    shares to 3 decimals."""
    if pd.isna(x):
        return ""
    if kind == "days":
        return f"{x:.0f}"
    if kind == "conflict":
        return "yes" if x else "no"
    return f"{np.exp(x) if kind == 'value' else x:.3f}"


def proposals(tenders: pd.DataFrame, units: pd.DataFrame, threshold: float, name: str
              ) -> pd.DataFrame:
    """Up to three candidates per tender (``units``: :meth:`Candidates.table`), best first:
    the outcome row each would give (tender_id, the first status its releases show and its
    date, ocid, a source to complete), whether it is proposed (``yes``: given out one to one
    and scoring at least ``threshold``), its rank and score, what the release says, and the
    evidence (:data:`EVIDENCE_COLUMNS`)."""
    t = tenders.reset_index(drop=True)  # its text columns read '' where empty, never None
    pairs = matching.assign(matching.score(t, units), units["ocid"] + "\x00" + units["lot"],
                            threshold)
    rows = []
    for r in pairs.to_dict("records"):
        u = units.iloc[r["candidate"]]
        rows.append({
            "tender_id": t["tender_id"].iat[r["tender"]], "status": u["status"],
            "date": u["status_date"], "ocid": u["ocid"],
            "source": f"assumption: proposed by effectmodel track --propose from {name} "
                      f"(score {r['score']:.3f}); checked by: (your name and what you checked)",
            "proposed": "yes" if r["proposed"] else "no", "rank": r["rank"],
            "score": f"{r['score']:.3f}", "lot": u["lot"], "buyer": u["buyer"],
            "title": u["title"], "cpv": u["cpv"], "published": u["published"],
            "value_eur": "" if pd.isna(u["value_eur"]) else f"{u['value_eur']:.2f}",
            **{col: _evidence_text(k, r[k]) for k, col in EVIDENCE_COLUMNS.items()}})
    return pd.DataFrame(rows, columns=PROPOSAL_COLUMNS)
