"""The Equality Impact Assessment (EIA) evidence report, the model card and the ATRS tier-2 record.

Written for a governance lead: a plain-language summary first, then the tables and figures behind
it. One document model renders to a self-contained HTML file (figures embedded as data URIs) and to
Markdown (figures beside it as PNG files). Every figure and rate is taken from an ``Assessment``;
nothing is typed in.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rcrp.eval import plots

__all__ = ["Document", "eia_document", "model_card", "atrs_record", "write_report"]

UNASSESSED = ("disability", "gender reassignment (beyond the words tested counterfactually)",
              "marriage and civil partnership", "pregnancy and maternity",
              "religion or belief (tested only counterfactually, through words in the narrative)", "sexual orientation")


@dataclass
class Document:
    title: str
    blocks: list[tuple] = field(default_factory=list)  # ("h", level, text) | ("p", text) | ("ul", items)
    #                                                    | ("table", headers, rows) | ("img", name, png, alt)
    #                                                    | ("warn", text)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(("h", level, text))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def warn(self, text: str) -> None:
        self.blocks.append(("warn", text))

    def ul(self, items: list[str]) -> None:
        self.blocks.append(("ul", list(items)))

    def table(self, headers: list[str], rows: list[list[Any]]) -> None:
        self.blocks.append(("table", headers, rows))

    def img(self, name: str, png: bytes, alt: str) -> None:
        self.blocks.append(("img", name, png, alt))

    # -- rendering ----------------------------------------------------------------------------------
    def markdown(self, image_dir: str) -> tuple[str, dict[str, bytes]]:
        out, images = [f"# {self.title}", ""], {}
        for block in self.blocks:
            kind = block[0]
            if kind == "h":
                out += ["#" * (block[1] + 1) + " " + block[2], ""]
            elif kind == "p":
                out += [block[1], ""]
            elif kind == "warn":
                out += [f"> **{block[1]}**", ""]
            elif kind == "ul":
                out += [f"- {item}" for item in block[1]] + [""]
            elif kind == "table":
                out += ["| " + " | ".join(block[1]) + " |", "|" + "---|" * len(block[1])]
                out += ["| " + " | ".join(_cell(c).replace("|", "/") for c in row) + " |" for row in block[2]] + [""]
            elif kind == "img":
                images[f"{block[1]}.png"] = block[2]
                out += [f"![{block[3]}]({image_dir}/{block[1]}.png)", ""]
        return "\n".join(out), images

    def html(self) -> str:
        body = []
        for block in self.blocks:
            kind = block[0]
            if kind == "h":
                level = min(block[1] + 1, 4)
                body.append(f"<h{level}>{html.escape(block[2])}</h{level}>")
            elif kind == "p":
                body.append(f"<p>{html.escape(block[1])}</p>")
            elif kind == "warn":
                body.append(f'<p class="warn" role="note"><strong>{html.escape(block[1])}</strong></p>')
            elif kind == "ul":
                body.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block[1]) + "</ul>")
            elif kind == "table":
                head = "".join(f"<th scope=\"col\">{html.escape(h)}</th>" for h in block[1])
                rows = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(c))}</td>" for c in row) + "</tr>"
                               for row in block[2])
                body.append(f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")
            elif kind == "img":
                data = base64.b64encode(block[2]).decode("ascii")
                body.append(f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(block[3])}">'
                            f"<figcaption>{html.escape(block[3])}</figcaption></figure>")
        return _PAGE.format(title=html.escape(self.title), body="\n".join(body))


_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; line-height: 1.5; }}
h1 {{ font-size: 1.7rem; }} h2 {{ margin-top: 2.2rem; border-bottom: 2px solid #1f6f8b; }}
table {{ border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem; }}
th, td {{ border: 1px solid #c8c8c8; padding: .25rem .5rem; text-align: left; vertical-align: top; }}
th {{ background: #eef3f5; }} .scroll {{ overflow-x: auto; }}
.warn {{ background: #fff4e5; border-left: 5px solid #b35c00; padding: .6rem .8rem; }}
figure {{ margin: 1rem 0; }} img {{ max-width: 100%; border: 1px solid #ddd; }}
figcaption {{ font-size: .85rem; color: #444; }}
</style></head>
<body>
<h1>{title}</h1>
{body}
</body></html>
"""


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _pct(r: dict[str, Any] | None, of: str = "") -> str:
    """'3.0% (95% interval 2.3% to 3.6%; 73 of 2,457 calls)': a rate as a governance lead reads it."""
    if not r or r.get("value") is None:
        return "not measurable (none to count)"
    ci = f"95% interval {r['ci_low']:.1%} to {r['ci_high']:.1%}; " if r.get("ci_low") is not None else ""
    return f"{r['value']:.1%} ({ci}{r['successes']:,} of {r['trials']:,}{' ' + of if of else ''})"


