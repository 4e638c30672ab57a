"""Margins of a one-axes chart, or of a grid of panels, from its texts' font metrics, in one
pass.

matplotlib's constrained layout finds the same margins by drawing the figure's texts twice
before the real draw: about half of a chart's time, and charts are most of what a page's
kernel does once the model has run. Here every text around the axes (tick labels, axis
labels, the title) is measured once, with the metrics of the renderer that draws the figure,
and the axes are placed with constrained layout's own padding (``figure.constrained_layout.
w_pad`` and ``h_pad``).

- The pages' figures are placed once for the SVG renderer (unhinted glyph outlines) by
  :func:`~effectmodel.report.html.svg_of`, and saved without a layout engine.
- Anywhere else a chart made by :mod:`~effectmodel.report.plotting` carries
  :class:`FitLayoutEngine`, which places it each time it is drawn with that renderer's
  metrics: Agg's hinted glyphs differ by a few points on a long label, and with the SVG
  metrics a PNG at 80 or 96 dpi cut up to 7 pt off the longest tick labels.

- A sweep's small multiples (a grid of equal panels and a label for all of them) carry
  :class:`GridFitLayoutEngine`: each panel measured the same way, the gaps between panels
  from the widest neighbours.

A test checks every chart of the reference pages and a sweep's grids: nothing outside the
figure, and no margin wider than the texts need, in SVG and in PNG at several resolutions.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib
import numpy as np
from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine
from matplotlib.textpath import TextToPath

#: the settings the placing reads, as they are when a chart is made (not when it is saved)
RC_KEYS = ("figure.constrained_layout.w_pad", "figure.constrained_layout.h_pad",
           "xtick.major.size", "xtick.major.pad", "ytick.major.size", "ytick.major.pad",
           "axes.labelpad", "axes.titlepad")

#: width and height [pt] of a one-line string in a font
Measure = Callable[[str, object], tuple[float, float]]


class FitLayoutEngine(LayoutEngine):
    """Places a one-axes figure (:meth:`place`) each time it is drawn, measuring its texts
    with the renderer that draws it; the settings are those in force when it is made."""

    _adjust_compatible = True
    _colorbar_gridspec = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rc = {k: matplotlib.rcParams[k] for k in RC_KEYS}

    def execute(self, fig) -> None:
        # the canvas drawing the figure: Agg (a PNG) measures with its own public renderer;
        # SVG and PDF canvases have none, and draw glyph outlines: place's default metrics
        get = getattr(fig.canvas, "get_renderer", None)
        self.place(fig, renderer_metrics(get()) if get is not None else None)

    def place(self, fig, measure: Measure | None = None) -> None:
        """Place the figure's axes so that its tick labels, axis labels and title fit with
        constrained layout's padding, measuring texts with ``measure`` (default: the SVG
        renderer's metrics); a chart with mathtext falls back to constrained layout."""
        ax = fig.axes[0]
        measure = measure or outline_metrics()
        ticks = _tick_locations(ax)
        first = margins(ax, measure, self.rc)
        if first is None:
            ConstrainedLayoutEngine().execute(fig)
            return
        _place(fig, first)
        if not all(np.array_equal(a, b) for a, b in zip(ticks, _tick_locations(ax),
                                                          strict=True)):
            # placed, the axes have other ticks (fewer on a shorter axis): room for the
            # labels of either set, as the draw may choose either at the final size
            again = margins(ax, measure, self.rc)
            _place(fig, tuple(max(a, b) for a, b in zip(first, again, strict=True)))


def _tick_locations(ax) -> list[np.ndarray]:
    """The major tick locations matplotlib chooses for the axes as they are placed (fewer on
    a shorter axis)."""
    return [np.asarray(axis.get_majorticklocs()) for axis in (ax.xaxis, ax.yaxis)]


def renderer_metrics(renderer) -> Measure:
    """A renderer's text metrics in points (it measures in its own pixels)."""
    per_point = renderer.points_to_pixels(1.0)

    def measure(text: str, prop) -> tuple[float, float]:
        w, h, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w / per_point, h / per_point

    return measure


def outline_metrics() -> Measure:
    """The SVG renderer's text metrics (unhinted glyph outlines) [pt]."""
    outlines = TextToPath()

    def measure(text: str, prop) -> tuple[float, float]:
        w, h, _ = outlines.get_text_width_height_descent(text, prop, ismath=False)
        return w, h

    return measure


