"""Benchmark: `effectmodel track --propose` on labelled synthetic releases.

Each seed makes a world of Dutch public buyers (municipalities, provinces, water boards,
agencies) tendering twenty themes (kitchens, traffic signs, road works, company cars,
electricity, catering, ...), each theme with its CPV codes, three ways of titling a tender
and its range of values. Each buyer tenders eight themes, each again every one to four
years (a contract's term) from 2020 to 2024; one procedure in six is followed two to six
months later by its next phase (the same words, another number), a quarter are in lots, and
a title names an area, a project number or a number of things for 85%. Each procedure is a
tender release, with an award release for 80% and a contract release for 60%.

The buyer-group tenders are drawn from the procedures (a lot for 60% of those with lots,
and another lot of the same procedure for 40% of those) and written as a researcher would
know them before publication, with noise:

- description: another of the theme's titles (a paraphrase) for 30%; the area, project or
  number kept for 70% (a phase, which names the tender, for 90%); the years,
  "raamovereenkomst" or the place kept for half; a typo for 20%; a lot's number and words;
- buyer: renamed for 10% (a formal or former name, a merger, a ministry for its agency: often
  sharing no word), a typo for 15%, missing for 5%;
- CPV: the procedure's code for half, another code of its division for a quarter, only the
  division for 10%, missing for 15%;
- expected date: the publication minus Normal(45, 75) days, missing for 15%;
- value: the procedure's (or lot's) times LogNormal(0, 0.35), missing for 25%.

One tender in seven is never published: its procedure is left out of the releases, so the
right answer for it is no proposal.

A proposal is right when its ocid is the tender's (the outcome table takes the ocid; the
lot is a hint, and is counted apart). Precision: right proposals over proposals; recall:
right proposals over the tenders that were published. The weights were fitted on seeds
1000-1007 (``--fit``); seeds 0-9, the default, are populations they were not fitted on.

    .venv/bin/python benchmarks/matching.py [--seeds 0 1 ...] [--procedures 1500]
        [--tenders 300] [--thresholds 0.5 0.7] [--json]
    .venv/bin/python benchmarks/matching.py --fit 1000 1001 1002 1003 1004 1005 1006 1007
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from timing import ROOT

#: theme -> (CPV codes, titles, lot words, median value [EUR])
THEMES = {
    "keukens": (["39141000", "39141300", "45421151"], [
        "Levering en montage inbouwkeukens", "Vervanging keukens huurwoningen",
        "Inbouwkeukens sociale huurwoningen"], ["Noord", "Zuid", "Oost", "West"], 2e6),
    "borden": (["34928471", "34992200", "45233290"], [
        "Levering verkeersborden", "Bewegwijzering en bebording",
        "Verkeersborden met hergebruikte frames"], ["Borden", "Palen", "Montage"], 5e5),
    "wegen": (["45233142", "45233220", "44113620"], [
        "Onderhoud asfaltverhardingen", "Groot onderhoud wegen",
        "Reconstructie fietspaden"], ["Asfalt", "Elementen", "Markering"], 4e6),
    "bruggen": (["45221110", "45221111", "45221119"], [
        "Vervanging viaduct", "Renovatie brug", "Onderhoud kunstwerken"],
        ["Bovenbouw", "Onderbouw"], 8e6),
    "nieuwbouw": (["45210000", "45214200", "45211000"], [
        "Nieuwbouw basisschool", "Nieuwbouw gemeentehuis", "Bouw sporthal"],
        ["Bouwkundig", "Installaties"], 1e7),
    "autos": (["34110000", "34144900", "34136000"], [
        "Leasing elektrische bedrijfsauto's", "Aanschaf dienstvoertuigen",
        "Elektrische bestelbussen"], ["Personenauto's", "Bestelauto's", "Laadpalen"], 1.5e6),
    "stroom": (["09310000", "65300000", "09123000"], [
        "Levering groene elektriciteit", "Inkoop elektriciteit en gas", "Energielevering"],
        ["Elektriciteit", "Gas"], 6e6),
    "catering": (["55520000", "55510000", "15000000"], [
        "Cateringdiensten kantoorlocaties", "Bedrijfsrestaurant en catering",
        "Catering en automaten"], ["Restaurant", "Automaten", "Evenementen"], 1e6),
    "ict": (["30213100", "30200000", "30231000"], [
        "Laptops en werkplekapparatuur", "Levering ICT-hardware",
        "Beeldschermen en randapparatuur"], ["Laptops", "Monitoren", "Telefoons"], 2e6),
    "schoonmaak": (["90910000", "90911200", "90919200"], [
        "Schoonmaakdienstverlening", "Schoonmaak gemeentelijke gebouwen",
        "Glasbewassing en schoonmaak"], ["Kantoren", "Scholen", "Glasbewassing"], 1.2e6),
    "afval": (["90500000", "90511000", "90513000"], [
        "Inzameling bedrijfsafval", "Afvalinzameling en verwerking",
        "Verwerking groenafval"], ["Restafval", "Papier", "GFT"], 3e6),
    "verlichting": (["34993000", "31520000", "45316110"], [
        "Openbare verlichting LED", "Vervanging lichtmasten",
        "Onderhoud openbare verlichting"], ["Armaturen", "Masten"], 1.8e6),
    "meubilair": (["39130000", "39100000", "39112000"], [
        "Kantoormeubilair", "Circulair kantoormeubilair", "Levering bureaustoelen"],
        ["Stoelen", "Bureaus", "Kasten"], 8e5),
    "kleding": (["18100000", "18110000", "18830000"], [
        "Bedrijfskleding en PBM", "Dienstkleding", "Werkkleding buitendienst"],
        ["Kleding", "Schoenen"], 6e5),
    "drukwerk": (["22000000", "79800000", "79810000"], [
        "Drukwerk en printdiensten", "Printers en multifunctionals", "Repro en drukwerk"],
        ["Drukwerk", "Printers"], 4e5),
    "groen": (["77310000", "77311000", "77211400"], [
        "Groenonderhoud openbare ruimte", "Onderhoud bermen en sloten", "Boomonderhoud"],
        ["Bermen", "Bomen", "Plantsoenen"], 1.5e6),
    "zout": (["14410000", "90620000", "34144430"], [
        "Levering strooizout", "Gladheidbestrijding", "Strooizout en pekel"],
        ["Zout", "Pekel"], 7e5),
    "installaties": (["45331000", "45331100", "42510000"], [
        "Onderhoud klimaatinstallaties", "Warmtepompen", "Installatietechnisch onderhoud"],
        ["Werktuigbouw", "Elektro"], 2.5e6),
    "vervoer": (["60112000", "60130000", "60140000"], [
        "Leerlingenvervoer", "Doelgroepenvervoer", "Wmo-vervoer"],
        ["Leerlingen", "Wmo", "Jeugd"], 5e6),
    "advies": (["71000000", "71300000", "79400000"], [
        "Ingenieursdiensten", "Advies duurzaamheid", "Projectmanagement"],
        ["Civiel", "Bouwkunde"], 5e5),
}

PLACES = ["Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
          "Almere", "Breda", "Nijmegen", "Apeldoorn", "Haarlem", "Arnhem", "Enschede",
          "Amersfoort", "Zaanstad", "'s-Hertogenbosch", "Haarlemmermeer", "Zwolle",
          "Zoetermeer", "Leiden", "Maastricht", "Dordrecht", "Ede", "Alphen aan den Rijn",
          "Westland", "Alkmaar", "Emmen", "Delft", "Venlo", "Deventer", "Súdwest-Fryslân",
          "Leeuwarden", "Helmond", "Heerlen", "Hilversum", "Oss", "Amstelveen",
          "Sittard-Geleen", "Purmerend", "Roosendaal", "Schiedam", "Lelystad", "Hoorn",
          "Vlaardingen", "Almelo", "Gouda", "Assen", "Bergen op Zoom",
          "Capelle aan den IJssel", "Veenendaal", "Katwijk", "Zeist", "Nieuwegein",
          "Roermond", "Den Helder", "Doetinchem", "Hoogeveen", "Terneuzen", "Kampen"]
PROVINCES = ["Groningen", "Fryslân", "Drenthe", "Overijssel", "Flevoland", "Gelderland",
             "Utrecht", "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg"]
BOARDS = ["Rivierenland", "Vallei en Veluwe", "Hollandse Delta", "Rijnland", "Aa en Maas",
          "De Dommel", "Brabantse Delta", "Limburg", "Noorderzijlvest", "Zuiderzeeland",
          "Vechtstromen", "Drents Overijsselse Delta", "Scheldestromen", "Delfland",
          "Hunze en Aa's", "Rijn en IJssel"]
#: areas and roads a procedure may be for
AREAS = ["Kanaleneiland", "Overvecht", "Binnenstad", "Centrum", "Noord", "Zuidoost",
         "De Hoven", "Spoorzone", "Havenkwartier", "N201", "N346", "A12", "A28", "Ringweg",
         "Stadspark", "Bedrijventerrein De Run", "Sportpark Noord", "Stationsgebied",
         "Oude Haven", "Waalfront", "De Schans", "Het Lint", "Poort", "Meerzicht", "Rivierzone"]
#: agencies, each with a name of a formal or former kind that shares little with it
AGENCIES = {"Rijkswaterstaat": "Ministerie van Infrastructuur en Waterstaat",
            "Rijksvastgoedbedrijf": "Ministerie van Binnenlandse Zaken",
            "Dienst Justitiële Inrichtingen": "Ministerie van Justitie en Veiligheid",
            "Defensie Materieel Organisatie": "Ministerie van Defensie",
            "Belastingdienst": "Ministerie van Financiën",
            "ProRail": "ProRail B.V.", "Politie": "Nationale Politie",
            "Universiteit Utrecht": "Rijksuniversiteit Utrecht",
            "Hogeschool Rotterdam": "Stichting Hogeschool Rotterdam",
            "Veiligheidsregio Utrecht": "VRU"}
#: renamed municipalities: a merger's new name, or the formal name
RENAMED = {"Den Haag": "'s-Gravenhage", "'s-Hertogenbosch": "Den Bosch",
           "Súdwest-Fryslân": "Sneek", "Sittard-Geleen": "Sittard",
           "Haarlemmermeer": "Hoofddorp", "Alphen aan den Rijn": "Alphen",
           "Capelle aan den IJssel": "Capelle", "Westland": "Naaldwijk",
           "Bergen op Zoom": "Bergen"}


def buyers(rng: np.random.Generator) -> list[tuple[str, str]]:
    """(name, its renamed form) of every buyer."""
    out = [(f"Gemeente {p}", f"Gemeente {RENAMED[p]}" if p in RENAMED
            else f"{p}" if rng.random() < 0.5 else f"Gem. {p}") for p in PLACES]
    out += [(f"Provincie {p}", f"Provinciaal bestuur van {p}") for p in PROVINCES]
    out += [(f"Waterschap {b}", f"Hoogheemraadschap {b}" if rng.random() < 0.5 else
             f"Waterschap {b} (dienst)") for b in BOARDS]
    out += list(AGENCIES.items())
    return out


def typo(text: str, rng: np.random.Generator) -> str:
    """One letter left out, doubled, swapped with the next or replaced."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = int(rng.choice(letters[1:-1]))
    kind = rng.integers(4)
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + "abcdefghijklmnopqrstuvwxyz"[rng.integers(26)] + text[i + 1:]


