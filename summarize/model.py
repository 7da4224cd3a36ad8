"""The results of the NLP core: frozen, picklable dataclasses (they cross process boundaries).

`Brief.to_json()` is the contract of ../shared/design/brief.schema.json; fields are only ever added.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_ID = "conflictbrief.brief/1"

Category = Literal[
    "casualties",
    "killed",
    "wounded",
    "troops",
    "territory",
    "money",
    "displaced",
    "equipment",
    "time",
    "other",
]
SpeechKind = Literal["direct", "reported"]


@dataclass(frozen=True)
class SummarySentence:
    text: str  # verbatim sentence of the cleaned article text
    sentence: int  # 0-based index among the parse's sentences


@dataclass(frozen=True)
class Figure:
    value: str  # verbatim span of the sentence, e.g. "at least 30"
    number: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    unit: str | None
    category: Category
    counts: str | None
    claimed_by: str | None
    where: str | None
    when: str | None
    sentence: int  # the first sentence stating it
    mentions: int = 1  # how many times the text states this same figure (same value, thing, claimant, ...)


@dataclass(frozen=True)
class Statement:
    """One thing somebody said: the schema's `speakers` item."""

    speaker: str
    kind: SpeechKind
    quote: str  # verbatim span of the cleaned text, without quote marks
    sentence: int


@dataclass(frozen=True)
class Brief:
    title: str | None
    dateline: str | None
    url: str | None
    language: str
    sentences: int
    summary: tuple[SummarySentence, ...]
    figures: tuple[Figure, ...] = ()
    speakers: tuple[Statement, ...] = ()
    published: str | None = None  # ISO date when the source gives one
    notices: tuple[str, ...] = ()  # things the reader should know (text was cut, very short, ...)
    text: str = field(default="", repr=False)  # the cleaned article text every span points into
    # (start, end) character offsets of every sentence in `text`, in order; `sentence` fields index this
    sentence_spans: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    def sentence_texts(self) -> list[str]:
        return [self.text[start:end] for start, end in self.sentence_spans]

    def to_dict(self) -> dict[str, Any]:
        """The schema's fields (plus the added `published` and `notices`); the cleaned text is left out."""
        data = asdict(self)
        data.pop("text")
        data.pop("sentence_spans")
        for key in ("summary", "figures", "speakers", "notices"):
            data[key] = list(data[key])
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], *, text: str = "", sentence_spans: tuple[tuple[int, int], ...] = ()
    ) -> Brief:
        return cls(
            title=data.get("title"),
            dateline=data.get("dateline"),
            url=data.get("url"),
            language=data.get("language", "en"),
            sentences=int(data.get("sentences", 0)),
            summary=tuple(SummarySentence(**s) for s in data.get("summary", ())),
            figures=tuple(Figure(**f) for f in data.get("figures", ())),
            speakers=tuple(Statement(**s) for s in data.get("speakers", ())),
            published=data.get("published"),
            notices=tuple(data.get("notices", ())),
            text=text,
            sentence_spans=tuple((int(start), int(end)) for start, end in sentence_spans),
        )

    @classmethod
    def from_json(
        cls, raw: str, *, text: str = "", sentence_spans: tuple[tuple[int, int], ...] = ()
    ) -> Brief:
        return cls.from_dict(json.loads(raw), text=text, sentence_spans=sentence_spans)
