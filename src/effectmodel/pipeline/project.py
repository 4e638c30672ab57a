"""A project folder anywhere (``effectmodel init``): a params file, its data (an intake
workbook to fill in, or the data of an existing project) and a short README.

The folder is made whole or not at all: everything is written into a temporary folder beside
it and renamed into place at the end; an existing folder that is not empty is refused before
any work.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from effectmodel.domain.catalogue import words
from effectmodel.domain.errors import InputError, Problem
from effectmodel.domain.paramschema import MAX_NAME
from effectmodel.domain.parts import CLI_NAMES, PARTS, own_tables, parts_of, tables_of
from effectmodel.inputs.formats import split_sheet
from effectmodel.pipeline.staging import check_destination, new_folder

DATA_SHORT = {"xlsx": "data/intake.xlsx", "csv": "data/*.csv", "from": "data/"}
#: the data formats of a new project's templates
FORMATS = ("xlsx", "csv")


def project_name(folder: Path) -> str:
    """A params ``name`` from a folder's name: lower case, letters, digits, '-' and '_'."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", folder.name.lower()).strip("-_")
    slug = slug if slug and slug[0].isalnum() else f"project-{slug}".rstrip("-")
    return slug[:MAX_NAME].rstrip("-_")  # the params schema's limit


def check_folder(folder: Path) -> None:
    """Refuse (exit 2) a path that is a file or a folder with anything in it."""
    check_destination(folder, "(folder)")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InputError([Problem(str(folder), "(folder)", "is not a folder (allowed: a new "
                                  "or empty folder)")])
    if folder.is_dir() and any(folder.iterdir()):
        raise InputError([Problem(str(folder), "(folder)", "is not empty (allowed: a new or "
                                  "empty folder; init never writes into an existing project)")])