def day(d: np.datetime64) -> str:
    return str(np.datetime_as_string(d, unit="D"))


def procedures(rng: np.random.Generator, n: int) -> list[dict]:
    """``n`` procedures: ocid, buyer, theme, title, cpv, published, value, lots. Each buyer
    buys eight of the themes; each of its themes is tendered again every one to four years
    (a contract's term) from 2020 to 2024, and one procedure in six has a sibling two to six
    months later: the next phase, the same words but its number."""
    names = buyers(rng)
    themes = list(THEMES)
    series = [(b, themes[t]) for b in range(len(names))
              for t in rng.choice(len(themes), size=8, replace=False)]
    out: list[dict] = []
    for s in rng.permutation(len(series)):
        b, theme = series[int(s)]
        when = np.datetime64("2020-01-01") + int(rng.integers(730))
        while when < np.datetime64("2025-01-01") and len(out) < n:
            phase = int(rng.integers(1, 4)) if rng.random() < 1 / 6 else 0
            out.append(procedure(rng, len(out), names[b], theme, when, phase))
            if phase and len(out) < n:
                out.append(procedure(rng, len(out), names[b], theme,
                                     when + int(rng.integers(60, 180)), phase + 1,
                                     like=out[-1]))
            when += int(rng.integers(365, 1461))
    return out


