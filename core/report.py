"""Self-contained HTML reports (no scripts, no external files)."""

import html

from .model import CLASSIFIER_LABELS

VALIDATION_LABELS = {
    "grouped": "Grouped by label feature",
    "spatial": "Spatial blocks",
    "random": "Random pixels (optimistic)",
}

_STYLE = """
body{font-family:system-ui,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#222;max-width:60em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;padding:.25em .6em;
text-align:right}th{background:#f2f2f2}td.name,th.name{text-align:left}
.note{color:#555;font-size:.92em}.bar{background:#4a90d9;height:.8em;display:inline-block}
.diag{background:#e3f1e3}.warn{color:#9a4b00}
"""


def training_report_html(result):
    """HTML page for a training result (``core.train.TrainingResult``)."""
    bundle = result.bundle
    names = [c.name for c in bundle.classes]
    chosen = result.score
    parts = [
        f"<h1>cropseg training report: {_e(CLASSIFIER_LABELS[bundle.kind])}</h1>",
        f"<p>Raster <b>{_e(bundle.training['raster'])}</b>, features: "
        f"{_e(', '.join(bundle.recipe.feature_names))}. Created {_e(bundle.created)}.</p>",
        "<h2>Validation</h2>",
        _validation_summary(result),
        "<p class='note'>Grouped validation keeps every pixel of a label feature (and, in crop "
        "mode, every background cell) in one fold, so the model is scored on fields it never "
        "saw. Random-pixel validation puts neighbouring pixels of the same field in training "
        "and test folds and is optimistic; the gap between the two rows is that optimism. "
        "Scores are computed on the sampled pixels, which are balanced across classes, not on "
        "the class proportions of the map.</p>",
        _tuning_note(result),
        f"<h2>Confusion matrix ({_e(VALIDATION_LABELS[chosen.mode])}, pooled over "
        f"{chosen.folds} folds)</h2>",
        _confusion_table(chosen.confusion, names),
        "<h2>Per-class scores</h2>",
        _per_class_table(chosen.per_class, names),
        "<h2>Scores per fold</h2>",
        _fold_table(result),
        "<h2>Training samples</h2>",
        _samples_table(bundle),
        "<h2>Parameters</h2>",
        _params_table(bundle),
        f"<h2>Feature importances ({_e(result.importance_kind)})</h2>",
        _importance_table(result.importances),
    ]
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>cropseg training report"
            f"</title><style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>")


def _e(value):
    return html.escape(str(value))


def _pct(value):
    return f"{100 * value:.1f}%"


def _validation_summary(result):
    rows = "".join(
        f"<tr><td class='name'>{_e(VALIDATION_LABELS[v.mode])}"
        f"{' (chosen)' if v.mode == result.chosen_validation else ''}</td>"
        f"<td>{v.folds}</td><td>{_pct(v.overall_accuracy)}</td><td>{v.f1_macro:.3f}</td>"
        f"<td>{v.kappa:.3f}</td></tr>" for v in result.validations.values())
    return ("<table><tr><th class='name'>Validation</th><th>Folds</th><th>Overall accuracy</th>"
            f"<th>F1 macro</th><th>Kappa</th></tr>{rows}</table>")


def _tuning_note(result):
    if not result.tuning:
        return "<p class='note'>Tuning was off; default parameters were used.</p>"
    rows = "".join(f"<tr><td class='name'>{_e(_fmt_params(p))}</td><td>{s:.3f}</td></tr>"
                   for p, s in result.tuning)
    return ("<h2>Tuning</h2><table><tr><th class='name'>Parameters</th><th>F1 macro</th></tr>"
            f"{rows}</table><p class='note warn'>Parameters were chosen on the same "
            f"{_e(VALIDATION_LABELS[result.chosen_validation].lower())} folds that score them; "
            f"with {len(result.tuning)} settings tried, the chosen score can be slightly "
            "optimistic.</p>")


def _fmt_params(params):
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"