def init_project(folder: Path, lang: str | None = None, source: Path | None = None,
                 parts: tuple[str, ...] | None = None, data_format: str | None = None) -> str:
    """Make a project in ``folder`` (new or empty); returns the confirmation line.

    ``source``: a params file whose data are copied (validated first), as they are, or
    into an intake workbook (``data_format`` xlsx) or a CSV file per table in the
    language's CSV (csv); else empty templates to fill in: an intake workbook (xlsx, the
    default) or a CSV file per table (csv).
    ``parts``: the parts the project holds (default: the source's, else both). ``lang``:
    the briefing's language (default: the source's, else English).
    """
    folder = Path(folder)
    check_folder(folder)
    raw, data = _from_source(source, parts) if source is not None else (None, None)
    if parts is None:
        parts = parts_of(raw) if raw is not None else PARTS
    lang = lang or (raw or {}).get("language") or "en"
    name = project_name(folder.resolve())
    folder.resolve().parent.mkdir(parents=True, exist_ok=True)
    tmp = new_folder(folder.resolve())  # made exclusively: never a folder of the user's
    (tmp / "params").mkdir()
    (tmp / "data").mkdir()
    how = "from" if raw is not None and data_format is None else (data_format or "xlsx")
    try:
        if raw is not None and data_format is not None:
            params = _write_data(_only(raw, parts), source, tmp / "data", lang, parts,
                                 data_format)
        elif raw is not None:
            params = _copy_data(_only(raw, parts), data, tmp / "data")
        else:
            params = _skeleton(lang, tmp / "data", parts, data_format or "xlsx")
        params.update(name=name, language=lang)
        (tmp / "params" / f"{name}.yaml").write_text(
            yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")
        said = words("project", lang)  # {name}: the params file's stem
        (tmp / "README.md").write_text(said["readme"].format(
            title=params["title"], name=name, data=said["data"][how]), encoding="utf-8")
        if folder.is_dir():
            folder.rmdir()  # empty (checked): the new folder takes its place
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return words("project", lang)["done"].format(folder=folder, name=name, data=DATA_SHORT[how])


def _only(raw: dict[str, Any], parts: tuple[str, ...]) -> dict[str, Any]:
    """Raw params holding only ``parts``: the other parts' sections and their own tables
    left out (a table left named would choose its part again)."""
    out = {k: v for k, v in raw.items() if k not in PARTS or k in parts}
    if isinstance(raw.get("data"), dict):
        drop = {t for p in PARTS if p not in parts for t in own_tables(p)}
        out["data"] = {k: v for k, v in raw["data"].items() if k not in drop}
    return out


def _from_source(source: Path, parts: tuple[str, ...] | None
                 ) -> tuple[dict[str, Any], dict[str, Path]]:
    """The raw params of ``source`` and the data files of ``parts`` (default: all) they name
    (resolved), once the params and every data file validate."""
    from effectmodel.inputs.data import load_inputs
    from effectmodel.inputs.paramsfile import load_params
    from effectmodel.inputs.yamlfiles import read_yaml

    params = load_params(source)
    load_inputs(params)  # bad input: exit 2 before anything is written
    missing = [p for p in parts or () if p not in params.parts]
    if missing:
        raise InputError([Problem("--parts", CLI_NAMES[p], f"{source} holds no {CLI_NAMES[p]} "
                                  "part (allowed: "
                                  f"{', '.join(CLI_NAMES[q] for q in params.parts)})")
                          for p in missing])
    tables = tables_of(parts or params.parts)
    # the file as written (its settings, not every default), and its data files as resolved
    return (read_yaml(params.path, "a params YAML file")[0],
            {k: v for k, v in params.data.items() if k in tables})


def _copy_data(raw: dict[str, Any], paths: dict[str, Path], data: Path) -> dict[str, Any]:
    """``raw`` with the data files ``paths`` copied into ``data`` (each file once, by its
    name)."""
    copied: dict[Path, str] = {}
    out = dict(raw)
    out["data"] = {}
    for key, path in paths.items():
        file, sheet = split_sheet(path)
        if file not in copied:
            target = data / file.name
            n = 1
            while target.exists():
                n += 1
                target = data / f"{file.stem}-{n}{file.suffix}"
            shutil.copyfile(file, target)
            copied[file] = target.name
        out["data"][key] = f"../data/{copied[file]}" + (f"#{sheet}" if sheet else "")
    for key in tables_of(parts_of(out)):
        out["data"].setdefault(key, None)  # an optional table the source left out
    out["data_root"] = None
    return out


def _write_data(raw: dict[str, Any], source: Path, data: Path, lang: str,
                parts: tuple[str, ...], data_format: str) -> dict[str, Any]:
    """``raw`` with the data of ``source`` written into ``data``: an intake workbook with
    a sheet per table, or a CSV file per table in the language's CSV; the tables the source
    leaves out stay out."""
    from effectmodel.pipeline.intake import write_csv_templates, write_template

    if data_format == "csv":
        names = write_csv_templates(data, lang, parts, source=source)
        have = {n[:-4] for n in names if n.endswith(".csv")}
        where = "../data/{key}.csv"
    else:
        write_template(data / "intake.xlsx", lang, source, parts)
        have = {k for k, v in (raw.get("data") or {}).items() if v is not None}
        where = "../data/intake.xlsx#{key}"
    out = dict(raw)
    out["data"] = {key: where.format(key=key) if key in have else None
                   for key in tables_of(parts_of(out))}
    out["data_root"] = None
    return out


def _skeleton(lang: str, data: Path, parts: tuple[str, ...], data_format: str
              ) -> dict[str, Any]:
    """A params file for empty templates of ``parts`` in ``data`` (written here): an intake
    workbook, or a CSV file per table."""
    from effectmodel.pipeline.intake import write_csv_templates, write_template

    if data_format == "csv":
        write_csv_templates(data, lang, parts)
        where = "../data/{key}.csv"
    else:
        write_template(data / "intake.xlsx", lang, parts=parts)
        where = "../data/intake.xlsx#{key}"
    params: dict[str, Any] = {
        "schema_version": 1, "name": "", "title": words("project", lang)["title"], "language": lang,
        "notes": {"en": None, "nl": None},
        "run": {"seed": 1, "n_draws": 10000},
        # every table, the optional ones too: sub_strata, published_indicators, spend and
        # spend_intensities may stay empty (read as left out), and the criteria are how a
        # sample counts effects
        "data": {key: where.format(key=key) for key in tables_of(parts)},
    }
    if "buyer_groups" in parts:
        params["buyer_groups"] = {"household_factor": "households"}
    if "monitor" in parts:
        params["monitor"] = {"periods": "all"}
    return params