def procedure(rng: np.random.Generator, k: int, names: tuple[str, str], theme: str,
              published: np.datetime64, phase: int = 0, like: dict | None = None) -> dict:
    """One procedure of buyer ``names`` on ``theme``; ``phase``: its number in a project
    (0: none); ``like``: the phase before, whose words it takes."""
    codes, titles, lot_words, median = THEMES[theme]
    year = int(str(published)[:4])
    title_k = like["title_k"] if like else int(rng.integers(len(titles)))
    qualifier = like["qualifier"] if like else str(rng.choice([
        "", f" {year}", f" {year}-{year + 3}", " raamovereenkomst",
        f" {names[0].split(' ', 1)[-1]}"]))
    if phase:
        specific = f" fase {phase}"
    else:  # what this one is for: an area, a project, a number of things
        specific = "" if rng.random() < 0.15 else str(rng.choice([
            f" {rng.choice(AREAS)}", f" project {year}-{rng.integers(1, 999):03d}",
            f" {rng.integers(2, 40) * 10} stuks"]))
    value = float(np.exp(np.log(median) + 0.8 * rng.standard_normal()))
    lots = []
    if rng.random() < 0.25:
        m = int(rng.integers(2, min(4, len(lot_words)) + 1))
        shares = rng.dirichlet(np.ones(m))
        lots = [{"id": str(j + 1), "title": f"Perceel {j + 1}: {lot_words[j]}",
                 "words": lot_words[j], "value": round(value * x, 2)}
                for j, x in enumerate(shares)]
    return {"ocid": f"ocds-bench-{k:06d}", "names": names, "theme": theme,
            "title_k": title_k, "specific": specific, "qualifier": qualifier,
            "title": titles[title_k] + specific + qualifier,
            "cpv": like["cpv"] if like else str(rng.choice(codes)), "published": published,
            "value": round(value, 2), "lots": lots}


