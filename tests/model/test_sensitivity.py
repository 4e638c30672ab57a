"""Sensitivity: rank correlations, and SALib's Sobol path on the Ishigami function."""

from __future__ import annotations

import numpy as np
import pytest

from effectmodel.model.sensitivity import rank_correlations, sobol_indices

# Ishigami (a = 7, b = 0.1): analytic indices (Ishigami and Homma 1990; SALib's test values)
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def test_sobol_recovers_ishigami_within_confidence_intervals():
    from SALib.sample import sobol as sobol_sample
    from SALib.test_functions import Ishigami

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"],
               "bounds": [[-np.pi, np.pi]] * 3}
    x = sobol_sample.sample(problem, 2**12, calc_second_order=False, seed=3)
    df = sobol_indices(problem, Ishigami.evaluate(x), seed=3)
    for i in range(3):
        r = df.iloc[i]
        assert abs(r["S1"] - ISHIGAMI_S1[i]) <= r["S1_conf"], (i, r["S1"], r["S1_conf"])
        assert abs(r["ST"] - ISHIGAMI_ST[i]) <= r["ST_conf"], (i, r["ST"], r["ST_conf"])
    # x3 has no first-order effect: its S1 interval includes zero and is flagged
    assert "S1" in df.iloc[2]["warning"]
    assert df.iloc[0]["warning"] == "" and df.iloc[1]["warning"] == ""


def test_rank_correlations_order_and_sign():
    rng = np.random.default_rng(1)
    a, b, c = rng.random((3, 5000))
    y = 3 * a - b + 0 * c
    df = rank_correlations({"a": a, "b": b, "c": c, "const": np.ones(5000)}, y)
    assert list(df["input"]) == ["a", "b", "c"]
    assert df.iloc[0]["rho"] > 0.9 and df.iloc[1]["rho"] < -0.2
    assert abs(df.iloc[2]["rho"]) < 4 / np.sqrt(5000)
    # Spearman = Pearson on ranks: agrees with scipy
    from scipy.stats import spearmanr

    assert df.iloc[1]["rho"] == pytest.approx(spearmanr(b, y).statistic, rel=1e-12)


def test_flags_judge_indices_against_the_noise_floor():
    """Hand-made indices. The floor is the larger of the dummy's index plus interval
    (S1 0.01 + 0.01, ST 0.05 + 0.02) and the median half-width of the parameters that reach
    the output (a, b, c, e, f: S1 0.05, ST 0.05): S1 0.05, ST 0.07 (the ST floor says its
    basis). Each flag fires where its
    interval excludes the opposite, and nowhere else: e's S1 above its ST only within
    their intervals is no flag. Wide intervals bring advice: N (w / 0.1)^2 to a power of
    2."""
    import pandas as pd

    from effectmodel.model.sensitivity import flag_indices

    df = pd.DataFrame([("a", 0.6, 0.05, 1.2, 0.1, ""), ("b", -0.3, 0.1, 0.4, 0.05, ""),
                       ("c", 0.01, 0.02, 0.06, 0.02, ""), ("d", 0.0, 0.0, 0.0, 0.0, ""),
                       ("e", 0.5, 0.05, 0.45, 0.05, ""), ("f", 1.3, 0.1, 0.9, 0.1, ""),
                       ("(dummy)", 0.01, 0.01, 0.05, 0.02, "")],
                      columns=["parameter", "S1", "S1_conf", "ST", "ST_conf", "warning"])
    out = flag_indices(df, "(dummy)", 32)
    flags = {r["parameter"]: r["flags"] for r in out["indices"]}
    assert flags == {"a": ["st_above_1"], "b": ["s1_below_0"], "c": ["below_floor"],
                     "d": ["cannot_reach"], "e": [], "f": ["s1_above_1", "s1_above_st"]}
    floor = out["noise_floor"]
    assert (floor["S1"], floor["ST"], floor["basis"]) == (pytest.approx(0.05),
                                                           pytest.approx(0.07), "dummy")
    assert out["advise_n"] is None  # widest half-width 0.1 is not above 0.1
    wide = df.assign(ST_conf=df["ST_conf"] * 3)
    assert flag_indices(wide, "(dummy)", 32)["advise_n"] == 512  # 32 x 3^2 = 288 -> 2^9
    # under common random numbers the dummy is exactly 0: the intervals set the floor
    crn = df.assign(S1=df["S1"].where(df["parameter"] != "(dummy)", 0.0),
                    S1_conf=df["S1_conf"].where(df["parameter"] != "(dummy)", 0.0),
                    ST=df["ST"].where(df["parameter"] != "(dummy)", 0.0),
                    ST_conf=df["ST_conf"].where(df["parameter"] != "(dummy)", 0.0))
    floor = flag_indices(crn, "(dummy)", 32)["noise_floor"]
    assert floor["basis"] == "intervals" and floor["ST"] == pytest.approx(0.05)