def _rate_cells(r: dict[str, Any]) -> list[Any]:
    return [r.get("value"), r.get("ci_low"), r.get("ci_high"), f"{r.get('successes')}/{r.get('trials')}"]


def eia_document(a, run: dict[str, Any] | None = None) -> Document:
    """The EIA evidence report for an ``Assessment`` (``run``: MLflow run id and training metrics)."""
    ev, fair, cf = a.evaluation, a.fairness, a.counterfactual
    synthetic = bool(a.data["synthetic"])
    flag = ev["flag_as_advised"]
    doc = Document("Right Care, Right Person triage: equality impact evidence")
    if synthetic:
        doc.warn("All figures here are measured on SYNTHETIC calls produced by the project's generator, not on "
                 "a force's records. They show how the tool behaves and that the checks work; they are not evidence "
                 "about real callers until the assessment is repeated on the force's own labelled calls.")
    doc.p(f"Model {a.model['version']} ({a.model['scorer']}), assessed on {a.data['rows']:,} labelled calls from "
          f"{a.data['source']} (sha256 {a.data['sha256'][:12]}), on "
          f"{datetime.now(timezone.utc).strftime('%d %B %Y')}. The tool is advisory: a call handler decides.")
    doc.h(1, "Summary in plain language")
    fnr = flag["false_negative_rate"]
    doc.ul([
        f"Calls that needed police: the advice would have flagged {_pct(flag['recall'], 'calls')}. It would have "
        f"missed {flag['counts']['fn']:,}: a false-negative rate of {_pct(fnr)}. Missing such a call is the worst error, "
        f"so the threshold was chosen, on validation data, to flag at least {a.model['target_recall']:.0%} of them.",
        f"Calls where a partner should lead: the advice would have raised the flag for "
        f"{_pct(flag['false_positive_rate'], 'calls')}: police sent where they were not needed.",
        _fairness_sentence(a),
        f"Changing identity words in a narrative (ethnicity and nationality, religion, names, gender) changed the "
        f"advice in {_pct(cf['flip_rate'], 'tests')} on {cf['narratives']} narratives; most often for "
        f"{cf['worst_dimension']['dimension']}: {_pct(cf['worst_dimension'], 'narratives')}.",
        f"Adding explicit current-risk wording to a narrative lowered the flag score in "
        f"{_pct(cf['current_risk']['score_lowered'], 'checks')}, and lowered the advice in "
        f"{cf['current_risk']['advice_lowered']['successes']}.",
        f"{fair['groups_too_small']} groups or intersections are too small (under {fair['min_group_size']} calls in "
        f"a rate's denominator) to judge; they are shown but not compared.",
    ] + ([f"No comparison was possible for {', '.join(fair['attributes_not_judged'])}: fewer than two groups with "
          f"enough calls (missing or 'unknown' in the data?). Nothing here speaks to those characteristics."]
         if fair.get("attributes_not_judged") else []))
    doc.h(1, "How to read this")
    doc.p(f"Each rate is shown with the number of calls it is based on and a 95% bootstrap interval. Each group is "
          f"compared with a reference group (the largest, unless configured). A difference is screened when the "
          f"ratio to the reference falls outside {fair['band'][0]} to {fair['band'][1]}, and flagged only when it is "
          f"also larger than sampling noise explains (Fisher's exact test, adjusted for every group and intersection "
          f"compared on the same measure, so that on unbiased data the chance of any false alarm on a measure is at "
          f"most {fair['alpha']:.0%}; {fair['comparisons']} comparisons in all). "
          "A screened difference that is not flagged is within what chance produces with groups of that size: it is "
          "not evidence of fairness either, and needs more data. Error rates (false-negative, false-positive) say "
          "whether the tool is wrong more often for a group; selection rates also reflect real differences in need "
          "between groups, so a difference there calls for a look at the calls, not a conclusion.")
    _overall_section(doc, a, synthetic)
    _fairness_section(doc, a, synthetic)
    _counterfactual_section(doc, a, synthetic)
    doc.h(1, "Calibration")
    doc.p(f"Expected calibration error of the flag score: {_cell(ev['calibration']['flag']['ece'])}; of the top "
          f"category's probability: {_cell(ev['calibration']['category']['ece'])}. Low values mean a score of 0.3 "
          "is right about 30% of the time.")
    doc.img("reliability", plots.reliability_png(ev["calibration"]["flag"]["bins"], ev["calibration"]["flag"]["ece"],
                                                 synthetic=synthetic), "Reliability of the flag score")
    doc.h(1, "Caveats")
    doc.ul([
        "Synthetic data: the generator's people and situations are invented; real call mixes, wording and "
        "recording practice differ, and group differences in real data may come from recording as much as from the model."
        if synthetic else "The labels are the force's own; biases in how calls were recorded or labelled carry into "
                          "these figures.",
        "Small groups: intervals are wide and differences cannot be judged below the minimum size; intersections "
        "are smaller still. Absence of a flag is not evidence of fairness.",
        "Protected characteristics under the Equality Act 2010 that these data cannot assess: " + "; ".join(UNASSESSED) +
        ". Age, sex and ethnicity are recorded separately from the narrative; the others are not recorded at all. "
        "Their impact must be assessed by other means (engagement with affected groups, complaints, audits of "
        "handler overrides).",
        "Attributes are as recorded (ethnicity self-defined where known); 'unknown' and 'not stated' are groups in "
        "their own right and may hide differences.",
        "The model reads only the redacted narrative, with identity descriptors removed and gendered words made "
        "neutral when the model was trained that way; it never sees the subject attributes, but other wording can "
        "still carry them (the counterfactual tests measure the words they cover).",
    ])
    if run:
        doc.h(1, "Provenance")
        doc.table(["item", "value"], [[k, v] for k, v in run.items()])
    return doc


