"""The monitor's setup from validated inputs: strata and sub-strata, the sampled tenders and
their criteria as arrays, each criterion's class and whether it counts, the setup of another
indicator, and the strata whose sample counts no effect (docs/model.md, section 2). No I/O."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from effectmodel.domain.columns import CRITERION_CLASSES
from effectmodel.domain.keys import factor_key, factor_keys, match_rows
from effectmodel.model.monitor import equations

if TYPE_CHECKING:  # a type only: the model never reads files
    from effectmodel.domain.inputdata import Inputs


def strata(inputs: Inputs) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """The monitor's strata (period x product group) of the periods estimated.

    Returns
    -------
    frames : frame totals in stratum order (period order of the data, then product-group
        order); ``sampled`` : the sampled tenders sorted by stratum, then sub-stratum (in
        order of first appearance; stable); ``starts`` : index of each stratum's first tender.
    """
    periods = list(inputs.periods)
    pg_order = {g: i for i, g in enumerate(inputs["product_groups"]["id"])}
    frames = inputs["frame_totals"]
    frames = frames[frames["period"].isin(periods)].copy()
    frames["_p"] = frames["period"].map(periods.index)
    frames["_g"] = frames["product_group"].map(pg_order)
    frames = frames.sort_values(["_p", "_g"], kind="stable").reset_index(drop=True)
    code = {(p, g): i for i, (p, g) in enumerate(zip(frames["period"], frames["product_group"],
                                                      strict=True))}
    sampled = inputs["sampled_tenders"]
    sampled = sampled[sampled["period"].isin(periods)].copy()
    sampled["_s"] = [code[(p, g)] for p, g in zip(sampled["period"], sampled["product_group"],
                                                  strict=True)]
    sub = sampled["sub_stratum"].fillna("")
    sampled["_h"] = pd.factorize(sub)[0]
    sampled = sampled.sort_values(["_s", "_h"], kind="stable").reset_index(drop=True)
    starts = np.searchsorted(sampled["_s"].to_numpy(), np.arange(len(frames)))
    return frames.drop(columns=["_p", "_g"]), sampled.drop(columns=["_h"]), starts


#: a test's outcome as a number: passed 1, failed 0, unclear -1
OUTCOME = {"yes": 1, "no": 0, "unclear": -1}


@dataclass(frozen=True)
class MonitorSetup:
    """What the monitor's computation needs from the inputs, derived once per run (or sweep):
    strata and sub-strata, the sampled tenders and their criteria as arrays, and each
    period's household factor id. Criteria are sorted by tender (so by stratum)."""

    frames: pd.DataFrame
    sampled: pd.DataFrame
    factors: pd.DataFrame
    #: the run's criteria table, all of it in another indicator's setup too (its rows are
    #: ``crit_index``: :meth:`kept_criteria`), so that a setup per indicator copies no table
    criteria: pd.DataFrame
    starts: np.ndarray            # first tender of each stratum
    value: np.ndarray             # (tender,) [EUR]
    weight: np.ndarray            # (tender,) the data's weight over the inclusion probability
    segment_of: np.ndarray        # (tender,) sub-stratum of each tender
    segment_starts: np.ndarray    # first tender of each sub-stratum
    segment_n: np.ndarray         # (sub-stratum,) sampled tenders n_h
    segment_frame: np.ndarray     # (sub-stratum,) frame count N_h; NaN unknown
    crit_tender: np.ndarray       # (criterion,) its tender's index
    crit_factor: np.ndarray       # (criterion,) its translation factor's column
    crit_quantity: np.ndarray     # (criterion,) [unit]; 0 where no factor
    crit_years: np.ndarray        # (criterion,) [year]; NaN unknown
    crit_contract: np.ndarray     # (criterion,) 1 yes, 0 no, -1 unclear
    crit_beyond: np.ndarray       # (criterion,) 1 yes, 0 no, -1 unclear
    crit_ids: list[str]           # "period/tender/criterion"
    crit_starts: np.ndarray       # first criterion of each stratum
    frame_total: np.ndarray       # (stratum,) [EUR]
    stratum_ids: list[str]
    periods: list[str]
    period_starts: np.ndarray
    household_factor_ids: list[str]
    #: another indicator's setup keeps only the criteria its factors reach: their index into
    #: the run's criteria (None: all)
    crit_index: np.ndarray | None = None
    #: the design bootstrap's resampling units (sub-strata, one-tender ones merged with a
    #: neighbour: :func:`~.equations.design_units`): first tender, tenders, frame count
    unit_starts: np.ndarray | None = None
    unit_n: np.ndarray | None = None
    unit_frame: np.ndarray | None = None

    def kept_criteria(self) -> pd.DataFrame:
        """The rows of the setup's ``criteria`` it computes with (all, or those of
        :attr:`MonitorSetup.crit_index`), in its order."""
        if self.crit_index is None:
            return self.criteria
        return self.criteria.iloc[self.crit_index].reset_index(drop=True)

    def unit_alpha(self, fpc: bool, inflation: np.ndarray | None = None) -> np.ndarray:
        """(tender,) the Dirichlet concentration of each tender's unit [-]
        (:func:`~.equations.dirichlet_concentration`; ``inflation`` (unit,): the jackknife's
        over the linearisation, :func:`~.equations.jackknife_inflation`)."""
        alpha = equations.dirichlet_concentration(self.unit_n, self.unit_frame, fpc, inflation)
        return np.repeat(alpha, self.unit_n.astype(int))

    @property
    def annual(self) -> bool:
        """Every criterion that may count has its years: per-year figures can be given."""
        may = (self.crit_contract != 0) & (self.crit_beyond != 0)
        return bool(np.all(np.isfinite(self.crit_years[may])))


