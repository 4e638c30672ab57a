"""The charts' margins (report.layout.FitLayoutEngine): every text inside the figure, and no margin
wider than the texts need, as the renderer that draws the figure measures its texts (SVG
for the pages, Agg for a PNG at any resolution)."""

from __future__ import annotations

import io
import json

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import RendererSVG

from conftest import ROOT
from effectmodel.report import plotting
from effectmodel.report.formatting import driver_frame, driver_labels
from effectmodel.report.html import svg_of
from effectmodel.report.layout import FitLayoutEngine

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
    """Space left between the figure's edges and its texts and lines [pt] once placed as the
    pages' figures are (report.html.svg_of), as the SVG renderer measures them."""
    svg_of(fig, "x")
    with plotting.style():
        fig.set_dpi(72)
        width, height = (v * 72 for v in fig.get_size_inches())
        renderer = RendererSVG(width, height, io.StringIO())
        fig.draw(renderer)
        bb = fig.get_tightbbox(renderer)
    return {"left": bb.x0 * 72, "bottom": bb.y0 * 72, "right": width - bb.x1 * 72,
            "top": height - bb.y1 * 72}


def _margins_png(fig, dpi: float) -> dict[str, float]:
    """The same [pt] when drawn by Agg (a PNG) at ``dpi``: hinted glyphs, whose widths differ
    from the SVG renderer's by a few points on a long label."""
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    bb = fig.get_tightbbox(canvas.get_renderer())
    width, height = (v * 72 for v in fig.get_size_inches())
    return {"left": bb.x0 * 72, "bottom": bb.y0 * 72, "right": width - bb.x1 * 72,
            "top": height - bb.y1 * 72}


@pytest.mark.slow
@pytest.mark.parametrize("report, lang", [("reference", "en"), ("reference-nl", "nl")])
def test_every_chart_fits_its_figure_with_the_padding_and_no_more(report, lang):
    s = json.loads((ROOT / "reports" / report / "summary.json").read_text(encoding="utf-8"))
    charts = list(_charts(s, lang))
    assert len(charts) == 9  # 4 periods' product groups, 3 more charts, 2 tornados
    for name, ax in charts:
        assert isinstance(ax.figure.get_layout_engine(), FitLayoutEngine), name
        margins = _margins(ax.figure)
        assert ax.figure.get_layout_engine() is None  # saved once placed, without the engine
        for side, space in margins.items():
            # within a point of the padding: nothing cut off, no margin left empty
            assert PAD - 1.0 <= space <= PAD + 2.5, (name, side, space)


#: half the width of a digit at the tick labels' 10 pt [pt]: what a label one digit shorter
#: leaves empty beside the axes
HALF_DIGIT = 3.2


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [72, 80, 96, 100, 150, 300])
def test_every_chart_fits_a_png_at_any_resolution(dpi):
    """Placed again when drawn by Agg, with its metrics: at 80 and 96 dpi the long tick
    labels of the product-group charts had reached up to 7 pt past the figure's edge when
    the SVG renderer's metrics placed them. Where the placed axes get other ticks (a
    tornado's 0.25 steps become 0.5 at some resolutions), the room for the longer labels
    stays, so that either set fits."""
    s = json.loads((ROOT / "reports" / "reference" / "summary.json").read_text(encoding="utf-8"))
    for name, ax in _charts(s, "en"):
        for side, space in _margins_png(ax.figure, dpi).items():
            assert PAD - 1.5 <= space <= PAD + HALF_DIGIT + 0.5, (name, dpi, side, space)


def test_a_callers_own_axes_keep_their_layout():
    fig_ax = plotting.new_axes((4.0, 3.0))
    assert fig_ax.figure.get_layout_engine() is not None  # constrained, as before
    before = fig_ax.get_position().bounds
    group = {"id": "a", "name_en": "A", "name_nl": "A", "quantified": True,
             "as_planned_t": 2.0, "total_t": {"median": 1.0, "low": 0.5, "high": 1.5}}
    plotting.buyer_groups({"groups": [group]}, "en", ax=fig_ax)
    assert fig_ax.get_position().bounds == before


def _panels(n: int, scale: float, seed: int):
    """A sweep's small multiples: ``n`` outputs against one parameter [unit of scale]."""
    import numpy as np

    from effectmodel.report import sweepreport

    rng = np.random.default_rng(seed)
    values = rng.uniform(0.3, 1.0, 150)
    series = [(f"Output {k}" + ", a period" * (k % 2), *(rng.normal(scale, scale / 9, 150)
                                                       for _ in range(3))) for k in range(n)]
    return sweepreport.small_multiples(values, "Award probability", series, "nl").figure


@pytest.mark.parametrize("n, scale", [(1, 0.5), (3, 123456789.0), (5, 2e7), (6, 80_000.0)])
def test_a_sweeps_small_multiples_fit_with_the_padding_and_never_overlap(n, scale):
    """The sweep page's grid of panels (report.layout.GridFitLayoutEngine): every text
    inside the figure with the padding and no more, in SVG and in a PNG, and no panel's
    texts over another's; the x axis in the page's number format (0,3 in Dutch)."""
    from effectmodel.report.layout import GridFitLayoutEngine

    fig = _panels(n, scale, n)
    assert isinstance(fig.get_layout_engine(), GridFitLayoutEngine)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert labels and all("." not in x for x in labels) and any("," in x for x in labels)
    for side, space in _margins(fig).items():
        assert PAD - 1.0 <= space <= PAD + 2.5, (n, side, space)
    with plotting.style():
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        boxes = [ax.get_tightbbox(canvas.get_renderer()) for ax in fig.axes
                 if ax.get_visible()]
    assert not [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                if boxes[i].overlaps(boxes[j])]
    fig = _panels(n, scale, n)  # placed again by Agg's metrics when drawn as a PNG
    for dpi in (72, 96, 150):
        for side, space in _margins_png(fig, dpi).items():
            assert PAD - 1.5 <= space <= PAD + HALF_DIGIT + 0.5, (n, dpi, side, space)