def releases(procs: list[dict], rng: np.random.Generator) -> list[dict]:
    """A tender release per procedure, an award for 80% of them and a contract for 60%."""
    out = []
    for p in procs:
        tender = {"id": p["ocid"].rsplit("-", 1)[-1], "title": p["title"],
                  "classification": {"scheme": "CPV", "id": p["cpv"]},
                  "datePublished": f"{day(p['published'])}T09:00:00+01:00",
                  "value": {"amount": p["value"], "currency": "EUR"}}
        if p["lots"]:
            tender["lots"] = [{"id": lot["id"], "title": lot["title"],
                               "value": {"amount": lot["value"], "currency": "EUR"}}
                              for lot in p["lots"]]
        base = {"ocid": p["ocid"], "buyer": {"name": p["names"][0]}, "tender": tender}
        out.append({**base, "id": f"{p['ocid']}-1", "tag": ["tender"],
                    "date": f"{day(p['published'])}T09:00:00Z"})
        if rng.random() < 0.8:
            awarded = p["published"] + int(rng.integers(45, 120))
            out.append({**base, "id": f"{p['ocid']}-2", "tag": ["award"],
                        "date": f"{day(awarded)}T09:00:00Z",
                        "awards": [{"id": "a1", "status": "active"}]})
            if rng.random() < 0.75:
                out.append({**base, "id": f"{p['ocid']}-3", "tag": ["contract"],
                            "date": f"{day(awarded + 30)}T09:00:00Z",
                            "contracts": [{"id": "c1", "dateSigned":
                                           f"{day(awarded + 30)}T09:00:00Z"}]})
    return out