def _fairness_sentence(a) -> str:
    fair = a.fairness
    flagged = a.flagged_rows()
    if not flagged:
        return (f"Across {fair['comparisons']} comparisons between groups, no difference was both outside the "
                f"screening band and larger than sampling noise explains.")
    worst = sorted(flagged, key=lambda r: -(r["ratio"] if r["ratio"] is not None else 0))[:3]
    items = "; ".join(f"{r['label']} for {r['grouping']} = {r['group']}: {r['value']:.1%} against {r['reference_value']:.1%} "
                      f"for {r['reference']} (n={r['denominator']})" for r in worst)
    return (f"{len(flagged)} of {fair['comparisons']} comparisons between groups show a difference outside the "
            f"screening band that is larger than sampling noise explains. Largest: {items}.")


def _overall_section(doc: Document, a, synthetic: bool) -> None:
    ev = a.evaluation
    doc.h(1, "Overall performance")
    rows = []
    for name, key in (("as advised (score, safety rules, uncertainty)", "flag_as_advised"),
                      ("by score alone", "flag_by_score")):
        f = ev[key]
        for metric in ("recall", "precision", "false_negative_rate", "false_positive_rate", "selection_rate"):
            rows.append([name, metric.replace("_", " "), *_rate_cells(f[metric])])
    doc.p(f"Threshold flag (police response required), threshold {ev['threshold']:.3f}:")
    doc.table(["flag", "measure", "value", "95% low", "95% high", "count"], rows)
    cat = ev["category"]
    doc.p(f"Categories: macro-F1 {cat['macro_f1']['value']:.3f} (95% interval {_cell(cat['macro_f1']['ci_low'])} to "
          f"{_cell(cat['macro_f1']['ci_high'])}).")
    doc.table(["category", "precision", "recall", "F1", "F1 95% interval", "support"],
              [[c, _cell(v["precision"]["value"]), _cell(v["recall"]["value"]), v["f1"]["value"],
                f"{_cell(v['f1']['ci_low'])} to {_cell(v['f1']['ci_high'])}", v["support"]]
               for c, v in cat["per_category"].items()])
    doc.img("confusion", plots.confusion_png(cat["confusion"]["labels"], cat["confusion"]["matrix"], synthetic=synthetic),
            "Confusion matrix of categories (rows true, columns suggested)")


