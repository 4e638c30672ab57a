"""One design for every uncertain input of a run: independent columns for every sampler, a
Sobol design of 2^m draws only, and a Monte Carlo error that fits the design."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

import effectmodel as em
from conftest import REFERENCE
from effectmodel.model import rundesign, stats
from effectmodel.model.design import Design, sobol_replicates


def design_matrix(sampler: str, n: int) -> np.ndarray:
    """The reference run's design: one column per uncertain input, as the run draws it."""
    p = em.load_params(REFERENCE, overrides={"run.sampler": sampler}, n_draws=n)
    inputs = em.load_inputs(p)
    d = rundesign.run_design(p, inputs)
    cols = rundesign.design_columns(inputs)
    return np.column_stack([d.block(c[:-1], [c[-1]])[:, 0] for c in cols])


@pytest.mark.parametrize("sampler", ["random", "lhs", "sobol"])
def test_every_input_column_is_independent(sampler):
    """162 columns, 13,041 pairs, 16,384 draws. Under independence each correlation is about
    N(0, 1/n); the largest of K pairs stays below z_K / sqrt(n), z_K = Phi^-1(1 - 0.01/(2K))
    (4.9: all pairs at once, 1% false alarm). The review's pairs (quantity with emission
    factor and with reduction fraction of one tender, 0.80 and -0.75 before) stay below
    4 / sqrt(n) each."""
    n = 16384
    u = design_matrix(sampler, n)
    k = u.shape[1] * (u.shape[1] - 1) // 2
    c = np.corrcoef(u.T)
    np.fill_diagonal(c, 0)
    z = norm.ppf(1 - 0.01 / (2 * k))
    assert np.abs(c).max() <= z / np.sqrt(n), (np.abs(c).max(), z / np.sqrt(n))
    inputs = em.load_inputs(em.load_params(REFERENCE))
    cols = rundesign.design_columns(inputs)
    at = {col: j for j, col in enumerate(cols)}
    q, ef, rf = (at[("buyer_groups", v, "T-keuken-1")]
                 for v in ("quantity", "emission_factor", "reduction_fraction"))
    hf = at[("household_factor", "buyer_groups_2020")]
    for a, b in ((q, ef), (q, rf), (q, hf)):
        assert abs(c[a, b]) <= 4 / np.sqrt(n), (cols[a], cols[b], c[a, b])
    # every column is uniform on [0, 1): its mean within 4 standard errors of 1/2
    assert np.abs(u.mean(axis=0) - 0.5).max() <= 4 * np.sqrt(1 / 12 / n)


def test_sobol_needs_a_power_of_two():
    with pytest.raises(em.InputError, match=r"run.n_draws: 10000 with run.sampler: sobol "
                                            r"\(allowed: a power of 2, such as 8192 or 16384\)"):
        em.load_params(REFERENCE, overrides={"run.sampler": "sobol"})


def _response(u: np.ndarray) -> np.ndarray:
    """A skewed response of five inputs with an interaction, like the model's products."""
    x = norm.ppf(u)
    return (np.exp(0.5 * x[:, 0] + 0.3 * x[:, 1]) * (1 + u[:, 2]) + u[:, 3] * u[:, 4]
            + 0.2 * x[:, 2] ** 2)


@pytest.mark.slow
@pytest.mark.parametrize("sampler", ["random", "lhs", "sobol"])
def test_the_monte_carlo_error_fits_the_design(sampler):
    """200 runs of 1,024 draws with other seeds: the standard error a run reports (batch
    means over its independent replicates for LHS and Sobol, over 20 batches for random
    draws) is within x0.7-1.4 of the true spread of the estimate, for the mean and the 5%
    and 95% quantiles. (One design with batch means gave x3.45 for LHS and x5.46 for
    Sobol on the mean.)"""
    n, batches, runs = 1024, 20, 200
    cols = [("x", j) for j in range(5)]
    reps = {"random": 1, "lhs": batches,
            "sobol": sobol_replicates(n, batches, len(cols))}[sampler]
    b = batches if sampler == "random" else reps
    figures = {"mean": np.mean, "q05": lambda a: np.quantile(a, 0.05),
               "q95": lambda a: np.quantile(a, 0.95)}
    est = {k: [] for k in figures}
    reported = {k: [] for k in figures}
    for seed in range(runs):
        y = _response(Design(seed, 0, n, sampler, cols, reps).block(("x",), range(5)))
        for k, f in figures.items():
            est[k].append(f(y))
            reported[k].append(stats.batch_se(y, f, b))
    ratio = {k: float(np.mean(reported[k]) / np.std(est[k], ddof=1)) for k in figures}
    assert all(0.7 <= r <= 1.4 for r in ratio.values()), ratio