def indicator_factors(inputs: Inputs, indicator: str = "co2_eq") -> pd.DataFrame:
    """The translation factors of one indicator, in table order, each with its ``key``
    (:func:`~effectmodel.domain.keys.factor_key`: the factor's name in the draws)."""
    tf = inputs["translation_factors"]
    out = tf[tf["indicator"] == indicator].reset_index(drop=True)
    return out.assign(key=factor_keys(out))


def factor_rows(factors: pd.DataFrame, factor_id: np.ndarray, period: np.ndarray
                ) -> np.ndarray:
    """For each criterion (its ``factor_id`` and ``period``), the row of ``factors`` it uses:
    the row of its factor for its period, else the row for every period; -1 where there is
    none (the criterion adds nothing to this indicator)."""
    own = {k: i for i, k in enumerate(factors["key"])}
    return np.array([own.get(factor_key(f, q), own.get(f, -1)) if f else -1
                     for f, q in zip(factor_id, period, strict=True)], dtype=int)


def for_indicator(m: MonitorSetup, inputs: Inputs, indicator: str) -> MonitorSetup:
    """The setup of another indicator: its translation factors, and only the criteria whose
    factor has a row for it (the others add nothing to it), each with that row."""
    factors = indicator_factors(inputs, indicator)
    crit = m.kept_criteria()
    fid = crit["factor_id"].fillna("").to_numpy(object)
    row = factor_rows(factors, fid, crit["period"].to_numpy(object))
    keep = np.flatnonzero(row >= 0)
    stratum = np.searchsorted(m.crit_starts, np.arange(len(fid)), side="right") - 1
    index = keep if m.crit_index is None else m.crit_index[keep]
    return replace(
        m, factors=factors,
        crit_tender=m.crit_tender[keep], crit_quantity=m.crit_quantity[keep],
        crit_factor=row[keep],
        crit_years=m.crit_years[keep], crit_contract=m.crit_contract[keep],
        crit_beyond=m.crit_beyond[keep], crit_ids=[m.crit_ids[k] for k in keep],
        crit_starts=np.searchsorted(stratum[keep], np.arange(len(m.frame_total))),
        crit_index=index)


#: the setup of the inputs last asked for, kept while those inputs live
_LAST: dict[str, tuple[weakref.ref, MonitorSetup]] = {}


def monitor_setup(inputs: Inputs) -> MonitorSetup:
    """Derive :class:`MonitorSetup` from validated inputs (CO2-eq; other indicators:
    :func:`for_indicator`), once per inputs object.

    A run asks for it in its evaluation, its variance budget and its summary; a setup of
    10^6 sampled tenders and 1.2 x 10^6 criteria holds 245 MB (measured), so the setup of
    the inputs last asked for is kept (with its arrays read-only) while those inputs live,
    and given again. Inputs are not changed after validation; new inputs (another object)
    get a setup of their own.
    """
    hit = _LAST.get("setup")
    if hit is not None and hit[0]() is inputs:
        return hit[1]
    _LAST.clear()  # the old setup goes before the new one is built
    m = _read_only(_build_setup(inputs))
    _LAST["setup"] = (weakref.ref(inputs, _forget), m)
    return m


