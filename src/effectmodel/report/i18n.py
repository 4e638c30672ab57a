"""Words and number formats of the briefing, in English and Dutch."""

from __future__ import annotations

import math

import numpy as np

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "subtitle": "Briefing on CO2 effects of Dutch public procurement, with uncertainty "
                    "ranges",
        "subtitle_plan": "Briefing on CO2 effects of Dutch public procurement ({plan}), with "
                         "uncertainty ranges",
        "headline": "Headline figures",
        "stage_validated": "validated params and data, and the output folder",
        "stage_evaluated": "evaluated {n} draws",
        "stage_summarised": "summarised",
        "stage_wrote": "wrote summary.json, results.nc and the tables",
        "stage_rendered_0": "rendered the briefing",
        "stage_rendered_1": "rendered the briefing and its annex",
        "stage_rendered_2": "rendered the briefing and its two annexes",
        "central_rivm": "Central estimate (RIVM's method)",
        "pdf_sources": "Sources and provenance",
        "pdf_assumed": "Rows on an assumption",
        "pdf_sources_note": "Every row of every input table cites its source address or says "
                            "which assumption it makes; the briefing lists them all.",
        "headline_caption": "t CO2-eq over the contracts' lifetime. Central: RIVM's method "
                            "({how}). Median and range: the Monte Carlo draws.",
        "central_bg": "as planned for the buyer groups",
        "central_mon": "modal factors, no resampling for the monitor",
        "headline_bound": " ≥: RIVM published a lower bound.",
        "headline_households": " Households: the figure over the contracts' lifetime divided "
                               "by what one household emits in a year ({factor} t, {basis}; "
                               "{publication}).",
        "headline_zero": "‡ The range starts at 0: its lower end falls on the draws that are "
                         "exactly 0, {share} of them{why}.",
        "zero_why_bg": " (no tender both went beyond market standard and carried its "
                       "criteria into the contract)",
        "bg": "Buyer groups",
        "bg_started": "Buyer groups ({started})",
        "bg_sentence": "Once the risks are counted, the {nq} of {n} buyer groups{started} that "
                       "could be quantified reduce <strong>{median}</strong> CO2-eq over the "
                       "contracts' lifetime ({level} range {low} to {high}{zero}).",
        "bg_sentence_started": " started in {started}",
        "zero_in_draws": "; 0 in {share} of the draws",
        "zero_rows_note": "‡ The range starts at 0: its lower end falls on the draws that are "
                          "exactly 0 ({rows} of the draws).",
        "bg_reach": "In {p} of the draws the risk-adjusted total reaches the as-planned figure.",
        "bg_zero_low": "A range that starts at 0 t means that in at least {tail} of the draws "
                       "no tender of that group both went beyond market standard and carried "
                       "its criteria into the contract.",
        "bg_zero_median": "A median of 0 t means that this happened in at least half of the "
                          "draws.",
        "risk_read_counts": "Award and additionality come from counts of outcomes ({nb} not "
                            "beyond market standard, {nc} not carried into the contract, {u} "
                            "unclear, of {total_low} to {total_high} applications, most "
                            "likely {total}): {rule}. Their rates are drawn once per draw from "
                            "their posteriors, one uncertainty shared by every tender: beyond "
                            "market standard {add} ({level} range {add_lo} to {add_hi}), into "
                            "the contract {award} ({award_lo} to {award_hi}).",
        "rule_not_counted": "an unclear outcome is not counted, as RIVM counts it",
        "rule_name_not_counted": "not counted",
        "rule_name_missing_at_random": "missing at random",
        "rule_missing_at_random": "unclear outcomes are left out, as missing at random",
        "risk_read_table": "Award and additionality come from each tender's own figures in "
                           "the data.",
        "readings_caption": "How the reading of the risks moves the risk-adjusted total "
                            "(t CO2-eq, same random numbers)",
        "reading": "Reading",
        "reading_as_run": "As run",
        "unclear_low_bg": "Not counting unclear outcomes, as RIVM does, is the low reading: "
                          "the risk-adjusted median would be {readings}.",
        "unclear_other_bg": "Under the other readings of unclear outcomes the risk-adjusted "
                            "median would be {readings}.",
        "unclear_reading_bg": "{median} t read as {rule} ({pct})",
        "and": " and ",
        "rule_name_counted": "counted",
        "rule_counted": "unclear outcomes count as having an effect (in full)",
        "unclear_low_mon": "Not counting unclear criteria, as RIVM does, is the low reading: "
                           "for {period} the central figure is {pe} higher counted by their "
                           "probability, and {pa} higher counted in full.",
        "unclear_other_mon": "For {period} the central figure would be {pn} counted as none "
                             "(RIVM's rule), {pe} by their probability and {pa} in full, "
                             "against the run's.",
        "reading_weight": "Counts weighted {n} against the outcomes",
        "reading_unclear_missing_at_random": "Unclear outcomes missing at random",
        "reading_unclear_not_counted": "Unclear outcomes not counted",
        "reading_unclear_counted": "Unclear outcomes counted in full",
        "reading_shared_by_group": "Risks drawn once per buyer group",
        "reading_shared_by_tender": "Risks drawn per tender",
        "reading_outcome_fraction": "A tender counts by its chance (a fraction)",
        "reading_outcome_bernoulli": "A tender counts wholly or not (0/1)",
        "reading_total": "Total of applications fixed at {n}",
        "reading_cancellation_off": "No open tender cancelled",
        "reading_cancellation_on": "Open tenders at risk of cancellation",
        "mon_sentence": "The MVI effect monitor counts <strong>{median}</strong> CO2-eq for "
                        "{period} over the contracts' lifetime ({level} range {low} to "
                        "{high}{zero}).",
        "mon_published": "RIVM published {bound}{published}{unit} for {period}.",
        "bg_planned": "As planned, RIVM's method gives {planned} over the contracts' lifetime: "
                      "as much as about {hh} households emit in a year ({factor} t per "
                      "household per year, {basis}; {publication}).",
        "mon_calibrated": "The data are calibrated so that the central estimate "
                          "reproduces RIVM's published figure; the range is the uncertainty of "
                          "the counted effect, not an independent check of that figure.",
        "no_proj_few_periods": "The totals are not projected: {n} periods leave {df} residual "
                               "degrees of freedom for the log-linear fit, and a projection "
                               "needs at least {needed}.",
        "no_proj_scope_change": "The totals are not projected: the monitor grew from {a} to "
                                "{b} product groups across the periods, so their trend "
                                "measures the scope as much as the effect.",
        "adoption_ci": "projection: {level} confidence interval of the mean share",
        "at least": "at least ",
        "point": "",
        "figure": "Figure",
        "table": "Table",
        "quantity": "Quantity",
        "as_planned": "As planned (RIVM method)",
        "risk_adjusted": "Risk-adjusted (Monte Carlo)",
        "median": "Median",
        "mean": "Mean",
        "low": "Low",
        "high": "High",
        "range": "{level} range",
        "households": "Households",
        "bg_total": "Buyer groups, all quantified",
        "bg_households": "Buyer groups, household equivalents",
        "period_total": "Effect monitor {period}",
        "rivm_published": "RIVM published",
        "not_quantified": "not quantified",
        "group": "Buyer group",
        "reason": "Reason",
        "bg_chart_title": "Buyer groups: as planned and risk-adjusted",
        "bg_chart_alt": "Bar chart per buyer group of the as-planned reduction and the "
                        "risk-adjusted median with its range; groups not quantified are marked.",
        "reduction_kt": "Reduction [kt CO2-eq]",
        "reduction_mt": "Reduction [Mt CO2-eq]",
        "monitor": "MVI effect monitor",
        "pg_chart_title": "Product groups {period}: effect with range",
        "pg_chart_alt": "Per product group, the median effect in {period} extrapolated to all "
                        "spend, with its range.",
        "periods_chart_title": "Totals per period beside RIVM's published figures",
        "periods_chart_alt": "Per monitoring period, the model's median total with its range "
                             "and RIVM's published figure.",
        "model": "Model (median and range)",
        "central": "Central counted total",
        "trend": "Trend across periods",
        "trend_none": "No trend: a trend needs at least two monitoring periods, and this run "
                      "estimates {n}.",
        "tornado_none": "{title}: no drawn input varies in this run, so there is nothing to "
                        "rank.",
        "trend_chart_title": "Share of sampled tenders with an effect",
        "trend_chart_alt": "Observed share of sampled tenders with a counted effect per period, "
                           "the binomial GLM fit, and its projection one period ahead.",
        "observed": "Observed",
        "fitted": "Fitted (binomial GLM)",
        "projection": "Projection",
        "share": "Share [-]",
        "period": "Period",
        "trend_sentence": "Odds of a counted effect change by a factor {or_} per period "
                          "({level} interval {lo} to {hi}, p = {p}). Projection for {next}: "
                          "{share} ({lo2} to {hi2}), a projection, not a measurement.",
        "totals_sentence": "Central totals change by a factor {factor} per period (log-linear "
                           "fit; {level} interval {lo} to {hi}); projection for {next}: {est} "
                           "({lo2} to {hi2}), a projection, not a measurement.",
        "sensitivity": "What drives the range",
        "tornado_title": "Rank correlation with the buyer-group total",
        "tornado_alt": "Tornado chart of the inputs with the largest rank correlation with the "
                       "risk-adjusted buyer-group total.",
        "tornado_mon_title": "Rank correlation with the monitor total {period}",
        "tornado_mon_alt": "Tornado chart of the translation factors and frame totals with the "
                           "largest rank correlation with the monitor total of {period}.",
        "rho": "Spearman rank correlation [-]",
        "product_group": "Product group",
        "sampled": "Sampled",
        "with_effect": "With effect",
        "share_wilson": "Share with effect (Wilson {level})",
        "assumptions": "Assumptions and sources",
        "assumptions_intro": "Every row of every input table cites a source address or says "
                             "'assumption: ...' and why. Rows per table and source:",
        "file": "File",
        "rows": "Rows",
        "source": "Source",
        "mc_error": "Monte Carlo error",
        "mc_intro": "Standard errors by batch means over {b} batches of {n} draws in all.",
        "figure_col": "Figure",
        "value": "Value",
        "se": "MC standard error",
        "relative": "Relative",
        "mc_ok": "All Monte Carlo errors are below 1% of their scale (the largest of the "
                 "figure's median, low and high), and each figure is shown to a step its "
                 "error stays below.",
        "design_se": "SE of the sample (design, linearisation)",
        "design_effect": "Design effect (variance over a simple random sample's)",
        "mc_few": "Warning: these errors rest on {b} independent batches only, so each is "
                  "widened to Student's t with {df} degrees of freedom; more draws (or "
                  "run.mc_batches) give firmer ones.",
        "mc_warn": "Warning: {k} figure(s) have a Monte Carlo error above 1% of their scale "
                   "(the largest of the figure's median, low and high); run with more draws.",
        "provenance": "Provenance",
        "item": "Item",
        "git": "Git",
        "git_clean": "commit {commit}",
        "git_dirty": "uncommitted changes to the code, on top of commit {commit}",
        "git_none": "the code is not in a git work tree",
        "prov_intro": "Everything this briefing read, by SHA-256, and what computed it.",
        "seed": "Seed",
        "draws": "Draws",
        "sampler": "Sampler",
        "sampler_random": "random (pseudo-random numbers)",
        "sampler_lhs": "Latin hypercube",
        "sampler_sobol": "Sobol sequence (scrambled)",
        "code_version": "Package version + source-tree hash",
        "python": "Python",
        "params_file": "Params file",
        "units_note": "All figures in t CO2-eq over the contract lifetime.",
        "var_quantity": "quantity",
        "var_emission_factor": "emission factor",
        "var_reduction_fraction": "reduction fraction",
        "var_award": "award",
        "var_cancellation": "cancellation",
        "var_additionality": "additionality",
        "bernoulli_p": "0 or 1 (P(1) = {p})",
        "var_household_factor": "household factor",
        "var_baseline_ef": "baseline factor",
        "var_mvi_ef": "MVI factor",
        "var_frame_total": "frame total",
        "buyer_groups_lc": "buyer groups",
        "annexes": "Annexes",
        "annex_bg": "Annex: buyer-group tenders",
        "annex_mon": "Annex: effect monitor per period",
        "back": "Back to the briefing",
        "tenders": "Tenders per buyer group",
        "tender": "Tender",
        "unit": "Unit",
        "award_p": "Award probability",
        "drivers_table": "Largest rank correlations with the buyer-group total",
        "model_summaries": "Model summaries (statsmodels)",
        "adoption_model": "Adoption share: binomial GLM, logit link",
        "totals_model": "Totals: OLS on the period index",
        "period_section": "Period {period}",
        "t_per_unit": "[t/unit]",
        "annex_sample_caption": "Sampled tenders and how their criteria were scored",
        "frame_total": "Frame total [EUR]",
        "central_col": "Central [t]",
        "central_plain": "Central",
        "input_col": "Input",
        "notebook": "Notebook",
        "package": "Package",
        "mode_caption": "mode (low–high); t CO2-eq",
        "description": "Description",
        # what changed between builds, and the reports index
        "fig_bg_as_planned": 'buyer groups, as planned [t]',
        "fig_bg_median": 'buyer groups, risk-adjusted median [t]',
        "fig_period_median": 'effect monitor {0}, median [t]',
        "fig_sweep_max": '{0}{1}: largest median over the scenarios',
        "wc_title": 'What changed since the previous build',
        "wc_intro": "Which data changed, and whether each headline figure moved by more than "
                    "the Monte Carlo noise. Both builds draw the same random numbers, so a "
                    "figure that moved is compared draw batch by draw batch; a difference "
                    "whose 95% interval excludes zero is a real change.",
        "wc_code_note": "Code changed since the previous build: {modules}.",
        "wc_data_none": "No data changed.",
        "wc_rows": 'rows',
        "wc_added": 'added',
        "wc_removed": 'removed',
        "wc_changed": 'changed',
        "wc_caption": 'Headline figures, previous build and this build',
        "wc_figure": 'Figure',
        "wc_previous": 'Previous',
        "wc_now": 'Now',
        "wc_difference": 'Difference',
        "wc_interval": '95% interval (paired)',
        "wc_modules": 'modules',
        "wc_not_judged": 'not judged: the builds drew other numbers (seed, draws or batches '
                         'differ, or an earlier manifest)',
        "wc_reading": 'Reading',
        "wc_no_change": 'no change',
        "wc_noise": 'within Monte Carlo noise',
        "tr_title": "From plan to contract",
        "tr_intro": "{known}: of {n} tenders, {contracted} contracted, "
                    "{awarded} awarded and not yet contracted, {cancelled} cancelled; {open} "
                    "are still open. Contracted tenders count what their scores say; the "
                    "open ones keep a range, from rates that have learnt from the outcomes.",
        "tr_all_known": "All outcomes known", "tr_known_on": "Outcomes known on {date}",
        "tr_all": "All quantified groups",
        "tr_as_planned": "As planned (RIVM's method) [t]",
        "tr_realised": "Realised to date [t]",
        "tr_open": "Open tenders",
        "tr_caption": "Per buyer group: as planned, realised to date (contracted, in the "
                      "contract and beyond market standard, at the realised quantity), and "
                      "the risk-adjusted reduction of the open tenders [t CO2-eq]",
        "tr_band": "Range",
        "tr_ex_ante": "ex ante",
        "tr_chart_title": "Risk-adjusted total as the outcomes came in",
        "tr_chart_caption": "The buyer groups' risk-adjusted total before any outcome and on "
                            "each status date, recomputed from the outcomes known then: "
                            "median and {level} range [t CO2-eq].",
        "tr_chart_alt": "Step chart of the median and range of the risk-adjusted total over "
                        "{n} status dates.",
        "tr_date": "Date", "tr_outcomes": "Outcomes", "tr_group": "Buyer group",
        "tr_median_change": "Median moved [t]", "tr_width_change": "Range width moved [t]",
        "tr_moves_caption": "The status dates that moved the estimate most",
        "cmp_title": "Comparison of two reports",
        "cmp_intro": "Report A: {a}. Report B: {b}. Each headline figure of both, the "
                     "difference B minus A, and what changed in between.",
        "cmp_paired": "Both runs drew the same random numbers (seed, draws, batches and "
                      "sampler), so each difference is judged paired: its 95% interval comes "
                      "from the differences batch by batch.",
        "cmp_unpaired": "The runs drew other random numbers (seed, draws, batches or sampler "
                        "differ), so no difference is judged against Monte Carlo noise: both "
                        "ranges are shown instead.",
        "cmp_other_project": "The two reports belong to different projects ({a} and {b}).",
        "cmp_figures": "Headline figures",
        "cmp_caption": "Headline figures of A and B [t CO2-eq]",
        "cmp_range_a": "Range A", "cmp_range_b": "Range B",
        "cmp_inputs": "Inputs", "cmp_inputs_none": "No input file differs.",
        "cmp_settings": "Settings", "cmp_settings_none": "No setting differs.",
        "cmp_setting": "Setting", "cmp_provenance": "Code and provenance",
        "cmp_provenance_none": "Code and provenance are the same.",
        "cmp_what": "What", "cmp_in_a": "A", "cmp_in_b": "B",
        "cmp_only_one": "Figures only one report has: {names}.",
        "wc_not_paired": "not paired: both ranges shown",
        "wc_real": 'real change',
        "index_title": 'effectmodel reports',
        "index_report": 'Report',
        "index_kind": 'Kind',
        "index_status": 'Status',
        "index_figures": 'Headline figures [t CO2-eq]',
        "kind_params": 'briefing',
        "kind_sweep": 'sweep',
        "status_current": 'current',
        "status_stale": 'stale',
        "status_failed": 'failed',
        # the sweep report
        "sw_subtitle": ('Parameter sweep: the outputs across the scenarios, their sensitivity to '
            'the '
            'varied parameters, and the scenarios that failed.'),
        "sw_design": 'Design',
        "sw_value": 'Value',
        "sw_prov_sweep": "Sweep file",
        "sw_prov_sweep_sha256": "Sweep file (SHA-256)",
        "sw_prov_params": "Base params file",
        "sw_prov_params_sha256": "Base params file (SHA-256)",
        "sw_prov_resolved_params_sha256": "Resolved params (SHA-256)",
        "sw_design_grid": "grid (every combination)",
        "sw_design_sobol": "Sobol (Saltelli sample)",
        "sw_design_lhs": "Latin hypercube",
        "sw_design_random": "random",
        "sw_parameter": 'Parameter',
        "sw_varied_as": 'Varied as',
        "sw_method": 'Design',
        "sw_scenarios": 'Scenarios',
        "sw_failed_n": 'Failed',
        "sw_draws": 'Draws per scenario',
        "sw_seed": 'Seed',
        "sw_interval": 'Interval',
        "sw_bg_total_t": 'buyer groups, risk-adjusted [t CO2-eq]',
        "sw_bg_households": 'buyer groups [households]',
        "sw_period_total_t": 'effect monitor [t CO2-eq]',
        "sw_period_households": 'effect monitor [households]',
        "sw_median_axis": 'median',
        "sw_median_band": 'median (band: range)',
        "sw_outputs": 'Outputs across the sweep',
        "sw_against": 'Outputs against {name}',
        "sw_against_alt": 'Median of each output against {name}.',
        "sw_heat_title": 'Median {label} on the grid',
        "sw_heat_alt": 'Heatmap of the median {label} over {x} and {y}.',
        "sw_scenario": 'Scenario',
        "sw_scenario_title": '{title} – scenario {i}: {values}',
        "sw_briefing": 'briefing',
        "sw_median_of": '{label} (median)',
        "sw_median_range_of": '{label}: median ({level} range)',
        "sw_against_of": '{label} against {name}',
        "sw_linked": '; a scenario with a link has its own briefing',
        "sw_n_scenarios": '{n} scenarios',
        "sw_first": ' (first {n} shown)',
        "sw_sobol": 'Sobol indices',
        "sw_not_sobol": ('Not a Sobol design: use <code>design.method: sobol</code> for '
            'variance-based '
            'indices.'),
        "sw_sobol_intro": ('First-order (S1) and total (ST) indices from SALib with {level} '
            'bootstrap '
            'intervals.'),
        "sw_sobol_title": 'Sobol indices: {label}',
        "sw_sobol_alt": 'Bar chart of first-order and total Sobol indices for {label}.',
        "sw_sobol_axis": 'Sobol index [-]',
        "sw_warning": 'Warning',
        "sw_flag_cannot_reach": 'cannot reach this output',
        "sw_flag_st_above_1": 'ST above 1 beyond its interval: impossible, design noise',
        "sw_flag_s1_above_1": 'S1 above 1 beyond its interval: impossible, design noise',
        "sw_flag_s1_above_st": 'S1 above ST beyond their intervals: impossible, design noise',
        "sw_flag_s1_below_0": 'S1 below 0 beyond its interval',
        "sw_flag_below_floor": 'below the noise floor',
        "sw_noise_floor": 'Noise floor (the larger of a dummy parameter the model never reads '
                          'and the typical interval half-width): ST up to {st}, S1 up to '
                          '{s1}. An index at or below it shows nothing.',
        "sw_advice": 'Intervals up to ±{wide}: they shrink as 1/√n with the design\'s base '
                     'sample n, and nothing else narrows them; n = {n4} instead of {n} would '
                     'bring them to about ±0.1.',
        "sw_failed": 'Failed scenarios',
        "sw_reason": 'Reason',
        "sw_none_failed": 'None: every scenario completed.',
        "vb_title": "Where the variance comes from",
        "vb_intro": "Sobol indices of groups of inputs, estimated by pick-freeze on the "
                    "run's own draws (a second sample made by permuting each group's draws; "
                    "Janon's first order, Jansen's total). First order: the share of the "
                    "variance a group causes alone. Total: its share with every interaction "
                    "it takes part in. The rest (1 − sum of the first orders) is what the "
                    "groups cause together; it is never negative beyond its Monte Carlo "
                    "interval. In brackets: 95% Monte Carlo intervals.",
        "vb_first": "First order",
        "vb_first_order_short": "first order (alone)",
        "vb_total_short": "total (with interactions)",
        "vb_axis": "Share of the variance [-]",
        "vb_chart_title": "Variance budget: {figure}",
        "vb_chart_alt": "Bars of the first-order and total Sobol index of each group of "
                        "inputs of {figure}, with their Monte Carlo intervals.",
        "cap_vb": "Blue: the share of the variance a group of inputs causes alone (first "
                  "order); orange: with every interaction it takes part in (total); whiskers: "
                  "95% Monte Carlo intervals.",
        "cap_vb_sampling": " Unlike the rank correlations below, this shows the resampling of "
                           "the sampled tenders.",
        "vb_total": "Total",
        "vb_others": "The other indicators, {period}: first order (total)",
        "vb_risk_total": "total of applications behind the counts",
        "vb_source": "Source",
        "vb_bg": "Buyer groups, total",
        "vb_mon": "Effect monitor {period}",
        "vb_sampling": "sampling of tenders (bootstrap)",
        "resampling_design": "Sampling uncertainty: the design bootstrap (Dirichlet weights per "
                             "sub-stratum whose spread is that of the stratified sample, "
                             "finite-population correction included, widened by each "
                             "sub-stratum's jackknife variance over its linearisation: the "
                             "ratio of a small sample varies more than its linearisation "
                             "says).",
        "resampling_bayesian": "Sampling uncertainty: the plain Bayesian bootstrap (flat "
                               "Dirichlet weights: (n - 1)/(n + 1) of the design's variance, "
                               "so the ranges are too narrow for small samples).",
        "resampling_none": "Sampling uncertainty: not drawn (monitor.bootstrap: none); the "
                           "ranges leave the sample out.",
        "resampling_single": " {strata}: one sampled tender in all, so the sample shows no "
                             "spread there and adds no sampling variance.",
        "interval_studentized": " Each product group's range is the studentized (bootstrap-t) "
                                "interval: every resample's deviation is divided by that "
                                "resample's own standard error, so a sample without its large "
                                "tenders, low and narrow, widens the range above the estimate, "
                                "where a skewed group's truth tends to lie.",
        "interval_percentile": " Each product group's range is the percentile interval of "
                               "the resampled estimates.",
        "vb_translation_factors": "translation factors",
        "vb_frame_totals": "frame totals",
        "vb_interactions": "together (1 − sum of the first orders)",
        # figure captions: what the marks mean, not the chart's title again
        "cap_bg": "Orange diamonds: as planned, RIVM's method (modes, every tender awarded, "
                  "additionality 1). Blue bars: the risk-adjusted median, whiskers its {level} "
                  "range over {n} Monte Carlo draws. Groups not quantified are named, never "
                  "drawn as zero.",
        "cap_periods": "Blue: the model's median with its {level} range per period.",
        "cap_periods_published": " Orange squares: what RIVM published.",
        "cap_periods_bounds": " For {periods} RIVM published a lower bound.",
        "cap_periods_projection": " Grey diamond on a grey band, its period starred: a "
                                  "log-linear projection, not a measurement.",
        "cap_pg": "Median and {level} range of each product group's effect in {period}, "
                  "extrapolated from the sampled tenders to all spend; logarithmic axis.",
        "cap_trend": "Dots: the share of sampled tenders with a counted effect per period; "
                     "line: the binomial trend fitted to them; starred and shaded: its "
                     "projection with a {level} interval, not a measurement.",
        "cap_tornado": "Spearman rank correlation of each drawn input with {figure} over "
                       "{n} draws, the ten largest in size. Blue: more of the input, more "
                       "reduction; orange: less.",
        "cap_tornado_sampling": " The resampling of the sampled tenders is no input column, so "
                                "no bar shows it; the variance budget above gives it "
                                "{share} of this total's variance (first order).",
        "tornado_fig_bg": "the buyer-group total",
        "tornado_fig_mon": "the monitor total of {period}",
        "cap_sw_against": "Median (points or lines) and {level} range (whiskers or band) of "
                          "each output over the scenarios, against {name}.",
        "cap_sw_heat": "The median of {label} in each cell of the grid, as printed in it.",
        "cap_sobol": "First-order (S1) and total (ST) Sobol indices of {label}, with their "
                     "{level} bootstrap intervals; a warning marks an index below zero or an "
                     "interval that includes zero.",
        "sw_from_to": "from {low} to {high}",
        "cap_sw_small": "Against {name}: one panel per output, each on its own axis; the "
                        "median (points, or a line with its {level} range as a band).",
        # settings of the run
        "settings": "Settings of this run",
        "settings_intro": "Every model option of this run, with its value and where it came "
                          "from. Rows in bold differ from the default or replace values of the "
                          "data.",
        "setting": "Setting",
        "set_by": "Set by",
        "effect_on_data": "What it does to the data",
        "origin_file": "params file",
        "origin_override": "override (command line, sweep scenario or API)",
        "origin_default": "default",
        "settings_changed": "This run sets {items} (see {link}).",
        "settings_link": "Settings of this run",
        "data_said": "data: {x}",
        "opt_note_award_probability": "replaces the award probability of every tender in the "
                                      "data",
        "opt_note_additionality": "replaces the additionality range of every tender in the "
                                  "data",
        "opt_note_uncertainty": "off: the mode of the data, no range",
        "opt_note_award_off": "off: every tender counted as awarded",
        "opt_note_risk_evidence": "replaces each tender's award_probability and additionality",
        "opt_note_frame_total_scale": "multiplies every frame total of the data",
        "opt_run.seed": "Seed",
        "opt_run.n_draws": "Monte Carlo draws",
        "opt_run.interval": "Central interval shown",
        "opt_run.sampler": "Sampling design",
        "opt_run.mc_batches": "Batches for the Monte Carlo error",
        "opt_buyer_groups.household_factor": "Household factor (publication)",
        "opt_buyer_groups.started": "When the buyer groups started",
        "opt_buyer_groups.award_probability": "Award probability, all tenders",
        "opt_buyer_groups.additionality": "Additionality, all tenders",
        "opt_buyer_groups.risk_shared_by": "Award and additionality risk drawn per",
        "opt_buyer_groups.risk_evidence": "Award and additionality from",
        "opt_unclear": "Unclear outcomes and tests",
        "opt_buyer_groups.risk_outcome": "A tender's risk counts as",
        "opt_buyer_groups.outcomes.as_of": "Outcomes known on",
        "opt_buyer_groups.outcomes.prior_weight": "Weight of the counts against the outcomes",
        "opt_buyer_groups.outcomes.pooling": "What a group learns from the other groups",
        "opt_buyer_groups.risk_counts.not_beyond_market_standard":
            "Counts: not beyond market standard",
        "opt_buyer_groups.risk_counts.not_in_contract": "Counts: not in the contract",
        "opt_buyer_groups.risk_counts.unclear": "Counts: unclear",
        "opt_buyer_groups.risk_counts.total_low": "Counts: total of applications, low",
        "opt_buyer_groups.risk_counts.total_mode": "Counts: total of applications, most likely",
        "opt_buyer_groups.risk_counts.total_high": "Counts: total of applications, high",
        "opt_monitor.factor_rank_correlation": "Correlation of baseline and MVI factor "
                                               "(Gaussian copula)",
        "opt_monitor.frame_total_correlation": "Share of frame-total variance common to all "
                                               "strata",
        "opt_buyer_groups.uncertainty.quantity": "Uncertainty: quantity",
        "opt_buyer_groups.uncertainty.emission_factor": "Uncertainty: emission factor",
        "opt_buyer_groups.uncertainty.reduction_fraction": "Uncertainty: reduction fraction",
        "opt_buyer_groups.uncertainty.award": "Uncertainty: award",
        "opt_buyer_groups.uncertainty.additionality": "Uncertainty: additionality",
        "opt_buyer_groups.uncertainty.cancellation": "Uncertainty: cancellation",
        "opt_buyer_groups.cancellation.prior_cancelled": "Cancellation prior: cancelled",
        "opt_buyer_groups.cancellation.prior_went_ahead": "Cancellation prior: went ahead",
        "opt_monitor.periods": "Monitoring periods",
        "opt_monitor.bootstrap": "Resampling of sampled tenders",
        "opt_monitor.interval": "Range of a product group",
        "opt_monitor.emission_factor_uncertainty": "Uncertainty: translation factors",
        "opt_monitor.frame_total_uncertainty": "Uncertainty: frame totals",
        "opt_monitor.frame_total_scale": "Frame totals scaled by",
        "opt_monitor.projection": "Trend projected one period ahead",
        "opt_monitor.headline_period": "Period in the headline",
        "mon_per_year": "Per year of the contracts that is {median} ({level} range {low} to "
                        "{high}), the annual emissions of about {hh} households ({factor} t "
                        "per household per year, {basis}; {publication}).",
        "mon_no_years": "The data give no contract durations, so there is no per-year figure "
                        "and no household equivalent of one.",
        "criteria": "How the criteria were scored",
        "criteria_intro": "A criterion of a sampled tender counts when it went beyond market "
                          "standard and was carried into the contract. Criteria whose tests "
                          "stayed unclear are here {option}. The columns on the right "
                          "give the central estimate with them counted as none (RIVM), by "
                          "their probability from Zijp et al. 2022's counts, or all.",
        "criteria_caption": "Criteria of the sampled tenders, and the central estimate [t CO2-eq]",
        "cls_counted": "Counted",
        "cls_not_beyond_market_standard": "Not beyond market standard",
        "cls_not_in_contract": "Not in the contract",
        "cls_unclear": "Unclear",
        "unclear_none": "Unclear as none",
        "unclear_expected": "Unclear by probability",
        "unclear_all": "Unclear all",
        "unclear_as_none": "not counted (as RIVM does)",
        "unclear_as_expected": "counted by their probability",
        "unclear_as_drawn": "drawn with their probability",
        "unclear_as_all": "all counted",
        "by_ambition": "Central effect by ambition level [t CO2-eq]",
        "by_type": "Central effect by criterion type [t CO2-eq]",
        "lvl_basis": "Basis",
        "lvl_significant": "Significant",
        "lvl_ambitious": "Ambitious",
        "lvl_unknown": "Unknown",
        "lvl_minimum": "Minimum requirement",
        "lvl_stricter": "Stricter requirement",
        "lvl_award": "Award criterion",
        "no_upper_bound": "0 – no upper bound: no counted tender of this group in any "
                          "period",
        "no_upper_bound_short": "no upper bound",
        "coverage_note": "Coverage not assured for {groups}.",
        "coverage_self_check": " The self-check samples the sample's own pseudo-population "
                               "(each tender repeated by its weight) {reps} times by the same "
                               "design: there the {level} range held the truth in fewer than "
                               "{assured} of them.",
        "coverage_spend": " Sampled spend far from the frame total means the sample lacks the "
                          "frame's dominant tenders, or drew one at random: take them with "
                          "certainty (effectmodel sample --take-all).",
        "reason_self_check": "self-check {share}",
        "unbounded_note": "{groups}: no counted tender in any period, so no upper bound; the "
                          "period total's range counts them at 0.",
        "reason_spend": "sampled tenders stand for {share} of the frame's spend",
        "self_check": "Self-check: coverage",
        "zero_effect_note": "no counted effect in the sample: the central figure is 0, and "
                            "in place of a median and range the page gives 0 to the one-sided "
                            "95% upper bound, from a Jeffreys prior Beta(1/2, n + 1/2) on the "
                            "share of spend with an effect. A uniform prior Beta(1, n + 1) "
                            "gives: {uniform}.",
        "vb_unclear_criteria": "unclear criteria (drawn)",
        "vb_mon_ind": "{indicator}, {period}",
        "tables_link": "The tables of this briefing (xlsx; CSV files in tables/)",
        "indicators": "Other indicators",
        "ind_intro": "RIVM also reports nitrogen oxides, fine particulate matter, raw materials "
                     "and jobs. Each is computed from the same sample, criteria and frames with "
                     "translation factors of its own. RIVM's figures are shown in the table's "
                     "unit, beside the model's.",
        "ind_nox": "Nitrogen oxides (NOx)",
        "ind_pm": "Fine particulate matter (PM)",
        "ind_raw_materials": "Raw materials",
        "ind_jobs": "Jobs",
        "ratio_rivm": "Model / RIVM",
        "not_reproduced": "not reproduced",
        "not_computed": "not computed",
        "ind_not_computed": "Not computed: no sampled criterion of the period has a "
                            "translation factor for this indicator.",
        "ind_ratio_note": "Model / RIVM: the central figure over RIVM's, on the same basis "
                          "(per year where RIVM published per year); outside 0.5–2 it is "
                          "marked not reproduced.",
        "basis_lifetime": "over the contracts' lifetime",
        "basis_per_year": "per year",
        "basis_not_stated": "basis not stated",
        "median_per_year": "Median per year [{unit}]",
        "range_per_year": "{level} range per year",
        "ind_annex": "Other indicators per product group",
        "ind_annex_caption": "{indicator} [{unit}]: median ({level} range) per period",
        "si_title": "The footprint of the spend",
        "si_spend": "Public buyers spend {spend} {unit} a year in {n} groups ({source}).",
        "si_spend_in": "Public buyers spent {spend} {unit} in {year}, in {n} groups "
                       "({source}).",
        "si_bn_eur": "billion euro", "si_mn_eur": "million euro", "si_eur": "euro",
        "si_from_table": "the spend table",
        "si_from_frame_totals": "the frame totals of {period}, per year",
        "si_total_co2_eq": "At the data's intensities per euro, that spend has a footprint of "
                           "{central} {unit} a year (median {median}, {level} range {range}).",
        "si_total_land_use": "Its land use is {central} {unit} a year ({level} range "
                             "{range}).",
        "si_total_raw_materials": "It uses {central} {unit} of raw materials a year ({level} "
                                  "range {range}).",
        "si_share_per_tendering_year":
            "The effect monitor's reduction of {period}, the lifetime effect of one year's "
            "tenders, is {central} of one year's CO2-eq footprint ({level} range {low} to "
            "{high}, draw by draw): like for like, as a year's footprint counts its "
            "purchases' whole chain.",
        "si_share_per_calendar_year":
            "The effect monitor's reduction of {period} in one calendar year of its "
            "contracts is {central} of one year's CO2-eq footprint ({level} range {low} to "
            "{high}, draw by draw); that sets one year of the contracts' effect against a "
            "footprint of whole chains.",
        "si_share_other_per_calendar_year":
            "Counted per calendar year of the contracts instead, it is {central}.",
        "si_share_other_per_tendering_year":
            "Like for like (the lifetime effect of one year's tenders) it is {central}.",
        "si_calibrated": "The intensities are scaled by {factor} so that the median is "
                         "{target} {unit}{source}.",
        "si_correlation": "Their errors are taken as correlated {rho} across groups (one "
                          "input-output model behind them all); independent errors would "
                          "give a {level} range of {independent}, one shared error "
                          "{shared}.",
        "si_year": "Year",
        "si_years_caption": "Footprint of the spend per year [{unit}]: at the intensities per "
                            "euro of {year}, each year's spend in its own euros (not "
                            "deflated); central at the modes, median and range of the draws",
        "si_years_chart_title": "CO2-eq footprint of the spend per year [{unit}]",
        "si_years_figure": "The footprint per year: median with its {level} range (bar) and "
                           "the figure at the modes (diamond); the table below gives them.",
        "si_years_alt": "The CO2-eq footprint of the spend per year from {first} to {last}: "
                        "median with its range, and the figure at the modes.",
        "si_no_share": "The effect monitor gives no reduction per year here (the data lack "
                       "contract years), so no share of the footprint is shown.",
        "si_group": "Group",
        "si_spend_col": "Spend [{unit} per year]",
        "si_per_eur_co2_eq": "kg CO2-eq per euro",
        "si_per_eur_land_use": "m2a per euro",
        "si_per_eur_raw_materials": "kg raw materials per euro",
        "si_caption": "Footprint of the spend per group [{unit} per year]: central at the "
                      "modes, median and range of the draws",
        "si_annex": "The footprint of the spend per group",
        "si_annex_co2_eq": "Greenhouse gases [{unit} per year]",
        "si_annex_land_use": "Land use [{unit} per year]",
        "si_annex_raw_materials": "Raw materials [{unit} per year]",
        "opt_monitor.unclear_contract_probability": "Chance an unclear criterion is in the "
                                                    "contract",
        "opt_monitor.unclear_beyond_probability": "Chance an unclear criterion goes beyond "
                                                  "market standard",
        "opt_monitor.finite_population_correction": "Finite-population correction",
        "opt_monitor.zero_effect_strata": "Product groups without a counted effect",
        "opt_monitor.indicators": "Indicators computed",
        "yes": "yes",
        "no": "no",
        "from_data": "from the data",
        "latest": "the latest",
        "all": "all",
    },
    "nl": {
        "subtitle": "Briefing over CO2-effecten van maatschappelijk verantwoord inkopen, met "
                    "onzekerheidsmarges",
        "subtitle_plan": "Briefing over CO2-effecten van maatschappelijk verantwoord inkopen "
                         "({plan}), met onzekerheidsmarges",
        "headline": "Kerncijfers",
        "stage_validated": "params, gegevens en uitvoermap gecontroleerd",
        "stage_evaluated": "{n} trekkingen doorgerekend",
        "stage_summarised": "samengevat",
        "stage_wrote": "summary.json, results.nc en de tabellen geschreven",
        "stage_rendered_0": "de briefing opgemaakt",
        "stage_rendered_1": "de briefing en haar bijlage opgemaakt",
        "stage_rendered_2": "de briefing en haar twee bijlagen opgemaakt",
        "central_rivm": "Centrale schatting (RIVM-methode)",
        "pdf_sources": "Bronnen en herkomst",
        "pdf_assumed": "Rijen op een aanname",
        "pdf_sources_note": "Elke rij van elke invoertabel noemt haar bronadres of zegt welke "
                            "aanname ze doet; de briefing somt ze alle op.",
        "headline_caption": "t CO2-eq over de looptijd van de contracten. Centraal: de "
                            "RIVM-methode ({how}). Mediaan en marge: de "
                            "Monte-Carlotrekkingen.",
        "central_bg": "zoals gepland voor de buyer groups",
        "central_mon": "modale factoren, zonder herbemonstering voor de monitor",
        "headline_bound": " ≥: het RIVM publiceerde een ondergrens.",
        "headline_households": " Huishoudens: het cijfer over de looptijd van de contracten "
                               "gedeeld door wat één huishouden in een jaar uitstoot ({factor} "
                               "t, {basis}; {publication}).",
        "headline_zero": "‡ De marge begint bij 0: haar ondergrens valt op de trekkingen die "
                         "precies 0 zijn, {share} ervan{why}.",
        "zero_why_bg": " (geen aanbesteding ging zowel verder dan de marktstandaard als kreeg "
                       "haar criteria in het contract)",
        "bg": "Buyer groups",
        "bg_started": "Buyer groups ({started})",
        "bg_sentence": "Met de risico's meegeteld verminderen de {nq} van de {n} buyer "
                       "groups{started} die konden worden doorgerekend <strong>{median}</strong> "
                       "CO2-eq over de looptijd van de contracten ({level}-marge {low} tot "
                       "{high}{zero}).",
        "bg_sentence_started": " (gestart in {started})",
        "zero_in_draws": "; 0 in {share} van de trekkingen",
        "zero_rows_note": "‡ De marge begint bij 0: haar ondergrens valt op de trekkingen die "
                          "precies 0 zijn ({rows} van de trekkingen).",
        "mon_sentence": "De MVI-effectmonitor telt <strong>{median}</strong> CO2-eq voor "
                        "{period} over de looptijd van de contracten ({level}-marge {low} tot "
                        "{high}{zero}).",
        "mon_published": "Het RIVM publiceerde {bound}{published}{unit} voor {period}.",
        "bg_planned": "Zoals gepland geeft de RIVM-methode {planned} over de looptijd van de "
                      "contracten: evenveel als ongeveer {hh} huishoudens in een jaar uitstoten "
                      "({factor} t per huishouden per jaar, {basis}; {publication}).",
        "risk_read_counts": "Opname in het contract en additionaliteit komen uit tellingen van "
                            "uitkomsten "
                            "({nb} niet verder dan de marktstandaard, {nc} niet in het contract, "
                            "{u} onduidelijk, van {total_low} tot {total_high} toepassingen, "
                            "waarschijnlijk {total}): {rule}. Hun kansen worden eenmaal per "
                            "trekking uit hun posterior getrokken, één onzekerheid die elke "
                            "aanbesteding deelt: verder dan de marktstandaard {add} "
                            "({level}-marge {add_lo} tot {add_hi}), in het contract {award} "
                            "({award_lo} tot {award_hi}).",
        "rule_not_counted": "een onduidelijke uitkomst telt niet mee, zoals het RIVM telt",
        "rule_name_not_counted": "niet meegeteld",
        "rule_name_missing_at_random": "willekeurig ontbrekend",
        "rule_missing_at_random": "onduidelijke uitkomsten blijven buiten beschouwing, als "
                                  "willekeurig ontbrekend",
        "risk_read_table": "Opname in het contract en additionaliteit komen uit de eigen "
                           "cijfers van elke "
                           "aanbesteding in de gegevens.",
        "readings_caption": "Hoe de interpretatie van de risico's het risicogecorrigeerde totaal "
                            "verschuift (t CO2-eq, dezelfde toevalsgetallen)",
        "reading": "Interpretatie",
        "reading_as_run": "Zoals doorgerekend",
        "unclear_low_bg": "Onduidelijke uitkomsten niet meetellen, zoals het RIVM doet, is de "
                          "lage lezing: de risicogecorrigeerde mediaan zou {readings} zijn.",
        "unclear_other_bg": "Bij de andere lezingen van onduidelijke uitkomsten zou de "
                            "risicogecorrigeerde mediaan {readings} zijn.",
        "unclear_reading_bg": "{median} t gelezen als {rule} ({pct})",
        "and": " en ",
        "rule_name_counted": "meegeteld",
        "rule_counted": "onduidelijke uitkomsten tellen als met effect (volledig)",
        "unclear_low_mon": "Onduidelijke criteria niet meetellen, zoals het RIVM doet, is de "
                           "lage lezing: voor {period} is de centrale schatting {pe} hoger "
                           "als ze naar hun kans meetellen, en {pa} hoger als ze alle "
                           "meetellen.",
        "unclear_other_mon": "Voor {period} zou de centrale schatting {pn} zijn zonder "
                             "onduidelijke criteria (de RIVM-regel), {pe} naar hun kans en "
                             "{pa} met alle, tegen die van deze run.",
        "reading_weight": "Tellingen met gewicht {n} tegen de uitkomsten",
        "reading_unclear_missing_at_random": "Onduidelijke uitkomsten willekeurig ontbrekend",
        "reading_unclear_not_counted": "Onduidelijke uitkomsten tellen niet mee",
        "reading_unclear_counted": "Onduidelijke uitkomsten tellen volledig mee",
        "reading_shared_by_group": "Risico's eenmaal per buyer group getrokken",
        "reading_shared_by_tender": "Risico's per aanbesteding getrokken",
        "reading_outcome_fraction": "Een aanbesteding telt naar haar kans (een fractie)",
        "reading_outcome_bernoulli": "Een aanbesteding telt helemaal of niet (0/1)",
        "reading_total": "Totaal aantal toepassingen vast op {n}",
        "reading_cancellation_off": "Geen open aanbesteding ingetrokken",
        "reading_cancellation_on": "Open aanbestedingen met kans op intrekking",
        "bg_reach": "In {p} van de trekkingen haalt het risicogecorrigeerde totaal het "
                    "geplande cijfer.",
        "bg_zero_low": "Een marge die bij 0 t begint, betekent dat in minstens {tail} van de "
                       "trekkingen geen aanbesteding van die groep zowel verder ging dan de "
                       "marktstandaard als haar criteria in het contract kreeg.",
        "bg_zero_median": "Een mediaan van 0 t betekent dat dit in minstens de helft van de "
                          "trekkingen gebeurde.",
        "mon_calibrated": "De gegevens zijn gekalibreerd zodat de centrale schatting het "
                          "gepubliceerde RIVM-cijfer reproduceert; de marge is de onzekerheid "
                          "van het getelde effect, geen onafhankelijke toets van dat cijfer.",
        "no_proj_few_periods": "De totalen worden niet geprojecteerd: {n} perioden laten {df} "
                               "vrijheidsgraden over voor de log-lineaire fit, en een projectie "
                               "vraagt er minstens {needed}.",
        "no_proj_scope_change": "De totalen worden niet geprojecteerd: de monitor groeide van "
                                "{a} naar {b} productgroepen over de perioden, dus hun trend "
                                "meet de reikwijdte evenveel als het effect.",
        "adoption_ci": "projectie: {level}-betrouwbaarheidsinterval van het gemiddelde aandeel",
        "at least": "minstens ",
        "point": "",
        "figure": "Figuur",
        "table": "Tabel",
        "quantity": "Grootheid",
        "as_planned": "Zoals gepland (RIVM-methode)",
        "risk_adjusted": "Risicogecorrigeerd (Monte Carlo)",
        "median": "Mediaan",
        "mean": "Gemiddelde",
        "low": "Laag",
        "high": "Hoog",
        "range": "{level}-marge",
        "households": "Huishoudens",
        "bg_total": "Buyer groups, alle doorgerekend",
        "bg_households": "Buyer groups, in huishoudens",
        "period_total": "Effectmonitor {period}",
        "rivm_published": "RIVM gepubliceerd",
        "not_quantified": "niet doorgerekend",
        "group": "Buyer group",
        "reason": "Reden",
        "bg_chart_title": "Buyer groups: zoals gepland en risicogecorrigeerd",
        "bg_chart_alt": "Staafdiagram per buyer group van de geplande reductie en de "
                        "risicogecorrigeerde mediaan met marge; niet doorgerekende groepen zijn "
                        "gemarkeerd.",
        "reduction_kt": "Reductie [kt CO2-eq]",
        "reduction_mt": "Reductie [Mt CO2-eq]",
        "monitor": "MVI-effectmonitor",
        "pg_chart_title": "Productgroepen {period}: effect met marge",
        "pg_chart_alt": "Per productgroep het mediane effect in {period}, opgeschaald naar alle "
                        "inkoop, met marge.",
        "periods_chart_title": "Totalen per periode naast de RIVM-cijfers",
        "periods_chart_alt": "Per monitorperiode het mediane modeltotaal met marge en het door "
                             "het RIVM gepubliceerde cijfer.",
        "model": "Model (mediaan en marge)",
        "central": "Centraal getelde totaal",
        "trend": "Trend over de perioden",
        "trend_none": "Geen trend: een trend vraagt minstens twee monitoringperioden, en deze "
                      "run schat er {n}.",
        "tornado_none": "{title}: geen getrokken invoer varieert in deze run, dus er valt niets "
                        "te rangschikken.",
        "trend_chart_title": "Aandeel steekproefaanbestedingen met effect",
        "trend_chart_alt": "Waargenomen aandeel aanbestedingen met een geteld effect per "
                           "periode, de binomiale GLM-fit en de projectie een periode vooruit.",
        "observed": "Waargenomen",
        "fitted": "Fit (binomiaal GLM)",
        "projection": "Projectie",
        "share": "Aandeel [-]",
        "period": "Periode",
        "trend_sentence": "De odds op een geteld effect veranderen met een factor {or_} per "
                          "periode ({level}-interval {lo} tot {hi}, p = {p}). Projectie voor "
                          "{next}: {share} ({lo2} tot {hi2}), een projectie, geen meting.",
        "totals_sentence": "De centrale totalen veranderen met een factor {factor} per periode "
                           "(log-lineaire fit; {level}-interval {lo} tot {hi}); projectie voor "
                           "{next}: {est} ({lo2} tot {hi2}), een projectie, geen meting.",
        "sensitivity": "Wat de marge bepaalt",
        "tornado_title": "Rangcorrelatie met het buyer-grouptotaal",
        "tornado_alt": "Tornadodiagram van de invoer met de grootste rangcorrelatie met het "
                       "risicogecorrigeerde buyer-grouptotaal.",
        "tornado_mon_title": "Rangcorrelatie met het monitortotaal {period}",
        "tornado_mon_alt": "Tornadodiagram van de vertaalfactoren en inkoopvolumes met de "
                           "grootste rangcorrelatie met het monitortotaal van {period}.",
        "rho": "Spearman-rangcorrelatie [-]",
        "product_group": "Productgroep",
        "sampled": "Steekproef",
        "with_effect": "Met effect",
        "share_wilson": "Aandeel met effect (Wilson {level})",
        "assumptions": "Aannames en bronnen",
        "assumptions_intro": "Elke rij van elke invoertabel noemt een bronadres of zegt "
                             "'assumption: ...' en waarom. Rijen per tabel en bron:",
        "file": "Bestand",
        "rows": "Rijen",
        "source": "Bron",
        "mc_error": "Monte-Carlofout",
        "mc_intro": "Standaardfouten met batchgemiddelden over {b} batches van in totaal {n} "
                    "trekkingen.",
        "figure_col": "Cijfer",
        "value": "Waarde",
        "se": "MC-standaardfout",
        "relative": "Relatief",
        "mc_ok": "Alle Monte-Carlofouten zijn kleiner dan 1% van hun schaal (de grootste van "
                 "mediaan, laag en hoog van het cijfer), en elk cijfer staat er met een stap "
                 "waar zijn fout onder blijft.",
        "design_se": "SE van de steekproef (ontwerp, linearisatie)",
        "design_effect": "Designeffect (variantie gedeeld door die van een enkelvoudige "
                         "aselecte steekproef)",
        "mc_few": "Waarschuwing: deze fouten rusten op slechts {b} onafhankelijke batches, "
                  "dus elk is verbreed naar Student-t met {df} vrijheidsgraden; meer "
                  "trekkingen (of run.mc_batches) geven vastere.",
        "mc_warn": "Waarschuwing: {k} cijfer(s) hebben een Monte-Carlofout groter dan 1% van "
                   "hun schaal (de grootste van mediaan, laag en hoog van het cijfer); reken met "
                   "meer trekkingen.",
        "provenance": "Herkomst",
        "item": "Onderdeel",
        "git": "Git",
        "git_clean": "commit {commit}",
        "git_dirty": "wijzigingen in de code die nog niet vastgelegd zijn, bovenop commit "
                     "{commit}",
        "git_none": "de code staat niet in een git-werkmap",
        "prov_intro": "Alles wat deze briefing las, met SHA-256, en waarmee het is berekend.",
        "seed": "Seed",
        "draws": "Trekkingen",
        "sampler": "Steekproefontwerp",
        "sampler_random": "willekeurig (pseudotoevalsgetallen)",
        "sampler_lhs": "Latijns hyperkubusontwerp",
        "sampler_sobol": "Sobol-reeks (gehusseld)",
        "code_version": "Pakketversie + hash van de broncode",
        "python": "Python",
        "params_file": "Parameterbestand",
        "units_note": "Alle cijfers in t CO2-eq over de contractduur.",
        "var_quantity": "hoeveelheid",
        "var_emission_factor": "emissiefactor",
        "var_reduction_fraction": "reductiefractie",
        "var_award": "contractopname",
        "var_cancellation": "intrekking",
        "var_additionality": "additionaliteit",
        "bernoulli_p": "0 of 1 (kans op 1: {p})",
        "var_household_factor": "huishoudfactor",
        "var_baseline_ef": "basisfactor",
        "var_mvi_ef": "MVI-factor",
        "var_frame_total": "inkoopvolume",
        "buyer_groups_lc": "buyer groups",
        "annexes": "Bijlagen",
        "annex_bg": "Bijlage: aanbestedingen van de buyer groups",
        "annex_mon": "Bijlage: effectmonitor per periode",
        "back": "Terug naar de briefing",
        "tenders": "Aanbestedingen per buyer group",
        "tender": "Aanbesteding",
        "unit": "Eenheid",
        "award_p": "Kans op opname in het contract",
        "drivers_table": "Grootste rangcorrelaties met het buyer-grouptotaal",
        "model_summaries": "Modelsamenvattingen (statsmodels)",
        "adoption_model": "Aandeel met effect: binomiaal GLM, logit-link",
        "totals_model": "Totalen: OLS op de periode-index",
        "period_section": "Periode {period}",
        "t_per_unit": "[t/eenheid]",
        "annex_sample_caption": "Aanbestedingen in de steekproef en hoe hun criteria zijn "
                                "beoordeeld",
        "frame_total": "Inkoopvolume [EUR]",
        "central_col": "Centraal [t]",
        "central_plain": "Centraal",
        "input_col": "Invoer",
        "notebook": "Notebook",
        "package": "Pakket",
        "mode_caption": "modus (laag–hoog); t CO2-eq",
        "description": "Omschrijving",
        # what changed between builds, and the reports index
        "fig_bg_as_planned": 'buyer groups, zoals gepland [t]',
        "fig_bg_median": 'buyer groups, risicogecorrigeerde mediaan [t]',
        "fig_period_median": 'effectmonitor {0}, mediaan [t]',
        "fig_sweep_max": "{0}{1}: grootste mediaan over de scenario's",
        "wc_title": 'Wat is er veranderd sinds de vorige build',
        "wc_intro": "Welke gegevens veranderden, en of elk kerncijfer meer bewoog dan de "
                    "Monte-Carloruis. Beide builds trekken dezelfde toevalsgetallen, dus een "
                    "cijfer dat bewoog wordt per batch trekkingen vergeleken; een verschil "
                    "waarvan het 95%-interval nul uitsluit, is een echte verandering.",
        "wc_code_note": "Code gewijzigd sinds de vorige build: {modules}.",
        "wc_data_none": "Geen gegevens veranderd.",
        "wc_rows": 'rijen',
        "wc_added": 'toegevoegd',
        "wc_removed": 'verwijderd',
        "wc_changed": 'gewijzigd',
        "wc_caption": 'Kerncijfers, vorige build en deze build',
        "wc_figure": 'Cijfer',
        "wc_previous": 'Vorige',
        "wc_now": 'Nu',
        "wc_difference": 'Verschil',
        "wc_interval": '95%-interval (gepaard)',
        "wc_modules": 'modules',
        "wc_not_judged": 'niet beoordeeld: de builds trokken andere getallen (seed, '
                         'trekkingen of batches verschillen, of een eerder manifest)',
        "wc_reading": 'Oordeel',
        "wc_no_change": 'geen verandering',
        "wc_noise": 'binnen de Monte-Carloruis',
        "tr_title": "Van plan tot contract",
        "tr_intro": "{known}: van {n} aanbestedingen zijn er {contracted} "
                    "gecontracteerd, {awarded} gegund en nog niet gecontracteerd, "
                    "{cancelled} ingetrokken; {open} staan nog open. Gecontracteerde "
                    "aanbestedingen tellen wat hun beoordeling zegt; de open houden een "
                    "marge, uit kansen die van de uitkomsten geleerd hebben.",
        "tr_all_known": "Alle bekende uitkomsten",
        "tr_known_on": "Uitkomsten bekend op {date}",
        "tr_all": "Alle gekwantificeerde groepen",
        "tr_as_planned": "Zoals gepland (methode RIVM) [t]",
        "tr_realised": "Gerealiseerd tot nu [t]",
        "tr_open": "Open aanbestedingen",
        "tr_caption": "Per buyer group: zoals gepland, gerealiseerd tot nu (gecontracteerd, in "
                      "het contract en verder dan de marktstandaard, bij de gerealiseerde "
                      "hoeveelheid), en de risicogecorrigeerde reductie van de open "
                      "aanbestedingen [t CO2-eq]",
        "tr_band": "Marge",
        "tr_ex_ante": "vooraf",
        "tr_chart_title": "Risicogecorrigeerd totaal naarmate de uitkomsten binnenkwamen",
        "tr_chart_caption": "Het risicogecorrigeerde totaal van de buyer groups vóór elke "
                            "uitkomst en op elke statusdatum, opnieuw berekend uit de "
                            "uitkomsten die toen bekend waren: mediaan en {level}-marge "
                            "[t CO2-eq].",
        "tr_chart_alt": "Trapgrafiek van mediaan en marge van het risicogecorrigeerde totaal "
                        "over {n} statusdatums.",
        "tr_date": "Datum", "tr_outcomes": "Uitkomsten", "tr_group": "Buyer group",
        "tr_median_change": "Mediaan verschoven [t]",
        "tr_width_change": "Breedte marge verschoven [t]",
        "tr_moves_caption": "De statusdatums die de schatting het meest verschoven",
        "cmp_title": "Vergelijking van twee rapporten",
        "cmp_intro": "Rapport A: {a}. Rapport B: {b}. Elk kerncijfer van beide, het verschil "
                     "B min A, en wat er tussen beide veranderde.",
        "cmp_paired": "Beide runs trokken dezelfde toevalsgetallen (seed, trekkingen, batches "
                      "en steekproefontwerp), dus elk verschil is gepaard beoordeeld: het "
                      "95%-interval komt uit de verschillen per batch.",
        "cmp_unpaired": "De runs trokken andere toevalsgetallen (seed, trekkingen, batches of "
                        "steekproefontwerp verschillen), dus geen verschil wordt tegen "
                        "Monte-Carloruis beoordeeld: beide marges staan erbij.",
        "cmp_other_project": "De twee rapporten horen bij verschillende projecten ({a} en "
                             "{b}).",
        "cmp_figures": "Kerncijfers",
        "cmp_caption": "Kerncijfers van A en B [t CO2-eq]",
        "cmp_range_a": "Marge A", "cmp_range_b": "Marge B",
        "cmp_inputs": "Invoer", "cmp_inputs_none": "Geen invoerbestand verschilt.",
        "cmp_settings": "Instellingen", "cmp_settings_none": "Geen instelling verschilt.",
        "cmp_setting": "Instelling", "cmp_provenance": "Code en herkomst",
        "cmp_provenance_none": "Code en herkomst zijn gelijk.",
        "cmp_what": "Wat", "cmp_in_a": "A", "cmp_in_b": "B",
        "cmp_only_one": "Cijfers die maar één rapport heeft: {names}.",
        "wc_not_paired": "niet gepaard: beide marges getoond",
        "wc_real": 'echte verandering',
        "index_title": 'effectmodel-rapporten',
        "index_report": 'Rapport',
        "index_kind": 'Soort',
        "index_status": 'Status',
        "index_figures": 'Kerncijfers [t CO2-eq]',
        "kind_params": 'briefing',
        "kind_sweep": 'sweep',
        "status_current": 'actueel',
        "status_stale": 'verouderd',
        "status_failed": 'mislukt',
        # the sweep report
        "sw_subtitle": ("Parametersweep: de uitkomsten over de scenario's, hun gevoeligheid voor "
            "de "
            "gevarieerde parameters, en de scenario's die mislukten."),
        "sw_design": 'Opzet',
        "sw_value": 'Waarde',
        "sw_prov_sweep": "Sweepbestand",
        "sw_prov_sweep_sha256": "Sweepbestand (SHA-256)",
        "sw_prov_params": "Basisparameterbestand",
        "sw_prov_params_sha256": "Basisparameterbestand (SHA-256)",
        "sw_prov_resolved_params_sha256": "Ingevulde parameters (SHA-256)",
        "sw_design_grid": "rooster (elke combinatie)",
        "sw_design_sobol": "Sobol (Saltelli-steekproef)",
        "sw_design_lhs": "Latijns hyperkubusontwerp",
        "sw_design_random": "willekeurig",
        "sw_parameter": 'Parameter',
        "sw_varied_as": 'Gevarieerd als',
        "sw_method": 'Opzet',
        "sw_scenarios": "Scenario's",
        "sw_failed_n": 'Mislukt',
        "sw_draws": 'Trekkingen per scenario',
        "sw_seed": 'Seed',
        "sw_interval": 'Interval',
        "sw_bg_total_t": 'buyer groups, risicogecorrigeerd [t CO2-eq]',
        "sw_bg_households": 'buyer groups [huishoudens]',
        "sw_period_total_t": 'effectmonitor [t CO2-eq]',
        "sw_period_households": 'effectmonitor [huishoudens]',
        "sw_median_axis": 'mediaan',
        "sw_median_band": 'mediaan (band: bereik)',
        "sw_outputs": 'Uitkomsten over de sweep',
        "sw_against": 'Uitkomsten tegen {name}',
        "sw_against_alt": 'Mediaan van elke uitkomst tegen {name}.',
        "sw_heat_title": 'Mediaan {label} op het rooster',
        "sw_heat_alt": 'Heatmap van de mediaan {label} over {x} en {y}.',
        "sw_scenario": 'Scenario',
        "sw_scenario_title": '{title} – scenario {i}: {values}',
        "sw_briefing": 'briefing',
        "sw_median_of": '{label} (mediaan)',
        "sw_median_range_of": '{label}: mediaan ({level}-interval)',
        "sw_against_of": '{label} tegen {name}',
        "sw_linked": '; een scenario met een link heeft een eigen briefing',
        "sw_n_scenarios": "{n} scenario's",
        "sw_first": ' (eerste {n} getoond)',
        "sw_sobol": 'Sobol-indices',
        "sw_not_sobol": ('Geen Sobol-opzet: gebruik <code>design.method: sobol</code> voor '
            'variantiegebaseerde indices.'),
        "sw_sobol_intro": ('Eerste-orde- (S1) en totale (ST) indices van SALib met {level} '
            'bootstrapintervallen.'),
        "sw_sobol_title": 'Sobol-indices: {label}',
        "sw_sobol_alt": 'Staafdiagram van eerste-orde- en totale Sobol-indices voor {label}.',
        "sw_sobol_axis": 'Sobol-index [-]',
        "sw_warning": 'Waarschuwing',
        "sw_flag_cannot_reach": 'kan deze uitkomst niet bereiken',
        "sw_flag_st_above_1": 'ST boven 1, ook met het interval: onmogelijk, ontwerpruis',
        "sw_flag_s1_above_1": 'S1 boven 1, ook met het interval: onmogelijk, ontwerpruis',
        "sw_flag_s1_above_st": 'S1 boven ST, ook met de intervallen: onmogelijk, ontwerpruis',
        "sw_flag_s1_below_0": 'S1 onder 0, ook met het interval',
        "sw_flag_below_floor": 'onder de ruisvloer',
        "sw_noise_floor": 'Ruisvloer (de grootste van een dummyparameter die het model nooit '
                          'leest en de gewone halve intervalbreedte): ST tot {st}, S1 tot '
                          '{s1}. Een index op of onder die vloer zegt niets.',
        "sw_advice": 'Intervallen tot ±{wide}: ze krimpen met 1/√n met de basissteekproef n '
                     'van het ontwerp, en niets anders maakt ze smaller; n = {n4} in plaats '
                     'van {n} brengt ze op ongeveer ±0,1.',
        "sw_failed": "Mislukte scenario's",
        "sw_reason": 'Reden',
        "sw_none_failed": 'Geen: elk scenario is voltooid.',
        "vb_title": "Waar de variantie vandaan komt",
        "vb_intro": "Sobol-indices van groepen invoer, geschat met pick-freeze op de eigen "
                    "trekkingen van de run (een tweede steekproef door de trekkingen van elke "
                    "groep te permuteren; eerste orde volgens Janon, totaal volgens Jansen). "
                    "Eerste orde: het aandeel van de variantie dat een groep alleen "
                    "veroorzaakt. Totaal: haar aandeel met elke interactie waaraan ze "
                    "meedoet. De rest (1 − som van de eerste ordes) veroorzaken de groepen "
                    "samen; die is nooit negatief buiten haar Monte-Carlo-interval. Tussen "
                    "haakjes: 95%-Monte-Carlo-intervallen.",
        "vb_first": "Eerste orde",
        "vb_first_order_short": "eerste orde (alleen)",
        "vb_total_short": "totaal (met interacties)",
        "vb_axis": "Aandeel in de variantie [-]",
        "vb_chart_title": "Variantiebegroting: {figure}",
        "vb_chart_alt": "Staven van de eerste-orde- en totale Sobol-index van elke groep "
                        "invoer van {figure}, met hun Monte-Carlo-intervallen.",
        "cap_vb": "Blauw: het aandeel van de variantie dat een groep invoer alleen "
                  "veroorzaakt (eerste orde); oranje: met elke interactie waaraan ze meedoet "
                  "(totaal); foutbalken: 95%-Monte-Carlo-intervallen.",
        "cap_vb_sampling": " Anders dan de rangcorrelaties hieronder toont dit de "
                           "herbemonstering van de aanbestedingen in de steekproef.",
        "vb_total": "Totaal",
        "vb_others": "De andere indicatoren, {period}: eerste orde (totaal)",
        "vb_risk_total": "totaal aantal toepassingen achter de tellingen",
        "vb_source": "Bron",
        "vb_bg": "Buyer groups, totaal",
        "vb_mon": "Effectmonitor {period}",
        "vb_sampling": "steekproef van aanbestedingen (bootstrap)",
        "resampling_design": "Steekproefonzekerheid: de ontwerpbootstrap (Dirichlet-gewichten "
                             "per substratum met de spreiding van de gestratificeerde "
                             "steekproef, inclusief eindigepopulatiecorrectie, verbreed met "
                             "de jackknifevariantie van elk substratum gedeeld door haar "
                             "linearisatie: de ratio van een kleine steekproef varieert meer "
                             "dan haar linearisatie zegt).",
        "resampling_bayesian": "Steekproefonzekerheid: de gewone Bayesiaanse bootstrap "
                               "(vlakke Dirichlet-gewichten: (n - 1)/(n + 1) van de "
                               "variantie van het ontwerp, dus te smalle marges bij kleine "
                               "steekproeven).",
        "resampling_none": "Steekproefonzekerheid: niet getrokken (monitor.bootstrap: none); "
                           "de marges laten de steekproef buiten beschouwing.",
        "resampling_single": " {strata}: in totaal één aanbesteding in de steekproef, dus "
                             "geen spreiding daar en geen bijdrage aan de steekproefvariantie.",
        "interval_studentized": " De marge van elke productgroep is het gestudentiseerde "
                                "(bootstrap-t) interval: de afwijking van elke herbemonstering "
                                "wordt gedeeld door haar eigen standaardfout, zodat een "
                                "steekproef zonder haar grote aanbestedingen, laag en smal, de "
                                "marge boven de schatting verbreedt, waar de werkelijke waarde "
                                "van een scheve groep meestal ligt.",
        "interval_percentile": " De marge van elke productgroep is het percentielinterval van "
                               "de herbemonsterde schattingen.",
        "vb_translation_factors": "vertaalfactoren",
        "vb_frame_totals": "inkoopvolumes",
        "vb_interactions": "samen (1 − som van de eerste ordes)",
        # figure captions: what the marks mean, not the chart's title again
        "cap_bg": "Oranje ruiten: zoals gepland, de methode van het RIVM (modi, elke "
                  "aanbesteding gegund, additionaliteit 1). Blauwe balken: de "
                  "risicogecorrigeerde mediaan, foutbalken het {level}-interval over {n} "
                  "Monte-Carlotrekkingen. Niet-gekwantificeerde groepen staan er met naam, "
                  "nooit als nul.",
        "cap_periods": "Blauw: de mediaan van het model met het {level}-interval per periode.",
        "cap_periods_published": " Oranje vierkanten: wat het RIVM publiceerde.",
        "cap_periods_bounds": " Voor {periods} publiceerde het RIVM een ondergrens.",
        "cap_periods_projection": " Grijze ruit op een grijs vlak, de periode met een ster: "
                                  "een log-lineaire projectie, geen meting.",
        "cap_pg": "Mediaan en {level}-interval van het effect per productgroep in {period}, "
                  "van de steekproef geëxtrapoleerd naar alle inkoop; logaritmische as.",
        "cap_trend": "Punten: het aandeel aanbestedingen in de steekproef met een geteld "
                     "effect per periode; lijn: de binomiale trend erdoorheen; met ster en grijs "
                     "vlak: de projectie met een {level}-interval, geen meting.",
        "cap_tornado": "Spearman-rangcorrelatie van elke getrokken invoer met {figure} over "
                       "{n} trekkingen, de tien grootste. Blauw: meer invoer, meer reductie; "
                       "oranje: minder.",
        "cap_tornado_sampling": " De herbemonstering van de aanbestedingen in de steekproef is "
                                "geen invoerkolom, dus geen balk toont haar; de "
                                "variantiebegroting hierboven geeft haar {share} van de "
                                "variantie van dit totaal (eerste orde).",
        "tornado_fig_bg": "het buyer-grouptotaal",
        "tornado_fig_mon": "het monitortotaal van {period}",
        "cap_sw_against": "Mediaan (punten of lijnen) en {level}-interval (foutbalken of band) "
                          "van elke uitkomst over de scenario's, tegen {name}.",
        "cap_sw_heat": "De mediaan van {label} in elke cel van het rooster, zoals erin staat.",
        "cap_sobol": "Eerste-orde- (S1) en totale (ST) Sobol-indices van {label}, met hun "
                     "{level}-bootstrapintervallen; een waarschuwing markeert een index onder "
                     "nul of een interval dat nul bevat.",
        "sw_from_to": "van {low} tot {high}",
        "cap_sw_small": "Tegen {name}: één paneel per uitkomst, elk op een eigen as; de "
                        "mediaan (punten, of een lijn met het {level}-interval als band).",
        # settings of the run
        "settings": "Instellingen van deze run",
        "settings_intro": "Elke modeloptie van deze run, met haar waarde en waar die vandaan "
                          "komt. Vetgedrukte rijen wijken af van de standaard of vervangen "
                          "waarden uit de data.",
        "setting": "Instelling",
        "set_by": "Gezet door",
        "effect_on_data": "Wat het met de data doet",
        "origin_file": "paramsbestand",
        "origin_override": "overschreven (opdrachtregel, sweepscenario of API)",
        "origin_default": "standaard",
        "settings_changed": "Deze run zet {items} (zie {link}).",
        "settings_link": "Instellingen van deze run",
        "data_said": "data: {x}",
        "opt_note_award_probability": "vervangt de kans op opname in het contract van elke "
                                      "aanbesteding in "
                                      "de data",
        "opt_note_additionality": "vervangt de additionaliteit van elke aanbesteding in de "
                                  "data",
        "opt_note_uncertainty": "uit: de modus uit de data, geen marge",
        "opt_note_award_off": "uit: bij elke aanbesteding tellen de criteria als opgenomen in "
                              "het contract",
        "opt_note_risk_evidence": "vervangt award_probability en additionality van elke "
                                  "aanbesteding",
        "opt_note_frame_total_scale": "vermenigvuldigt elk inkoopvolume uit de data",
        "opt_run.seed": "Seed",
        "opt_run.n_draws": "Monte-Carlotrekkingen",
        "opt_run.interval": "Getoond centraal interval",
        "opt_run.sampler": "Steekproefontwerp",
        "opt_run.mc_batches": "Batches voor de Monte-Carlofout",
        "opt_buyer_groups.household_factor": "Huishoudfactor (publicatie)",
        "opt_buyer_groups.started": "Wanneer de buyer groups startten",
        "opt_buyer_groups.award_probability":
            "Kans op opname in het contract, alle aanbestedingen",
        "opt_buyer_groups.additionality": "Additionaliteit, alle aanbestedingen",
        "opt_buyer_groups.risk_shared_by":
            "Risico op opname in het contract en additionaliteit getrokken per",
        "opt_buyer_groups.risk_evidence": "Opname in het contract en additionaliteit uit",
        "opt_unclear": "Onduidelijke uitkomsten en toetsen",
        "opt_buyer_groups.risk_outcome": "Het risico van een aanbesteding telt als",
        "opt_buyer_groups.outcomes.as_of": "Uitkomsten bekend op",
        "opt_buyer_groups.outcomes.prior_weight": "Gewicht van de tellingen tegen de uitkomsten",
        "opt_buyer_groups.outcomes.pooling": "Wat een groep leert van de andere groepen",
        "opt_buyer_groups.risk_counts.not_beyond_market_standard":
            "Tellingen: niet verder dan de marktstandaard",
        "opt_buyer_groups.risk_counts.not_in_contract": "Tellingen: niet in het contract",
        "opt_buyer_groups.risk_counts.unclear": "Tellingen: onduidelijk",
        "opt_buyer_groups.risk_counts.total_low": "Tellingen: totaal aantal toepassingen, laag",
        "opt_buyer_groups.risk_counts.total_mode":
            "Tellingen: totaal aantal toepassingen, waarschijnlijkst",
        "opt_buyer_groups.risk_counts.total_high": "Tellingen: totaal aantal toepassingen, hoog",
        "opt_monitor.factor_rank_correlation": "Correlatie van basis- en MVI-factor "
                                               "(Gaussische copula)",
        "opt_monitor.frame_total_correlation": "Aandeel inkoopvolumevariantie gemeen aan alle "
                                               "strata",
        "opt_buyer_groups.uncertainty.quantity": "Onzekerheid: hoeveelheid",
        "opt_buyer_groups.uncertainty.emission_factor": "Onzekerheid: emissiefactor",
        "opt_buyer_groups.uncertainty.reduction_fraction": "Onzekerheid: reductiefractie",
        "opt_buyer_groups.uncertainty.award": "Onzekerheid: opname in het contract",
        "opt_buyer_groups.uncertainty.additionality": "Onzekerheid: additionaliteit",
        "opt_buyer_groups.uncertainty.cancellation": "Onzekerheid: intrekking",
        "opt_buyer_groups.cancellation.prior_cancelled": "Prior intrekking: ingetrokken",
        "opt_buyer_groups.cancellation.prior_went_ahead": "Prior intrekking: doorgegaan",
        "opt_monitor.periods": "Monitoringsperioden",
        "opt_monitor.bootstrap": "Herbemonstering van de steekproef",
        "opt_monitor.interval": "Marge van een productgroep",
        "opt_monitor.emission_factor_uncertainty": "Onzekerheid: vertaalfactoren",
        "opt_monitor.frame_total_uncertainty": "Onzekerheid: inkoopvolumes",
        "opt_monitor.frame_total_scale": "Inkoopvolumes geschaald met",
        "opt_monitor.projection": "Trend een periode vooruit geprojecteerd",
        "opt_monitor.headline_period": "Periode in de kernboodschap",
        "mon_per_year": "Per jaar van de contracten is dat {median} ({level}-marge {low} tot "
                        "{high}), de jaarlijkse uitstoot van ongeveer {hh} huishoudens ({factor} "
                        "t per huishouden per jaar, {basis}; {publication}).",
        "mon_no_years": "De data geven geen contractduur, dus er is geen cijfer per jaar en "
                        "geen huishoudequivalent daarvan.",
        "criteria": "Hoe de criteria zijn beoordeeld",
        "criteria_intro": "Een criterium van een aanbesteding in de steekproef telt mee als "
                          "het verder ging dan de marktstandaard en in het contract kwam. "
                          "Criteria waarvan dat onduidelijk bleef, zijn hier {option}. "
                          "De kolommen rechts geven de centrale schatting met die criteria "
                          "als geen (RIVM), naar hun kans uit de tellingen van Zijp e.a. 2022, "
                          "of alle.",
        "criteria_caption": "Criteria van de aanbestedingen in de steekproef, en de centrale "
                            "schatting [t CO2-eq]",
        "cls_counted": "Telt mee",
        "cls_not_beyond_market_standard": "Niet verder dan marktstandaard",
        "cls_not_in_contract": "Niet in het contract",
        "cls_unclear": "Onduidelijk",
        "unclear_none": "Onduidelijk als geen",
        "unclear_expected": "Onduidelijk naar kans",
        "unclear_all": "Onduidelijk alle",
        "unclear_as_none": "niet meegeteld (zoals het RIVM doet)",
        "unclear_as_expected": "naar hun kans meegeteld",
        "unclear_as_drawn": "met hun kans getrokken",
        "unclear_as_all": "alle meegeteld",
        "by_ambition": "Centraal effect per ambitieniveau [t CO2-eq]",
        "by_type": "Centraal effect per soort criterium [t CO2-eq]",
        "lvl_basis": "Basis",
        "lvl_significant": "Significant",
        "lvl_ambitious": "Ambitieus",
        "lvl_unknown": "Onbekend",
        "lvl_minimum": "Minimumeis",
        "lvl_stricter": "Strengere eis",
        "lvl_award": "Gunningscriterium",
        "no_upper_bound": "0 – geen bovengrens: geen meetelende aanbesteding van deze groep "
                          "in enige periode",
        "no_upper_bound_short": "geen bovengrens",
        "coverage_note": "Dekking niet gewaarborgd voor {groups}.",
        "coverage_self_check": " De zelfcontrole bemonstert de eigen pseudopopulatie van de "
                               "steekproef (elke aanbesteding herhaald naar haar gewicht) {reps} "
                               "keer volgens hetzelfde ontwerp: daar bevatte de {level}-marge "
                               "de werkelijke waarde in minder dan {assured} ervan.",
        "coverage_spend": " Een steekproefbedrag ver van het inkoopvolume betekent dat de "
                          "steekproef de grootste aanbestedingen mist, of er toevallig een "
                          "trok: neem die met zekerheid op (effectmodel sample --take-all).",
        "reason_self_check": "zelfcontrole {share}",
        "unbounded_note": "{groups}: in geen enkele periode een meetelende aanbesteding, dus "
                          "geen bovengrens; de marge van het periodetotaal telt ze als 0.",
        "reason_spend": "steekproef staat voor {share} van het inkoopvolume",
        "self_check": "Zelfcontrole: dekking",
        "zero_effect_note": "geen meetelend effect in de steekproef: het centrale cijfer is 0, "
                            "en in plaats van mediaan en marge geeft de pagina 0 tot de "
                            "eenzijdige 95%-bovengrens, uit een Jeffreys-prior Beta(1/2, "
                            "n + 1/2) op het aandeel van de inkoop met een effect. Een "
                            "uniforme prior Beta(1, n + 1) geeft: {uniform}.",
        "vb_unclear_criteria": "onduidelijke criteria (getrokken)",
        "vb_mon_ind": "{indicator}, {period}",
        "tables_link": "De tabellen van deze briefing (xlsx; CSV-bestanden in tables/)",
        "indicators": "Andere indicatoren",
        "ind_intro": "Het RIVM rapporteert ook stikstofoxiden, fijnstof, grondstoffen en banen. "
                     "Elk wordt berekend uit dezelfde steekproef, criteria en inkoopvolumes "
                     "met eigen vertaalfactoren. De cijfers van het RIVM staan er in de eenheid "
                     "van de tabel, naast die van het model.",
        "ind_nox": "Stikstofoxiden (NOx)",
        "ind_pm": "Fijnstof (PM)",
        "ind_raw_materials": "Grondstoffen",
        "ind_jobs": "Banen",
        "ratio_rivm": "Model / RIVM",
        "not_reproduced": "niet gereproduceerd",
        "not_computed": "niet berekend",
        "ind_not_computed": "Niet berekend: geen criterium in de steekproef van de periode "
                            "heeft een vertaalfactor voor deze indicator.",
        "ind_ratio_note": "Model / RIVM: het centrale cijfer gedeeld door dat van het RIVM, "
                          "op dezelfde basis (per jaar waar het RIVM per jaar publiceerde); "
                          "buiten 0,5–2 gemarkeerd als niet gereproduceerd.",
        "basis_lifetime": "over de looptijd van de contracten",
        "basis_per_year": "per jaar",
        "basis_not_stated": "basis niet vermeld",
        "median_per_year": "Mediaan per jaar [{unit}]",
        "range_per_year": "{level}-marge per jaar",
        "ind_annex": "Andere indicatoren per productgroep",
        "ind_annex_caption": "{indicator} [{unit}]: mediaan ({level}-marge) per periode",
        "si_title": "De voetafdruk van de inkoop",
        "si_spend": "Publieke inkopers besteden {spend} {unit} per jaar in {n} groepen "
                    "({source}).",
        "si_spend_in": "Publieke inkopers besteedden {spend} {unit} in {year}, in {n} "
                       "groepen ({source}).",
        "si_bn_eur": "miljard euro", "si_mn_eur": "miljoen euro", "si_eur": "euro",
        "si_from_table": "de tabel met bestedingen",
        "si_from_frame_totals": "de inkoopvolumes van {period}, per jaar",
        "si_total_co2_eq": "Bij de intensiteiten per euro uit de gegevens heeft die inkoop een "
                           "voetafdruk van {central} {unit} per jaar (mediaan {median}, "
                           "{level}-marge {range}).",
        "si_total_land_use": "Het landgebruik is {central} {unit} per jaar ({level}-marge "
                             "{range}).",
        "si_total_raw_materials": "Er gaat {central} {unit} grondstoffen per jaar in om "
                                  "({level}-marge {range}).",
        "si_share_per_tendering_year":
            "De reductie van de effectmonitor over {period}, het effect over de hele "
            "looptijd van een jaar aanbestedingen, is {central} van de CO2-eq-voetafdruk van "
            "een jaar ({level}-marge {low} tot {high}, trekking voor trekking): gelijk met "
            "gelijk, want de voetafdruk van een jaar telt de hele keten van de inkoop.",
        "si_share_per_calendar_year":
            "De reductie van de effectmonitor over {period} in een kalenderjaar van de "
            "contracten is {central} van de CO2-eq-voetafdruk van een jaar ({level}-marge "
            "{low} tot {high}, trekking voor trekking); dat zet een jaar effect van de "
            "contracten tegen een voetafdruk van hele ketens.",
        "si_share_other_per_calendar_year":
            "Per kalenderjaar van de contracten geteld is het {central}.",
        "si_share_other_per_tendering_year":
            "Gelijk met gelijk (het effect over de looptijd van een jaar aanbestedingen) is "
            "het {central}.",
        "si_calibrated": "De intensiteiten zijn met {factor} geschaald zodat de mediaan "
                         "{target} {unit} is{source}.",
        "si_correlation": "Hun fouten hangen tussen de groepen samen met correlatie {rho} "
                          "(één input-outputmodel achter alle groepen); onafhankelijke fouten "
                          "gaven een {level}-marge van {independent}, één gedeelde fout "
                          "{shared}.",
        "si_year": "Jaar",
        "si_years_caption": "Voetafdruk van de inkoop per jaar [{unit}]: bij de intensiteiten "
                            "per euro van {year}, de besteding van elk jaar in euro's van dat "
                            "jaar (niet gedefleerd); centraal bij de modi, mediaan en marge "
                            "van de trekkingen",
        "si_years_chart_title": "CO2-eq-voetafdruk van de inkoop per jaar [{unit}]",
        "si_years_figure": "De voetafdruk per jaar: mediaan met {level}-marge (balk) en het "
                           "cijfer bij de modi (ruit); de tabel hieronder geeft ze.",
        "si_years_alt": "De CO2-eq-voetafdruk van de inkoop per jaar van {first} tot {last}: "
                        "mediaan met marge, en het cijfer bij de modi.",
        "si_no_share": "De effectmonitor geeft hier geen reductie per jaar (de gegevens missen "
                       "contractjaren), dus er staat geen aandeel in de voetafdruk.",
        "si_group": "Groep",
        "si_spend_col": "Besteding [{unit} per jaar]",
        "si_per_eur_co2_eq": "kg CO2-eq per euro",
        "si_per_eur_land_use": "m2a per euro",
        "si_per_eur_raw_materials": "kg grondstoffen per euro",
        "si_caption": "Voetafdruk van de inkoop per groep [{unit} per jaar]: centraal bij de "
                      "modi, mediaan en marge van de trekkingen",
        "si_annex": "De voetafdruk van de inkoop per groep",
        "si_annex_co2_eq": "Broeikasgassen [{unit} per jaar]",
        "si_annex_land_use": "Landgebruik [{unit} per jaar]",
        "si_annex_raw_materials": "Grondstoffen [{unit} per jaar]",
        "opt_monitor.unclear_contract_probability": "Kans dat een onduidelijk criterium in het "
                                                    "contract staat",
        "opt_monitor.unclear_beyond_probability": "Kans dat een onduidelijk criterium verder "
                                                  "gaat dan de marktstandaard",
        "opt_monitor.finite_population_correction": "Eindigepopulatiecorrectie",
        "opt_monitor.zero_effect_strata": "Productgroepen zonder meetelend effect",
        "opt_monitor.indicators": "Berekende indicatoren",
        "yes": "ja",
        "no": "nee",
        "from_data": "uit de data",
        "latest": "de laatste",
        "all": "alle",
    },
}


