"""HTML extraction: token F1 of the extracted article body against human-annotated text.

Data: ../shared/data/article_extraction_benchmark_news (58 real news pages with gold `articleBody`),
scored the way that benchmark scores extractors (bag-of-tokens precision, recall and F1), for trafilatura
as we call it and for its precision- and recall-leaning modes, plus our cleaning step on top.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from statistics import mean

import trafilatura

from summarize.clean import clean_text
from summarize.errors import NoArticleFound
from summarize.extract import extract_article

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def token_prf(extracted: str, gold: str) -> tuple[float, float, float]:
    got, want = _tokens(extracted), _tokens(gold)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _ours(html: bytes, url: str) -> str:
    try:
        article = extract_article(html, url=url)
    except NoArticleFound:
        return ""
    return clean_text(article.text, title=article.title).text


def _trafilatura(**options):
    def run(html: bytes, url: str) -> str:
        return (
            trafilatura.extract(html, url=url, include_comments=False, include_tables=False, **options) or ""
        )

    return run


def report(shared: Path) -> str:
    folder = shared / "data" / "article_extraction_benchmark_news"
    if not (folder / "ground-truth.json").exists():
        return f"extraction: skipped: no {folder}"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    systems = {
        "ours (trafilatura + clean)": _ours,
        "trafilatura default": _trafilatura(),
        "trafilatura favor_precision": _trafilatura(favor_precision=True),
        "trafilatura favor_recall": _trafilatura(favor_recall=True),
    }
    rows: dict[str, list[tuple[float, float, float]]] = {name: [] for name in systems}
    for _key, item in sorted(truth.items()):
        html = (folder / item["html_file"]).read_bytes()
        for name, system in systems.items():
            rows[name].append(token_prf(system(html, item["url"]), item["articleBody"]))
    lines = [
        f"Extraction: bag-of-tokens P/R/F1 vs human article body ({len(truth)} news pages)",
        f"{'system':<30}{'P':>7}{'R':>7}{'F1':>7}",
    ]
    for name, scores in rows.items():
        p, r, f = (mean(column) for column in zip(*scores, strict=True))
        lines.append(f"{name:<30}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
    return "\n".join(lines)
