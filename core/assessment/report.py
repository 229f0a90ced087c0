"""The accuracy report as JSON (every figure), CSV (the confusion matrix) and HTML (for people).

All three are built from one dictionary, :func:`report_figures`, so their rows
and columns always agree.  Matrices are ``[map class, reference class]``.
"""

import csv
import json
import math

import numpy as np

from ..common.html import confusion_table, figure_data_uri, page
from ..common.html import escape as _e
from .metrics import census_assessment

SCHEMA = "cropseg-accuracy"
SCHEMA_VERSION = 1


def report_figures(report):
    """Every figure of a :class:`~cropseg.core.assessment.comparison.MapAssessment` as plain
    JSON data."""
    a = report.assessment
    classes = []
    for i, info in enumerate(report.classes):
        row = {**info, "precision": a.scores.precision[i], "recall": a.scores.recall[i],
               "f1": a.scores.f1[i], "fbeta": a.scores.fbeta[i],
               "support": int(a.scores.support[i]), "mapped": int(a.scores.mapped[i])}
        if a.stratified is not None:
            s = a.stratified
            row.update({k: s[k][i] for k in ("users_accuracy", "users_accuracy_ci95",
                                             "producers_accuracy", "producers_accuracy_ci95",
                                             "area_ha", "area_ci95_ha", "mapped_area_ha")})
        classes.append(row)
    figures = {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION,
        "matrix_axes": {"rows": "map", "columns": "reference"},
        "sampling": report.sampling, "beta": a.beta,
        "classes": classes,
        "confusion_matrix": a.matrix.tolist(),
        "overall_accuracy": a.overall_accuracy, "kappa": a.kappa,
        "macro": a.macro, "weighted": a.weighted,
        "excluded": report.excluded, "warnings": [w.text() for w in report.warnings],
        "inputs": report.inputs,
        "training_overlap": report.training_overlap,
    }
    if a.stratified is not None:
        figures["proportions"] = a.stratified["proportions"].tolist()
        figures["overall_accuracy"] = a.stratified["overall_accuracy"]
        figures["overall_accuracy_ci95"] = a.stratified["overall_accuracy_ci95"]
        figures["sample_overall_accuracy"] = a.overall_accuracy
    crop = crop_summary(report)
    if crop is not None:
        figures["crop_summary"] = crop
    return _clean(figures)


def crop_summary(report):
    """Crop vs non-crop figures when the map says which classes are crop, else None."""
    is_crop = np.array([c["is_crop"] for c in report.classes])
    if not is_crop.any() or is_crop.all():
        return None
    matrix = report.assessment.matrix
    groups = [~is_crop, is_crop]
    collapsed = np.array([[matrix[np.ix_(r, c)].sum() for c in groups] for r in groups])
    summary = census_assessment(collapsed, beta=report.assessment.beta)
    return {"confusion_matrix": collapsed.tolist(), "classes": ["non-crop", "crop"],
            "overall_accuracy": summary.overall_accuracy, "kappa": summary.kappa,
            "precision_crop": summary.scores.precision[1], "recall_crop": summary.scores.recall[1],
            "f1_crop": summary.scores.f1[1], "fbeta_crop": summary.scores.fbeta[1]}


def write_outputs(report, html_path=None, json_path=None, csv_path=None, rerun_command=""):
    """Write the asked-for outputs of ``report``; all of them appear or none."""
    from ..common.files import atomic_outputs

    figures = report_figures(report)
    with atomic_outputs(html_path, json_path, csv_path) as (html_temp, json_temp, csv_temp):
        if html_temp:
            with open(html_temp, "w", encoding="utf-8") as handle:
                handle.write(html_report(figures, rerun_command))
        if json_temp:
            write_json(figures, json_temp)
        if csv_temp:
            write_csv(figures, csv_temp)
    return figures


def write_json(figures, path):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(figures, handle, indent=2, allow_nan=False)


