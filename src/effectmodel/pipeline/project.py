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

from effectmodel.domain.errors import InputError, Problem
from effectmodel.domain.paramschema import DATA_KEYS
from effectmodel.domain.tableschema import OPTIONAL_TABLES
from effectmodel.inputs.formats import split_sheet

#: the README of a new project, per language ({name}: the params file's stem)
README = {
    "en": """# {title}

An effectmodel project: the CO2 effects of public procurement with honest uncertainty ranges.

1. Fill in the data: {data}. Every row needs a `source`: an address, or
   `assumption: ...` and why.
2. Say what a reader should know about the data in `params/{name}.yaml` (`notes:`).
3. Check it: `effectmodel validate params/{name}.yaml` (one line per problem).
4. Run it: `effectmodel run params/{name}.yaml`; the briefing is `reports/{name}/index.html`.
""",
    "nl": """# {title}

Een effectmodel-project: de CO2-effecten van inkoop, met eerlijke onzekerheidsmarges.

1. Vul de gegevens in: {data}. Elke rij heeft een `source` nodig: een adres, of
   `assumption: ...` en waarom.
2. Zeg in `params/{name}.yaml` (`notes:`) wat een lezer over de gegevens moet weten.
3. Controleer: `effectmodel validate params/{name}.yaml` (een regel per probleem).
4. Draai: `effectmodel run params/{name}.yaml`; de briefing staat in
   `reports/{name}/index.html`.
""",
}
DATA_WORDS = {"en": ("the sheets of `data/intake.xlsx`", "the files in `data/`"),
              "nl": ("de bladen van `data/intake.xlsx`", "de bestanden in `data/`")}
TITLES = {"en": "CO2 effects of public procurement", "nl": "CO2-effecten van inkoop"}
DONE = {"en": "made the project {folder}: params/{name}.yaml, {data} and README.md",
        "nl": "project {folder} gemaakt: params/{name}.yaml, {data} en README.md"}


def project_name(folder: Path) -> str:
    """A params ``name`` from a folder's name: lower case, letters, digits, '-' and '_'."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", folder.name.lower()).strip("-_")
    return slug if slug and slug[0].isalnum() else f"project-{slug}".rstrip("-")


def check_folder(folder: Path) -> None:
    """Refuse (exit 2) a path that is a file or a folder with anything in it."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InputError([Problem(str(folder), "(folder)", "is not a folder (allowed: a new "
                                  "or empty folder)")])
    if folder.is_dir() and any(folder.iterdir()):
        raise InputError([Problem(str(folder), "(folder)", "is not empty (allowed: a new or "
                                  "empty folder; init never writes into an existing project)")])


def init_project(folder: Path, lang: str | None = None, source: Path | None = None) -> str:
    """Make a project in ``folder`` (new or empty); returns the confirmation line.

    ``source``: a params file whose data are copied (validated first); else an empty intake
    workbook in ``lang`` to fill in. ``lang``: the briefing's language (default: the
    source's, else English).
    """
    folder = Path(folder)
    check_folder(folder)
    raw, data = _from_source(source) if source is not None else (None, None)
    lang = lang or (raw or {}).get("language") or "en"
    name = project_name(folder.resolve())
    tmp = folder.resolve().parent / f".{folder.resolve().name}.init-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "params").mkdir(parents=True)
    (tmp / "data").mkdir()
    try:
        if raw is not None:
            params = _copy_data(raw, data, tmp / "data")
            data_words = DATA_WORDS[lang][1]
        else:
            params = _skeleton(lang, tmp / "data")
            data_words = DATA_WORDS[lang][0]
        params.update(name=name, language=lang)
        (tmp / "params" / f"{name}.yaml").write_text(
            yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (tmp / "README.md").write_text(README[lang].format(
            title=params["title"], name=name, data=data_words), encoding="utf-8")
        if folder.is_dir():
            folder.rmdir()  # empty (checked): the new folder takes its place
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return DONE[lang].format(folder=folder, name=name,
                             data="data/intake.xlsx" if raw is None else "data/")


def _from_source(source: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """The raw params of ``source`` and the data files they name (resolved), once the params
    and every data file validate."""
    from effectmodel.inputs.data import load_inputs
    from effectmodel.inputs.paramsfile import load_params
    from effectmodel.inputs.yamlfiles import read_yaml

    params = load_params(source)
    load_inputs(params)  # bad input: exit 2 before anything is written
    # the file as written (its settings, not every default), and its data files as resolved
    return read_yaml(params.path, "a params YAML file")[0], dict(params.data)


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
    for key in OPTIONAL_TABLES:
        out["data"].setdefault(key, None)
    out["data_root"] = None
    return out


def _skeleton(lang: str, data: Path) -> dict[str, Any]:
    """A params file for an empty intake workbook in ``data`` (written here)."""
    from effectmodel.pipeline.intake import write_template

    write_template(data / "intake.xlsx", lang)
    return {
        "schema_version": 1, "name": "", "title": TITLES[lang], "language": lang,
        "notes": {"en": None, "nl": None},
        "run": {"seed": 1, "n_draws": 10000},
        "data": {**{key: f"../data/intake.xlsx#{key}" for key in DATA_KEYS},
                 **{key: None for key in OPTIONAL_TABLES}},
        "buyer_groups": {"household_factor": "households"},
    }