def _fairness_section(doc: Document, a, synthetic: bool) -> None:
    t = a.fairness_table
    band = tuple(a.fairness["band"])
    doc.h(1, "Differences between groups")
    singles = t[~t.grouping.str.contains(" x ")]
    for metric, label in (("flag_false_negative_rate", "False-negative rate of the flag (needed police, not flagged)"),
                          ("flag_false_positive_rate", "False-positive rate of the flag (flagged where a partner should lead)"),
                          ("flag_selection_rate", "Flag selection rate")):
        doc.h(2, label)
        rows = json.loads(singles[singles.metric == metric].to_json(orient="records"))
        doc.img(metric, plots.group_rates_png(rows, label, band=band, synthetic=synthetic), f"{label} by group")
        doc.table(["attribute", "group", "rate", "95% interval", "count", "reference", "ratio", "judged", "flagged"],
                  [[r["grouping"], r["group"], r["value"], f"{_cell(r['ci_low'])} to {_cell(r['ci_high'])}",
                    f"{r['numerator']}/{r['denominator']}", r["reference"],
                    "(reference)" if r["group"] == r["reference"] else r["ratio"],
                    "too small" if r["too_small"] else "yes", r["flagged"]] for r in rows])
    doc.h(2, "Intersections and categories: flagged differences, and screened ones for the flag")
    screened = t[t.outside_band & t.p_value.notna()]
    shown = screened[screened.flagged | screened.metric.str.startswith("flag_")]
    rows = json.loads(shown.sort_values("p_adjusted").to_json(orient="records"))
    if rows:
        doc.table(["grouping", "group", "measure", "rate", "count", "reference rate", "ratio", "adjusted p", "flagged"],
                  [[r["grouping"], r["group"], r["label"], r["value"], f"{r['numerator']}/{r['denominator']}",
                    r["reference_value"], r["ratio"], r["p_adjusted"], r["flagged"]] for r in rows[:40]])
    doc.p(f"{len(screened)} differences in all fall outside the screening band among groups large enough to judge; "
          f"{int(screened.flagged.sum())} of them are larger than sampling noise explains. "
          + (f"{len(rows) - 40} more flag rows, and " if len(rows) > 40 else "")
          + f"{len(screened) - len(shown)} screened category rows (within noise) are in fairness_groups.csv.")
    doc.p("The full table (every group, intersection and measure, with counts and intervals) is in "
          "fairness_groups.csv beside this report.")


def _counterfactual_section(doc: Document, a, synthetic: bool) -> None:
    cf = a.counterfactual
    doc.h(1, "Counterfactual identity tests")
    doc.p("Each sampled narrative was scored again with identity words changed (or, where it had none, with a "
          "sentence describing the person added, in each variant). A narrative counts as changed when its variants "
          "did not all get the same category and the same advice. Names are mostly removed by redaction before the "
          "model reads the text, so they should change nothing.")
    masked = a.model.get("identity_masking")
    doc.p(f"This model reads narratives with {masked} identity descriptors (ethnicity, nationality, religion or "
          "belief, gender identity) removed and gendered words (he, she, son, daughter...) made neutral, in training "
          "and in use; the handler still sees the narrative as written. Where a dimension shows no change, the tests "
          "confirm this holds end to end. Words outside those lists are what the model can still react to: add them "
          "to the lexicon (--lexicon) to test them." if masked else
          "This model reads identity and gendered words as written: any change below comes from the model itself.")
    doc.img("counterfactual", plots.counterfactual_png(cf["dimensions"], synthetic=synthetic),
            "Share of narratives whose advice changed with identity words")
    doc.table(["dimension", "narratives", "advice changed", "category changed", "flag changed", "mean score range"],
              [[d, v["narratives"], _pct(v["flip_rate"]), _pct(v["category_flip_rate"]), _pct(v["flag_flip_rate"]),
                v["mean_flag_score_range"]] for d, v in cf["dimensions"].items()])
    worst = sorted(((d, t, v) for d, dim in cf["dimensions"].items() for t, v in dim["terms"].items()),
                   key=lambda x: -abs(x[2]["mean_flag_score_deviation"]))[:10]
    doc.p("Terms whose flag score differs most from the other variants of the same narrative (mean deviation):")
    doc.table(["dimension", "term", "narratives", "advice differs from majority", "mean flag score deviation"],
              [[d, t, v["narratives"], v["differs_from_majority"], v["mean_flag_score_deviation"]] for d, t, v in worst])
    risk = cf["current_risk"]
    doc.p(f"Directional test: explicit current-risk wording was appended in {risk['checks']} checks; the flag score "
          f"went down in {risk['score_lowered']['successes']} and the advice was lowered in "
          f"{risk['advice_lowered']['successes']}. Phrases: " + " / ".join(risk["phrases"]))


