"""What each input column means and its unit, in English and Dutch: the intake template's
header comments and the data documentation, from the catalogues
(:mod:`effectmodel.domain.catalogue`). No I/O of the user's files.

A note is found by ``table.column`` first (a column whose meaning depends on its table),
then by ``column``. The low/mode/high/dist columns of an uncertain input are written from
the input's own note (the catalogue's ``columns.triples``).
"""

from __future__ import annotations

from effectmodel.domain.catalogue import from_english, words
from effectmodel.domain.columns import DISTRIBUTIONS
from effectmodel.domain.tableschema import TABLES

_DIST = ", ".join(DISTRIBUTIONS)

def allowed_text(values: tuple[str, ...], lang: str) -> str:
    """The values a column takes, as its note says them: the Dutch spellings the readers
    take beside yes, no and unclear; the Dutch meaning of the other (English) values."""
    dutch, gloss = from_english("words"), from_english("glosses")
    said = [dutch[v] for v in values if v in dutch]
    if lang == "en":
        also = f"; also {', '.join(said)}" if said else ""
        return f"(allowed: {', '.join(values)}{also})"
    if said:
        return f"(toegestaan: {', '.join(said)}; ook {', '.join(values)})"
    return "(toegestaan, zo geschreven: " + ", ".join(
        f"{v} ({gloss[v]})" if v in gloss else v for v in values) + ")"


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
    cat = words("columns", lang)  # triples (name: what [unit]), triple_parts, notes
    notes = cat["notes"]
    if f"{table}.{column}" in notes:
        return notes[f"{table}.{column}"]
    if column in notes:
        return notes[column]
    name, _, part = column.rpartition("_")
    if name in cat["triples"] and part in cat["triple_parts"]:
        return cat["triple_parts"][part].format(what=cat["triples"][name],
                                                distributions=_DIST)
    return None