#: units in Dutch, longest first (a unit is the model's, INDICATORS and t CO2-eq)
UNITS_NL = {"t raw materials per year": "t grondstoffen per jaar",
            "t raw materials": "t grondstoffen", "kg NOx per year": "kg NOx per jaar",
            "kg PM per year": "kg PM per jaar", "FTE-years": "fte-jaren", "FTE": "fte",
            "t CO2-eq per year": "t CO2-eq per jaar", "households": "huishoudens",
            "per year": "per jaar"}
#: the values of the params' choices in Dutch (settings table); English shows the value
VALUES_NL = {"random": "willekeurig", "lhs": "Latijnse hyperkubus (lhs)", "sobol": "Sobol",
             "design": "ontwerp", "bayesian": "Bayesiaans", "none": "geen",
             "jeffreys": "Jeffreys", "zero": "nul", "expected": "naar kans",
             "drawn": "getrokken", "all": "alle", "tender": "aanbesteding",
             "group": "buyer group", "counts": "tellingen", "table": "tabel",
             "not_counted": "niet meegeteld", "missing_at_random": "willekeurig ontbrekend",
             "counted": "meegeteld",
             "bernoulli": "0/1 (Bernoulli)", "fraction": "fractie", "en": "Engels",
             "nl": "Nederlands", "studentized": "gestudentiseerd (bootstrap-t)",
             "percentile": "percentiel"}


