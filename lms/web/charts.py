"""Charts drawn on the server as SVG with pygal (no script, nothing from a CDN), each with
a text alternative the page shows beside it."""

import re
import sys
from datetime import date

import pygal
from pygal.style import Style

from lms.web.format import day_words

# pygal adds to sys.meta_path a finder of its map plugins that only has the legacy
# find_module(): every import that is not found anywhere (markdown-it's optional linkify-it,
# say) then raises an ImportWarning. Pathway draws no maps: take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path
                    if type(finder).__name__ != "PluginImportFixer"]

STYLE = Style(background="transparent", plot_background="transparent",
              foreground="#1d2433", foreground_strong="#1d2433", foreground_subtle="#4a5468",
              colors=("#0b5cad", "#8a4f00", "#4a5468"), font_family="system-ui, sans-serif",
              label_font_size=13, major_label_font_size=13, legend_font_size=14,
              title_font_size=15)


# pygal always writes an inline <script> of its tooltip settings, even with js=[]: the pages
# show charts as pictures, so it goes.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _config(**extra):
    # js=[]: pygal would otherwise add <script> tags from its CDN for tooltips.
    return dict(style=STYLE, js=[], disable_xml_declaration=True, explicit_size=False,
                show_dots=False, width=720, height=320, legend_at_bottom=True,
                truncate_legend=-1, **extra)


def pace_chart(start: date, window_ends: date, target_hours: float, weekly: list[tuple],
               projected: date | None, today: date) -> tuple[str, str]:
    """Hours toward the target over the learner's window: the hours credited so far (week
    by week), the steady pace that would reach the target by the deadline, and the
    projection at the current pace. Returns (svg, text alternative)."""
    chart = pygal.DateLine(**_config(
        x_label_rotation=0, y_title="Hours", range=(0, target_hours), include_x_axis=True,
        x_value_formatter=lambda d: f"{d:%b %Y}"))
    chart.add("Steady pace to the deadline", [(start, 0), (window_ends, target_hours)],
              stroke_style={"dasharray": "6, 4", "width": 2})
    if weekly:
        chart.add("Your hours so far", [(day, hours) for day, hours in weekly],
                  stroke_style={"width": 3})
        last_day, last_hours = weekly[-1]
        if projected and projected > last_day:
            chart.add("At your current pace",
                      [(last_day, last_hours), (projected, target_hours)],
                      stroke_style={"dasharray": "2, 4", "width": 2})
    ticks = []
    day = date(start.year, start.month, 1)
    while day <= window_ends:
        ticks.append(day)
        month = day.month + 3
        day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    chart.x_labels = ticks
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    done = weekly[-1][1] if weekly else 0
    text = (f"{done:g} of {target_hours:g} hours so far, {(today - start).days} days into a "
            f"window that ends on {day_words(window_ends)}.")
    if projected:
        text += f" At the current pace the hours would be complete by {day_words(projected)}."
    else:
        text += " There is no recent learning to project from yet."
    return svg, text
