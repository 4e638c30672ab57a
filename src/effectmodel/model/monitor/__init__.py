"""The MVI effect monitor (RIVM's method): sampled tenders and their criteria, extrapolated to
all spend per product group and period.

- :mod:`.equations`: the estimator's equations on arrays (ratio estimate, extrapolation,
  bootstrap rescaling, finite-population correction);
- :mod:`.setup`: the data arranged once per run (strata, criteria, factors);
- :mod:`.evaluate`: the draws of every monitor figure;
- :mod:`.summary`: the monitor's block of summary.json (statsmodels and scipy.stats: imported
  from there, so that evaluating the model, as a sweep's workers do, stays light).

The public functions of the first three are importable from here.
"""

from effectmodel.model.monitor.equations import (  # noqa: F401
    extrapolate,
    fpc_scale,
    inclusion_weights,
    ratio_estimate,
    rescale_bootstrap,
    segment_sums,
    stratum_sums,
    tender_effect,
    zero_stratum_share,
)
from effectmodel.model.monitor.evaluate import (  # noqa: F401
    block_draws,
    central_by,
    central_draw,
    draw_monitor,
    evaluate_monitor,
    indicator_draws,
    monitor_core,
    period_totals,
    sample_period_household_factors,
)
from effectmodel.model.monitor.setup import (  # noqa: F401
    MonitorSetup,
    classify,
    criterion_counts,
    for_indicator,
    indicator_factors,
    monitor_setup,
    strata,
    zero_strata,
    zero_stratum_intensity,
)
