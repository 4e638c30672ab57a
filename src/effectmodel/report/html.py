"""HTML pieces for every page, built with MarkupSafe: :func:`section`, :func:`para`,
:func:`html_table`, :func:`code` and ``Markup.format`` escape every text they are given unless
it already is ``Markup``, so no call site escapes by hand. Figures are inline SVG with a fixed
hash salt and no date, so the same inputs give the same bytes."""

from __future__ import annotations

import io
import re

from markupsafe import Markup, escape

from effectmodel.report import plotting
from effectmodel.report.i18n import TEXT
from effectmodel.report.layout import FitLayoutEngine


class Fragment(Markup):
    """A piece of HTML (MarkupSafe's ``Markup``: safe as it is, so never escaped again) that
    Jupyter displays as HTML (``text/html``)."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(x) -> Markup:
    """Text as HTML: escaped (quotes included), unless it already is HTML (``Markup``)."""
    return escape(x if isinstance(x, Markup) else str(x))


def code(x) -> Markup:
    """``<code>`` around text (escaped)."""
    return Markup("<code>{}</code>").format(x)


def tagged(css_class: str, x) -> Markup:
    """``<span class=...>`` around text (escaped)."""
    return Markup('<span class="{}">{}</span>').format(css_class, x)


def para(x, css_class: str | None = None, alert: bool = False) -> Markup:
    """A paragraph of text (escaped, unless it is Markup)."""
    if css_class is None:
        return Markup("<p>{}</p>").format(x)
    role = Markup(' role="alert"') if alert else ""
    return Markup('<p class="{}"{}>{}</p>').format(css_class, role, x)


def section(sid: str, title: str, *body) -> Fragment:
    """``<section id=...><h2>title</h2>...</section>``: text escaped, Markup kept."""
    return Fragment(Markup('<section id="{}"><h2>{}</h2>{}</section>').format(
        sid, title, Markup("").join(esc(b) for b in body)))


def sentence(key: str, lang: str, **kw) -> Markup:
    """A catalogue text that carries its own markup (``<strong>``), its values escaped."""
    return Markup(TEXT[lang][key]).format(**kw)


_URL = re.compile(r"https?://[^\s;,)\"<>]+[^\s;,.)\"<>]")


def linkify(text: str) -> Markup:
    """``text`` as HTML (escaped), its addresses as links."""
    out, last = [], 0
    for m in _URL.finditer(text):
        out.append(esc(text[last : m.start()]))
        out.append(Markup('<a href="{0}">{0}</a>').format(m.group(0)))
        last = m.end()
    out.append(esc(text[last:]))
    return Markup("").join(out)


def svg_of(ax_or_fig, salt: str) -> str:
    """An Axes' figure as inline SVG text (no XML prolog, no metadata, fixed ids, no date, no
    indentation between tags); a chart made here is placed for the SVG renderer once
    (:meth:`~effectmodel.report.layout.FitLayoutEngine.place`) and keeps that place. Every
    id is prefixed with ``salt`` (unique per figure on a page), so that figures side by side
    on one page never repeat an id."""
    fig = ax_or_fig.figure if hasattr(ax_or_fig, "figure") else ax_or_fig
    engine = fig.get_layout_engine()
    if isinstance(engine, FitLayoutEngine):
        # placed once, for the SVG renderer, and saved without the engine: with one,
        # savefig draws the whole figure once more before the real draw
        engine.place(fig)
        fig.set_layout_engine(None)
    buf = io.StringIO()
    with plotting.style(**{"svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = _BETWEEN_TAGS.sub("><", _METADATA.sub("", text[text.index("<svg") :]))
    return unique_ids(text, salt)


# matplotlib's RDF metadata block: foreign markup that HTML does not allow inside <svg>
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
# matplotlib's line breaks and indentation between elements (no text of the figure's own:
# every label is inside its <text> element)
_BETWEEN_TAGS = re.compile(r">\s+<")
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(href="#|url\(#)([^")]+)')


def unique_ids(svg: str, salt: str) -> str:
    """``svg`` with every id, and every reference to one (``href="#..."``, ``url(#...)``),
    prefixed with ``salt`` made safe as an id."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", salt) + "-"
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return _REF.sub(lambda m: m.group(1) + (prefix if m.group(2) in ids else "") + m.group(2),
                    svg)


def figure(ax, salt: str, title: str, alt: str) -> Fragment:
    """A ``<figure>`` with the chart as accessible inline SVG and a caption."""
    svg = svg_of(ax, salt)  # matplotlib's own SVG: HTML as it is
    label = Markup('role="img" aria-label="{}"').format(alt)
    svg = svg.replace("<svg ", f"<svg {label} ", 1)
    title_ = str(Markup("<title>{}</title>").format(alt))
    svg = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + title_, svg, count=1)
    return Fragment(Markup('<figure class="chart">{}<figcaption>{}</figcaption></figure>')
                    .format(Markup(svg), title))


def html_table(header: list, rows: list[list], caption: str | None = None,
               numeric_from: int = 1, numeric_to: int | None = None,
               css_class: str | None = None, label: str | None = None) -> Markup:
    """An HTML table. Every cell is escaped unless it is ``Markup`` (:func:`code`,
    :func:`linkify`, ...); the first column is a row header; columns ``numeric_from`` to
    ``numeric_to`` (exclusive) align as numbers."""
    cap = Markup("<caption>{}</caption>").format(caption) if caption else ""
    th = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in header)
    stop = numeric_to if numeric_to is not None else 10**6
    num, txt = Markup('<td class="num">{}</td>'), Markup("<td>{}</td>")
    body = []
    for r in rows:
        cells = [Markup('<th scope="row">{}</th>').format(r[0])]
        cells += [(num if numeric_from <= i < stop else txt).format(c)
                  for i, c in enumerate(r[1:], start=1)]
        body.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    cls = Markup(' class="{}"').format(css_class) if css_class else ""
    # the region's name: ``label``, else the table's caption and its column headers (names
    # on one page must differ: axe's landmark-unique)
    name = label or ", ".join(str(x) for x in (caption, *header)
                              if x is not None and str(x).strip())
    return Markup('{}<table{}>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>'
                  ).format(scroll_region(name), cls, cap, th, Markup("").join(body))


def scroll_region(name: str, css_class: str = "wide") -> Markup:
    """The opening tag of a box that scrolls sideways when its content is wider than the
    page: focusable (keyboard users can scroll it) and named, as WCAG asks of a scrollable
    region."""
    return Markup('<div class="{}" role="region" tabindex="0" aria-label="{}">').format(
        css_class, name)
