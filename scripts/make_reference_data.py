"""Make the reference data set in ``data/`` (docs/model.md, the reference data).

Run ``python scripts/make_reference_data.py`` from the repository root. The script is seeded, so
it writes the same bytes every time; the files it writes are committed.

What is public (names, RIVM's published totals, household equivalents, a few emission factors)
is copied from ``shared/research`` with its source address. What is not public (the split of
80,125 t over buyer groups and tenders, the split of each monitor total over product groups,
the sampled tenders themselves, frame totals and most translation factors) is an *assumption*,
said so in each row's ``source`` column, and calibrated so that:

- the as-planned buyer-group total (modes, every tender awarded, additionality 1) is 80,125 t;
- each monitoring period's central counted total (ratio estimator with modal emission factors
  and unit weights) equals RIVM's published figure.

The sampled tenders are synthetic: drawn from a seeded generator, then scaled per product group
to hit the assumed split. Nothing in ``src/effectmodel`` depends on these numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from effectmodel.model import evidence

SEED = 20230215  # date of the Kamerbrief (Kamerstuk 30 196 nr. 807)
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

KAMERBRIEF = "https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did=2023D06254&id=2023Z02701"
RIVM_BG = "http://www.rivm.nl/publicaties/buyer-groups-potentiele-duurzaamheidswinst-door-nieuwe-manier-van-maatschappelijk"
RIVM_BG_NEWS = "https://www.rivm.nl/nieuws/minder-uitstoot-broeikasgassen-door-samen-te-werken-bij-inkoop"
RIVM_PG = "https://www.rivm.nl/maatschappelijk-verantwoord-inkopen/meten-van-effecten"
RWS_MAG = "https://www.magazinesrijkswaterstaat.nl/zakelijkeninnovatie/2021/04/circulaire-inkoop"

A_BG_SPLIT = (
    "assumption: the per-group and per-tender split of 80,125 t is not public (RIVM briefrapport "
    "tables not found); calibrated so the six quantified groups sum to 80,125 t ("
    + KAMERBRIEF
    + ")"
)
# award probability and additionality: derived from Zijp et al. 2022's counts
# (effectmodel.model.evidence, tested in tests/model/test_evidence.py)
AWARD = round(evidence.contract_rate().mean, 3)
BEYOND_MARKET_STANDARD = round(evidence.additionality_rate().mean, 3)
A_RISKS = evidence.derivation()

# ---------------------------------------------------------------------------------------------
# Buyer groups
# ---------------------------------------------------------------------------------------------

BUYER_GROUPS = [
    # id, name_nl, name_en, category, quantified, reason, source
    ("inbouwkeukens", "Inbouwkeukens", "Built-in kitchens", "Bouw", True, "",
     "stated: RIVM names built-in kitchens as its example of a quantified saving ("
     + RIVM_BG_NEWS + "); assumption: one of the 6 quantified groups (likely, not confirmed)"),
    ("verkeersborden", "Verkeersborden en bewegwijzering", "Traffic signs and signposting", "GWW",
     True, "",
     "stated: topic named by RIVM among the 13 (" + RIVM_BG
     + "); assumption: among the 6 quantified (not public)"),
    ("bouwmaterialen", "Bouwmaterialen", "Building materials", "Bouw", True, "",
     "stated: topic named by RIVM among the 13 (" + RIVM_BG
     + "); exact group name not found; assumption: among the 6 quantified (not public)"),
    ("nieuwbouw", "Nieuwbouw", "New construction", "Bouw", True, "",
     "stated: topic named by RIVM among the 13 (" + RIVM_BG
     + "); exact group name not found; assumption: among the 6 quantified (not public)"),
    ("wegverhardingen", "Duurzame wegverhardingen", "Sustainable road surfaces", "GWW", True, "",
     "stated: buyer group of provinces and Rijkswaterstaat (https://circulairebouweconomie.nl/"
     "interview/buyer-group-duurzame-wegverhardingen-met-onze-inkoopstrategie-geven-we-"
     "duidelijkheid-aan-de-markt/); assumption: among the 13 and the 6 quantified (unconfirmed)"),
    ("viaducten", "Circulaire viaducten en bruggen", "Circular viaducts and bridges", "GWW", True,
     "",
     "stated: named in the 2021 buyer groups magazine (https://future-communication.foleon.com/"
     "rws-pianoo/buyer-groups-2021/opdrachtgevers-aan-het-woord); assumption: among the 13 and "
     "the 6 quantified (unconfirmed)"),
    ("drones", "AI beeldherkenning met drones", "AI image recognition with drones",
     "Bedrijfsvoering", False,
     ("geen materiaalsamenstelling of productaantallen voor een CO2-schatting",
      "no material composition or product quantities for a CO2 estimate"),
     "stated: named in the 2021 buyer groups magazine (https://future-communication.foleon.com/"
     "rws-pianoo/buyer-groups-2021/opdrachtgevers-aan-het-woord); assumption: among the 13, "
     "not quantified"),
    ("biobased", "Biobased bouwmaterialen", "Bio-based building materials", "Bouw", False,
     ("materiaalsamenstelling van de biobased producten nog niet bekend",
      "material composition of the bio-based products not yet known"),
     "stated: LNV buyer group (https://www.hortipoint.nl/floribusiness/gezocht-afnemers-voor-"
     "biobased-materialen/); assumption: among the 13, not quantified"),
]
for i, cat in zip(range(9, 14), ["Bouw", "GWW", "Mobiliteit", "Mobiliteit", "Bedrijfsvoering"],
                  strict=True):
    BUYER_GROUPS.append((
        f"groep-{i:02d}", f"Buyer group {i} (naam niet openbaar)",
        f"Buyer group {i} (name not public)", cat, False,
        ("informatie over materiaalsamenstelling of aantallen producten ontbrak",
         "information on material composition or numbers of products was missing"),
        "stated: 13 groups started in 2020 in four categories (" + RWS_MAG + "), 7 not quantified "
        "for lack of composition or quantities (" + RIVM_BG + "); assumption: name and category "
        "of this group are not public"))

# tender: id, group, description, quantity_unit, quantity mode share of group target,
#   ef_mode [t/unit], reduction_fraction mode
BG_TARGETS_T = {  # assumption: split of 80,125 t over the six quantified groups
    "inbouwkeukens": 6000.0, "verkeersborden": 4125.0, "bouwmaterialen": 15000.0,
    "nieuwbouw": 20000.0, "wegverhardingen": 25000.0, "viaducten": 10000.0,
}
BG_TENDERS = [
    ("T-keuken-1", "inbouwkeukens", "Built-in kitchens, social housing (lot 1)", "kitchen",
     0.55, 1.6, 0.45),
    ("T-keuken-2", "inbouwkeukens", "Built-in kitchens, social housing (lot 2)", "kitchen",
     0.45, 1.6, 0.40),
    ("T-borden-1", "verkeersborden", "Traffic signs with reused frames", "sign", 0.6, 0.12,
     0.35),
    ("T-borden-2", "verkeersborden", "Signposting, circular design", "sign", 0.4, 0.20,
     0.30),
    ("T-materialen-1", "bouwmaterialen", "Low-carbon concrete", "t concrete", 0.7, 0.25,
     0.30),
    ("T-materialen-2", "bouwmaterialen", "Secondary steel", "t steel", 0.3, 1.9, 0.25),
    ("T-nieuwbouw-1", "nieuwbouw", "Office building, MPG-limit", "m2 floor area", 0.5, 0.55,
     0.20),
    ("T-nieuwbouw-2", "nieuwbouw", "Schools, bio-based facade", "m2 floor area", 0.5, 0.50,
     0.15),
    ("T-wegen-1", "wegverhardingen", "Provincial roads, low-temperature asphalt", "m2 road",
     0.6, 0.030, 0.30),
    ("T-wegen-2", "wegverhardingen", "Trunk roads, recycled asphalt (MKI award)", "m2 road",
     0.4, 0.030, 0.25),
    ("T-viaduct-1", "viaducten", "Viaduct replacement, reusable elements", "t structure",
     1.0, 0.40, 0.35),
]


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def fmt(x: float) -> str:
    """Format a number so that it round-trips exactly through float()."""
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def buyer_group_tables() -> None:
    write_csv(
        DATA / "buyer_groups.csv",
        ["id", "name_nl", "name_en", "category", "quantified", "reason_not_quantified_nl",
         "reason_not_quantified_en", "source"],
        [[g[0], g[1], g[2], g[3], "yes" if g[4] else "no", *(g[5] or ("", "")), g[6]]
         for g in BUYER_GROUPS],
    )
    # tenders of one product name one emission factor: drawn once (same distribution)
    shared_factor = {"T-keuken-1": "ef-inbouwkeuken", "T-keuken-2": "ef-inbouwkeuken",
                     "T-wegen-1": "ef-asfalt-laagtemperatuur",
                     "T-wegen-2": "ef-asfalt-laagtemperatuur"}
    rows = []
    for tid, gid, desc, unit, share, ef, red in BG_TENDERS:
        target = BG_TARGETS_T[gid] * share
        q_mode = target / (ef * red)
        q_mode = float(f"{q_mode:.10g}")
        rows.append([
            tid, gid, desc, unit,
            "pert", fmt(round(q_mode * 0.8, 6)), fmt(q_mode), fmt(round(q_mode * 1.3, 6)),
            "pert", fmt(round(ef * 0.8, 6)), fmt(ef), fmt(round(ef * 1.25, 6)),
            "pert", fmt(round(red * 0.5, 6)), fmt(red), fmt(round(min(red * 1.4, 0.95), 6)),
            fmt(AWARD),
            "bernoulli", "0", fmt(BEYOND_MARKET_STANDARD), "1",
            shared_factor.get(tid, ""),
            A_BG_SPLIT + "; " + A_RISKS,
        ])
    write_csv(
        DATA / "buyer_group_tenders.csv",
        ["tender_id", "buyer_group", "description", "quantity_unit",
         "quantity_dist", "quantity_low", "quantity_mode", "quantity_high",
         "emission_factor_dist", "emission_factor_low", "emission_factor_mode",
         "emission_factor_high",
         "reduction_fraction_dist", "reduction_fraction_low", "reduction_fraction_mode",
         "reduction_fraction_high",
         "award_probability",
         "additionality_dist", "additionality_low", "additionality_mode", "additionality_high",
         "emission_factor_id", "source"],
        rows,
    )


# ---------------------------------------------------------------------------------------------
# Household factors and monitor periods
# ---------------------------------------------------------------------------------------------

def household_tables() -> None:
    rows = [
        ["buyer_groups_2020", "RIVM Buyer groups briefrapport (Kamerstuk 30 196 nr. 807)",
         "pert", "3.8", fmt(80125 / 19000), "5.6", "19000", "direct emissions", "directe uitstoot",
         "stated: 80,125 t = direct emissions of 19,000 households (" + RIVM_BG + "; "
         + KAMERBRIEF + "); mode = 80125/19000 (inference); assumption: range 3.8-5.6 t "
         "spans PBL 2002 direct gas+car 5.6 t (https://www.pbl.nl/vraag-en-antwoord/"
         "hoeveel-is-de-co2-uitstoot-van-een-nederlands-huishouden) and a ~10% lower value"],
        ["monitor_2015_2016", "RIVM Rapport 2018-0002", "pert", "7.5", fmt(4.9e6 / 600000),
         "8.5", "600000", "annual emissions from transport and energy",
         "jaarlijkse uitstoot door vervoer en energie",
         "stated: 4.9 Mt = >600,000 households (https://www.rivm.nl/en/news/sustainable-"
         "procurement-benefits-people-and-environment); mode = 4.9e6/600000 (inference); "
         "assumption: range +-8%"],
        ["monitor_2017_2018", "RIVM effect MVI 2017-2018", "pert", "18", fmt(5.9e6 / 300000),
         "21", "300000", "what households emit each year", "wat huishoudens per jaar uitstoten",
         "stated: 5.9 Mt = ~300,000 households (https://www.rivm.nl/publicaties/effect-van-"
         "maatschappelijk-verantwoord-inkopen-door-nederlandse-overheid-in-2017-2018); mode = "
         "5.9e6/300000 (inference); assumption: range +-8%"],
        ["monitor_2019_2020", "RIVM effect MVI 2019-2020", "pert", "18", fmt(6.8e6 / 345000),
         "21", "345000", "greenhouse gases households emit each year",
         "broeikasgassen die huishoudens per jaar uitstoten",
         "stated: 6.8 Mt = ~345,000 households (https://www.rivm.nl/publicaties/effect-van-"
         "maatschappelijk-verantwoord-inkopen-door-nederlandse-overheid-in-2019-2020); mode = "
         "6.8e6/345000 (inference); assumption: range +-8%"],
        ["monitor_2021_2022", "RIVM rapport 2024-0202", "pert", "18", fmt(6.8e6 / 345000),
         "21", "", "none published (compared with 225,000 petrol cars instead)",
         "niet gepubliceerd (in plaats daarvan vergeleken met 225.000 benzineauto's)",
         "assumption: no household equivalent published for 2021-2022 "
         "(https://rivm.openrepository.com/items/12db3b83-c883-4394-8977-aafb140beed0); "
         "the 2019-2020 factor is reused"],
    ]
    write_csv(
        DATA / "household_factors.csv",
        ["id", "publication", "t_per_household_dist", "t_per_household_low",
         "t_per_household_mode", "t_per_household_high", "households_published", "basis",
         "basis_nl", "source"],
        rows,
    )


PERIODS = [
    # period, published_t, bound, unit label, n groups published, household factor id, source
    ("2015-2016", 4.9e6, "at least", "CO2", "8", "monitor_2015_2016",
     "https://www.rivm.nl/en/news/sustainable-procurement-benefits-people-and-environment"),
    ("2017-2018", 5.9e6, "point", "CO2", "15", "monitor_2017_2018",
     "https://www.rivm.nl/publicaties/effect-van-maatschappelijk-verantwoord-inkopen-door-"
     "nederlandse-overheid-in-2017-2018"),
    ("2019-2020", 6.8e6, "at least", "CO2-eq", "16", "monitor_2019_2020",
     "https://www.rivm.nl/publicaties/effect-van-maatschappelijk-verantwoord-inkopen-door-"
     "nederlandse-overheid-in-2019-2020"),
    ("2021-2022", 0.9e6, "at least", "CO2-eq", "", "monitor_2021_2022",
     "https://rivm.openrepository.com/items/12db3b83-c883-4394-8977-aafb140beed0"),
]

PRODUCT_GROUPS = [
    # id, nl, en, cluster, in pilot, assumed share of a period's total, translation factor
    ("dienstautos", "dienstauto's", "company cars", "Transport", True, 0.04),
    ("buitenlandse-dienstreizen", "buitenlandse dienstreizen", "foreign business travel",
     "Transport", True, 0.01),
    ("contractvervoer", "contractvervoer", "contract transport", "Transport", True, 0.03),
    ("transportdiensten", "transportdiensten", "transport services", "Transport", True, 0.02),
    ("bedrijfskleding", "bedrijfskleding", "workwear", "Kantoorfaciliteiten", True, 0.01),
    ("elektriciteit", "elektriciteit", "electricity", "Energie", True, 0.40),
    ("zonnepanelen", "zonnepanelen", "solar panels", "Energie", True, 0.05),
    ("gas", "gas", "natural gas", "Energie", True, 0.06),
    ("catering", "catering", "catering", "Kantoorfaciliteiten", False, 0.03),
    ("ict", "ICT", "ICT", "ICT", False, 0.04),
    ("meubilair", "meubilair", "furniture", "Kantoorfaciliteiten", False, 0.01),
    ("grondverzet", "grondverzet", "earthworks", "Grond-, weg- en waterbouw", False, 0.03),
    ("wegen", "wegen", "roads", "Grond-, weg- en waterbouw", False, 0.10),
    ("nieuwbouw", "nieuwbouw", "new construction", "Kantoorgebouwen", False, 0.10),
    ("openbare-verlichting", "openbare verlichting", "public lighting",
     "Grond-, weg- en waterbouw", False, 0.03),
    ("renovatie", "renovatie", "renovation", "Kantoorgebouwen", False, 0.04),
]

# translation factors (vertaaltabellen): id, product group, criterion, unit,
#   baseline (low, mode, high), mvi (low, mode, high), source
A_TF = ("assumption: RIVM translation tables (vertaaltabellen) are not public; order of "
        "magnitude set for this reference data set")
TRANSLATION = [
    ("tf-dienstautos-ev", "dienstautos", "electric instead of petrol car", "1000 km",
     (0.13, 0.157, 0.19), (0.04, 0.06, 0.09),
     "stated: fleet average 157 g/km 2018 (https://www.autoblog.nl/nieuws/cbs-nederlandse-"
     "autos-stoten-meer-co2-uit-132552); " + A_TF + " (electric car)"),
    ("tf-dienstreizen-trein", "buitenlandse-dienstreizen", "train instead of flight",
     "trip", (0.15, 0.2, 0.3), (0.01, 0.02, 0.04), A_TF),
    ("tf-contractvervoer-ev", "contractvervoer", "zero-emission vehicles", "1000 km",
     (0.15, 0.2, 0.25), (0.04, 0.07, 0.1), A_TF),
    ("tf-transport-ze", "transportdiensten", "zero-emission transport", "1000 km",
     (0.15, 0.2, 0.25), (0.04, 0.07, 0.1), A_TF),
    ("tf-kleding-recycled", "bedrijfskleding", "recycled fibres", "garment",
     (0.010, 0.015, 0.02), (0.005, 0.008, 0.011), A_TF),
    ("tf-elektriciteit-groen", "elektriciteit", "green electricity instead of grid mix", "MWh",
     (0.300, 0.374, 0.426), (0.10, 0.127, 0.16),
     "stated: grid mix 374 g/kWh 2021 incl. chain (https://cedelft.eu/publications/chain-"
     "emissions-from-electricity-electricity-mix-update-2021/); government green power 127 g "
     "CO2-eq/kWh (https://www.rivm.nl/en/news/dutch-government-procurement-policy-does-not-yet-"
     "sufficiently-contribute-to-achieving-climate); assumption: low/high from 300 g "
     "(production only) and 426 g (2007 mix)"),
    ("tf-zonnepanelen", "zonnepanelen", "low-carbon panels (per kWp, lifetime)", "kWp",
     (0.8, 1.0, 1.3), (0.4, 0.55, 0.7), A_TF),
    ("tf-gas-groen", "gas", "green gas instead of natural gas", "1000 m3",
     (1.7, 1.9, 2.0), (0.3, 0.5, 0.8), A_TF),
    ("tf-catering-plant", "catering", "plant-based menu share", "1000 meals",
     (1.2, 1.6, 2.0), (0.8, 1.0, 1.3), A_TF),
    ("tf-ict-refurb", "ict", "refurbished or longer-lived devices", "device",
     (0.15, 0.25, 0.35), (0.05, 0.10, 0.15), A_TF),
    ("tf-meubilair-refurb", "meubilair", "refurbished furniture", "item",
     (0.05, 0.08, 0.12), (0.01, 0.02, 0.03), A_TF),
    ("tf-grondverzet-ze", "grondverzet", "zero-emission machinery", "machine hour",
     (0.02, 0.03, 0.04), (0.005, 0.01, 0.015), A_TF),
    ("tf-wegen-asfalt", "wegen", "low-temperature / recycled asphalt", "t asphalt",
     (0.05, 0.065, 0.08), (0.03, 0.045, 0.055), A_TF),
    ("tf-nieuwbouw-mpg", "nieuwbouw", "MPG below limit", "m2 floor area",
     (0.45, 0.55, 0.7), (0.3, 0.4, 0.5), A_TF),
    ("tf-verlichting-led", "openbare-verlichting", "LED street lighting", "light point",
     (0.8, 1.0, 1.3), (0.2, 0.35, 0.5), A_TF),
    ("tf-renovatie-isolatie", "renovatie", "energy-neutral renovation", "m2 floor area",
     (0.6, 0.8, 1.0), (0.2, 0.3, 0.45), A_TF),
]

# Frame totals per product group over a two-year period [EUR]; assumption, scaled to the
# EUR 85 bn per year of all government procurement (spend-impact study, revised version).
FRAME_EUR = {
    "dienstautos": 0.6e9, "buitenlandse-dienstreizen": 0.3e9, "contractvervoer": 1.2e9,
    "transportdiensten": 0.8e9, "bedrijfskleding": 0.25e9, "elektriciteit": 2.0e9,
    "zonnepanelen": 0.4e9, "gas": 1.5e9, "catering": 0.9e9, "ict": 4.0e9, "meubilair": 0.5e9,
    "grondverzet": 2.5e9, "wegen": 6.0e9, "nieuwbouw": 8.0e9, "openbare-verlichting": 0.6e9,
    "renovatie": 5.0e9,
}
SPEND_SRC = ("https://rivm.nl/publicaties/herziene-versie-milieu-impact-van-jaarlijkse-85-"
             "miljard-euro-aan-inkoop-door-alle")

# Which groups each period covers. Stated: 8 pilot groups in 2015-2016, 15 in 2017-2018,
# 16 in 2019-2020. Assumption: renovation is the one missing in 2017-2018 (list not public);
# 2021-2022 covers all 16 (number of groups not found).
PERIOD_GROUPS = {
    "2015-2016": [g[0] for g in PRODUCT_GROUPS if g[4]],
    "2017-2018": [g[0] for g in PRODUCT_GROUPS if g[0] != "renovatie"],
    "2019-2020": [g[0] for g in PRODUCT_GROUPS],
    "2021-2022": [g[0] for g in PRODUCT_GROUPS],
}
# assumption: share of sampled tenders with a counted effect, rising over the first periods
SHARE_WITH_EFFECT = {"2015-2016": 0.30, "2017-2018": 0.35, "2019-2020": 0.40, "2021-2022": 0.42}


# The sample's criteria (assumptions unless said): per tender 0-3 criteria; each scored as
# RIVM does (type, ambition level of the MVI criteria tool, the two tests). The four outcome
# classes follow the shares of Zijp et al. 2022's 72 applications (24 counted, 20 not beyond
# market standard, 7 not in the contract, 21 unclear on both tests).
N_CRITERIA = (0.25, 0.40, 0.25, 0.10)
CLASS_P = tuple(np.array([24, 20, 7, 21]) / 72)
CLASS_TESTS = (("yes", "yes"), ("yes", "no"), ("no", "yes"), ("unclear", "unclear"))
TYPES, TYPE_P = ("minimum", "stricter", "award"), (0.5, 0.25, 0.25)
AMBITIONS, AMBITION_P = ("basis", "significant", "ambitious"), (0.5, 0.35, 0.15)
# years over which a criterion's effect counts: the contract's duration (assumption, per
# product group; RIVM counts effects "during the contract period")
YEARS = {
    "dienstautos": 4, "buitenlandse-dienstreizen": 2, "contractvervoer": 4,
    "transportdiensten": 4, "bedrijfskleding": 3, "elektriciteit": 3, "zonnepanelen": 4,
    "gas": 3, "catering": 4, "ict": 4, "meubilair": 4, "grondverzet": 2, "wegen": 3,
    "nieuwbouw": 3, "openbare-verlichting": 4, "renovatie": 3,
}
# sub-strata with frame counts: (name, sampled, in the frame). Stated: foreign business travel
# 2015-2016, longlist N = 18 gave n = 10, travel-agency services 16 -> 9, other travel
# services 2 -> 1.
TRAVEL_SRC = ("https://5dok.net/article/kwantificeren-extrapolatie-inzet-effect-maatschappelijk"
              "-verantwoord-inkopen-d.4yr8v7zo")
SUB_STRATA = {("2015-2016", "buitenlandse-dienstreizen"): [("reisbureaudiensten", 9, 16),
                                                            ("overige reisdiensten", 1, 2)]}
A_SUB = "stated: longlist 18, sample 10 by sub-category (" + TRAVEL_SRC + ")"
# a stratum whose sample counts no effect (assumption, after the 2015-2016 finding that in
# earthworks asphalt recycling was market standard and only social return had an effect)
EARTHWORKS_SRC = ("https://5dok.net/article/kwantificeren-klimaat-milieu-inzet-effect-"
                  "maatschappelijk-verantwoord-inkopen.4yr8v7zo")
ZERO_STRATA = {("2017-2018", "grondverzet")}
A_SAMPLE = ("assumption: synthetic sampled tender made by scripts/make_reference_data.py (seed "
            + str(SEED) + "); RIVM's sample is not public")
A_CRITERIA = ("assumption: synthetic criterion (type and ambition and contract years and "
              "quantity not public); outcome classes in the shares of Zijp et al. 2022's counts ("
              + evidence.ZIJP_2022_URL + "); calibrated so the period's central counted total "
              "matches RIVM's published figure")
A_ZERO = ("; assumption: no criterion of this stratum counts (after the earthworks finding of "
          "2015-2016: " + EARTHWORKS_SRC + ")")


# RIVM's published figures of the other indicators (stated; model units: kg, kg, t, FTE-years
# or FTE per year): (period, indicator, value, label as published, basis, source)
SRC_1718 = ("https://www.rivm.nl/publicaties/effect-van-maatschappelijk-verantwoord-inkopen-"
            "door-nederlandse-overheid-in-2017-2018")
SRC_1920 = ("https://www.rivm.nl/publicaties/effect-van-maatschappelijk-verantwoord-inkopen-"
            "door-nederlandse-overheid-in-2019-2020")
SRC_2122 = "https://rivm.openrepository.com/items/12db3b83-c883-4394-8977-aafb140beed0"
PUBLISHED_INDICATORS = [
    ("2017-2018", "nox", 46281, "NOx -46,281 kg", "not stated", SRC_1718),
    ("2017-2018", "pm", 164212, "PM -164,212 kg", "not stated", SRC_1718),
    ("2017-2018", "raw_materials", 292, "raw materials -292 t", "not stated", SRC_1718),
    ("2017-2018", "jobs", 1203, "1,203 FTE", "not stated", SRC_1718),
    ("2019-2020", "nox", 1433, "NOx -1,433 kg", "not stated", SRC_1920),
    ("2019-2020", "pm", 91, "PM -91 kg", "not stated", SRC_1920),
    ("2019-2020", "raw_materials", 292, "raw materials -292 t", "not stated", SRC_1920),
    ("2019-2020", "jobs", 2603, "2,603 FTE per year", "per year", SRC_1920),
    ("2021-2022", "nox", 540e3, "NOx -540 t", "not stated", SRC_2122),
    ("2021-2022", "pm", 152e3, "PM -152 t", "not stated", SRC_2122),
    ("2021-2022", "raw_materials", 317e3, "raw materials -317 kt (3 kt minerals, 314 kt "
     "fossil)", "not stated", SRC_2122),
]
# assumption: which product groups carry each other indicator, and in what shares; each is
# calibrated to RIVM's figure of each period that has one (per year where RIVM published per
# year; the rows for every period to 2019-2020)
INDICATOR_SHARES = {
    "nox": {"dienstautos": 3, "contractvervoer": 3, "transportdiensten": 2, "grondverzet": 2,
            "gas": 1, "wegen": 1},
    "pm": {"dienstautos": 2, "contractvervoer": 2, "transportdiensten": 2, "grondverzet": 3,
           "wegen": 1},
    "raw_materials": {"meubilair": 3, "ict": 2, "bedrijfskleding": 1, "nieuwbouw": 2,
                      "renovatie": 2, "zonnepanelen": 1},
    "jobs": {"renovatie": 3, "meubilair": 2, "ict": 2, "catering": 2, "nieuwbouw": 1},
}
A_INDICATOR = ("assumption: RIVM's translation factors for NOx, PM, raw materials and jobs are "
               "not public; which product groups carry each indicator, and in what shares, is "
               "set for this reference data set, and the factors are calibrated so that the "
               "{period} central counted figure equals RIVM's published one (per year where "
               "RIVM published per year); the rows without a period are calibrated to "
               "2019-2020 (" + SRC_1920 + ") and hold for the periods without a figure of "
               "RIVM's")


def monitor_tables(rng: np.random.Generator) -> None:
    write_csv(
        DATA / "product_groups.csv",
        ["id", "name_nl", "name_en", "cluster", "in_pilot_2015_2016", "source"],
        [[g[0], g[1], g[2], g[3], "yes" if g[4] else "no",
          "stated: sixteen product groups (" + RIVM_PG + "); cluster: assumption (mapping made "
          "for the research note, not RIVM's)"] for g in PRODUCT_GROUPS],
    )
    write_csv(
        DATA / "monitor_periods.csv",
        ["period", "published_t", "published_bound", "published_unit_label",
         "n_product_groups_published", "household_factor", "source"],
        [[p[0], fmt(p[1]), p[2], p[3], p[4], p[5], "stated: " + p[6]] for p in PERIODS],
    )
    frame_rows = []
    for period, *_ in PERIODS:
        for gid in PERIOD_GROUPS[period]:
            frame_rows.append([
                period, gid, fmt(FRAME_EUR[gid]), "0.1",
                "assumption: frame totals per product group are not public; set for this "
                "reference data set within EUR 85 bn/yr of all government procurement ("
                + SPEND_SRC + "); 10% relative uncertainty"])
    write_csv(DATA / "frame_totals.csv",
              ["period", "product_group", "frame_total_eur", "relative_uncertainty", "source"],
              frame_rows)

    factor_of = {t[1]: t for t in TRANSLATION}
    share_of = {g[0]: g[5] for g in PRODUCT_GROUPS}
    tender_rows, criteria_rows = [], []
    per_unit: dict[tuple[str, str], tuple[float, float]] = {}
    for period, published, *_ in PERIODS:
        groups = PERIOD_GROUPS[period]
        norm = sum(share_of[g] for g in groups if (period, g) not in ZERO_STRATA)
        for gid in groups:
            split = SUB_STRATA.get((period, gid))
            n = sum(k for _, k, _ in split) if split else int(rng.integers(8, 26))
            subs = [h for h, k, _ in split for _ in range(k)] if split else [""] * n
            frame = {h: nf for h, _, nf in split} if split else {}
            k_of = {h: k for h, k, _ in split} if split else {}
            values = np.round(rng.lognormal(np.log(FRAME_EUR[gid] / 400), 0.8, n), 2)
            weight = np.array([frame[h] / k_of[h] if h else 1.0 for h in subs])
            tf = factor_of[gid]
            saving = tf[4][1] - tf[5][1]  # [t per unit] at the modes
            crit = []  # (tender j, type, ambition, contract, beyond, raw quantity)
            for j in range(n):
                for _ in range(int(rng.choice(4, p=N_CRITERIA))):
                    cls = int(rng.choice(4, p=CLASS_P))
                    contract, beyond = CLASS_TESTS[cls]
                    if (period, gid) in ZERO_STRATA and cls == 0:
                        contract, beyond = CLASS_TESTS[1]  # not beyond market standard
                    crit.append((j, str(rng.choice(TYPES, p=TYPE_P)),
                                 str(rng.choice(AMBITIONS, p=AMBITION_P)), contract, beyond,
                                 float(rng.lognormal(0.0, 0.6)) * values[j]))
            counted = [c for c in crit if c[3] == "yes" and c[4] == "yes"]
            if (period, gid) not in ZERO_STRATA and not counted:
                j = int(rng.integers(n))  # at least one counted criterion: a drawn tender
                crit.append((j, "minimum", "basis", "yes", "yes",
                             float(rng.lognormal(0.0, 0.6)) * values[j]))
                counted = crit[-1:]
            if counted and len(counted) < len(crit):
                # the other criteria as large, on average, as the counted ones of the stratum
                # (else a stratum whose few counted criteria are small would make its unclear
                # ones huge after calibration)
                other = [c for c in crit if c not in counted]
                k = np.mean([c[5] for c in counted]) / np.mean([c[5] for c in other])
                crit = [c if c in counted else (*c[:5], c[5] * k) for c in crit]
            # calibrate the counted criteria to the stratum's share of the published total;
            # a stratum where none counts: its criteria as large as if they were counted
            target = published * share_of[gid] / sum(share_of[g] for g in groups) \
                if (period, gid) in ZERO_STRATA else published * share_of[gid] / norm
            raw = sum(weight[c[0]] * c[5] * saving for c in (counted or crit))
            scale = target / (raw / float(np.sum(weight * values)) * FRAME_EUR[gid]) \
                if raw else 1.0
            if counted:  # one unit of saving per criterion unit, at the modes
                den = float(np.sum(weight * values))
                per_unit[(period, gid)] = (
                    sum(weight[c[0]] * c[5] * scale for c in counted) / den * FRAME_EUR[gid],
                    sum(weight[c[0]] * c[5] * scale / YEARS[gid] for c in counted) / den
                    * FRAME_EUR[gid])
            for j in range(n):
                tender_rows.append([
                    period, gid, subs[j], f"TN-{period[:4]}-{gid[:12]}-{j + 1:02d}",
                    fmt(values[j]), "1", A_SAMPLE])
            seen: dict[int, int] = {}
            for j, typ, amb, contract, beyond, raw_q in crit:
                seen[j] = seen.get(j, 0) + 1
                may = contract != "no" and beyond != "no"
                criteria_rows.append([
                    period, f"TN-{period[:4]}-{gid[:12]}-{j + 1:02d}", str(seen[j]), typ, amb,
                    contract, beyond, tf[0], fmt(float(f"{raw_q * scale:.10g}")),
                    fmt(YEARS[gid]) if may else "",
                    A_CRITERIA + (A_ZERO if (period, gid) in ZERO_STRATA else "")])
    write_csv(DATA / "sampled_tenders.csv",
              ["period", "product_group", "sub_stratum", "tender_id", "value_eur", "weight",
               "source"], tender_rows)
    write_csv(DATA / "criteria.csv",
              ["period", "tender_id", "criterion_id", "type", "ambition", "in_contract",
               "beyond_market_standard", "factor_id", "quantity", "years", "source"],
              criteria_rows)
    write_csv(DATA / "sub_strata.csv",
              ["period", "product_group", "sub_stratum", "frame_count", "source"],
              [[q, g, h, str(nf), A_SUB] for (q, g), split in SUB_STRATA.items()
               for h, _, nf in split])
    factor_rows = [[t[0], "co2_eq", t[1], t[2], t[3], "pert", *map(fmt, t[4]), "pert",
                    *map(fmt, t[5]), t[6], ""] for t in TRANSLATION]
    factor_rows += indicator_factors(per_unit)
    write_csv(
        DATA / "translation_factors.csv",
        ["factor_id", "indicator", "product_group", "criterion", "unit", "baseline_ef_dist",
         "baseline_ef_low", "baseline_ef_mode", "baseline_ef_high", "mvi_ef_dist", "mvi_ef_low",
         "mvi_ef_mode", "mvi_ef_high", "source", "period"],
        factor_rows,
    )
    write_csv(
        DATA / "published_indicators.csv",
        ["period", "indicator", "published_value", "published_label", "basis",
         "published_bound", "source"],
        [[q, ind, fmt(v), label, basis, "", "stated: " + src]
         for q, ind, v, label, basis, src in PUBLISHED_INDICATORS],
    )


def indicator_factors(per_unit: dict[tuple[str, str], tuple[float, float]]
                      ) -> list[list[str]]:
    """Translation factors of NOx, PM, raw materials and jobs: each indicator's published
    total of a period split over its product groups (:data:`INDICATOR_SHARES`, an
    assumption), so that the period's central counted figure equals RIVM's (per year where
    RIVM published per year). The rows for every period are calibrated to 2019-2020; a
    period with a figure of its own gets rows of its own. ``per_unit``: per (period, product
    group), the central figure of one unit of saving per criterion unit, over the lifetime
    and per year."""
    rows = []
    for ind, shares in INDICATOR_SHARES.items():
        published = [(q, v, basis) for q, i, v, _, basis, _ in PUBLISHED_INDICATORS if i == ind]
        for q, target, basis in sorted(published, key=lambda r: r[0] != "2019-2020"):
            held = {g: w for g, w in shares.items() if (q, g) in per_unit}
            norm = sum(held.values())
            for gid, share in held.items():
                tf = next(t for t in TRANSLATION if t[1] == gid)
                saving = target * share / norm / per_unit[(q, gid)][basis == "per year"]
                rows.append([tf[0], ind, gid, tf[2], tf[3],
                             "pert", fmt(1.2 * saving), fmt(1.5 * saving), fmt(1.8 * saving),
                             "pert", fmt(0.4 * saving), fmt(0.5 * saving), fmt(0.6 * saving),
                             A_INDICATOR.format(period=q),
                             "" if q == "2019-2020" else q])
    return rows


# Spend and impact (RIVM-rapport 2021-0087, revised: EUR 85 bn of all government purchasing in
# 2019, about 22 Mt CO2-eq). Stated: the total spend and footprint, and the hotspots
# (construction, energy, transport, catering for climate; catering for land use; machinery
# and electronics for raw materials). Assumption: the breakdown by category, which is not
# public, and every intensity; the CO2-eq modes are calibrated so that the spend gives 22 Mt.
SPEND_SRC = ("https://rivm.nl/publicaties/herziene-versie-milieu-impact-van-jaarlijkse-85-"
             "miljard-euro-aan-inkoop-door-alle")
HOTSPOT_SRC = "https://www.co2-prestatieladder.nl/en/news-item/18-van-de-nederlandse-" \
              "klimaatvoetafdruk-door-inkopen-van-de-overheid"
# group, name en, name nl, spend [bn EUR per year], kg CO2-eq / EUR (before calibration),
# m2a / EUR, kg raw materials / EUR
SPEND_GROUPS = [
    ("bouw", "construction: buildings, roads and waterworks", "bouw: gebouwen, wegen en "
     "waterwerken", 28, 0.40, 0.05, 2.5),
    ("energie", "energy", "energie", 5, 1.20, 0.03, 0.8),
    ("transport", "transport and vehicles", "vervoer en voertuigen", 6, 0.45, 0.02, 0.3),
    ("catering", "catering and food", "catering en voeding", 2, 0.50, 1.5, 0.4),
    ("ict", "ICT: equipment and services", "ICT: apparatuur en diensten", 8, 0.20, 0.02, 0.3),
    ("zakelijke-diensten", "business services and advice", "zakelijke dienstverlening en "
     "advies", 18, 0.08, 0.01, 0.02),
    ("facilitair", "facilities: furniture, clothing, cleaning", "facilitair: meubilair, "
     "kleding, schoonmaak", 6, 0.20, 0.1, 0.3),
    ("overig", "other goods and services", "overige goederen en diensten", 12, 0.15, 0.05,
     0.2),
]
FOOTPRINT_MT = 22.0
A_SPEND = ("assumption: RIVM's breakdown of the EUR 85 bn of 2019 by category is not public "
           "(total stated: " + SPEND_SRC + "); shares set for this reference data set; 10% "
           "relative uncertainty")
A_CO2 = ("assumption: intensities per category are not public; modes set so that the "
         "EUR 85 bn give RIVM's 22 Mt CO2-eq (" + SPEND_SRC + "), an average of 0.26 kg per "
         "EUR; the run rescales them so that the median gives it (params "
         "spend_impact.calibrate); the hotspots construction, energy, transport and "
         "catering (" + HOTSPOT_SRC + ") carry the higher ones; PERT from 0.6 to 1.6 "
         "times the mode")
A_LAND = ("assumption: land use per euro is not public; order of magnitude set for this "
          "reference data set, catering the hotspot as stated (" + HOTSPOT_SRC + "); PERT "
          "from 0.5 to 2 times the mode")
A_RAW = ("assumption: raw materials per euro are not public; order of magnitude set for this "
         "reference data set, construction (mineral) and equipment the hotspots as stated ("
         + HOTSPOT_SRC + "); PERT from 0.5 to 2 times the mode")


# Government purchasing volume after 2019 (Monitor Aanbestedingen in Nederland 2021-2023,
# December 2024): stated totals; their split by the 2019 shares above is an assumption.
MONITOR_AANBESTEDINGEN = ("https://pianoo.nl/nl/document/19201/monitor-aanbestedingen-"
                          "nederland-2021-2023")
LATER_YEARS = (("2021", 101_100_000_000), ("2022", 107_400_000_000),
               ("2023", 116_200_000_000))
A_LATER = ("assumption: the EUR {bn} bn government purchasing volume of {y} (Monitor "
           "Aanbestedingen in Nederland 2021-2023, " + MONITOR_AANBESTEDINGEN + ") split by "
           "the 2019 shares of this reference data set (a breakdown is not public); euros of "
           "{y}, not deflated; that monitor gives 2019 as EUR 86.6 bn where the Spend & Impact "
           "study rounds to EUR 85 bn; 10% relative uncertainty")


def split(total: int, weights: list[int]) -> list[int]:
    """``total`` [EUR] split in proportion to ``weights`` in whole euros that sum to it
    exactly (largest remainders)."""
    exact = [total * w / sum(weights) for w in weights]
    out = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - out[i],
                    reverse=True)[:total - sum(out)]:
        out[i] += 1
    return out


def spend_tables() -> None:
    """``spend.csv`` (EUR per year per category: 2019, and the later years' totals split by
    2019's shares) and ``spend_intensities.csv`` (per euro, per category and indicator), the
    CO2-eq modes set to 22 Mt."""
    base = [int(bn * 1e9) for *_, bn, _, _, _ in SPEND_GROUPS]
    rows = [["2019", g, en, nl, fmt(bn * 1e9), "0.1", A_SPEND]
            for g, en, nl, bn, *_ in SPEND_GROUPS]
    for y, total in LATER_YEARS:
        rows += [[y, g, en, nl, str(eur), "0.1", A_LATER.format(bn=f"{total / 1e9:.1f}", y=y)]
                 for (g, en, nl, *_), eur in zip(SPEND_GROUPS, split(total, base),
                                                 strict=True)]
    write_csv(DATA / "spend.csv", ["year", "group", "name_en", "name_nl", "spend_eur",
                                   "relative_uncertainty", "source"], rows)
    raw = sum(bn * 1e9 * co2 for _, _, _, bn, co2, _, _ in SPEND_GROUPS) / 1e3  # [t]
    k = FOOTPRINT_MT * 1e6 / raw
    rows = []
    for g, _, _, _, co2, land, mat in SPEND_GROUPS:
        mode = float(f"{co2 * k:.6g}")
        rows.append([g, "co2_eq", "pert", fmt(float(f"{0.6 * mode:.6g}")), fmt(mode),
                     fmt(float(f"{1.6 * mode:.6g}")), A_CO2])
        for ind, m, src in (("land_use", land, A_LAND), ("raw_materials", mat, A_RAW)):
            rows.append([g, ind, "pert", fmt(0.5 * m), fmt(m), fmt(2 * m), src])
    write_csv(DATA / "spend_intensities.csv",
              ["group", "indicator", "intensity_dist", "intensity_low", "intensity_mode",
               "intensity_high", "source"], rows)


# From plan to contract (issue 28): there are no public outcome data for the 2020 buyer
# groups, so the tracking example gets a synthetic outcome table over 2021-2023, labelled as
# an assumption: some tenders awarded, some contracted with scored criteria (one realised
# below plan, one with an unclear test), one cancelled, the rest still planned or published.
A_OUTCOME = ("assumption: synthetic outcome made by scripts/make_reference_data.py for the "
             "tracking example; no outcome of the 2020 buyer groups' tenders is public")
OUTCOMES = [  # tender, status, date, realised quantity, in contract, beyond market standard
    ("T-keuken-1", "published", "2021-03-15", "", "", ""),
    ("T-keuken-1", "awarded", "2021-09-01", "", "", ""),
    ("T-keuken-1", "contracted", "2021-11-01", "3500", "yes", "yes"),
    ("T-keuken-2", "published", "2021-06-01", "", "", ""),
    ("T-keuken-2", "contracted", "2022-02-01", "", "yes", "no"),
    ("T-borden-1", "published", "2021-05-01", "", "", ""),
    ("T-borden-1", "awarded", "2022-01-15", "", "", ""),
    ("T-borden-2", "cancelled", "2021-10-01", "", "", ""),
    ("T-materialen-1", "published", "2022-03-01", "", "", ""),
    ("T-materialen-1", "contracted", "2022-09-01", "120000", "yes", "yes"),
    ("T-nieuwbouw-1", "published", "2022-04-01", "", "", ""),
    ("T-nieuwbouw-1", "contracted", "2023-01-15", "", "yes", "unclear"),
    ("T-wegen-1", "published", "2022-06-01", "", "", ""),
    ("T-wegen-1", "awarded", "2023-03-01", "", "", ""),
    ("T-wegen-2", "published", "2023-02-01", "", "", ""),
]


def outcome_table() -> None:
    write_csv(DATA / "buyer_group_outcomes.csv",
              ["tender_id", "status", "date", "ocid", "quantity", "in_contract",
               "beyond_market_standard", "source"],
              [[t, st, d, "", q, c, b, A_OUTCOME] for t, st, d, q, c, b in OUTCOMES])


def main() -> None:
    DATA.mkdir(exist_ok=True)
    rng = np.random.default_rng(SEED)
    buyer_group_tables()
    household_tables()
    monitor_tables(rng)
    spend_tables()
    outcome_table()


if __name__ == "__main__":
    main()