def unit_text(unit: str, lang: str) -> str:
    """A unit in the page's language: 'kg NOx per year' -> 'kg NOx per jaar' (nl)."""
    if lang != "nl":
        return unit
    for en, nl in UNITS_NL.items():
        if unit == en:
            return nl
    return unit


def t(key: str, lang: str, **kw) -> str:
    """The text ``key`` in ``lang``, formatted with ``kw``."""
    s = TEXT[lang][key]
    return s.format(**kw) if kw else s


def number(x: float, lang: str, decimals: int = 0) -> str:
    """A number with thousands separators: 80,125 (en) or 80.125 (nl)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s.replace("-", "−")


def exact_decimals(values, most: int = 6) -> int:
    """The fewest decimals (at most ``most``) that show every one of ``values`` as it is:
    0.6 -> 1, 0.95 -> 2; ticks at 0.25 steps -> 2, at 0.2 steps -> 1, at 1000 steps -> 0."""
    x = np.asarray(values, dtype=float).ravel()
    scale = max(1.0, float(np.abs(x).max())) if x.size else 1.0
    for d in range(most + 1):
        if np.all(np.abs(np.round(x, d) - x) <= 1e-9 * scale):
            return d
    return most


def step_of(s: dict, floor: float = 1.0) -> float:
    """How finely a STATS block's figures are shown [their unit]: three significant
    figures of its largest value, and a step its Monte Carlo error stays below (the power of
    ten at or above the error: a digit the draws cannot fix is not shown), never finer than
    ``floor`` (0: no floor, for figures shown in a larger unit, such as Mt)."""
    values = [abs(s[k]) for k in ("median", "low", "high") if s.get(k) is not None]
    big = max(values, default=0.0)
    if not big or not math.isfinite(big):
        return 1.0
    step = 10.0 ** (math.floor(math.log10(big)) - 2)
    err = s.get("mc_error") or 0.0
    if err and math.isfinite(err):
        step = max(step, 10.0 ** math.ceil(math.log10(err)))
    return max(step, floor)


def at_step(x: float, step: float) -> float:
    """The value a figure is shown at [its unit]: ``x`` rounded to a multiple of ``step``;
    a figure other than 0 that would round to 0 keeps its two leading digits (a bound of
    1,506 t at a 10,000 t step is 1,500, never 0)."""
    v = round(x / step) * step
    if v == 0 and x != 0:
        v = round(x, 1 - math.floor(math.log10(abs(x))))
    return float(v)


def shown(x: float | None, step: float, lang: str) -> str:
    """``x`` at :func:`at_step`, in the page's number format (the decimals the value has)."""
    if x is None or not math.isfinite(x):
        return "–"
    v = at_step(x, step)
    return number(v, lang, exact_decimals([v]))