def _extent(text, measure: Measure, line_heights: dict) -> tuple[float, float]:
    """Width and height [pt] of a one-line Text as matplotlib lays it out (the height of
    "lp" at least, as matplotlib's own line height)."""
    prop = text.get_fontproperties()
    if prop not in line_heights:
        line_heights[prop] = measure("lp", prop)[1]
    w, h = measure(text.get_text(), prop)
    return w, max(h, line_heights[prop])


def _labels(axis, labels: list) -> list:
    """Of an axis' tick labels (major and minor), those it will draw: non-empty, in view."""
    lo, hi = sorted(axis.get_view_interval())
    return [t for t in labels
            if t.get_text() and t.get_visible() and lo <= _position(axis, t) <= hi]


def _position(axis, label) -> float:
    x, y = label.get_position()
    return x if axis.axis_name == "x" else y


def _fraction(axis, value: float) -> float:
    """Where ``value`` is along the axis, from 0 (start of the view) to 1 (end) [-]."""
    tr = axis.get_transform()
    lo, hi = tr.transform(np.array(sorted(axis.get_view_interval()), dtype=float))
    return float((tr.transform(np.array([value], dtype=float))[0] - lo) / (hi - lo))


def _place(fig, found: tuple[float, float, float, float]) -> None:
    """Set the axes' margins (left, right, bottom, top) [pt]."""
    left, right, bottom, top = found
    width, height = (v * 72.0 for v in fig.get_size_inches())
    fig.subplots_adjust(left=left / width, right=1 - right / width,
                        bottom=bottom / height, top=1 - top / height)


def margins(ax, measure: Measure, rc: dict, inner: float | None = None
            ) -> tuple[float, float, float, float] | None:
    """The margins (left, right, bottom, top) [pt] the texts of ``ax`` need at its present
    ticks, measured by ``measure``, with the settings ``rc``; None for a chart with
    mathtext. ``inner``: the axes' width [pt] (default: the figure's, less the margins)."""
    fig = ax.figure
    # the tick labels as matplotlib makes them for the draw (one pass of its tick machinery)
    x_all, y_all = (axis.get_ticklabels(which="both") for axis in (ax.xaxis, ax.yaxis))
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *x_all, *y_all]
    if any(t.get_text().count("$") >= 2 for t in texts):  # mathtext: matplotlib's own layout
        return None
    heights: dict = {}
    width, height = (v * 72.0 for v in fig.get_size_inches())  # [pt]
    pad_w = rc["figure.constrained_layout.w_pad"] * 72.0
    pad_h = rc["figure.constrained_layout.h_pad"] * 72.0
    x_labels, y_labels = _labels(ax.xaxis, x_all), _labels(ax.yaxis, y_all)
    x_ext = [_extent(t, measure, heights) for t in x_labels]
    y_ext = [_extent(t, measure, heights) for t in y_labels]
    tick_x = rc["xtick.major.size"] + rc["xtick.major.pad"]
    tick_y = rc["ytick.major.size"] + rc["ytick.major.pad"]
    label_x = (_extent(ax.xaxis.label, measure, heights)[1] + rc["axes.labelpad"]
               if ax.get_xlabel() else 0.0)
    label_y = (_extent(ax.yaxis.label, measure, heights)[1] + rc["axes.labelpad"]
               if ax.get_ylabel() else 0.0)
    left = pad_w + label_y + tick_y + max((w for w, _ in y_ext), default=0.0)
    bottom = pad_h + label_x + tick_x + max((h for _, h in x_ext), default=0.0)
    top = pad_h + (_extent(ax.title, measure, heights)[1] + rc["axes.titlepad"]
                   if ax.get_title() else 0.0)
    # the first and last x tick labels, centred on their ticks, may reach past the axes
    inner = width - left - pad_w if inner is None else inner
    over_left = max((w / 2 - _fraction(ax.xaxis, _position(ax.xaxis, t)) * inner
                     for t, (w, _) in zip(x_labels, x_ext, strict=True)), default=0.0)
    over_right = max((w / 2 - (1 - _fraction(ax.xaxis, _position(ax.xaxis, t))) * inner
                      for t, (w, _) in zip(x_labels, x_ext, strict=True)), default=0.0)
    left = max(left, pad_w + over_left)
    right = pad_w + max(over_right, 0.0)
    half_y = max((h / 2 for _, h in y_ext), default=0.0)  # the end labels, centred on ticks
    return left, right, max(bottom, pad_h + half_y), max(top, pad_h + half_y)


