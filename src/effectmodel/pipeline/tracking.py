"""The ``track`` command: the statuses OCDS releases give a project's buyer-group tenders,
written as the outcome table a researcher completes (:mod:`effectmodel.inputs.tracking`
reads the releases; the model learns from the completed table,
:mod:`effectmodel.model.tracking`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from effectmodel.domain.errors import InputError, Problem
from effectmodel.inputs.data import load_inputs
from effectmodel.inputs.paramsfile import load_params
from effectmodel.inputs.tracking import track
from effectmodel.pipeline.framing import new_folder, refuse_unless_empty, write_csv


def make_tracking(releases: Path, params_path: Path, out: Path) -> dict[str, Any]:
    """Write the statuses OCDS ``releases`` give the buyer-group tenders of ``params_path``
    into ``out`` (a new or empty folder): ``buyer_group_outcomes.csv`` (the outcome format;
    scores and realised quantities left to fill in) and ``unmatched.csv`` (the tenders no
    release matched). Returns counts for the command's report."""
    refuse_unless_empty(out)
    params = load_params(params_path)
    if params.buyer_groups is None:
        raise InputError([Problem(str(params_path), "buyer_groups", "missing (allowed: a "
                                  "params file with the buyer groups, whose tenders to track)")])
    inputs = load_inputs(params)
    ids = list(inputs["buyer_group_tenders"]["tender_id"])
    known = inputs["buyer_group_outcomes"] if "buyer_group_outcomes" in inputs.tables else None
    ocids = {} if known is None else {o: t for o, t in zip(known["ocid"], known["tender_id"],
                                                           strict=True) if o}
    found, unmatched, n = track(Path(releases), ids, ocids)
    out = new_folder(out)
    source = (f"assumption: status read from the OCDS release tags of {Path(releases).name} "
              "by effectmodel track (replace with the package's address)")
    write_csv(found.assign(quantity="", in_contract="", beyond_market_standard="",
                           source=source)[
        ["tender_id", "status", "date", "ocid", "quantity", "in_contract",
         "beyond_market_standard", "source"]], out / "buyer_group_outcomes.csv")
    write_csv(pd.DataFrame({"tender_id": unmatched}), out / "unmatched.csv")
    return {"releases": n, "rows": len(found), "matched": len(ids) - len(unmatched),
            "tenders": len(ids), "unmatched": unmatched,
            "to_score": list(found.loc[found["status"] == "contracted", "tender_id"])}
