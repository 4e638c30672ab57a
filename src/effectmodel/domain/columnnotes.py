"""What each input column means and its unit, in English and Dutch: the intake template's
header comments and the data documentation. Pure data; no I/O.

A note is found by ``table.column`` first (a column whose meaning depends on its table),
then by ``column``. The low/mode/high/dist columns of an uncertain input are written from
the input's own note (:data:`TRIPLES`).
"""

from __future__ import annotations

from effectmodel.domain.columns import DISTRIBUTIONS
from effectmodel.domain.tableschema import TABLES

_DIST = ", ".join(DISTRIBUTIONS)

#: uncertain inputs (``<name>_low``, ``_mode``, ``_high``, ``_dist``): what and [unit]
TRIPLES = {
    "en": {
        "quantity": "quantity bought under the tender [quantity_unit]",
        "emission_factor": "emissions per unit bought without the criteria [t CO2-eq per "
                           "quantity_unit]",
        "reduction_fraction": "share of those emissions the criteria avoid [0-1]",
        "additionality": "share of the reduction beyond what the market does anyway [0-1]; "
                         "bernoulli: 1 with probability mode",
        "t_per_household": "emissions of one household in a year [t CO2-eq per household]",
        "baseline_ef": "effect per unit without the criterion [the indicator's unit per unit]",
        "mvi_ef": "effect per unit with the criterion [the indicator's unit per unit]",
        "intensity": "footprint per euro spent [kg CO2-eq, m2a or kg raw materials per EUR]",
    },
    "nl": {
        "quantity": "hoeveelheid ingekocht in de aanbesteding [quantity_unit]",
        "emission_factor": "uitstoot per ingekochte eenheid zonder de criteria [t CO2-eq per "
                           "quantity_unit]",
        "reduction_fraction": "deel van die uitstoot dat de criteria vermijden [0-1]",
        "additionality": "deel van de reductie boven wat de markt toch al doet [0-1]; "
                         "bernoulli: 1 met kans modus",
        "t_per_household": "uitstoot van één huishouden in een jaar [t CO2-eq per huishouden]",
        "baseline_ef": "effect per eenheid zonder het criterium [eenheid van de indicator per "
                       "eenheid]",
        "mvi_ef": "effect per eenheid met het criterium [eenheid van de indicator per eenheid]",
        "intensity": "voetafdruk per bestede euro [kg CO2-eq, m2a of kg grondstoffen per EUR]",
    },
}

_TRIPLE_PARTS = {
    "en": {"dist": "distribution of the {what} (allowed: " + _DIST + ")",
           "low": "lowest plausible value of the {what}",
           "mode": "most likely value of the {what}",
           "high": "highest plausible value of the {what}"},
    "nl": {"dist": "verdeling van de {what} (toegestaan: " + _DIST + ")",
           "low": "laagste aannemelijke waarde van de {what}",
           "mode": "meest waarschijnlijke waarde van de {what}",
           "high": "hoogste aannemelijke waarde van de {what}"},
}