class GridFitLayoutEngine(FitLayoutEngine):
    """Places a grid of equal panels (``Figure.subplots``; hidden panels left out) and the
    figure's vertical texts (``Figure.supylabel``) the same way: each panel's texts measured
    once (:func:`margins`), the figure's margins from the outer panels, the gaps between
    panels from the widest neighbours, with constrained layout's padding on every side."""

    def place(self, fig, measure: Measure | None = None) -> None:
        measure = measure or outline_metrics()
        panels = [ax for ax in fig.axes if ax.get_visible()]
        if any(t.get_text().count("$") >= 2 for t in fig.texts):
            ConstrainedLayoutEngine().execute(fig)
            return
        ticks = [_tick_locations(ax) for ax in panels]
        first = _grid_margins(fig, panels, measure, self.rc, None)
        if first is None:
            ConstrainedLayoutEngine().execute(fig)
            return
        _place_grid(fig, first, self.rc)
        again = _grid_margins(fig, panels, measure, self.rc, _panel_width(panels[0]))
        if again is not None and (again != first or any(
                not all(np.array_equal(a, b) for a, b in zip(t, _tick_locations(ax),
                                                              strict=True))
                for t, ax in zip(ticks, panels, strict=True))):
            # placed, the panels are narrower and may have other ticks: room for either
            _place_grid(fig, tuple(max(a, b) for a, b in zip(first, again, strict=True)),
                        self.rc)


def _panel_width(ax) -> float:
    """The width of a placed axes [pt]."""
    return ax.get_position().width * ax.figure.get_size_inches()[0] * 72.0


def _grid_margins(fig, panels: list, measure: Measure, rc: dict, inner: float | None
                  ) -> tuple[float, ...] | None:
    """(left, right, bottom, top, gap between columns, gap between rows) [pt] that the
    panels' texts and the figure's vertical texts need; None with mathtext."""
    rows, cols = panels[0].get_subplotspec().get_gridspec().get_geometry()
    width = fig.get_size_inches()[0] * 72.0
    inner = inner if inner is not None else (width - 60.0 * cols) / cols
    need = {}
    for ax in panels:
        m = margins(ax, measure, rc, inner)
        if m is None:
            return None
        spec = ax.get_subplotspec()
        need[(spec.rowspan.start, spec.colspan.start)] = m
    side = sum(_extent(t, measure, {})[1] + rc["figure.constrained_layout.w_pad"] * 72.0
               for t in fig.texts if t.get_visible() and t.get_text()
               and t.get_rotation() == 90)

    def most(values) -> float:
        return max(values, default=0.0)

    return (side + most(m[0] for (r, c), m in need.items() if c == 0),
            most(m[1] for (r, c), m in need.items() if c == cols - 1),
            most(m[2] for (r, c), m in need.items() if r == rows - 1 or (r + 1, c) not in need),
            most(m[3] for (r, c), m in need.items() if r == 0),
            most(need[(r, c)][1] + need[(r, c + 1)][0] for (r, c) in need if (r, c + 1) in need),
            most(need[(r, c)][2] + need[(r + 1, c)][3] for (r, c) in need if (r + 1, c) in need))


def _place_grid(fig, found: tuple[float, ...], rc: dict) -> None:
    """Set the grid's margins and gaps [pt] (:func:`_grid_margins`), and the figure's
    vertical texts at its left edge, centred on the panels."""
    left, right, bottom, top, wgap, hgap = found
    rows, cols = fig.axes[0].get_subplotspec().get_gridspec().get_geometry()
    width, height = (v * 72.0 for v in fig.get_size_inches())
    axw = (width - left - right - (cols - 1) * wgap) / cols
    axh = (height - bottom - top - (rows - 1) * hgap) / rows
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                        top=1 - top / height, wspace=wgap / axw if cols > 1 else 0.0,
                        hspace=hgap / axh if rows > 1 else 0.0)
    pad = rc["figure.constrained_layout.w_pad"] * 72.0
    for t in fig.texts:
        if t.get_rotation() == 90:
            t.set_horizontalalignment("left")
            t.set_position((pad / width, (bottom + (height - top)) / 2 / height))