def tender_of(p: dict, lot: dict | None, rng: np.random.Generator) -> dict:
    """What a researcher knows of procedure ``p`` (or its ``lot``) before it is published."""
    codes, titles, _, _ = THEMES[p["theme"]]
    text = titles[int(rng.choice([k for k in range(len(titles)) if k != p["title_k"]]))] \
        if rng.random() < 0.3 else titles[p["title_k"]]  # said another way, or the same
    if rng.random() < (0.9 if p["specific"].startswith(" fase") else 0.7):
        text += p["specific"]  # the phase (which names the tender), area or project
    if rng.random() < 0.5:  # years, "raamovereenkomst", the place
        text += p["qualifier"]
    if lot is not None:
        text = f"{text}, perceel {lot['id']} {lot['words'].lower()}"
    if rng.random() < 0.2:
        text = typo(text, rng)
    name, renamed = p["names"]
    u = rng.random()
    buyer = "" if u < 0.05 else renamed if u < 0.15 else typo(name, rng) if u < 0.3 else name
    u = rng.random()
    cpv = (p["cpv"] if u < 0.5 else str(rng.choice([c for c in codes if c != p["cpv"]]))
           if u < 0.75 else p["cpv"][:2] if u < 0.85 else "")
    expected = "" if rng.random() < 0.15 else day(
        p["published"] - int(round(45 + 75 * rng.standard_normal())))
    value = (lot or p)["value"]
    value = "" if rng.random() < 0.25 else f"{value * np.exp(0.35 * rng.standard_normal()):.0f}"
    return {"description": text, "buyer": buyer, "cpv": cpv, "expected_date": expected,
            "value_eur": value}


def world(seed: int, n_procedures: int, n_tenders: int) -> tuple[list, list, dict]:
    """(releases, tenders, truth: tender_id -> (ocid, lot), or None for never published)."""
    rng = np.random.default_rng(seed)
    procs = procedures(rng, n_procedures)
    picked = rng.choice(n_procedures, size=n_tenders, replace=False)
    unpublished = set(picked[rng.random(n_tenders) < 1 / 7].tolist())
    tenders: list[dict] = []
    truth: dict[str, tuple[str, str] | None] = {}
    for i in picked:
        p = procs[int(i)]
        lots = [None]
        if p["lots"] and rng.random() < 0.6:  # a lot; and for 40% of them another lot too
            order = rng.permutation(len(p["lots"]))
            lots = [p["lots"][int(j)] for j in order[:2 if rng.random() < 0.4 else 1]]
        for lot in lots:
            if len(tenders) == n_tenders:
                break
            tid = f"BG-{len(tenders):04d}"
            tenders.append({"tender_id": tid, **tender_of(p, lot, rng)})
            truth[tid] = None if int(i) in unpublished else (p["ocid"],
                                                             lot["id"] if lot else "")
    kept = [p for j, p in enumerate(procs) if j not in unpublished]
    return releases(kept, rng), tenders, truth


def project(folder: Path) -> Path:
    """A project of the reference's buyer groups, its tenders to be replaced: its params."""
    subprocess.run([sys.executable, "-m", "effectmodel.cli", "init", str(folder), "--from",
                    str(ROOT / "params" / "reference.yaml")], check=True, capture_output=True)
    return next((folder / "params").glob("*.yaml"))