def model_card(a, run: dict[str, Any] | None = None) -> Document:
    """A model card with the sections of Mitchell et al. (2019), filled from the assessment and run."""
    ev, info = a.evaluation, a.model.get("info", {})
    synthetic = bool(a.data["synthetic"])
    doc = Document(f"Model card: {a.model['version']}")
    if synthetic:
        doc.warn("Trained and evaluated on SYNTHETIC data.")
    doc.h(1, "Model details")
    doc.ul([f"Developed by the rcrp-triage project; version {a.model['version']}; type: {a.model['scorer']} "
            f"text classifier (category) with a calibrated threshold flag; taxonomy {a.model['taxonomy']}.",
            f"Decision threshold {a.model['threshold']:.4f}, chosen on validation data inside the training set for "
            f"flag recall {a.model['target_recall']:.0%}; uncertain scores raise the flag as 'handler judgement required'; "
            "a rule-based safety guard raises it on explicit current risk.",
            "Licence: Apache-2.0. Questions: the force's RCRP governance lead."])
    doc.h(1, "Intended use")
    doc.ul(["Primary use: advisory suggestion to police control-room handlers of the RCRP category of a "
            "health-related call and whether it may meet the police-response threshold.",
            "Primary users: call handlers (advice), analysts (review of disputed calls), governance leads (audit).",
            "Out of scope: deciding a response without a handler; any use on unredacted text outside the tool; "
            "calls outside the RCRP demand types; judging an individual's risk for any other purpose."])
    doc.h(1, "Factors")
    doc.p("Relevant factors: age band, sex and ethnicity of the subject (recorded separately from the narrative), "
          "their intersections, the writing register of the narrative, and identity words in the text. "
          "Evaluation factors: the same, as in the sections below.")
    doc.h(1, "Metrics")
    doc.p("Flag recall first (a missed police response is the worst error), then false-negative and false-positive "
          "rates by group, precision, category macro-F1, calibration (ECE); 95% bootstrap intervals and counts "
          "throughout.")
    doc.h(1, "Evaluation data")
    doc.p(f"{a.data['source']}: {a.data['rows']:,} labelled calls, {a.data['flag_true']:,} needing police; "
          f"sha256 {a.data['sha256']}; synthetic: {synthetic}. Narratives are redacted before scoring.")
    doc.h(1, "Training data")
    lineage = info.get("lineage", {}) if isinstance(info, dict) else {}
    if lineage:
        counts = lineage.get("category_counts") or {}
        doc.ul([f"Source: {lineage.get('source', '-')}; rows: {lineage.get('rows', '-')}; synthetic: "
                f"{lineage.get('synthetic', '-')}; sha256 of the redacted texts and labels: {lineage.get('sha256', '-')}.",
                "Categories: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "-") + ".",
                "Narratives redacted, and identity descriptors masked, before training."])
    else:
        doc.p("See the MLflow run of this version for the training data's lineage.")
    doc.h(1, "Quantitative analyses")
    flag = ev["flag_as_advised"]
    doc.ul([f"Unitary: flag recall {_pct(flag['recall'])}; precision {_pct(flag['precision'])}; macro-F1 "
            f"{ev['category']['macro_f1']['value']:.3f}.",
            f"Intersectional: {a.fairness['comparisons']} group comparisons, {a.fairness['flagged']} flagged; "
            f"counterfactual advice changes {_pct(a.counterfactual['flip_rate'])}. See the EIA evidence report."])
    doc.h(1, "Ethical considerations")
    doc.p("Withdrawing police where someone was at real risk, and unequal treatment of groups, are the harms "
          "that matter. The tool never turns uncertainty into 'no police needed'; narratives are redacted before "
          "storage and scoring; handler decisions and overrides are the control.")
    doc.h(1, "Caveats and recommendations")
    doc.ul(["Repeat this assessment on the force's own labelled calls before live use, and after any change of "
            "model, threshold or taxonomy.", "Review groups marked too small as data accumulate.",
            "Protected characteristics not recorded cannot be assessed here: " + "; ".join(UNASSESSED) + "."])
    if run:
        doc.h(1, "Provenance")
        doc.table(["item", "value"], [[k, v] for k, v in run.items()])
    return doc


