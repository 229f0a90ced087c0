"""The one HTML writer of both reports: a self-contained page (no scripts, no external files),
its style, escaping, the confusion table and charts as embedded PNG images."""

import base64
import html
import io

STYLE = """
body{font-family:system-ui,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#222;max-width:62em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;padding:.25em .6em;
text-align:right;white-space:nowrap}th{background:#f2f2f2}td.name,th.name{text-align:left}
.note{color:#555;font-size:.92em}.bar{background:#4a90d9;height:.8em;display:inline-block}
.diag{background:#e3f1e3}.warn{color:#9a4b00}div.warn{background:#fff3e0;
border:1px solid #e0a040;padding:.4em .8em;margin:1em 0}img{max-width:100%}
"""


def escape(value):
    """``value`` as text safe inside HTML."""
    return html.escape(str(value))


def page(title, parts):
    """A whole HTML document of the ``parts`` (HTML strings) under ``title``."""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}"
            f"</title><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def confusion_table(matrix, names, corner, row_total, column_total, pattern="{:d}"):
    """A square matrix with class names on both sides, the diagonal shaded, and totals."""
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    rows = ""
    for i, (name, row) in enumerate(zip(names, matrix)):
        cells = "".join(f"<td{' class=diag' if i == j else ''}>{pattern.format(v)}</td>"
                        for j, v in enumerate(row))
        rows += (f"<tr><th class='name'>{escape(name)}</th>{cells}"
                 f"<td>{pattern.format(sum(row))}</td></tr>")
    totals = "".join(f"<td>{pattern.format(sum(column))}</td>" for column in zip(*matrix))
    return (f"<table><tr><th class='name'>{escape(corner)}</th>{head}"
            f"<th>{escape(row_total)}</th></tr>{rows}<tr><th class='name'>"
            f"{escape(column_total)}</th>{totals}<td>{pattern.format(sum(map(sum, matrix)))}"
            "</td></tr></table>")


def figure_data_uri(figure):
    """A matplotlib figure as a PNG data URI for an ``<img>``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