NOTES = {
    "en": {
        "source": "an address (https://...) or 'assumption: ...' and why",
        "buyer_groups.id": "short id of the buyer group, used in buyer_group_tenders [text]",
        "household_factors.id": "short id of the household factor, named in the params "
                                "(buyer_groups.household_factor) and monitor_periods [text]",
        "product_groups.id": "short id of the product group, used in the other sheets [text]",
        "name_nl": "name in Dutch, as the Dutch briefing shows it",
        "name_en": "name in English, as the English briefing shows it",
        "category": "category of the buyer group (e.g. Bouw, GWW, ICT) [text]",
        "quantified": "yes where the group's effect can be quantified",
        "reason_not_quantified_nl": "why not quantified, in Dutch (empty when quantified)",
        "reason_not_quantified_en": "why not quantified, in English (empty when quantified)",
        "tender_id": "id of the tender (e.g. a TenderNed number) [text]",
        "buyer_group": "id of the buyer group (buyer_groups sheet)",
        "description": "what the tender buys, in words",
        "quantity_unit": "unit of the quantity (e.g. kitchen, m2, vehicle) [text]",
        "award_probability": "chance the tender is awarded with its criteria [0-1]",
        "emission_factor_id": "id shared by tenders that share one emission factor (drawn once); "
                              "empty: the tender's own",
        "publication": "publication the household factor comes from [text]",
        "households_published": "number of households the publication gives [households]; empty: "
                                "not given",
        "household_factors.basis": "what the household's emissions cover (e.g. direct emissions) "
                                   "[text]",
        "basis_nl": "the same in Dutch, for Dutch briefings (e.g. directe uitstoot); empty: the "
                    "basis as written [text]",
        "published_indicators.basis": "whether RIVM's figure counts the contracts' lifetime or "
                                      "one year",
        "cluster": "cluster of the product group (e.g. Transport, Bouw) [text]",
        "in_pilot_2015_2016": "yes where the group was in the 2015-2016 monitor",
        "period": "monitoring period, as in monitor_periods (e.g. 2019-2020)",
        "published_t": "RIVM's published total for the period [t CO2-eq]; empty: none",
        "published_bound": "how RIVM states its figure; empty: none",
        "published_unit_label": "the unit as RIVM wrote it (e.g. CO2-eq) [text]",
        "n_product_groups_published": "product groups RIVM's figure covers [count]",
        "household_factor": "id in household_factors for this period's households",
        "product_group": "id of the product group (product_groups sheet)",
        "frame_total_eur": "value of all tenders of the period and product group [EUR]",
        "relative_uncertainty": "log-sd of the frame total [-], e.g. 0.1 for about 10%",
        "translation_factors.factor_id": "short id of the translation factor [text]",
        "criteria.factor_id": "id of the translation factor the criterion's effect uses "
                              "(translation_factors sheet); empty: no counted effect",
        "translation_factors.indicator": "indicator of the factor; empty: co2_eq",
        "translation_factors.period": "the one period the row holds for, as in monitor_periods; "
                                      "empty: every period without a row of its own",
        "spend.group": "short id of the spend group (a product group or a CPV division, e.g. "
                       "cpv-45) [text]",
        "spend_intensities.group": "id of the spend group (spend sheet, or the product group of "
                                   "the frame totals)",
        "spend_intensities.indicator": "indicator of the intensity",
        "spend_eur": "spend of the group in one year [EUR per year]",
        "status": "the tender's status from this date",
        "buyer_group_outcomes.date": "the date of the status [YYYY-MM-DD]",
        "ocid": "the tender's OCDS id or TenderNed id, where known [text]",
        "buyer_group_outcomes.quantity": "the quantity realised [the tender's quantity_unit]; "
                                         "empty: as planned",
        "buyer_group_outcomes.in_contract": "contracted: the criteria carried into the contract; "
                                            "empty on other rows",
        "buyer_group_outcomes.beyond_market_standard": "contracted: the criteria go beyond market "
                                                       "standard",
        "spend.relative_uncertainty": "log-sd of the spend [-], e.g. 0.1 for about 10%",
        "spend.year": "the year the spend is of (e.g. 2019); empty: a table of one year",
        "published_indicators.indicator": "indicator",
        "criterion": "the criterion the factor describes, in words",
        "unit": "unit a quantity counts in (e.g. 1000 km, trip, m2) [text]",
        "sub_stratum": "sub-stratum of the tender within its product group; empty: none",
        "sampled_tenders.has_effect": "the one-criterion format (before the criteria sheet): "
                                      "yes where the tender has a counted effect",
        "sampled_tenders.factor_id": "the one-criterion format: the translation factor of the "
                                     "tender's effect; empty: none",
        "sampled_tenders.quantity": "the one-criterion format: the quantity under the "
                                    "criterion [the factor's unit]; empty: none",
        "value_eur": "tender value [EUR]",
        "weight": "sampling weight [-], 1 unless the sample says otherwise",
        "criterion_id": "id of the criterion within its tender (e.g. 1, 2) [text]",
        "type": "kind of criterion",
        "ambition": "ambition level",
        "in_contract": "is the criterion in the contract?",
        "beyond_market_standard": "does it go beyond market standard?",
        "quantity": "quantity under the criterion [the factor's unit]",
        "years": "years over which the criterion's effect counts (contract duration) [years]",
        "sub_strata.sub_stratum": "name of the sub-stratum, as in sampled_tenders [text]",
        "sub_strata.take_all": "yes where its tenders are taken with certainty (every one of "
                               "them sampled), so it adds no sampling variance; empty: no",
        "frame_count": "tenders of the sub-stratum in the frame (N_h) [count]",
        "published_value": "RIVM's figure, without its sign [the indicator's unit: kg, t, FTE]",
        "published_label": "RIVM's figure as RIVM wrote it (e.g. NOx -1,433 kg) [text]",
    },
    "nl": {
        "source": "een adres (https://...) of 'assumption: ...' en waarom",
        "buyer_groups.id": "korte id van de buyer group, gebruikt in buyer_group_tenders [tekst]",
        "household_factors.id": "korte id van de huishoudfactor, genoemd in de params "
                                "(buyer_groups.household_factor) en monitor_periods [tekst]",
        "product_groups.id": "korte id van de productgroep, gebruikt in de andere bladen [tekst]",
        "name_nl": "naam in het Nederlands, zoals de Nederlandse briefing hem toont",
        "name_en": "naam in het Engels, zoals de Engelse briefing hem toont",
        "category": "categorie van de buyer group (bijv. Bouw, GWW, ICT) [tekst]",
        "quantified": "ja als het effect van de groep te kwantificeren is",
        "reason_not_quantified_nl": "waarom niet gekwantificeerd, in het Nederlands (leeg als "
                                    "gekwantificeerd)",
        "reason_not_quantified_en": "waarom niet gekwantificeerd, in het Engels (leeg als "
                                    "gekwantificeerd)",
        "tender_id": "id van de aanbesteding (bijv. een TenderNed-nummer) [tekst]",
        "buyer_group": "id van de buyer group (blad buyer_groups)",
        "description": "wat de aanbesteding inkoopt, in woorden",
        "quantity_unit": "eenheid van de hoeveelheid (bijv. keuken, m2, voertuig) [tekst]",
        "award_probability": "kans dat de aanbesteding met criteria gegund wordt [0-1]",
        "emission_factor_id": "id die aanbestedingen met één gedeelde emissiefactor delen (één "
                              "keer getrokken); leeg: een eigen factor",
        "publication": "publicatie waar de huishoudfactor uit komt [tekst]",
        "households_published": "aantal huishoudens dat de publicatie noemt [huishoudens]; leeg: "
                                "niet genoemd",
        "household_factors.basis": "wat de uitstoot van het huishouden omvat (bijv. directe "
                                   "uitstoot) [tekst]",
        "basis_nl": "hetzelfde in het Nederlands, voor Nederlandse briefings (bijv. directe "
                    "uitstoot); leeg: de basis zoals geschreven [tekst]",
        "published_indicators.basis": "of het cijfer van het RIVM de hele contractduur of één "
                                      "jaar telt",
        "cluster": "cluster van de productgroep (bijv. Transport, Bouw) [tekst]",
        "in_pilot_2015_2016": "ja als de groep in de monitor van 2015-2016 zat",
        "period": "monitorperiode, zoals in monitor_periods (bijv. 2019-2020)",
        "published_t": "door het RIVM gepubliceerd totaal van de periode [t CO2-eq]; leeg: geen",
        "published_bound": "hoe het RIVM zijn cijfer noemt; leeg: geen",
        "published_unit_label": "de eenheid zoals het RIVM die schreef (bijv. CO2-eq) [tekst]",
        "n_product_groups_published": "productgroepen die het cijfer van het RIVM omvat [aantal]",
        "household_factor": "id in household_factors voor de huishoudens van deze periode",
        "product_group": "id van de productgroep (blad product_groups)",
        "frame_total_eur": "waarde van alle aanbestedingen van periode en productgroep [EUR]",
        "relative_uncertainty": "log-sd van het inkoopvolume [-], bijv. 0,1 voor ongeveer 10%",
        "translation_factors.factor_id": "korte id van de vertaalfactor [tekst]",
        "criteria.factor_id": "id van de vertaalfactor voor het effect van het criterium (blad "
                              "translation_factors); leeg: geen geteld effect",
        "translation_factors.indicator": "indicator van de factor; leeg: co2_eq",
        "translation_factors.period": "de ene periode waarvoor de rij geldt, zoals in "
                                      "monitor_periods; leeg: elke periode zonder eigen rij",
        "spend.group": "korte id van de bestedingsgroep (een productgroep of een CPV-divisie, "
                       "bijv. cpv-45) [tekst]",
        "spend_intensities.group": "id van de bestedingsgroep (blad spend, of de productgroep van "
                                   "de inkoopvolumes)",
        "spend_intensities.indicator": "indicator van de intensiteit",
        "spend_eur": "besteding van de groep in één jaar [EUR per jaar]",
        "status": "de status van de aanbesteding vanaf deze datum",
        "buyer_group_outcomes.date": "de datum van de status [JJJJ-MM-DD]",
        "ocid": "de OCDS-id of TenderNed-id van de aanbesteding, waar bekend [tekst]",
        "buyer_group_outcomes.quantity": "de gerealiseerde hoeveelheid [quantity_unit van de "
                                         "aanbesteding]; leeg: zoals gepland",
        "buyer_group_outcomes.in_contract": "gecontracteerd: de criteria staan in het contract; "
                                            "leeg op andere rijen",
        "buyer_group_outcomes.beyond_market_standard": "gecontracteerd: de criteria gaan verder "
                                                       "dan de marktstandaard",
        "spend.relative_uncertainty": "log-sd van de besteding [-], bijv. 0,1 voor ongeveer 10%",
        "spend.year": "het jaar van de besteding (bijv. 2019); leeg: een tabel van één jaar",
        "published_indicators.indicator": "indicator",
        "criterion": "het criterium dat de factor beschrijft, in woorden",
        "unit": "eenheid waarin een hoeveelheid telt (bijv. 1000 km, reis, m2) [tekst]",
        "sub_stratum": "substratum van de aanbesteding binnen de productgroep; leeg: geen",
        "sampled_tenders.has_effect": "het formaat met één criterium (van voor het blad "
                                      "criteria): ja als de aanbesteding een geteld effect heeft",
        "sampled_tenders.factor_id": "het formaat met één criterium: de vertaalfactor van het "
                                     "effect; leeg: geen",
        "sampled_tenders.quantity": "het formaat met één criterium: de hoeveelheid onder het "
                                    "criterium [eenheid van de factor]; leeg: geen",
        "value_eur": "waarde van de aanbesteding [EUR]",
        "weight": "steekproefgewicht [-], 1 tenzij de steekproef anders zegt",
        "criterion_id": "id van het criterium binnen de aanbesteding (bijv. 1, 2) [tekst]",
        "type": "soort criterium",
        "ambition": "ambitieniveau",
        "in_contract": "staat het criterium in het contract?",
        "beyond_market_standard": "gaat het verder dan de marktstandaard?",
        "quantity": "hoeveelheid onder het criterium [eenheid van de factor]",
        "years": "jaren waarover het effect van het criterium telt (looptijd contract) [jaren]",
        "sub_strata.sub_stratum": "naam van het substratum, zoals in sampled_tenders [tekst]",
        "sub_strata.take_all": "ja als elke aanbesteding ervan met zekerheid in de "
                               "steekproef zit, dus zonder steekproefvariantie; leeg: nee",
        "frame_count": "aanbestedingen van het substratum in het kader (N_h) [aantal]",
        "published_value": "cijfer van het RIVM, zonder teken [eenheid van de indicator: kg, t, "
                           "FTE]",
        "published_label": "het cijfer zoals het RIVM het schreef (bijv. NOx -1.433 kg) [tekst]",
    },
}