def atrs_record(a, run: dict[str, Any] | None = None) -> dict[str, Any]:
    """The fields of the UK Algorithmic Transparency Recording Standard's tier 2 that the run can fill;
    the organisation's own fields are left for the force to complete (marked ``TO COMPLETE``)."""
    todo = "TO COMPLETE by the force"
    flag = a.evaluation["flag_as_advised"]
    return {
        "standard": "Algorithmic Transparency Recording Standard, tier 2 (fields filled from the model run)",
        "note": "Field names follow ATRS v3.0 as published on GOV.UK; check them against the current template "
                "before publishing, and complete every field marked TO COMPLETE.",
        "tier_1_overview": {"name": "rcrp-triage: Right Care, Right Person call triage advice",
                            "description": "Suggests to control-room handlers whether a health-related call may meet "
                                           "the police-response threshold under Right Care, Right Person, and its "
                                           "category. Advisory: the handler decides.",
                            "website": todo, "contact_email": todo},
        "owner_and_responsibility": {"organisation": todo, "team": todo, "senior_responsible_owner": todo,
                                     "external_supplier_involvement": todo},
        "description_and_rationale": {
            "detailed_description": "Suggests, for a health-related call, the Right Care, Right Person category and "
                                    "whether the police-response threshold may be met, with the phrases and rules "
                                    "behind the suggestion. Advisory only.",
            "scope": "Concern for welfare, walkouts from healthcare settings, AWOL from mental-health units, "
                     "conveyance requests, Mental Health Act s136 and handover; other police matters.",
            "benefit": todo, "previous_process": todo, "alternatives_considered": todo},
        "decision_making_process": {
            "process_integration": "Shown to the call handler beside the call; the handler decides and records the "
                                   "decision; disputed and uncertain calls go to analysts for review.",
            "provided_information": "Category with scores, the flag with its score and threshold, uncertainty, "
                                    "reasons (phrases, safety rules), model version, advisory notice.",
            "frequency_and_scale_of_usage": todo, "human_decisions_and_review": "Every call: the handler decides.",
            "required_training": todo, "appeals_and_review": todo},
        "tool_specification": {
            "system_architecture": "Rule-based redaction, then a text classifier served by an internal API; "
                                   "MLflow registry with a promotion gate (recall, fairness, counterfactual checks).",
            "phase": todo, "maintenance": "Retrained from analyst-reviewed labels; every version re-assessed.",
            "models": [{"model_name": "rcrp-triage", "model_version": a.model["version"],
                        "model_task": "text classification (category) and binary threshold flag",
                        "model_input": "redacted call narrative", "model_output": "category scores, flag score",
                        "model_architecture": a.model["scorer"],
                        "model_performance": {"flag_recall": flag["recall"], "flag_precision": flag["precision"],
                                              "macro_f1": a.evaluation["category"]["macro_f1"],
                                              "evaluation_data": a.data},
                        "datasets": [a.data["source"]]}]},
        "data_specification": {
            "source_data_name": a.data["source"], "data_modality": "text",
            "data_quantities": f"{a.data['rows']} evaluation calls", "sensitive_attributes":
                "age band, sex, ethnicity (recorded separately, used only for fairness evaluation)",
            "data_completeness_and_representativeness": "SYNTHETIC" if a.data["synthetic"] else todo,
            "data_cleaning": "Personal data redacted before storage, logging and scoring.",
            "data_sharing_agreements": todo, "data_access_and_storage": todo},
        "risks_mitigations_and_impact_assessments": {
            "impact_assessments": [{"name": "Equality Impact Assessment (evidence report)",
                                    "description": "Group rates, disparities and counterfactual tests from this run",
                                    "date": datetime.now(timezone.utc).date().isoformat(), "link": "eia_report.html"}],
            "risks_and_mitigations": [
                "Missed police response: threshold set for recall; uncertainty and safety rules raise the flag.",
                "Unequal treatment: group comparisons and counterfactual tests gate promotion.",
                "Personal data: redaction before anything is stored or sent."]},
        "provenance": run or {},
    }


def write_report(a, directory: str | Path, run: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write eia_report.html (self-contained), eia_report.md (+ figures), model_card.md, atrs_record.json."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    doc = eia_document(a, run)
    files = {"html": d / "eia_report.html", "markdown": d / "eia_report.md", "model_card": d / "model_card.md",
             "atrs": d / "atrs_record.json"}
    files["html"].write_text(doc.html(), encoding="utf-8")
    md, images = doc.markdown("eia_report_files")
    (d / "eia_report_files").mkdir(exist_ok=True)
    for name, png in images.items():
        (d / "eia_report_files" / name).write_bytes(png)
    files["markdown"].write_text(md, encoding="utf-8")
    card_md, _ = model_card(a, run).markdown("eia_report_files")
    files["model_card"].write_text(card_md, encoding="utf-8")
    files["atrs"].write_text(json.dumps(atrs_record(a, run), indent=2, default=str), encoding="utf-8")
    return files