@pytest.mark.slow
def test_dependence_where_the_physics_has_it():
    """Declared dependence, against answers known analytically (n = 20,000 draws; each
    tolerance 4 standard errors):
    - a Gaussian copula with rho between a comparison's baseline and MVI factor gives
      Spearman's rank correlation (6 / pi) asin(rho / 2);
    - a frame-total bias common to all strata with share s gives corr(log m1, log m2) = s;
    - risk drawn per buyer group gives the tenders of one group the same point: their
      additionality draws are comonotone (rank correlation 1)."""
    from scipy.stats import spearmanr

    n, rho, share = 20_000, 0.8, 0.5
    p = em.load_params(REFERENCE, n_draws=n, overrides={
        "monitor.factor_rank_correlation": rho, "monitor.frame_total_correlation": share,
        "buyer_groups.risk_shared_by": "group", "monitor.bootstrap": "none"})
    inputs = em.load_inputs(p)
    ds = em.evaluate(p, inputs)
    want = 6 / np.pi * np.arcsin(rho / 2)
    got = spearmanr(ds["mon_in_baseline_ef"][:, 0], ds["mon_in_mvi_ef"][:, 0])[0]
    assert abs(got - want) < 4 * (1 - want**2) / np.sqrt(n), (got, want)
    logm = np.log(ds["pg_in_frame_multiplier"].values)
    r = np.corrcoef(logm[:, 0], logm[:, 1])[0, 1]
    assert abs(r - share) < 4 * (1 - share**2) / np.sqrt(n), r
    tenders = inputs["buyer_group_tenders"]["buyer_group"].to_numpy()
    group = next(g for g in tenders if (tenders == g).sum() >= 2)
    a, b = np.flatnonzero(tenders == group)[:2]
    add = ds["bg_in_additionality"].values
    assert spearmanr(add[:, a], add[:, b])[0] == pytest.approx(1.0, abs=1e-12)
    # and without the options, with each tender's own chances: independent (the shared rates
    # of risk_evidence: counts couple the tenders on purpose: tests/model/test_evidence.py)
    q = em.load_params(REFERENCE, n_draws=n, overrides={"monitor.bootstrap": "none",
                                                        "buyer_groups.risk_evidence": "table"})
    d0 = em.evaluate(q, em.load_inputs(q))
    assert abs(spearmanr(d0["bg_in_additionality"][:, a], d0["bg_in_additionality"][:, b])[0]
               ) < 4 / np.sqrt(n)


@pytest.mark.slow
def test_a_factor_shared_by_tenders_is_drawn_once(tmp_path):
    """T-keuken-1 and -2 name one emission factor (emission_factor_id): their draws are the
    same numbers; a tender of its own keeps its own draws; tenders that share an id but
    disagree on the factor are bad input (exit 2 in the command line)."""
    p = em.load_params(REFERENCE, n_draws=500)
    i = em.load_inputs(p)
    ef = em.evaluate(p, i)["bg_in_emission_factor"]
    np.testing.assert_array_equal(ef.sel(tender="T-keuken-1").values,
                                  ef.sel(tender="T-keuken-2").values)
    np.testing.assert_array_equal(ef.sel(tender="T-wegen-1").values,
                                  ef.sel(tender="T-wegen-2").values)
    assert not np.array_equal(ef.sel(tender="T-borden-1").values / 0.12,
                              ef.sel(tender="T-borden-2").values / 0.2)


def test_a_shared_factor_must_be_one_factor(tmp_path, capsys):
    import shutil

    from effectmodel.cli import main

    root = tmp_path / "p"
    for d in ("params", "data"):
        shutil.copytree(REFERENCE.parents[1] / d, root / d)
    path = root / "data" / "buyer_group_tenders.csv"
    lines = path.read_text().splitlines()
    k = next(j for j, line in enumerate(lines) if line.startswith("T-keuken-2,"))
    lines[k] = lines[k].replace(",pert,1.28,1.6,2,", ",pert,1.28,1.7,2,", 1)
    path.write_text("\n".join(lines) + "\n")
    assert main(["validate", str(root / "params" / "reference.yaml")]) == 2
    err = capsys.readouterr().err
    assert ("data/buyer_group_tenders.csv: emission_factor_id[line 3]: 'ef-inbouwkeuken' is "
            "shared with line 2, whose emission factor differs") in err


@pytest.mark.slow
def test_sobol_errors_rest_on_eight_replicates_and_cover():
    """In 64 dimensions 1,024 Sobol draws used to give 2 replicates (one degree of freedom:
    a +-2 SE interval covered about 70% of runs). Now 8: over 300 runs the interval
    +-t(0.975; 7) SE around the estimate covers the true mean in 0.90-0.99 of them, and a
    run with fewer batches widens its errors to Student's t."""
    from scipy.stats import t as student_t

    n, batches, dims = 1024, 20, 64
    reps = sobol_replicates(n, batches, dims)
    assert reps == 8
    cols = [("x", j) for j in range(dims)]
    truth = float(np.mean(_response(Design(10**6, 0, 2**18, "random", cols[:5], 1)
                                    .block(("x",), range(5)))))
    half = student_t.ppf(0.975, reps - 1)
    hits = 0
    for seed in range(300):
        y = _response(Design(seed, 0, n, "sobol", cols, reps).block(("x",), range(5)))
        hits += abs(np.mean(y) - truth) <= half * stats.batch_se(y, np.mean, reps)
    assert 0.90 <= hits / 300 <= 0.99, hits / 300
    y = np.random.default_rng(1).random(400)
    few, many = stats.describe(y, 0.9, 4), stats.describe(y, 0.9, 8)
    assert few["mc_errors"]["mean"] == pytest.approx(
        stats.batch_se(y, np.mean, 4) * student_t.ppf(0.975, 3) / 1.959963984540054, rel=1e-9)
    assert many["mc_errors"]["mean"] == pytest.approx(stats.batch_se(y, np.mean, 8), rel=1e-9)