def _forget(ref: weakref.ref) -> None:
    """Drop the kept setup when its inputs die (not a newer one)."""
    hit = _LAST.get("setup")
    if hit is not None and hit[0] is ref:
        _LAST.clear()


def _read_only(m: MonitorSetup) -> MonitorSetup:
    """``m`` with its arrays marked read-only (it is shared by whoever asks next)."""
    for f in fields(m):
        a = getattr(m, f.name)
        if isinstance(a, np.ndarray):
            a.flags.writeable = False
    return m


def _build_setup(inputs: Inputs) -> MonitorSetup:
    """The setup of ``inputs`` (:func:`monitor_setup`), built anew."""
    frames, sampled, starts = strata(inputs)
    factors = indicator_factors(inputs)
    periods = list(inputs.periods)
    # sub-strata: contiguous runs of (stratum, sub_stratum) in the sorted sample
    sub = sampled["sub_stratum"].fillna("").to_numpy(object)
    s_code = sampled["_s"].to_numpy()
    new = np.ones(len(sampled), dtype=bool)
    new[1:] = (s_code[1:] != s_code[:-1]) | (sub[1:] != sub[:-1])
    seg_starts = np.flatnonzero(new)
    seg_of = np.cumsum(new) - 1
    seg_n = np.diff(np.append(seg_starts, len(sampled))).astype(float)
    ss = inputs["sub_strata"]
    count = {(q, g, h): float(n) for q, g, h, n in zip(
        ss["period"], ss["product_group"], ss["sub_stratum"], ss["frame_count"], strict=True)}
    per, grp = sampled["period"].to_numpy(object), sampled["product_group"].to_numpy(object)
    seg_frame = np.array([count.get((per[a], grp[a], sub[a]), np.nan) for a in seg_starts])
    weight = equations.inclusion_weights(sampled["weight"].to_numpy(float), seg_n[seg_of],
                                       seg_frame[seg_of])
    # criteria, in the order of their tenders
    crit = inputs["criteria"]
    tender = match_rows([sampled["period"].to_numpy(object),
                         sampled["tender_id"].to_numpy(object)],
                        [crit["period"].to_numpy(object), crit["tender_id"].to_numpy(object)])
    crit = crit[tender >= 0].assign(_t=tender[tender >= 0])
    crit = crit.sort_values("_t", kind="stable").reset_index(drop=True)
    ct = crit["_t"].to_numpy(int)
    row = factor_rows(factors, crit["factor_id"].fillna("").to_numpy(object),
                      crit["period"].to_numpy(object))
    has_factor = row >= 0
    cf = np.maximum(row, 0)
    cq = np.where(has_factor, crit["quantity"].fillna(0.0).to_numpy(float), 0.0)
    c_stratum = s_code[ct] if len(ct) else np.zeros(0, dtype=int)
    mp = inputs["monitor_periods"].set_index("period")
    units = equations.design_units(s_code[seg_starts], seg_starts, seg_n, seg_frame)
    return MonitorSetup(
        frames=frames, sampled=sampled, factors=factors, criteria=crit.drop(columns="_t"),
        starts=starts, value=sampled["value_eur"].to_numpy(float), weight=weight,
        segment_of=seg_of, segment_starts=seg_starts, segment_n=seg_n,
        segment_frame=seg_frame, crit_tender=ct, crit_factor=cf, crit_quantity=cq,
        crit_years=crit["years"].to_numpy(float),
        crit_contract=crit["in_contract"].map(OUTCOME).to_numpy(int),
        crit_beyond=crit["beyond_market_standard"].map(OUTCOME).to_numpy(int),
        crit_ids=[f"{p}/{t}/{c}" for p, t, c in zip(crit["period"], crit["tender_id"],
                                                     crit["criterion_id"], strict=True)],
        crit_starts=np.searchsorted(c_stratum, np.arange(len(frames))),
        frame_total=frames["frame_total_eur"].to_numpy(float),
        stratum_ids=[f"{p}/{g}" for p, g in zip(frames["period"], frames["product_group"],
                                                 strict=True)],
        periods=periods,
        period_starts=np.searchsorted(frames["period"].map(periods.index).to_numpy(),
                                      np.arange(len(periods))),
        household_factor_ids=[mp.loc[p, "household_factor"] for p in periods],
        unit_starts=units[0], unit_n=units[1], unit_frame=units[2])