def write_tenders(params: Path, tenders: list[dict]) -> None:
    """The project's buyer-group tenders replaced by ``tenders`` (the quantities of its
    first tender, the groups in turn)."""
    path = params.parent.parent / "data" / "buyer_group_tenders.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    groups = list(dict.fromkeys(r["buyer_group"] for r in rows))
    fields = [*rows[0].keys(), *(c for c in ("buyer", "cpv", "expected_date", "value_eur")
                                 if c not in rows[0])]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for k, t in enumerate(tenders):
            w.writerow({**rows[0], "buyer_group": groups[k % len(groups)],
                        "emission_factor_id": "", **t})


def measure(seed: int, n_procedures: int, n_tenders: int, threshold: float | None,
            folder: Path, params: Path) -> dict:
    rel, tenders, truth = world(seed, n_procedures, n_tenders)
    write_tenders(params, tenders)
    src = folder / f"releases-{seed}.json"
    src.write_text(json.dumps({"releases": rel}), encoding="utf-8")
    out = folder / f"out-{seed}-{threshold}"
    cmd = [sys.executable, "-m", "effectmodel.cli", "track", str(src), "--params", str(params),
           "--out", str(out), "--propose"]
    if threshold is not None:
        cmd += ["--threshold", str(threshold)]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode:
        sys.exit(r.stderr)
    with (out / "proposals.csv").open(encoding="utf-8", newline="") as f:
        proposed = {r["tender_id"]: (r["ocid"], r["lot"]) for r in csv.DictReader(f)
                    if r["proposed"] == "yes"}
    right = sum(truth[t] is not None and truth[t][0] == got[0] for t, got in proposed.items())
    right_lot = sum(truth[t] == got for t, got in proposed.items())
    published = sum(v is not None for v in truth.values())
    return {"seed": seed, "threshold": threshold, "releases": len(rel),
            "procedures": len({x["ocid"] for x in rel}), "tenders": n_tenders,
            "published": published, "proposed": len(proposed), "right": right,
            "precision": right / len(proposed) if proposed else float("nan"),
            "recall": right / published,
            "precision_lot": right_lot / len(proposed) if proposed else float("nan"),
            "recall_lot": right_lot / published,
            "proposed_unpublished": sum(truth[t] is None for t in proposed),
            "seconds": seconds}


def candidates_and_tenders(seed: int, n_procedures: int, n_tenders: int):
    """(the tenders as the model reads them, the candidate units, truth) of one world, read
    the way ``track --propose`` reads them."""
    import pandas as pd

    from effectmodel.inputs.tracking import Candidates, statuses_of

    rel, tenders, truth = world(seed, n_procedures, n_tenders)
    c = Candidates()
    for r in rel:
        c.add(r["ocid"], r["date"], r, statuses_of(r))
    t = pd.DataFrame(tenders)
    t["value_eur"] = pd.to_numeric(t["value_eur"].replace("", None))
    return t, c.table(), truth


