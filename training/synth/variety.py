"""An honest description of a corpus: balance, variety, and which phrases give labels away.

``label_leakage`` lists word n-grams whose presence predicts a category or the flag almost certainly.
Genuine domain key terms (``KEY_TERMS``: the words a real log uses for the demand type, e.g. AWOL,
s136) are reported apart, because real narratives carry them too; anything else that is that
predictive is an artefact of the generator's scaffolding and a reason to fix the generator.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["KEY_TERMS", "corpus_report", "label_leakage", "tokens"]

_TOKEN = re.compile(r"\[[A-Z_]+\]|[a-z0-9&/']+")
# The label guide's own defining vocabulary for each category and for the flag (with the inflections and
# abbreviations real logs use). These terms *should* predict labels: they are what the labels mean.
KEY_TERMS = re.compile(
    r"\b("
    # concern_for_welfare
    r"welfare|check on|not seen|not been seen|not answering|no answer|distressed|distress|vulnerable|"
    r"intoxicated|alone|fallen|fall|suicidal|missed|appointment|care worker|carer|cannot get in|get in|"
    # walkout_healthcare
    r"walked out|walked off|walkout|left|leave|leaving|a&e|ed|emergency department|ward|urgent treatment|utc|"
    r"gp|surgery|voluntary|informal|before (?:treatment|assessment|being seen|triage)|against (?:medical )?advice|"
    r"self-discharged|discharge|discharged|absconded|ran out|ran off|"
    # awol_mental_health
    r"detained|detention|section|sectioned|s ?2|s ?3|s\.3|s ?37/41|37/41|section [237]|cto|recall|recalled|"
    r"community treatment order|awol|absent without leave|s ?17|section 17|s ?18|unit|escort|escorted|unescorted|"
    r"return|returned|returning|"
    # conveyance
    r"transport|convey|conveyed|conveyance|ambulance|amb|crew|paramedic|unavailable|available|delayed|wait|"
    r"take|taken|lift|drive|bring|placement|children's home|care home|between|transfer|home from hospital|"
    r"police (?:vehicle|car|van)|"
    # mha_s136_handover
    r"s ?136|section 136|136|s ?135|135|warrant|amhp|mental health act|mha|assessment|hbpos|place of safety|"
    r"suite|hand over|handover|hand|stay|staying|accept|officers|waiting|waited|"
    # police_matter
    r"crime|criminal|criminality|offence|offences|public order|road|traffic|collision|domestic|abuse|abusive|"
    r"theft|stolen|stole|violence|violent|harassment|assault|assaulted|punched|damage|damaged|smashed|threats|"
    r"threatening|suspect|burglary|scam|scammed|drunk|swerving|shoplifter|shoplifting|fight|attacked|report|"
    r"civil|advice|dispute|"
    # the flag's real and immediate risks
    r"bridge|railway|roof|height|jump|weapon|weapons|knife|ligature|overdose|od|tablets|pills|kill|stab|"
    r"threat|harm|cutting|cut|bleeding|blood|collapsed|unresponsive|unconscious|floor|locked|goodbye|"
    r"end (?:it|his life|her life)|die|suicide|injured|injury|immediate|risk"
    r")\b"
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _ngrams(toks: list[str], n: int) -> set[str]:
    return {" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)}


def label_leakage(
    rows: Iterable[Mapping[str, Any]], *, flag_name: str = "police_response_required", max_n: int = 3,
    min_support: float = 0.01, purity: float = 0.97,
) -> dict[str, Any]:
    """N-grams (1..max_n words, in >= ``min_support`` of rows) whose label purity is >= ``purity``."""
    doc_freq: Counter[str] = Counter()
    by_cat: dict[str, Counter[str]] = defaultdict(Counter)
    by_flag: dict[bool, Counter[str]] = defaultdict(Counter)
    total = 0
    for row in rows:
        total += 1
        toks = [t for t in tokens(row["narrative"]) if not t.startswith("[")]
        grams: set[str] = set()
        for n in range(1, max_n + 1):
            grams |= _ngrams(toks, n)
        doc_freq.update(grams)
        by_cat[row["category"]].update(grams)
        by_flag[bool(row[flag_name])].update(grams)
    floor = max(1, int(min_support * total))
    leaks: list[dict[str, Any]] = []
    for gram, df in doc_freq.items():
        if df < floor:
            continue
        for target, table in (("category", by_cat), ("flag", by_flag)):
            label, count = max(((k, c[gram]) for k, c in table.items()), key=lambda kv: kv[1])
            if count / df >= purity:
                leaks.append({"ngram": gram, "target": target, "label": str(label), "support": df,
                              "purity": round(count / df, 4), "key_term": bool(KEY_TERMS.search(gram))})
    leaks.sort(key=lambda d: (-d["support"], d["ngram"]))
    return {"rows": total, "min_support": floor, "purity": purity,
            "scaffolding_leaks": [d for d in leaks if not d["key_term"]],
            "key_term_leaks": [d for d in leaks if d["key_term"]]}


def corpus_report(rows: Iterable[Mapping[str, Any]], *, flag_name: str = "police_response_required",
                  attributes: tuple[str, ...] = ("age_band", "sex", "ethnicity")) -> dict[str, Any]:
    """Balance and variety of a corpus (rows need ``narrative``, ``category`` and the flag)."""
    rows = list(rows)
    n = len(rows)
    cats = Counter(r["category"] for r in rows)
    flag_by_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        flag_by_cat[r["category"]][0] += 1
        flag_by_cat[r["category"]][1] += bool(r[flag_name])
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    tri: Counter[str] = Counter()
    lengths = []
    for r in rows:
        toks = tokens(r["narrative"])
        lengths.append(len(toks))
        uni.update(toks)
        bi.update(" ".join(toks[i:i + 2]) for i in range(len(toks) - 1))
        tri.update(" ".join(toks[i:i + 3]) for i in range(len(toks) - 2))
    lengths.sort()

    def distinct(c: Counter[str]) -> float:
        return round(len(c) / max(1, sum(c.values())), 4)

    report: dict[str, Any] = {
        "rows": n,
        "unique_narratives": len({r["narrative"] for r in rows}),
        "tokens_per_narrative": {"median": lengths[n // 2] if n else 0, "p10": lengths[n // 10] if n else 0,
                                 "p90": lengths[(9 * n) // 10] if n else 0},
        "distinct_1": distinct(uni), "distinct_2": distinct(bi), "distinct_3": distinct(tri),
        "vocabulary": len(uni),
        "categories": {k: {"count": v, "share": round(v / n, 4), "flag_true_share": round(flag_by_cat[k][1] / v, 4)}
                       for k, v in sorted(cats.items())},
        "flag_true_share": round(sum(bool(r[flag_name]) for r in rows) / max(1, n), 4),
    }
    for attr in attributes:
        if rows and attr in rows[0]:
            counts = Counter(r[attr] for r in rows)
            report[attr] = {k: round(v / n, 4) for k, v in sorted(counts.items())}
    for extra in ("register", "family"):
        if rows and extra in rows[0]:
            report[extra] = dict(sorted(Counter(r[extra] for r in rows).items()))
    if rows and "has_pii" in rows[0]:
        report["share_with_pii"] = round(sum(bool(r["has_pii"]) for r in rows) / n, 4)
    return report