def criterion_counts(m: MonitorSetup, opts, u_contract=None, u_beyond=None) -> np.ndarray:
    """Whether each criterion counts [-]: in the contract and beyond market standard.

    An unclear test follows the monitor's reading (``MonitorOptions.unclear``, set by the
    project's ``unclear``): ``none`` fails it (RIVM), ``all`` passes it,
    ``expected`` counts the criterion by its probability (a fraction), ``drawn`` passes it
    where the point ``u`` lies below that probability.

    Parameters
    ----------
    u_contract, u_beyond : (..., criterion) points in [0, 1) (``drawn`` only)

    Returns
    -------
    (criterion,) or, drawn, (..., criterion) [-]
    """
    def test(outcome, p, u):
        sure = (outcome == 1).astype(float)
        if opts.unclear == "none":
            return sure
        unclear = outcome == -1
        if opts.unclear == "all":
            return sure + unclear
        if opts.unclear == "expected" or u is None:
            return sure + p * unclear
        return np.where(unclear, (u < p).astype(float), sure)

    return (test(m.crit_contract, opts.unclear_contract_probability, u_contract)
            * test(m.crit_beyond, opts.unclear_beyond_probability, u_beyond))


def zero_strata(m: MonitorSetup, counts) -> np.ndarray:
    """Strata none of whose criteria counts with a quantity in any draw (bool, (stratum,))."""
    can = (np.asarray(counts).reshape(-1, len(m.crit_ids)).max(axis=0, initial=0) > 0) \
        & (m.crit_quantity > 0) if len(m.crit_ids) else np.zeros(0, dtype=bool)
    return equations.segment_sums(can.astype(float), m.crit_starts, len(m.frame_total)) == 0


def zero_stratum_intensity(m: MonitorSetup, counts, per_year: bool = False) -> np.ndarray:
    """Per stratum, the effect per euro of the tenders with a counted effect in the same
    product group over the periods estimated, at modal factors and inclusion weights
    [t CO2-eq per EUR] (``per_year``: [t CO2-eq per EUR per year]); 0 where the product group
    has none."""
    f = m.factors
    saving = f["baseline_ef_mode"].to_numpy(float) - f["mvi_ef_mode"].to_numpy(float)
    counts = np.asarray(counts, dtype=float)
    if m.crit_index is not None and counts.ndim:  # another indicator: its criteria only
        counts = counts[..., m.crit_index]
    c = counts.reshape(-1, len(m.crit_ids)).mean(axis=0) if len(m.crit_ids) else np.zeros(0)
    effect = c * m.crit_quantity * saving[m.crit_factor] if len(c) else c
    if per_year and len(c):
        effect = np.where(effect > 0, effect, 0.0) * np.where(np.isfinite(m.crit_years),
                                                             1 / m.crit_years, 0.0)
    tender_effect = np.bincount(m.crit_tender, weights=effect, minlength=len(m.value))
    with_effect = tender_effect > 0
    group = m.sampled["product_group"].to_numpy(object)
    out = {}
    for g in np.unique(group):
        sel = (group == g) & with_effect
        den = float(np.sum(m.weight[sel] * m.value[sel]))
        out[g] = float(np.sum(m.weight[sel] * tender_effect[sel])) / den if den > 0 else 0.0
    return np.array([out.get(g, 0.0) for g in m.frames["product_group"]])


CLASSES = CRITERION_CLASSES


def classify(m: MonitorSetup) -> np.ndarray:
    """Each criterion's class, an index into :data:`CLASSES`: not beyond market standard
    first, then not in the contract, then unclear; counted when both tests pass."""
    c, b = m.crit_contract, m.crit_beyond
    return np.select([b == 0, c == 0, (b == -1) | (c == -1)], [1, 2, 3], default=0)

