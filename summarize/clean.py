"""Cleaning: turn raw article text into the text every span of a Brief points into.

Whitespace is normalised and boilerplate lines, repeated title lines and the dateline are removed; every
other character stays verbatim, so summary sentences and quotes are the article's own words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 200_000

_SPACE_RUN = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Control characters (NUL cuts SQLite strings short) and bidi overrides/isolates, which could visually
# reorder the rest of a line, including the bot's own attribution, when shown in Telegram.
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_END = re.compile(r"[.!?…]['\"”’)\]»]*$")
# A sentence glued to the next by a lost line break: "community.Dr Venter" (seen in scraped BBC text).
# The next sentence may open with a one-letter word ("border.A former medic", "said.I saw"); "U.S.A" has
# no two lower-case letters before its stop. It may also open with an acronym ("moved.UN officials"), and
# the stop may follow a closing quote ("called it "safe".The head").
_NEXT_OPENING = r"(?=[A-Z][a-z]|[AI] |[A-Z]{2,}[\s,])"
_GLUED_SENTENCE = re.compile(
    rf"(?<=[a-z]{{2}}[.!?]){_NEXT_OPENING}|(?<=[a-z]{{2}}[.!?][\"”’]){_NEXT_OPENING}"
    rf"|(?<=[a-z]{{2}}[\"”’][.!?]){_NEXT_OPENING}"
)

# A dateline on a line of its own: "KIEV", "KYIV, Ukraine", "WASHINGTON (Reuters) -".
# Reference marks of copied encyclopedia pages, glued to the word or stop before them ("died.[3][4]",
# "[citation needed]"); left in, the parser runs two sentences together. A bracket after a space stays.
_REFERENCE_MARKS = re.compile(r"(?<=[^\s\[])(?:\[(?:\d{1,3}|[a-z]|note \d{1,3}|citation needed)\])+")
_DATELINE_LINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{1,40}[A-Z](?:,\s*[A-Z][A-Za-z .]{1,30})?)"
    r"(?:\s*\((?:AP|AFP|Reuters|UPI|dpa|Xinhua|CNN|TASS|Interfax|Ukrinform|AA)\))?\s*[-–—:]?$"
)
# A dateline opening the first paragraph: "KYIV, Ukraine (AP) — Russian forces ...".
_DATELINE_PREFIX = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{1,40}[A-Z](?:,\s*[A-Z][A-Za-z .]{1,30}?)?)"
    r"(?:\s*\((?:AP|AFP|Reuters|UPI|dpa|Xinhua|CNN|TASS|Interfax|Ukrinform|AA)\))?\s*(?:[-–—]+|:)\s+(?=\S)"
)

# Lines that are page furniture rather than article text.
_BOILERPLATE = re.compile(
    r"""^(?:
        advertisement|advert|sponsored(?:\s+content)?|
        (?:read|see)\s+(?:more|also)\b.*|related(?:\s+(?:topics|articles|stories|coverage))?:?.*|
        (?:click|tap)\s+here\b.*|
        share\s+(?:this|on)\b.{0,80}|share|tweet|email|print|
        (?:follow|like)\s+us\s+on\b.*|
        sign\s+up\b.{0,120}|subscribe\b.{0,120}|
        (?:image|photo|picture|video)\s+(?:copyright|caption|source)\b.*|
        media\s+playback\s+is\s+unsupported\s+on\s+your\s+device|
        copyright\s*(?:©|\(c\))?\s*\d{4}.*|©.{0,120}|all\s+rights\s+reserved\.?|
        \(?(?:reporting|additional\s+reporting|writing|editing)\s+by\b.{0,200}\)?|
        getty\s+images|reuters|afp|ap\s+photo.*|
        cookies?\b.{0,120}accept.*|
        \d+\s+comments?|comments?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SHARE_PREFIX = re.compile(r"^Share this with.*?Copy this link", re.IGNORECASE)
# A paragraph exported through CSV: wrapped in quote marks, each quote mark inside it doubled.
_CSV_FIELD = re.compile(r'^"(?P<inner>.*"".*)"$', re.DOTALL)


@dataclass(frozen=True)
class CleanText:
    text: str
    title: str | None
    dateline: str | None
    notices: tuple[str, ...] = ()


def _normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    line = _SPACE_RUN.sub(" ", line)
    return line.strip()


def _key(line: str) -> str:
    """A comparison key for "the same line": case, spacing and punctuation ignored."""
    return re.sub(r"[\W_]+", " ", line).strip().casefold()


def _paragraphs(text: str) -> list[str]:
    """Split into paragraphs; hard-wrapped lines inside a paragraph are joined back together."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _UNSAFE_CHARS.sub("", text)
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_normalise_line(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        current = ""
        for line in lines:
            # A wrapped line continues its paragraph: the previous line has no end punctuation and this
            # one starts in lower case ("... killed at least\n30 people ..."). Otherwise a line is its own.
            if current and not _TERMINAL_END.search(current) and re.match(r"[a-z0-9(,;]", line):
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return paragraphs


def _unwrap_csv_field(paragraph: str) -> str:
    """A CSV-exported paragraph as it was written: CSV wraps a field holding quote marks in quote marks and
    writes each mark inside it twice. Read as written, every quote opened and closed at once and the
    speakers were lost. Only when every quote mark inside comes doubled: prose never doubles one."""
    match = _CSV_FIELD.match(paragraph)
    if match is None or '"' in match.group("inner").replace('""', ""):
        return paragraph
    return match.group("inner").replace('""', '"').strip()


def _looks_like_title(line: str) -> bool:
    words = line.split()
    # a line ending in a colon leads into what follows ("X released the following statement:"), no headline
    return (
        2 <= len(words) <= 30
        and len(line) <= 250
        and not _TERMINAL_END.search(line)
        and not line.rstrip().endswith(":")
    )


def clean_text(raw: str, *, title: str | None = None) -> CleanText:
    """Normalise whitespace, drop boilerplate and repeated titles, lift out title and dateline."""
    paragraphs = [_unwrap_csv_field(_SHARE_PREFIX.sub("", p).strip()) for p in _paragraphs(raw)]
    paragraphs = [p for p in paragraphs if p and not _BOILERPLATE.match(p)]

    if title is None and len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        title = paragraphs[0]
    title = _normalise_line(title) if title else None

    dateline: str | None = None
    body: list[str] = []
    seen: set[str] = set()
    title_key = _key(title) if title else None
    for paragraph in paragraphs:
        key = _key(paragraph)
        if key == title_key or key in seen:
            continue  # a repeated title line or a paragraph printed twice
        if not body and dateline is None:
            line_match = _DATELINE_LINE.match(paragraph)
            if line_match and len(paragraphs) > 1:
                dateline = line_match.group("place").strip()
                continue
            prefix_match = _DATELINE_PREFIX.match(paragraph)
            if prefix_match:
                dateline = prefix_match.group("place").strip()
                paragraph = paragraph[prefix_match.end() :]
        seen.add(key)
        body.append(_GLUED_SENTENCE.sub(" ", _REFERENCE_MARKS.sub("", paragraph)))

    text = "\n\n".join(body)
    notices: list[str] = []
    if len(text) > MAX_CHARS:
        cut = text.rfind("\n\n", 0, MAX_CHARS)
        text = text[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
        notices.append(
            f"The text was longer than {MAX_CHARS:,} characters; only the first part was read. "
            "Send a shorter piece to brief the rest."
        )
    return CleanText(text=text, title=title, dateline=dateline, notices=tuple(notices))