def fit(seeds: list[int], n_procedures: int, n_tenders: int, l2: float = 0.1) -> None:
    """Fit the levels' weights and NONE by maximum likelihood of each tender's outcome (its
    ocid, or none) on the worlds of ``seeds``, with an L2 penalty ``l2`` on the weights;
    print them as matching.py holds them."""
    import pandas as pd
    from scipy.optimize import minimize

    from effectmodel.model import matching

    worlds = []
    for seed in seeds:
        t, units, truth = candidates_and_tenders(seed, n_procedures, n_tenders)
        parts = [matching.levels(ev) for _, ev in matching.evidence(t, units)]
        lv = {k: np.concatenate([p[k] for p in parts], axis=1) for k in matching.EVIDENCE}
        codes, ocids = pd.factorize(units["ocid"])
        where = {o: i for i, o in enumerate(ocids)}
        answer = [where[truth[x][0]] if truth[x] else -1 for x in t["tender_id"]]
        worlds.append((lv, codes, len(ocids), answer))
    sizes = [len(matching.LEVELS[k]) + 1 for k in matching.EVIDENCE]
    cuts = np.cumsum([1, *sizes])

    def unpack(w):
        return {k: w[cuts[i]:cuts[i + 1]] for i, k in enumerate(matching.EVIDENCE)}

    def loss(w):
        weights, none = unpack(w), w[0]
        total, grad = 0.5 * l2 * np.sum(w[1:] ** 2), np.r_[0.0, l2 * w[1:]]
        for lv, codes, n_ocids, answer in worlds:
            z = matching.log_odds(lv, weights)
            for i, a in enumerate(answer):
                best = np.empty(n_ocids, dtype=int)
                order = np.argsort(z[i], kind="stable")
                best[codes[order]] = order  # each ocid's best unit
                zi = z[i, best]
                top = max(none, zi.max())
                e, e0 = np.exp(zi - top), np.exp(none - top)
                s = e0 + e.sum()
                p = e / s
                total -= (none if a < 0 else zi[a]) - top - np.log(s)
                grad[0] -= (1.0 if a < 0 else 0.0) - e0 / s
                for j, k in enumerate(matching.EVIDENCE):
                    x = lv[k][i, best] + 1  # 0: missing
                    expected = np.bincount(x, weights=p, minlength=sizes[j] + 1)[1:]
                    seen = np.zeros(sizes[j])
                    if a >= 0 and x[a] > 0:
                        seen[x[a] - 1] = 1.0
                    grad[cuts[j]:cuts[j + 1]] -= seen - expected
        return total, grad

    r = minimize(loss, np.zeros(cuts[-1]), jac=True, method="L-BFGS-B")
    w = unpack(r.x)
    print(f"# fitted on seeds {seeds}: {len(worlds)} worlds of {n_procedures} procedures and "
          f"{n_tenders} tenders; -log likelihood {r.fun:.1f}")
    print("WEIGHTS = {")
    for k in matching.EVIDENCE:
        print(f'    "{k}": ({", ".join(f"{x:.2f}" for x in w[k])}),')
    print("}")
    print(f"NONE = {r.x[0]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    ap.add_argument("--procedures", type=int, default=1500)
    ap.add_argument("--tenders", type=int, default=300)
    ap.add_argument("--thresholds", type=float, nargs="+", default=[None])
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument("--fit", type=int, nargs="+", metavar="SEED",
                    help="fit the weights on these seeds' worlds and print them (the shipped "
                         "ones: --fit 1000 ... 1007)")
    a = ap.parse_args()
    if a.fit:
        fit(a.fit, a.procedures, a.tenders)
        return
    with tempfile.TemporaryDirectory() as tmp:
        params = project(Path(tmp) / "p")
        for seed in a.seeds:
            for th in a.thresholds:
                m = measure(seed, a.procedures, a.tenders, th, Path(tmp), params)
                if a.json:
                    print(json.dumps(m), flush=True)
                    continue
                print(f"seed {seed}, threshold {'default' if th is None else th}: "
                      f"{m['releases']:,} releases of {m['procedures']:,} procedures; "
                      f"{m['tenders']} tenders, {m['published']} published; {m['proposed']} "
                      f"proposed, {m['right']} of the right ocid: precision "
                      f"{m['precision']:.3f}, recall {m['recall']:.3f} (with the right lot "
                      f"too: {m['precision_lot']:.3f}, {m['recall_lot']:.3f}); "
                      f"{m['proposed_unpublished']} proposed for unpublished tenders; "
                      f"{m['seconds']:.1f} s", flush=True)
        if not a.json and len(a.seeds) > 1:
            print("the weights were fitted on seeds 1000-1007 (--fit); none of these")


if __name__ == "__main__":
    main()
