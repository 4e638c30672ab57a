"""The charts' margins (report.layout.fit): every text inside the figure, and no margin
wider than the texts need, measured as the SVG renderer measures them."""

from __future__ import annotations

import io
import json

import pytest
from matplotlib.backends.backend_svg import RendererSVG

from conftest import ROOT
from effectmodel.report import plotting
from effectmodel.report.common import driver_frame, driver_labels

PAD = 3.0  # [pt] constrained layout's w_pad and h_pad (3/72 in)


def _charts(s: dict, lang: str):
    m = s["effect_monitor"]
    yield "buyer groups", plotting.buyer_groups(s["buyer_groups"], lang)
    for per in m["periods"]:
        yield per["period"], plotting.product_groups(per, lang)
    yield "periods", plotting.periods(m, lang)
    yield "trend", plotting.adoption_trend(m, lang)
    for key in ("buyer_groups", "monitor"):
        d = s["drivers"][key]
        d = d if key == "buyer_groups" else d["inputs"]
        yield f"drivers {key}", plotting.tornado(driver_labels(driver_frame(d), lang),
                                                 "Title", lang)


def _margins(fig) -> dict[str, float]:
    """Space left between the figure's edges and its texts and lines [pt], as the SVG
    renderer (the pages' figures) measures them."""
    with plotting.style():
        fig.set_dpi(72)
        width, height = (v * 72 for v in fig.get_size_inches())
        renderer = RendererSVG(width, height, io.StringIO())
        fig.draw(renderer)
        bb = fig.get_tightbbox(renderer)
    return {"left": bb.x0 * 72, "bottom": bb.y0 * 72, "right": width - bb.x1 * 72,
            "top": height - bb.y1 * 72}


@pytest.mark.parametrize("report, lang", [("reference", "en"), ("reference-nl", "nl")])
def test_every_chart_fits_its_figure_with_the_padding_and_no_more(report, lang):
    s = json.loads((ROOT / "reports" / report / "summary.json").read_text(encoding="utf-8"))
    charts = list(_charts(s, lang))
    assert len(charts) == 9  # 4 periods' product groups, 3 more charts, 2 tornados
    for name, ax in charts:
        assert ax.figure.get_layout_engine() is None, name  # placed by fit, not by matplotlib
        for side, space in _margins(ax.figure).items():
            # within a point of the padding: nothing cut off, no margin left empty
            assert PAD - 1.0 <= space <= PAD + 2.5, (name, side, space)


def test_a_callers_own_axes_keep_their_layout():
    fig_ax = plotting.new_axes((4.0, 3.0))
    assert fig_ax.figure.get_layout_engine() is not None  # constrained, as before
    before = fig_ax.get_position().bounds
    group = {"id": "a", "name_en": "A", "name_nl": "A", "quantified": True,
             "as_planned_t": 2.0, "total_t": {"median": 1.0, "low": 0.5, "high": 1.5}}
    plotting.buyer_groups({"groups": [group]}, "en", ax=fig_ax)
    assert fig_ax.get_position().bounds == before