def write_csv(figures, path):
    """The confusion matrix with a header row and column naming each axis."""
    names = [c["name"] for c in figures["classes"]]
    matrix = figures["confusion_matrix"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["map \\ reference"] + [f"reference: {n}" for n in names] + ["map total"])
        for name, row in zip(names, matrix):
            writer.writerow([f"map: {name}"] + row + [sum(row)])
        writer.writerow(["reference total"] + [sum(col) for col in zip(*matrix)]
                        + [sum(map(sum, matrix))])


def html_report(figures, rerun_command=""):
    """A self-contained page: summary, warnings, charts, tables, inputs and the rerun command."""
    names = [c["name"] for c in figures["classes"]]
    parts = [f"<h1>cropseg accuracy report ({_e(figures['sampling'])})</h1>",
             _summary(figures)]
    if figures["warnings"]:
        parts.append("<div class='warn'><b>Warnings</b><ul>" + "".join(
            f"<li>{_e(w)}</li>" for w in figures["warnings"]) + "</ul></div>")
    parts += [
        "<h2>Confusion matrix (rows: map, columns: reference)</h2>",
        f"<p><img alt='confusion matrix heatmap' src='{_heatmap(figures)}'/></p>",
        _matrix_table(figures["confusion_matrix"], names, "{:d}"),
    ]
    if "proportions" in figures:
        parts += ["<h2>Estimated area proportions (Olofsson et al. 2014)</h2>",
                  _matrix_table(figures["proportions"], names, "{:.4f}"),
                  "<h2>Estimated areas with 95% confidence intervals</h2>", _area_table(figures)]
    parts += ["<h2>Per-class accuracy</h2>",
              f"<p><img alt='per-class accuracy chart' src='{_bars(figures)}'/></p>",
              _class_table(figures), _averages(figures)]
    if "crop_summary" in figures:
        parts += ["<h2>Crop vs non-crop</h2>", _crop_table(figures["crop_summary"])]
    parts += ["<h2>Left out</h2>", _excluded(figures["excluded"]),
              "<h2>Inputs and parameters</h2>", _inputs(figures["inputs"])]
    if rerun_command:
        parts += ["<h2>Run it again</h2>", f"<pre>{_e(rerun_command)}</pre>"]
    return page("cropseg accuracy report", parts)


def _fmt(value, pattern="{:.3f}"):
    return "n/a" if value is None else pattern.format(value)


def _summary(figures):
    rows = [("Overall accuracy", _with_ci(figures["overall_accuracy"],
                                          figures.get("overall_accuracy_ci95"))),
            ("Cohen's kappa" + (" (of the sample)" if "proportions" in figures else ""),
             _fmt(figures["kappa"])),
            ("F1 macro", _fmt(figures["macro"]["f1"]))]
    if "crop_summary" in figures:
        rows.append(("F1 crop", _fmt(figures["crop_summary"]["f1_crop"])))
    return "<table>" + "".join(f"<tr><th class='name'>{k}</th><td>{v}</td></tr>"
                               for k, v in rows) + "</table>"


def _with_ci(value, ci):
    return _fmt(value) + ("" if ci is None else f" &plusmn; {_fmt(ci)}")


def _matrix_table(matrix, names, pattern):
    return confusion_table(matrix, names, "map \\ reference", "map total", "reference total",
                           pattern)


def _class_table(figures):
    stratified = "proportions" in figures
    head = ("<tr><th class='name'>Class</th><th>Precision (user's)</th><th>Recall (producer's)</th>"
            f"<th>F1</th><th>F&beta; (&beta;={_fmt(figures['beta'], '{:g}')})</th><th>Support</th>"
            "<th>Mapped</th></tr>")
    rows = ""
    for c in figures["classes"]:
        precision = _with_ci(c["users_accuracy"], c["users_accuracy_ci95"]) if stratified \
            else _fmt(c["precision"])
        recall = _with_ci(c["producers_accuracy"], c["producers_accuracy_ci95"]) if stratified \
            else _fmt(c["recall"])
        rows += (f"<tr><td class='name'>{_e(c['name'])}</td><td>{precision}</td><td>{recall}</td>"
                 f"<td>{_fmt(c['f1'])}</td><td>{_fmt(c['fbeta'])}</td><td>{c['support']}</td>"
                 f"<td>{c['mapped']}</td></tr>")
    return f"<table>{head}{rows}</table>"


