"""The command line: ``effectmodel validate | run | sweep | build | pdf`` (docs/usage.md).

Exit codes: 0 success; 2 bad input, one ``error: FILE: field: what (allowed)`` line per problem
and no traceback; 1 internal failure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence

from effectmodel.domain import catalogue
from effectmodel.domain.errors import InputError, Problem

MAX_LINES = 200


def _print_problems(problems: Sequence[Problem]) -> None:
    for p in problems[:MAX_LINES]:
        print(f"error: {p}", file=sys.stderr)
    if len(problems) > MAX_LINES:
        print(f"error: ... and {len(problems) - MAX_LINES} more problems", file=sys.stderr)


def _overrides(items: Sequence[str] | None) -> dict:
    from effectmodel.domain.params import parse_override

    out = {}
    for item in items or []:
        key, value = parse_override(item)
        out[key] = value
    return out


def cmd_validate(args) -> int:
    from effectmodel.inputs.data import load_inputs
    from effectmodel.inputs.paramsfile import load_params
    from effectmodel.report.numformat import number

    try:
        params = load_params(args.params, overrides=_overrides(args.set))
    except InputError as exc:  # report the data files' own problems too, all at once
        from pathlib import Path

        from effectmodel.inputs.data import check_files
        from effectmodel.inputs.yamlfiles import read_yaml

        try:
            raw, _ = read_yaml(Path(args.params), "a params YAML file")
        except InputError:
            raise exc from None
        both = exc.problems + check_files(raw, Path(args.params))
        raise InputError(list(dict.fromkeys(both))) from None  # each problem once
    inputs = load_inputs(params)
    n = sum(len(df) for df in inputs.tables.values())
    words = catalogue.words("commands", params.language)
    parts = words["and"].join(words[p] for p in params.parts)
    periods = words["periods"].format(", ".join(inputs.periods)) if inputs.periods else ""
    lang = params.language
    print(words["valid"].format(file=args.params, k=number(len(inputs.tables), lang),
                                n=number(n, lang), parts=parts, periods=periods))
    if "monitor" in params.parts:
        _warn_dominant(args.params, inputs, params.language)
    return 0


def _warn_dominant(label: str, inputs, lang: str) -> None:
    """One line on stderr naming the product groups whose sampled tenders, weighted, stand
    for a share of the frame total outside the assured range: the sample lacks the frame's
    dominant tenders, or drew one at random (nothing where the frame counts are unknown)."""
    from effectmodel.domain.assurance import SPEND_RATIO_RANGE, spend_off
    from effectmodel.model.monitor.evaluate import spend_ratio
    from effectmodel.model.monitor.setup import monitor_setup
    from effectmodel.report.numformat import percent

    words = catalogue.words("commands", lang)
    m = monitor_setup(inputs)
    ratio = spend_ratio(m)
    flag = spend_off(ratio)
    if flag.any():
        groups = ", ".join(f"{s} {percent(ratio[i], lang)}" for i, s in enumerate(m.stratum_ids)
                           if flag[i])
        lo, hi = (percent(x, lang) for x in SPEND_RATIO_RANGE)
        print(words["dominant"].format(file=label, groups=groups, lo=lo, hi=hi),
              file=sys.stderr)


def cmd_run(args) -> int:
    from effectmodel.pipeline.run import run, to_stderr

    out = run(args.params, out=args.out, overrides=_overrides(args.set), n_draws=args.draws,
              seed=args.seed, log=to_stderr("effectmodel: "))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    pages = ", ".join(sorted(p.name for p in out.glob("*.html")))
    print(catalogue.words("commands", summary.get("language", "en"))["wrote"].format(
        folder=os.path.relpath(out), pages=pages))
    return 0


def cmd_sweep(args) -> int:
    from effectmodel.pipeline.run import to_stderr
    from effectmodel.pipeline.sweep import run_sweep_report

    out = run_sweep_report(args.spec, out=args.out, workers=args.workers,
                           scheduler=args.scheduler, resume=args.resume,
                           notebooks=args.notebooks, log=to_stderr("effectmodel: "))
    print(f"wrote {os.path.relpath(out)}/index.html, summary.json, sweep.nc, notebooks/")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    if summary["n_failed"]:
        print(f"effectmodel: {summary['n_failed']} of {summary['n_scenarios']} scenarios "
              f"failed (reasons in {os.path.relpath(out)}/index.html and summary.json)",
              file=sys.stderr)
        return 1
    return 0


def cmd_build(args) -> int:
    from effectmodel.pipeline.build import main_build

    return main_build(args.targets, args.check, args.jobs, allow_dirty=args.allow_dirty)


def cmd_pdf(args) -> int:
    from pathlib import Path

    from effectmodel.pipeline.pdf import SUMMARY_PAGES, make_pdf

    out, n = make_pdf(Path(args.report), args.pages, Path(args.out) if args.out else None)
    print(f"wrote {os.path.relpath(out)}: {n} page{'s' if n != 1 else ''}")
    if args.pages != "all" and n > SUMMARY_PAGES:
        print(f"effectmodel: the summary is meant for {SUMMARY_PAGES} pages; this briefing's "
              f"headline and charts take {n}", file=sys.stderr)
    return 0


def cmd_compare(args) -> int:
    from pathlib import Path

    from effectmodel.pipeline.compare import write_compare

    a, b = Path(args.a), Path(args.b)
    out = Path(args.out) if args.out else Path(f"compare-{a.resolve().name}-"
                                               f"{b.resolve().name}")
    c = write_compare(a, b, out)
    if not c["same_project"]:
        print(f"effectmodel: warning: the reports belong to different projects "
              f"({c['a']['name']} and {c['b']['name']}); compared all the same",
              file=sys.stderr)
    real = sum(f["reading"] == "real" for f in c["figures"])
    print(f"wrote {os.path.relpath(out)}/compare.html and compare.json: "
          f"{len(c['figures'])} figures ({'paired' if c['paired'] else 'not paired'}; "
          f"{real} real changes), {len(c['inputs'])} inputs, {len(c['settings'])} settings "
          "differ")
    return 0


def cmd_init(args) -> int:
    from pathlib import Path

    from effectmodel.domain.parts import parse_parts
    from effectmodel.pipeline.project import init_project

    parts = parse_parts(args.parts) if args.parts is not None else None
    print(init_project(Path(args.folder), args.lang,
                       Path(args.source) if args.source else None, parts, args.data))
    return 0


def cmd_template(args) -> int:
    from pathlib import Path

    from effectmodel.pipeline.intake import template_confirmation, write_template

    out = write_template(Path(args.out), args.lang, Path(args.source) if args.source else None)
    print(template_confirmation(os.path.relpath(out), args.lang, args.source))
    return 0


def cmd_frame(args) -> int:
    from pathlib import Path

    from effectmodel.pipeline.framing import make_frame

    def progress(n: int) -> None:
        print(f"  {n:,} releases read", file=sys.stderr, flush=True)

    r = make_frame(Path(args.tenders), Path(args.map) if args.map else None, args.period,
                   Path(args.out), Path(args.cpv_map) if args.cpv_map else None,
                   args.skip_bad, Path(args.rates) if args.rates else None, progress)
    kinds = ", ".join(f"{v:,} {k}" for k, v in sorted(r["value_kinds"].items()))
    money = ", ".join(f"{n:,} in {c}" for c, n in sorted(r["converted"].items()))
    print(f"frame {args.period}: read by {r['mapping']}; {r['announcements']:,} announcements "
          f"-> {r['units']:,} tenders or lots in {args.period} ({r['by_award_date']:,} by "
          f"their award date, the others by their publication); {r['classified']:,} in "
          f"{r['strata']} strata (values: {kinds}); "
          f"{r['unknown_units']:,} with {r['unknown_codes']:,} CPV codes the map does not know "
          f"(listed in {os.path.relpath(Path(args.out) / 'unknown_cpv.csv')}); amounts: "
          f"{r['text_amounts']:,} read from text, {r['bad_amounts']:,} tenders or lots left "
          f"out for a bad amount, {r['no_currency']:,} without a currency read as EUR"
          + (f", converted to EUR: {money}" if money else ""))
    if r["without_value"]:
        print(f"  {r['without_value']:,} tenders or lots without a value count at their "
              "stratum's mean value (frame_strata.csv gives both counts)")
    if r["no_total"]:
        print(f"  no value at all, so no frame total: {', '.join(r['no_total'])}")
    return 0


def cmd_track(args) -> int:
    from pathlib import Path

    from effectmodel.pipeline.tracking import make_tracking

    threshold = None
    if args.propose or args.threshold is not None:
        from effectmodel.model.matching import THRESHOLD
        threshold = THRESHOLD if args.threshold is None else args.threshold
    r = make_tracking(Path(args.releases), Path(args.params), Path(args.out), threshold)
    print(f"track: {r['releases']:,} releases read; {r['matched']} of {r['tenders']} "
          f"buyer-group tenders matched, {r['rows']} statuses written to "
          f"{os.path.relpath(Path(args.out) / 'buyer_group_outcomes.csv')}"
          + (f"; unmatched: {', '.join(r['unmatched'][:10])}"
             + (" …" if len(r["unmatched"]) > 10 else "") if r["unmatched"] else ""))
    if r["to_score"]:
        print(f"track: {len(r['to_score'])} contracted: fill in in_contract and "
              f"beyond_market_standard for {', '.join(r['to_score'][:10])}"
              + (" …" if len(r["to_score"]) > 10 else "")
              + " (yes, no or unclear; validate refuses a contracted row without them)")
    if r["proposed"] is not None:
        print(f"track: {r['proposed']} of {len(r['unmatched'])} unmatched tenders have a "
              f"proposed release (score >= {threshold:g}) in "
              f"{os.path.relpath(Path(args.out) / 'proposals.csv')}; nothing is used until "
              "you copy a proposal's tender_id, status, date, ocid and source into your "
              "outcome table")
    return 0


def cmd_footprint(args) -> int:
    from pathlib import Path

    from effectmodel.pipeline.footprints import make_footprints

    def progress(n: int) -> None:
        print(f"  {n:,} releases read", file=sys.stderr, flush=True)

    out = Path(args.out)
    r = make_footprints(Path(args.tenders), Path(args.params), args.period, out,
                        Path(args.map) if args.map else None,
                        Path(args.rates) if args.rates else None, args.skip_bad,
                        Path(args.spend_map) if args.spend_map else None,
                        Path(args.planned) if args.planned else None, progress)
    from effectmodel.report.numformat import number, percent, shown

    lang = r["language"]
    words = catalogue.words("commands", lang)

    def three(*xs: float) -> list[str]:
        """Figures at one step: three significant digits of the largest."""
        top = max((abs(x) for x in xs if x), default=1.0)
        step = 10.0 ** (math.floor(math.log10(top)) - 2)
        return [shown(x, step, lang) for x in xs]

    counts = {k: number(r[k], lang) for k in ("counted", "units", "organisations",
                                               "without_value", "unmapped_units")}
    print(words["footprint_head"].format(
        period=args.period, spend=number(r["spend_eur"], lang),
        unmapped=number(r["unmapped_eur"], lang),
        listed=os.path.relpath(out / "unmapped_cpv.csv"), **counts))
    for tot in r["totals"]:
        median, low, high = three(tot["median"], tot["low"], tot["high"])
        print(words["footprint_line"].format(
            ind=tot["indicator"], unit=tot["unit"], per_unit=tot["per_unit"], median=median,
            low=low, high=high, per_eur=three(tot["per_eur"])[0],
            national=three(tot["national_per_eur"])[0], year=tot["national_year"],
            level=percent(r["interval"], lang)))
    if r["unplanned"]:
        print(words["footprint_unplanned"].format(ids=", ".join(r["unplanned"][:10])))
    print(words["footprint_wrote"].format(path=os.path.relpath(out)))
    return 0


def cmd_sample(args) -> int:
    from pathlib import Path

    from effectmodel.pipeline.framing import make_sample

    r = make_sample(Path(args.frame), args.n, args.seed, args.allocation, Path(args.out),
                    args.take_all)
    strata = f"{r['strata']} stratum" if r["strata"] == 1 else f"{r['strata']} strata"
    print(f"sample: {r['n']:,} of {r['frame']:,} tenders in {strata} "
          f"(seed {args.seed}, {args.allocation}; {r['take_all']:,} taken with certainty); "
          f"wrote {os.path.relpath(args.out)}/sampled_tenders.csv, sub_strata.csv, "
          "sample_design.csv")
    return 0


def _positive(text: str) -> int:
    """A count typed on the command line: an integer from 1 to 1024."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError(f"{text!r} (allowed: an integer from 1 to 1024)")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="effectmodel",
        description="CO2 effects of Dutch public procurement (RIVM MVI methods), with Monte "
                    "Carlo ranges and reproducible HTML briefings.")
    from effectmodel import __version__

    p.add_argument("--version", action="version", version=f"effectmodel {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    _report_commands(sub)
    _intake_commands(sub)
    return p


def _report_commands(sub) -> None:
    """validate, run, sweep and build."""
    v = sub.add_parser("validate", help="check params and every data file they name")
    v.add_argument("params", help="params YAML file")
    v.add_argument("--set", action="append", metavar="KEY.PATH=VALUE",
                   help="override a parameter (repeatable)")
    v.set_defaults(func=cmd_validate)

    r = sub.add_parser("run", help="run the notebooks and render the briefing")
    r.add_argument("params", help="params YAML file")
    r.add_argument("--out", help="output folder (default reports/<name>/)")
    r.add_argument("--set", action="append", metavar="KEY.PATH=VALUE",
                   help="override a parameter (repeatable)")
    r.add_argument("--draws", type=int, help="Monte Carlo draws (overrides run.n_draws)")
    r.add_argument("--seed", type=int, help="seed (overrides run.seed)")
    r.set_defaults(func=cmd_run)

    s = sub.add_parser("sweep", help="run a parameter sweep")
    s.add_argument("spec", help="sweep YAML file (params/sweeps/*.yaml)")
    s.add_argument("--out", help="output folder (default reports/<name>/)")
    s.add_argument("--workers", type=_positive, help="local worker processes for the chunks")
    s.add_argument("--scheduler", help="address of a dask.distributed scheduler, "
                                       "tcp://HOST:PORT")
    s.add_argument("--resume", action="store_true",
                   help="continue an interrupted sweep from its finished chunks")
    s.add_argument("--notebooks", metavar="SELECTION",
                   help="also render a briefing per scenario: all, 3, 0,5,9 or 2-6")
    s.set_defaults(func=cmd_sweep)

    b = sub.add_parser("build", help="rebuild the reports whose inputs changed")
    b.add_argument("targets", nargs="*", help="params or sweep files (default: every "
                                              "params/*.yaml and params/sweeps/*.yaml)")
    b.add_argument("--check", action="store_true",
                   help="only say which reports are stale (exit 1) or that all are current")
    b.add_argument("--jobs", type=_positive, default=1, help="reports built in parallel")
    b.add_argument("--allow-dirty", action="store_true",
                   help="build in a git work tree whose tracked params, data, notebooks or "
                        "code have uncommitted changes (the pages then say so)")
    b.set_defaults(func=cmd_build)

    d = sub.add_parser("pdf", help="print a briefing to PDF (headless Chromium): its two-page "
                                   "summary, or the whole page")
    d.add_argument("report", help="a briefing's folder (reports/<name>/)")
    d.add_argument("--pages", choices=("2", "all"), default="2",
                   help="2: headline, the two main charts, sources and provenance on two A4 "
                        "pages (default); all: the whole briefing")
    d.add_argument("--out", help="the PDF (default: reports/<name>-summary.pdf, or "
                                 "reports/<name>.pdf with --pages all)")
    d.set_defaults(func=cmd_pdf)

    c = sub.add_parser("compare", help="compare two report folders: headline figures "
                                       "(paired where the draws pair), inputs, settings, "
                                       "code")
    c.add_argument("a", help="a report folder (the earlier one)")
    c.add_argument("b", help="another report folder (the later one)")
    c.add_argument("--out", help="a new or empty folder for compare.html and compare.json "
                                 "(default: compare-<A>-<B>)")
    c.set_defaults(func=cmd_compare)


def _intake_commands(sub) -> None:
    """init, template, frame and sample: a researcher's own project and data in."""
    i = sub.add_parser("init", help="make a project in a new or empty folder, anywhere")
    i.add_argument("folder", help="the project folder (new, or empty)")
    i.add_argument("--lang", choices=catalogue.LANGUAGES,
                   help="language of the briefing, the workbook and the README (default: "
                        "the --from project's, else en)")
    i.add_argument("--from", dest="source", metavar="PARAMS",
                   help="copy the data of this params file (else empty templates to fill in)")
    i.add_argument("--parts", metavar="PARTS",
                   help="the parts of the project, separated by commas: monitor, buyer-groups "
                        "(default: both, or those of the --from project)")
    i.add_argument("--data", choices=("xlsx", "csv"),
                   help="the data: one intake workbook (xlsx; the default for templates) or a "
                        "CSV file per table (csv); with --from, the project's data written so "
                        "(default: its files copied as they are)")
    i.set_defaults(func=cmd_init)

    t = sub.add_parser("template", help="write an intake workbook (.xlsx): a sheet per table")
    t.add_argument("out", help="the workbook to write (must not exist)")
    t.add_argument("--lang", choices=catalogue.LANGUAGES, default="en",
                   help="language of the notes")
    t.add_argument("--from", dest="source", metavar="PARAMS",
                   help="fill the sheets with the tables this params file names")
    t.set_defaults(func=cmd_template)

    f = sub.add_parser("frame", help="a sampling frame from a tender list (TenderNed, OCDS, "
                                     "CSV or xlsx)")
    f.add_argument("tenders", help="the tender list: .csv, .xlsx[#sheet], or OCDS .json or "
                                   ".jsonl (release or record packages, streamed)")
    f.add_argument("--map", help="column map (YAML); default: a TenderNed workbook's own tab "
                                 "'Mapping OCDS', else OCDS paths as column names")
    f.add_argument("--period", required=True, help="monitoring period, e.g. 2019-2020")
    f.add_argument("--out", required=True, help="a new or empty folder for the frame")
    f.add_argument("--skip-bad", action="store_true",
                   help="leave out announcements whose amount is not a finite number 0 or "
                        "more (counted); without it they are bad input")
    f.add_argument("--cpv-map", help="CPV -> product group map (default: "
                                     "data/cpv_product_groups.csv)")
    f.add_argument("--rates", help="exchange rates (CSV: currency, eur_per_unit, source) for "
                                   "amounts not in EUR; without it they are bad input")
    f.set_defaults(func=cmd_frame)

    k = sub.add_parser("track", help="the statuses of the buyer-group tenders from OCDS "
                                     "releases (streamed)")
    k.add_argument("releases", help="OCDS JSON: release or record packages, or JSON Lines")
    k.add_argument("--params", required=True, help="the params file whose buyer-group tenders "
                                                   "to track (their outcomes' ocids match too)")
    k.add_argument("--out", required=True, help="a new or empty folder for "
                                                "buyer_group_outcomes.csv and unmatched.csv")
    k.add_argument("--propose", action="store_true",
                   help="also score the releases against the tenders no ocid or tender id "
                        "matched (buyer, CPV, title words, dates, value) into proposals.csv; "
                        "nothing is used until copied into the outcome table")
    k.add_argument("--threshold", type=float, default=None,
                   help="the score a proposal needs, 0 to 1 (default 0.5: more likely than "
                        "not; implies --propose)")
    k.set_defaults(func=cmd_track)
    _sample_command(sub)
    _footprint_command(sub)


def _footprint_command(sub) -> None:
    """The footprint command's parser."""
    p = sub.add_parser("footprint", help="the footprint of each buying organisation in a "
                                         "tender list, and of planned tenders, per euro and "
                                         "in total, with ranges")
    p.add_argument("tenders", help="the tender list, as 'effectmodel frame' reads it (.csv, "
                                   ".xlsx[#sheet], OCDS .json or .jsonl)")
    p.add_argument("--params", required=True, help="params whose data name spend_intensities "
                                                   "(their correlation and calibration apply)")
    p.add_argument("--period", required=True, help="the period whose tenders count, e.g. "
                                                   "2019-2020 or 2021")
    p.add_argument("--out", required=True, help="a new or empty folder for the tables")
    p.add_argument("--planned", help="planned tenders (CSV or xlsx: cpv, value_eur, "
                                     "optionally id): their footprint per euro and in total")
    p.add_argument("--spend-map", help="CPV division -> spend group (CSV: division, group; "
                                       "default: the map shipped, maps/cpv_spend_groups.csv)")
    p.add_argument("--map", help="column map of the tender list (YAML), as for frame")
    p.add_argument("--rates", help="exchange rates for amounts not in EUR, as for frame")
    p.add_argument("--skip-bad", action="store_true",
                   help="leave out announcements whose amount is not a finite number 0 or "
                        "more (counted)")
    p.set_defaults(func=cmd_footprint)


def _sample_command(sub) -> None:
    """The sample command's parser."""
    m = sub.add_parser("sample", help="a reproducible stratified sample of a frame")
    m.add_argument("frame", help="frame_units.csv from 'effectmodel frame'")
    m.add_argument("--n", type=int, required=True, help="tenders to sample")
    m.add_argument("--seed", type=int, required=True, help="seed of the draw")
    m.add_argument("--allocation", choices=("proportional", "neyman"), default="proportional")
    m.add_argument("--take-all", type=float, default=None, metavar="SHARE",
                   help="take a tender with certainty while its value exceeds SHARE times "
                        "what one sampled tender of the rest stands for (T_rest / n_rest); "
                        "0: none (default 1, chosen by benchmarks/coverage.py)")
    m.add_argument("--out", required=True, help="a new or empty folder for the sample")
    m.set_defaults(func=cmd_sample)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        _print_problems(exc.problems)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the previous report is intact", file=sys.stderr)
        return 130
    except Exception as exc:  # internal failure: short message, traceback on request
        if os.environ.get("EFFECTMODEL_DEBUG"):
            raise
        from effectmodel.pipeline.run import RunFailed

        kind = "run failed" if isinstance(exc, RunFailed) else "internal error"
        print(f"error: {kind}: {type(exc).__name__}: {exc} (set EFFECTMODEL_DEBUG=1 for a "
              "traceback)", file=sys.stderr)
        return 1


def console() -> None:
    """The ``effectmodel`` command: :func:`main`, its value the exit code."""
    sys.exit(main())


if __name__ == "__main__":
    console()