def _confusion_table(matrix, names):
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    rows = ""
    for i, (name, row) in enumerate(zip(names, matrix)):
        cells = "".join(f"<td{' class=diag' if i == j else ''}>{v}</td>"
                        for j, v in enumerate(row))
        rows += f"<tr><th class='name'>{_e(name)}</th>{cells}<td>{sum(row)}</td></tr>"
    totals = "".join(f"<td>{sum(col)}</td>" for col in zip(*matrix))
    return ("<table><tr><th class='name'>Reference (rows) \\ Predicted (columns)</th>"
            f"{head}<th>Total</th></tr>{rows}<tr><th class='name'>Total</th>{totals}"
            f"<td>{sum(map(sum, matrix))}</td></tr></table>")


def _per_class_table(per_class, names):
    rows = "".join(
        f"<tr><td class='name'>{_e(n)}</td><td>{s['precision']:.3f}</td><td>{s['recall']:.3f}"
        f"</td><td>{s['f1']:.3f}</td><td>{s['support']}</td></tr>"
        for n, s in zip(names, per_class))
    return ("<table><tr><th class='name'>Class</th><th>Precision (user's)</th>"
            f"<th>Recall (producer's)</th><th>F1</th><th>Support (px)</th></tr>{rows}</table>")


def _fold_table(result):
    width = max(len(v.fold_accuracies) for v in result.validations.values())
    head = "".join(f"<th>Fold {i}</th>" for i in range(1, width + 1))
    rows = ""
    for v in result.validations.values():
        cells = "".join(f"<td>{_pct(a)}</td>" for a in v.fold_accuracies)
        cells += "<td></td>" * (width - len(v.fold_accuracies))
        rows += f"<tr><td class='name'>{_e(VALIDATION_LABELS[v.mode])}</td>{cells}</tr>"
    return f"<table><tr><th class='name'>Overall accuracy</th>{head}</tr>{rows}</table>"


def _samples_table(bundle):
    training = bundle.training
    rows = "".join(
        f"<tr><td class='name'>{c.value}</td><td class='name'>{_e(c.name)}</td>"
        f"<td class='name'>{'yes' if c.is_crop else ''}</td>"
        f"<td>{training['labelled_pixels'][str(c.value)]}</td>"
        f"<td>{training['samples'][str(c.value)]}</td></tr>" for c in bundle.classes)
    note = ("Crop mode: label features are crop; other valid pixels in the area of interest "
            "are non-crop." if training["crop_mode"] else
            f"Classes from field '{_e(training['label_field'])}'.")
    return ("<table><tr><th class='name'>Value</th><th class='name'>Class</th>"
            "<th class='name'>Crop</th><th>Labelled pixels</th><th>Sampled</th></tr>"
            f"{rows}</table><p class='note'>{note} Edge buffer {training['edge_buffer']} px; "
            f"at most {training['max_samples_per_class']} samples per class, seed "
            f"{training['seed']}.</p>")


def _params_table(bundle):
    params = bundle.final_estimator.get_params()
    shown = {k: v for k, v in sorted(params.items()) if v is not None and not callable(v)}
    rows = "".join(f"<tr><td class='name'>{_e(k)}</td><td class='name'>{_e(v)}</td></tr>"
                   for k, v in shown.items())
    return (f"<p>Chosen: <b>{_e(_fmt_params(bundle.params))}</b></p><table>"
            f"<tr><th class='name'>Parameter</th><th class='name'>Value</th></tr>{rows}</table>")


def _importance_table(importances):
    top = max((abs(v) for _, v in importances), default=1.0) or 1.0
    rows = "".join(
        f"<tr><td class='name'>{_e(n)}</td><td>{v:.4f}</td><td class='name'>"
        f"<span class='bar' style='width:{max(abs(v) / top * 12, 0.1):.2f}em'></span></td></tr>"
        for n, v in importances)
    return ("<table><tr><th class='name'>Feature</th><th>Importance</th><th></th></tr>"
            f"{rows}</table>")
