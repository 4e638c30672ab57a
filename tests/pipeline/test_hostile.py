"""Input the user controls that ended in an internal error or wrote infinities: each now
ends in exit 2 with one line naming file and field, before anything is written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ERROR_LINE, ROOT, copy_project
from effectmodel.cli import main


def one_line(capsys, code: int, *said: str, lines: int = 1) -> str:
    """The one line (or the first of ``lines``, a line per problem) of exit 2."""
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == lines and all(ERROR_LINE.match(e) for e in err), err
    for s in said:
        assert s in err[0], err[0]
    return err[0]


def release(i: int, date: str = "2020-01-01T00:00:00Z", amount=10.5, **more) -> dict:
    return {"ocid": f"ocds-x-{i}", "id": str(i), "date": date, "tag": ["tender"],
            "tender": {"id": f"t{i}", "datePublished": date,
                       "classification": {"scheme": "CPV", "id": "34110000"},
                       "value": {"amount": amount, "currency": "EUR"}}, **more}


def frame(tmp_path: Path, releases: list[dict], *more: str) -> int:
    src = tmp_path / "r.json"
    src.write_text(json.dumps({"releases": releases}))
    return main(["frame", str(src), "--period", "2019-2020", "--out", str(tmp_path / "f"),
                 *more])


@pytest.mark.parametrize("date", ["0219-05-01T00:00:00Z", "2999-05-01T00:00:00Z"])
def test_a_year_out_of_range_in_ocds_is_one_line(tmp_path, capsys, date):
    """A typo year gave OutOfBoundsDatetime (exit 1)."""
    code = frame(tmp_path, [release(0), release(1, date=date)])
    one_line(capsys, code, "a date outside 1900-2100")
    assert not (tmp_path / "f").exists()


def test_a_year_out_of_range_in_a_tender_list_is_one_line(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("ocid,date,tender/classification/id,tender/value/amount\n"
                   "T1,2019-05-01,34110000-1,100\nT2,01-05-0219,34110000-1,100\n")
    code = main(["frame", str(src), "--period", "2019-2020", "--out", str(tmp_path / "f")])
    one_line(capsys, code, "date[line 3]: a date outside 1900-2100: '01-05-0219'")


def test_amounts_that_would_sum_to_infinity_are_refused(tmp_path, capsys):
    """Two amounts of 1e308 wrote inf into frame_totals.csv with exit 0."""
    code = frame(tmp_path, [release(0, amount=1e308), release(1, amount=1e308)])
    one_line(capsys, code, "above 1e+15", lines=2)  # a line per amount
    assert not (tmp_path / "f").exists()


def test_a_rate_of_1e308_is_refused(tmp_path, capsys):
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,eur_per_unit,source\nUSD,1e308,assumption: x\n")
    code = frame(tmp_path, [release(0)], "--rates", str(rates))
    one_line(capsys, code, "eur_per_unit[line 2]", "at most 1,000,000")


@pytest.mark.parametrize(("table", "old", "new"), [
    ("frame_totals", "2015-2016,a,1000,", "2015-2016,a,1e308,"),
])
def test_a_table_number_beyond_1e15_is_refused_by_validate(tmp_path, capsys, table, old,
                                                           new):
    """frame_total_eur 1e308 passed validate; run then failed in a notebook (exit 1)."""
    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    f = params.parent.parent / "data" / f"{table}.csv"
    assert old in f.read_text()
    f.write_text(f.read_text().replace(old, new, 1))
    code = main(["validate", str(params)])
    # the row's line, and the check across tables that then misses its total
    one_line(capsys, code, "out of range: '1e308'", "at most 1e15", lines=2)


def test_sample_refuses_infinite_values_and_reads_units_without_lots(tmp_path, capsys):
    units = tmp_path / "frame_units.csv"
    units.write_text("period,product_group,sub_stratum,tender_id,value\n"
                     "2019-2020,a,,T1,100\n2019-2020,a,,T2,200\n")
    assert main(["sample", str(units), "--n", "1", "--seed", "1", "--out",
                 str(tmp_path / "s")]) == 0
    units.write_text(units.read_text() + "2019-2020,a,,T3,inf\n")
    code = main(["sample", str(units), "--n", "1", "--seed", "1", "--out",
                 str(tmp_path / "s2")])
    one_line(capsys, code, "value[line 4]: inf")


def test_track_takes_a_list_as_tender_id(tmp_path, capsys):
    """A release whose tender.id is a list or an object ended in a TypeError."""
    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    rels = [release(0, tender={"id": ["t1"]}), release(1, tender={"id": {"a": 1}}),
            release(2, tender={"id": "t1"})]
    src = tmp_path / "r.json"
    src.write_text(json.dumps({"releases": rels}))
    assert main(["track", str(src), "--params", str(params), "--out",
                 str(tmp_path / "t")]) == 0
    assert "1 of 3 buyer-group tenders matched" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["init", "template", "pdf"])
def test_a_name_too_long_for_the_file_system_is_one_line(tmp_path, capsys, command):
    long = "x" * 300
    args = {"init": ["init", str(tmp_path / long)],
            "template": ["template", str(tmp_path / f"{long}.xlsx")],
            "pdf": ["pdf", str(ROOT / "reports" / "reference"), "--out",
                    str(tmp_path / f"{long}.pdf")]}[command]
    one_line(capsys, main(args), "a name of 30", "at most 255 bytes")


def test_a_destination_under_proc_is_one_line(tmp_path, capsys):
    one_line(capsys, main(["template", "/proc/self/intake.xlsx"]), "lies under /proc")
    code = main(["frame", str(tmp_path / "none.json"), "--period", "2019-2020", "--out",
                 "/proc/self/frame"])
    one_line(capsys, code, "lies under /proc")


def test_init_of_a_long_folder_name_makes_a_valid_project(tmp_path, capsys):
    folder = tmp_path / ("a" * 100)
    assert main(["init", str(folder), "--data", "csv"]) == 0
    name = next((folder / "params").glob("*.yaml")).stem
    assert len(name) <= 64 and re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name)
    capsys.readouterr()
    main(["validate", str(folder / "params" / f"{name}.yaml")])
    assert "params.name" not in capsys.readouterr().err


def test_control_characters_in_a_text_param_are_refused(tmp_path, capsys):
    """NUL and ESC in --set title reached index.html raw (4 Nu checker errors)."""
    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    code = main(["run", str(params), "--set", "title=Brief\x1b[31m", "--out",
                 str(tmp_path / "r")])
    one_line(capsys, code, "title", "control character U+001B")
    assert not (tmp_path / "r").exists()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_data_file_that_is_no_regular_file_is_refused_without_reading(tmp_path, kind):
    """A FIFO given as a data file hung; /dev/zero through data_root: /dev read 3.7 GB,
    then MemoryError. Run as a command, so that a hang fails the test by its timeout."""
    import os
    import subprocess
    import sys

    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    text = params.read_text()
    if kind == "fifo":
        fifo = params.parent.parent / "data" / "pipe.csv"
        os.mkfifo(fifo)
        text = re.sub(r"frame_totals: .*", "frame_totals: ../data/pipe.csv", text)
    else:
        text = re.sub(r"frame_totals: .*", "frame_totals: /dev/zero", text) + \
            "data_root: /dev\n"
    params.write_text(text)
    r = subprocess.run([sys.executable, "-m", "effectmodel.cli", "validate", str(params)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr[-400:]
    assert "not a regular file" in r.stderr or "outside the project" in r.stderr, r.stderr


def test_a_run_beyond_the_machines_memory_is_refused_before_its_draws(tmp_path, capsys):
    """run --draws 10000000 reached 9.3 GB and then asked for 14.9 GiB more (MemoryError,
    exit 1, after 3 minutes). Sized by a run of 256 draws, it is refused at once, with the
    draws that fit; the estimate is the measured ratio of peak to results, so a machine
    of 1 TB would take it."""
    import effectmodel as em
    from effectmodel.domain.errors import InputError
    from effectmodel.pipeline import memory

    params = copy_project(tmp_path / "p") / "params" / "tiny.yaml"
    p = em.load_params(params, n_draws=10_000_000)
    i = em.load_inputs(p)
    per = em.evaluate(p.with_overrides({"run.n_draws": 256}), i).nbytes / 256
    memory.check_draws(p, i, have=int(memory.need(per, 10_000_000)) + 1)  # fits: no error
    with pytest.raises(InputError):
        memory.check_draws(p, i, have=int(memory.need(per, 10_000_000)) - 1)
    if memory.need(per, 10_000_000) <= memory.available():
        pytest.skip("this machine holds 10,000,000 draws of the tiny project")
    code = main(["run", str(params), "--draws", "10000000", "--out", str(tmp_path / "r")])
    said = one_line(capsys, code, "run.n_draws: 10,000,000 draws need about",
                    "(allowed: at most")
    assert not (tmp_path / "r").exists()
    fit = int(re.search(r"--draws (\d+)", said)[1])
    # the draws named fit what the machine had then (it may have moved a little since)
    assert memory.need(per, fit) <= 1.1 * memory.available()


def test_a_sweep_design_beyond_its_bound_is_refused(tmp_path, capsys):
    from effectmodel.domain.sweepspec import design_problems

    said = design_problems({"method": "lhs", "n": 10**12, "seed": 1}, "s.yaml")
    assert [p.field for p in said] == ["design.n"] and "at most 1,048,576" in said[0].message
