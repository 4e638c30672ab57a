"""Margins of a one-axes chart from its texts' font metrics, in one pass.

matplotlib's constrained layout finds the same margins by drawing the figure's texts twice
before the real draw: about half of a chart's time, and charts are most of what a page's
kernel does once the model has run. Here every text around the axes (tick labels, axis
labels, the title) is measured once with the metrics the SVG renderer itself uses, and the
axes are placed with constrained layout's own padding (``figure.constrained_layout.w_pad``
and ``h_pad``). A test checks every chart of the reference pages: nothing outside the
figure, and no margin wider than the texts need.
"""

from __future__ import annotations

import functools

import matplotlib
import numpy as np
from matplotlib.textpath import TextToPath

_METRICS = TextToPath()


def _extent(text) -> tuple[float, float]:
    """Width and height [pt] of a one-line Text as matplotlib lays it out (the height of
    "lp" at least, as matplotlib's own line height)."""
    prop = text.get_fontproperties()
    w, h, _ = _METRICS.get_text_width_height_descent(text.get_text(), prop, ismath=False)
    return w, max(h, _line_height(prop))


@functools.lru_cache(maxsize=64)
def _line_height(prop) -> float:
    """The height [pt] of "lp" in a font (FontProperties are hashable)."""
    return _METRICS.get_text_width_height_descent("lp", prop, ismath=False)[1]


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


def fit(ax) -> None:
    """Place ``ax`` (the only axes of its figure, its texts set) so that the tick labels,
    axis labels and title fit in the figure with constrained layout's padding; a chart
    with mathtext falls back to constrained layout itself."""
    fig = ax.figure
    # the tick labels as matplotlib makes them for the draw (one pass of its tick machinery)
    x_all, y_all = (axis.get_ticklabels(which="both") for axis in (ax.xaxis, ax.yaxis))
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *x_all, *y_all]
    if any(t.get_text().count("$") >= 2 for t in texts):  # mathtext: matplotlib's own layout
        fig.set_layout_engine("constrained")
        return
    rc = matplotlib.rcParams
    width, height = (v * 72.0 for v in fig.get_size_inches())  # [pt]
    pad_w = rc["figure.constrained_layout.w_pad"] * 72.0
    pad_h = rc["figure.constrained_layout.h_pad"] * 72.0
    x_labels, y_labels = _labels(ax.xaxis, x_all), _labels(ax.yaxis, y_all)
    x_ext = [_extent(t) for t in x_labels]
    y_ext = [_extent(t) for t in y_labels]
    tick_x = rc["xtick.major.size"] + rc["xtick.major.pad"]
    tick_y = rc["ytick.major.size"] + rc["ytick.major.pad"]
    label_x = _extent(ax.xaxis.label)[1] + rc["axes.labelpad"] if ax.get_xlabel() else 0.0
    label_y = _extent(ax.yaxis.label)[1] + rc["axes.labelpad"] if ax.get_ylabel() else 0.0
    left = pad_w + label_y + tick_y + max((w for w, _ in y_ext), default=0.0)
    bottom = pad_h + label_x + tick_x + max((h for _, h in x_ext), default=0.0)
    top = pad_h + (_extent(ax.title)[1] + rc["axes.titlepad"] if ax.get_title() else 0.0)
    # the first and last x tick labels, centred on their ticks, may reach past the axes
    inner = width - left - pad_w
    over_left = max((w / 2 - _fraction(ax.xaxis, _position(ax.xaxis, t)) * inner
                     for t, (w, _) in zip(x_labels, x_ext, strict=True)), default=0.0)
    over_right = max((w / 2 - (1 - _fraction(ax.xaxis, _position(ax.xaxis, t))) * inner
                      for t, (w, _) in zip(x_labels, x_ext, strict=True)), default=0.0)
    left = max(left, pad_w + over_left)
    right = pad_w + max(over_right, 0.0)
    half_y = max((h / 2 for _, h in y_ext), default=0.0)  # the end labels, centred on ticks
    top, bottom = max(top, pad_h + half_y), max(bottom, pad_h + half_y)
    fig.subplots_adjust(left=left / width, right=1 - right / width,
                        bottom=bottom / height, top=1 - top / height)
