"""Charts as SVG images, rendered on the server with pygal.

The page shows each chart as `<img src=…svg>` with a text alternative, and the table with the
same numbers beside it. An SVG loaded as an image runs no script and loads nothing, and the
portal's pages keep their strict CSP; pygal's embedded config script is removed anyway, and
the image response gets its own policy that allows only the SVG's own inline style.
"""

import re
import sys

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from cijfers.selectors import Table

# pygal appends an importer for its map plugins to sys.meta_path that lacks `find_spec`, which
# breaks imports that walk sys.meta_path (pytest's importlib mode). We use no map plugins.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

# Dark text on white, bars in a blue with 8.6:1 contrast against white (WCAG 1.4.11 asks 3:1).
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#4a4a4a",
    colors=("#0b4f8a",),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    title_font_size=16,
    value_colors=("#1a1a1a",),
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)

# Replaces the page policy for the image response: nothing but the SVG's own <style>.
SVG_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "frame-ancestors": ["'self'"],
    **dict.fromkeys(
        ["script-src", "img-src", "font-src", "connect-src", "form-action", "base-uri"], None
    ),
}


def render_svg(table: Table) -> str:
    points = table.chart_points()
    column = table.columns[table.chart_index].label if table.chart_index >= 0 else ""
    chart = pygal.HorizontalBar(
        js=[],
        style=STYLE,
        show_legend=False,
        print_values=True,
        width=720,
        height=max(160, 60 + 36 * len(points)),
        margin=12,
        truncate_label=40,
        no_data_text=_("No figures for this period"),
        disable_xml_declaration=True,
    )
    chart.title = column
    chart.x_labels = [label for label, _value in points]
    # A hidden figure (n < 10) is drawn as no bar; the table says "< 10".
    chart.add(column, [value for _label, value in points])
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def describe(table: Table) -> str:
    """The text alternative: what the chart shows and its values, as read from the table."""
    points = table.chart_points()
    if table.chart_index < 0 or not points:
        return _("%(title)s: no figures for this period.") % {"title": table.title}
    column = table.columns[table.chart_index].label
    values = "; ".join(f"{label}: {values[table.chart_index].text}" for label, values in table.rows)
    return _("Bar chart of %(column)s. %(values)s.") % {"column": column, "values": values}