def tonnes_at(x: float, step: float, lang: str) -> str:
    """A figure in words: the value of :func:`shown` (the same number the tables show) in
    t, kt or Mt: 7,800,000 at a 100,000 step is '7.8 Mt', 24,000 is '24,000 t'."""
    v = at_step(x, step)
    a = abs(v)
    scale, unit = (1e6, "Mt") if a >= 1e6 else (1e3, "kt") if a >= 1e5 else (1.0, "t")
    return f"{number(v / scale, lang, exact_decimals([v / scale]))} {unit}"


def exact(x: float, lang: str) -> str:
    """A deterministic figure (central, as planned, realised, published) at its own
    precision: whole units, or two significant digits below 100 (0.37, 12)."""
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= 100 or x == 0:
        return number(x, lang)
    v = round(x, 1 - math.floor(math.log10(abs(x))))
    return number(v, lang, exact_decimals([v]))


def tonnes(x: float, lang: str, exact: bool = False) -> str:
    """A mass of CO2-eq in t, kt or Mt, rounded for reading: 6.8 Mt, 410 kt, 41,200 t (three
    significant figures at most); ``exact``: a deterministic figure at its own precision,
    80,125 t, and 6.8 Mt only where that is 6,800,000 t."""
    a = abs(x)
    if exact:
        whole = round(x)
        if a >= 1e6 and exact_decimals([whole / 1e6], 3) < 3:
            return f"{number(whole / 1e6, lang, exact_decimals([whole / 1e6], 3))} Mt"
        return f"{number(whole, lang, 0)} t"
    if a >= 1e6:
        return f"{number(x / 1e6, lang, 1)} Mt"
    if a >= 1e5:
        return f"{number(x / 1e3, lang, 0)} kt"
    if a < 1000:
        return f"{number(x, lang, 0)} t"
    return f"{shown(x, 10.0 ** (math.floor(math.log10(a)) - 2), lang)} t"


def percent(x: float, lang: str, decimals: int = 0) -> str:
    """A share as a percentage: 0.9 -> 90%."""
    return f"{number(100 * x, lang, decimals)}%"


def share_of_draws(p: float, n: int, lang: str) -> str:
    """A share of n Monte Carlo draws as a percentage, to the step just above its binomial
    standard error (at least 1/n): 0.0017 of 10,000 draws -> "0.2%", 0.5 -> "50%"; a share
    above 0 that would round to 0 keeps its first significant digit: 0.0004 -> "0.04%"."""
    se = 100 * math.sqrt(max(p * (1 - p), 1 / n) / n)  # [percentage points]
    decimals = min(2, max(0, -math.floor(math.log10(se)) - 1))
    for q in (p, 1 - p):  # a share that happened is not shown as 0%, nor one that failed as
        if 0 < q and round(100 * q, decimals) == 0:  # 100%: its first significant digit
            decimals = max(decimals, -math.floor(math.log10(100 * q)))
    return percent(p, lang, decimals)