def _averages(figures):
    rows = "".join(
        f"<tr><td class='name'>{label}</td>"
        + "".join(f"<td>{_fmt(figures[key][m])}</td>" for m in ("precision", "recall", "f1",
                                                                 "fbeta")) + "</tr>"
        for key, label in (("macro", "Macro average"), ("weighted", "Weighted by support")))
    return ("<table><tr><th class='name'>Average</th><th>Precision</th><th>Recall</th><th>F1</th>"
            f"<th>F-beta</th></tr>{rows}</table>")


def _area_table(figures):
    rows = "".join(
        f"<tr><td class='name'>{_e(c['name'])}</td><td>{_fmt(c['mapped_area_ha'], '{:,.1f}')}</td>"
        f"<td>{_fmt(c['area_ha'], '{:,.1f}')}</td><td>&plusmn; "
        f"{_fmt(c['area_ci95_ha'], '{:,.1f}')}</td></tr>" for c in figures["classes"])
    return ("<table><tr><th class='name'>Class</th><th>Mapped area (ha)</th>"
            f"<th>Estimated area (ha)</th><th>95% CI (ha)</th></tr>{rows}</table>")


def _crop_table(crop):
    rows = [("Overall accuracy", crop["overall_accuracy"]), ("Kappa", crop["kappa"]),
            ("Precision (crop)", crop["precision_crop"]), ("Recall (crop)", crop["recall_crop"]),
            ("F1 (crop)", crop["f1_crop"]), ("F-beta (crop)", crop["fbeta_crop"])]
    return (_matrix_table(crop["confusion_matrix"], crop["classes"], "{:d}") + "<table>"
            + "".join(f"<tr><th class='name'>{k}</th><td>{_fmt(v)}</td></tr>" for k, v in rows)
            + "</table>")


def _excluded(excluded):
    unit = excluded["unit"]
    return (f"<p>{excluded['map_nodata']} labelled {unit} fell on map nodata and "
            f"{excluded['unlabelled']} map {unit} had no reference label; none of them is "
            "counted above.</p>")


def _inputs(inputs):
    rows = "".join(f"<tr><th class='name'>{_e(k)}</th><td class='name'>{_e(v)}</td></tr>"
                   for k, v in inputs.items() if v not in (None, "", {}))
    return f"<table>{rows}</table>"


def _heatmap(figures):
    from matplotlib.figure import Figure

    names = [c["name"] for c in figures["classes"]]
    matrix = np.array(figures["confusion_matrix"], dtype=float)
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = 1.2 + 0.7 * len(names)
    figure = Figure(figsize=(size + 1.5, size))
    axes = figure.add_subplot()
    image = axes.imshow(shares, cmap="Greens", vmin=0, vmax=1)
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("reference")
    axes.set_ylabel("map")
    for (i, j), count in np.ndenumerate(matrix):
        axes.text(j, i, f"{int(count)}", ha="center", va="center", fontsize=8,
                  color="white" if shares[i, j] > 0.6 else "black")
    figure.colorbar(image, ax=axes, label="share of the map row")
    return figure_data_uri(figure)


def _bars(figures):
    from matplotlib.figure import Figure

    names = [c["name"] for c in figures["classes"]]
    x = np.arange(len(names))
    figure = Figure(figsize=(1.5 + 0.9 * len(names), 3.2))
    axes = figure.add_subplot()
    for offset, key, label in ((-0.27, "precision", "precision (user's)"),
                               (0.0, "recall", "recall (producer's)"), (0.27, "f1", "F1")):
        axes.bar(x + offset, [c[key] or 0 for c in figures["classes"]], width=0.27, label=label)
    axes.set_xticks(x, names, rotation=30, ha="right")
    axes.set_ylim(0, 1)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure_data_uri(figure)


def _clean(value):
    """JSON-ready copy: numpy scalars to Python, NaN to None."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value
