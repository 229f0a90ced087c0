"""The training report: one self-contained HTML page (no scripts, no external files)."""

from ..common.html import confusion_table, page
from ..common.html import escape as _e
from ..model.options import CLASSIFIER_LABELS
from .options import VALIDATIONS


def training_report_html(result):
    """HTML page for a training result (``core.learn.train.TrainingResult``)."""
    bundle = result.bundle
    names = [c.name for c in bundle.classes]
    chosen = result.score
    parts = [
        f"<h1>cropseg training report: {_e(CLASSIFIER_LABELS[bundle.kind])}</h1>",
        f"<p>Raster <b>{_e(bundle.training['raster'])}</b>, features: "
        f"{_e(', '.join(bundle.recipe.feature_names))}. Created {_e(bundle.created)}.</p>",
        "<h2>Validation</h2>",
        _validation_summary(result),
        _chance_note(result, names),
        "<p class='note'>Grouped validation keeps every pixel of a label feature (and, in crop "
        "mode, every background cell) in one fold, so the model is scored on fields it never "
        "saw. Random-pixel validation puts neighbouring pixels of the same field in training "
        "and test folds and is optimistic; the gap between the two rows is that optimism. "
        f"Scores are computed on {bundle.training['scored_samples']} sampled pixels, each "
        "weighted by the labelled pixels of its class per sampled pixel, so they estimate the "
        "accuracy over all labelled pixels, in the proportions the classes were labelled.</p>",
        "<h2>How each class was validated</h2>",
        _class_folds_table(chosen, names),
        "<h2>Candidates compared</h2>",
        _candidates_table(result),
        f"<h2>Confusion matrix ({_e(VALIDATIONS[chosen.mode])}, pooled over "
        f"{chosen.folds} folds)</h2>",
        confusion_table(chosen.confusion, names, "Reference (rows) \\ Predicted (columns)",
                        "Total", "Total"),
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
    return page("cropseg training report", parts)


def _pct(value):
    return f"{100 * value:.1f}%"


def _validation_summary(result):
    rows = "".join(
        f"<tr><td class='name'>{_e(VALIDATIONS[v.mode])}"
        f"{' (chosen)' if v.mode == result.chosen_validation else ''}</td>"
        f"<td>{v.folds}</td><td>{_pct(v.overall_accuracy)}</td><td>{v.f1_macro:.3f}</td>"
        f"<td>{v.kappa:.3f}</td></tr>" for v in result.validations.values())
    return ("<table><tr><th class='name'>Validation</th><th>Folds</th><th>Overall accuracy</th>"
            f"<th>F1 macro</th><th>Kappa</th></tr>{rows}</table>")


def _chance_note(result, names):
    """Why a score is below chance, and which classes have none."""
    chosen = result.score
    notes = []
    unvalidated = [names[i] for i in chosen.unvalidated]
    if unvalidated:
        notes.append(f"Not validated: {_e(', '.join(unvalidated))}. These classes have too "
                     "few label features, too small to cut, to be held out; their pixels train "
                     "every fold and no score covers them. Add label features to score them.")
    if chosen.below_chance:
        few = [names[i] for i, c in enumerate(chosen.classes)
               if c.method in ("blocks", "none")]
        why = (f"classes {', '.join(few)} have fewer label features than folds, so they are "
               "learnt from few fields" if few else "the label features of a class differ "
               "more from each other than from other classes with these features")
        notes.append(f"Below chance: overall accuracy {_pct(chosen.overall_accuracy)} is below "
                     f"{_pct(chosen.chance)}, what a map of the largest class alone would "
                     f"score. The likely reason: {_e(why)}. Maps from this model should not "
                     "be trusted on new fields; add labels of more fields per class.")
    return "".join(f"<p class='warn'>{note}</p>" for note in notes)


def _class_folds_table(chosen, names):
    rows = "".join(
        f"<tr><td class='name'>{_e(name)}</td><td>{c.features}</td><td>{c.units}</td>"
        f"<td class='name'>{_e(c.describe(chosen.gap).text())}</td></tr>"
        for name, c in zip(names, chosen.classes))
    return ("<table><tr><th class='name'>Class</th><th>Label features</th>"
            "<th>Independent units</th><th class='name'>How it was validated</th></tr>"
            f"{rows}</table>")


def _candidates_table(result):
    rows = ""
    for c in result.candidates:
        mark = ("chosen" if c.chosen else f"not tried: {c.skipped}" if c.skipped else
                "too slow to choose" if c.too_slow else "")
        scores = ("<td></td>" * 5 if c.skipped else
                  f"<td>{c.f1_macro:.3f}</td><td>{_pct(c.overall_accuracy)}</td>"
                  f"<td>{c.fit_seconds:.2f}</td><td>{c.mpx_per_second:.2f}</td>")
        rows += (f"<tr{' class=diag' if c.chosen else ''}><td class='name'>{_e(c.features)}"
                 f"</td><td>{len(c.recipe.feature_names)}</td><td class='name'>"
                 f"{_e(_fmt_params(c.params))}</td>{scores}<td class='name'>{mark}</td></tr>")
    notes = "".join(f"<p class='note'>{_e(n)}</p>"
                    for n in result.bundle.validation.get("search_notes", []))
    training = result.bundle.training
    how = ("Features were chosen by validation" if training["feature_search"] else
           "Features were set by hand")
    how += (" and parameters tuned" if training["tuned"] else ", parameters left at defaults")
    folds = VALIDATIONS[result.chosen_validation].lower()
    return ("<table><tr><th class='name'>Features</th><th>Count</th><th class='name'>"
            "Parameters</th><th>F1 macro</th><th>Overall accuracy</th><th>Fit (s per fold)</th>"
            f"<th>Speed (Mpx/s, one thread)</th><th class='name'></th></tr>{rows}</table>"
            f"<p class='note'>{how}, on the same {_e(folds)} folds, within a time budget of "
            f"{training['time_budget']:g} s. In the order tried, a candidate replaces the one "
            "kept when its F1 macro is higher by more than the standard error of their "
            "differences over the folds (a smaller gain is noise, and the earlier candidate is "
            "faster; a full forest replaces the default one unless clearly worse), and when it "
            f"classifies at least {training['required_mpx_per_second']:.2f} Mpx/s on one "
            "thread: an 8000 x 8000 raster in a minute on this machine's cores, or half the "
            "speed of bands only, whichever is lower. Speed covers computing the features and "
            "predicting. The chosen score was picked among "
            f"{sum(not c.skipped for c in result.candidates)} scored candidates, so it can be "
            f"slightly optimistic.</p>{notes}")


def _fmt_params(params):
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"


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
        rows += f"<tr><td class='name'>{_e(VALIDATIONS[v.mode])}</td>{cells}</tr>"
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
    balance = ("Classes were sampled in the proportions they were labelled in (at most "
               f"{training['max_samples_per_class']} times the number of classes in all)."
               if training["class_balance"] == "proportional" else
               f"Classes were balanced: at most {training['max_samples_per_class']} samples "
               "each.")
    narrowed = training["narrowed_buffers"]
    if narrowed:
        note += (f" {narrowed} polygon(s) too small for the edge buffer kept their inner pixels "
                 "with a narrower buffer.")
    return ("<table><tr><th class='name'>Value</th><th class='name'>Class</th>"
            "<th class='name'>Crop</th><th>Labelled pixels</th><th>Sampled</th></tr>"
            f"{rows}</table><p class='note'>{note} Edge buffer {training['edge_buffer']} px. "
            f"{balance} Seed {training['seed']}.</p>")


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
