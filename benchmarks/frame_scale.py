"""Benchmark: a sampling frame and a stratified sample from a seeded synthetic tender list of
N announcements (default 1,000,000) with realistic CPV codes: the product groups' codes of
data/cpv_product_groups.csv (and codes below them) and other CPV divisions the map does not
know; one to three announcements per tender, some with lots, estimated and awarded values.

Prints the time and peak memory of `effectmodel frame` and `effectmodel sample` (subprocesses,
`/usr/bin/time -v` where present), the unknown-CPV report's head, and the Horvitz-Thompson
check: per stratum, the sum of 1/pi over the sample against the frame count (exact), and the
HT estimate of the frame's total value against the frame total over several seeds.

    .venv/bin/python benchmarks/frame_scale.py [--rows N] [--n SAMPLE]
    .venv/bin/python benchmarks/frame_scale.py --json-gb 1   # OCDS JSON, streamed
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from timing import ROOT, timed_effectmodel, timed_python

# CPV codes the map does not know (real CPV 2008 divisions): works, architecture, health,
# cleaning, business services, printing, laboratory equipment, medical equipment
OTHER = ["45000000", "71000000", "85100000", "90910000", "79400000", "22000000", "38000000",
         "33100000", "50000000", "80500000"]


def tender_list(path: Path, rows: int, seed: int = 3) -> None:
    """Write a synthetic tender list with OCDS paths as headers (the default column map)."""
    rng = np.random.default_rng(seed)
    known = pd.read_csv(ROOT / "data" / "cpv_product_groups.csv", dtype=str)["cpv"].tolist()
    # below a known code: a more detailed code of the same class (e.g. 34111000)
    detail = [c[:4] + f"{k}" + c[5:] if c[4] == "0" else c for c in known for k in (1, 2)]
    codes = np.array(known + detail + OTHER)
    p = np.r_[np.full(len(known) + len(detail), 0.7 / (len(known) + len(detail))),
              np.full(len(OTHER), 0.3 / len(OTHER))]
    n_tenders = int(rows / 1.6)
    per = rng.choice([1, 2, 3], size=n_tenders, p=[0.55, 0.3, 0.15])
    tid = np.repeat(np.arange(n_tenders), per)[:rows]
    n = len(tid)
    cpv = codes[rng.choice(len(codes), size=n_tenders, p=p)][tid]
    start = np.datetime64("2016-01-01") + rng.integers(0, 7 * 365, n_tenders)
    step = np.concatenate([np.arange(k) for k in per])[:n] * 60
    date = (start[tid] + step).astype(str)
    est = np.round(rng.lognormal(12, 1.5, n_tenders), 2)[tid]
    last = np.r_[tid[1:] != tid[:-1], True]
    awarded = np.where(last & (rng.random(n) < 0.7), np.round(est * rng.uniform(0.8, 1.2, n), 2),
                       np.nan)
    lot = np.where(rng.random(n_tenders) < 0.1, "L1", "")[tid]
    df = pd.DataFrame({"ocid": [f"ocds-syn-{t:07d}" for t in tid], "tender/lots/id": lot,
                       "date": date, "tender/classification/id": [f"{c}-1" for c in cpv],
                       "tender/value/amount": np.where(last & ~np.isnan(awarded), "", est),
                       "buyer/name": [f"buyer {b}" for b in rng.integers(0, 500, n)],
                       "awards/value/amount": awarded})
    df.to_csv(path, index=False)


def release_package(path: Path, target_bytes: float, seed: int = 5) -> int:
    """Write a synthetic OCDS release package of about ``target_bytes``, streamed: releases
    of about 2 kB with the parts TenderNed's carry (parties, items, documents, bid
    statistics, descriptions; their real size is not known here),
    one to three per ocid, the releases of an ocid spread over the file (a tender notice
    first, its award later), some lots, EUR and a few USD amounts. Returns the releases."""
    import json

    rng = np.random.default_rng(seed)
    known = pd.read_csv(ROOT / "data" / "cpv_product_groups.csv", dtype=str)["cpv"].tolist()
    codes = known + OTHER
    filler = "Levering en onderhoud volgens het programma van eisen, perceel " * 6
    n, pending, ocid = 0, [], 0
    with open(path, "w") as f:
        f.write('{"uri": "https://example.org/package", "version": "1.1", "releases": [\n')
        while f.tell() < target_bytes:
            ocid += 1
            oc = f"ocds-syn-{ocid:08d}"
            lots = [{"id": str(k), "title": f"Perceel {k}", "description": filler,
                     "value": {"amount": float(np.round(rng.lognormal(12, 1.5), 2)),
                               "currency": "EUR"}}
                    for k in range(1, 3)] if rng.random() < 0.1 else []
            cpv = codes[int(rng.integers(len(codes)))]
            tender = {"id": oc, "title": "Aanbesteding " + oc, "description": filler,
                      "status": "active", "mainProcurementCategory": "services",
                      "classification": {"scheme": "CPV", "id": cpv + "-1"},
                      "items": [{"id": "1", "classification": {"scheme": "CPV",
                                                                "id": cpv + "-1"}}],
                      "documents": [{"id": "1", "documentType": "tenderNotice",
                                     "url": "https://example.org/" + oc}],
                      "tenderPeriod": {"startDate": "2019-03-01T00:00:00Z"}}
            if lots:
                tender["lots"] = lots
            else:
                tender["value"] = {"amount": float(np.round(rng.lognormal(12, 1.5), 2)),
                                   "currency": "USD" if rng.random() < 0.01 else "EUR"}
            day = 1 + int(rng.integers(0, 700))
            date = str(np.datetime64("2019-01-01") + day) + "T09:00:00Z"
            parties = [{"id": f"NL-KVK-{ocid % 400}", "name": "Gemeente " + str(ocid % 400),
                        "identifier": {"scheme": "NL-KVK", "id": str(ocid % 400)},
                        "roles": ["buyer"], "details": {"classifications": [
                            {"scheme": "COFOG", "id": "2", "description": "Lokale overheid"}]},
                        "address": {"streetAddress": "Stadsplein 1", "locality": "Utrecht",
                                    "postalCode": "3511 AA", "countryName": "Nederland"},
                        "contactPoint": {"name": "Inkoop", "email": "inkoop@example.org",
                                         "telephone": "+31 30 000 0000"}}]
            tender["bidOpening"] = {"description": "Personen mogen niet aanwezig zijn"}
            tender["awardCriteriaDetails"] = "Beste prijs-kwaliteitverhouding"
            tender["legalBasis"] = {"scheme": "CELEX", "id": "32014L0024"}
            tender["documents"] += [{"id": str(k), "documentType": "biddingDocuments",
                                     "url": f"https://example.org/{oc}/{k}",
                                     "title": "Aanbestedingsleidraad"} for k in (2, 3)]
            tender["enquiryPeriod"] = {"endDate": "2019-02-01T00:00:00Z"}
            rel = {"ocid": oc, "id": oc + "-1", "date": date, "tag": ["tender"],
                   "initiationType": "tender", "parties": parties,
                   "buyer": {"id": "NL-KVK-1", "name": parties[0]["name"]}, "tender": tender}
            pending.append((n + int(rng.integers(1, 2000)), oc, date, lots))
            f.write(("" if n == 0 else ",\n") + json.dumps(rel))
            n += 1
            while pending and pending[0][0] <= n:  # an award, later in the file
                _, oc2, d2, lots2 = pending.pop(0)
                award = {"id": "1", "date": d2, "status": "active",
                         "value": {"amount": float(np.round(rng.lognormal(12, 1.5), 2)),
                                   "currency": "EUR"},
                         "suppliers": [{"id": "NL-KVK-2", "name": "Leverancier"}],
                         "hasSubcontracting": False, "title": "Gunning " + oc2}
                if lots2:
                    award["relatedLots"] = ["1"]
                stats = [{"id": str(k), "measure": m, "value": int(rng.integers(1, 9))}
                         for k, m in enumerate(("requests", "electronicBids", "smeBids",
                                                "foreignBids"), 1)]
                f.write(",\n" + json.dumps({"ocid": oc2, "id": oc2 + "-2", "date": d2,
                                             "tag": ["award"], "awards": [award],
                                             "bids": {"statistics": stats},
                                             "parties": [{"id": "NL-KVK-2",
                                                          "name": "Leverancier",
                                                          "roles": ["supplier"],
                                                          "details": {"scale": "sme"}}]}))
                n += 1
        f.write("\n]}\n")
    return n


def json_scale(target_bytes: float) -> None:
    """The OCDS targets (issues 27 and 39): `effectmodel frame` on a release package, and
    its reading alone (the units streamed, :func:`effectmodel.inputs.ocds.units`), in MB/s
    and peak RSS; beside them ijson alone iterating the releases, and the releases read
    release by release (the general path) against in batches (all as subprocesses, peak
    RSS by /usr/bin/time)."""
    with tempfile.TemporaryDirectory() as t:
        t = Path(t)
        src = t / "releases.json"
        n = release_package(src, target_bytes)
        size = src.stat().st_size
        mb = size / 1e6
        print(f"release package: {n:,} releases, {size / 1e9:.2f} GB, "
              f"{size / n / 1e3:.1f} kB per release")
        rates = t / "rates.csv"
        rates.write_text("currency,eur_per_unit,source\nUSD,0.92,assumption: benchmark\n")
        base, base_rss = timed_python(
            "import ijson, sys\n"
            "n = sum(1 for _ in ijson.items(open(sys.argv[1], 'rb'), 'releases.item', "
            "use_float=True))\nprint(n)", str(src))
        print(f"ijson alone: {base:.1f} s ({mb / base:.0f} MB/s), peak RSS {base_rss:.0f} MB")
        paths = {
            "release by release (ijson, the general path)":
                "from effectmodel.inputs import ocds\n"
                "n = sum(1 for k, (w, r) in enumerate(ocds.releases(p)) "
                "if ocds.flatten(r, str(k)))",
            "in batches (msgspec, ocdsbatch)":
                "from effectmodel.inputs import ocdsbatch\n"
                "n = sum(1 for _ in ocdsbatch.flat_releases(p))",
            "the units, streamed (ocds.units)":
                "from effectmodel.inputs import ocds\nn = sum(1 for _ in ocds.units(p))"}
        for label, code in paths.items():
            wall, rss = timed_python("import sys\nfrom pathlib import Path\n"
                                     "p = Path(sys.argv[1])\n" + code, str(src))
            print(f"{label}: {wall:.1f} s, {mb / wall:.0f} MB/s, peak RSS {rss:.0f} MB")
        wall, rss, said = timed_effectmodel(["frame", str(src), "--period", "2019-2020",
                                             "--out", str(t / "frame"), "--rates", str(rates)])
        print(f"frame: {wall:.1f} s, {mb / wall:.0f} MB/s (target >= 50), peak RSS {rss:.0f} "
              f"MB (target <= 512); {wall / base:.2f}x ijson alone\n  {said}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--json-gb", type=float, default=None,
                    help="instead: an OCDS release package of this size [GB] (issue 27: 1)")
    args = ap.parse_args()
    if args.json_gb:
        json_scale(args.json_gb * 1e9)
        return
    from effectmodel.model import frame as fr

    with tempfile.TemporaryDirectory() as t:
        t = Path(t)
        src = t / "tenders.csv"
        tender_list(src, args.rows)
        print(f"tender list: {args.rows:,} announcements, {src.stat().st_size / 1e6:.0f} MB")
        wall, rss, said = timed_effectmodel(["frame", str(src), "--period", "2019-2020",
                                     "--out", str(t / "frame")])
        print(f"frame: {wall:.1f} s, peak RSS {rss:.0f} MB\n  {said}")
        print(pd.read_csv(t / "frame" / "unknown_cpv.csv").head(5).to_string(index=False))
        wall, rss, said = timed_effectmodel(["sample", str(t / "frame" / "frame_units.csv"), "--n",
                                     str(args.n), "--seed", "1", "--out", str(t / "sample")])
        print(f"sample: {wall:.1f} s, peak RSS {rss:.0f} MB\n  {said}")
        units = pd.read_csv(t / "frame" / "frame_units.csv", dtype={"lot": str, "cpv": str},
                            keep_default_na=False)
        units["value"] = pd.to_numeric(units["value"])
        design = pd.read_csv(t / "sample" / "sample_design.csv", keep_default_na=False)
        strata = fr.strata_of(units).value_counts()
        got = (1 / design["pi"]).groupby(fr.strata_of(design)).sum()
        worst = float((got / strata.reindex(got.index) - 1).abs().max())
        print(f"sum of 1/pi against N_h, {len(got)} strata: largest relative gap {worst:.1e}")
        n_h = fr.allocate(units, args.n)
        total = units["value"].sum()
        ht = [(lambda d: (d["value"] / d["pi"]).sum())(fr.draw(units, n_h, s))
              for s in range(50)]
        print(f"Horvitz-Thompson total over 50 seeds: mean {np.mean(ht) / total - 1:+.2%} of "
              f"the frame total (sd of one sample {np.std(ht) / total:.1%}, so the mean's SE "
              f"{np.std(ht) / total / np.sqrt(50):.1%})")


if __name__ == "__main__":
    main()