#: the Dutch meaning of the (English) values a column takes, shown beside them; the values
#: themselves are what a cell holds
GLOSS_NL = {"minimum": "minimumeis", "stricter": "strengere eis",
            "award": "gunningscriterium", "unknown": "onbekend", "ambitious": "ambitieus",
            "at least": "minstens", "point": "puntschatting", "lifetime": "hele looptijd",
            "per year": "per jaar", "not stated": "niet vermeld", "planned": "gepland",
            "published": "gepubliceerd", "awarded": "gegund", "contracted": "gecontracteerd",
            "cancelled": "ingetrokken", "co2_eq": "CO2-equivalent", "nox": "stikstofoxiden",
            "pm": "fijnstof", "raw_materials": "grondstoffen", "jobs": "banen",
            "land_use": "landgebruik"}
#: the Dutch words the readers also take (domain.columns: YES, NO, UNCLEAR)
DUTCH_WORDS = {"yes": "ja", "no": "nee", "unclear": "onduidelijk"}


def allowed_text(values: tuple[str, ...], lang: str) -> str:
    """The values a column takes, as its note says them: the Dutch spellings the readers
    take beside yes, no and unclear; the Dutch meaning of the other (English) values."""
    words = [DUTCH_WORDS[v] for v in values if v in DUTCH_WORDS]
    if lang == "en":
        also = f"; also {', '.join(words)}" if words else ""
        return f"(allowed: {', '.join(values)}{also})"
    if words:
        return f"(toegestaan: {', '.join(words)}; ook {', '.join(values)})"
    return "(toegestaan, zo geschreven: " + ", ".join(
        f"{v} ({GLOSS_NL[v]})" if v in GLOSS_NL else v for v in values) + ")"


def note(table: str, column: str, lang: str) -> str | None:
    """What ``column`` of ``table`` holds and its unit, in ``lang`` (None: no note). A column
    of a few values ends with them, from the schema the tables are validated by."""
    text = _note(table, column, lang)
    spec = TABLES.get(table, {}).get(column)
    if text is None or spec is None or not spec.allowed or "(allowed:" in text \
            or "(toegestaan:" in text:
        return text
    return f"{text} {allowed_text(spec.allowed, lang)}"


def _note(table: str, column: str, lang: str) -> str | None:
    """The note as written (without the values a column takes)."""
    notes = NOTES[lang]
    if f"{table}.{column}" in notes:
        return notes[f"{table}.{column}"]
    if column in notes:
        return notes[column]
    name, _, part = column.rpartition("_")
    if name in TRIPLES[lang] and part in _TRIPLE_PARTS[lang]:
        what = TRIPLES[lang][name]
        return _TRIPLE_PARTS[lang][part].format(what=what)
    return None
