"""From input to Brief: decode, extract, clean, check, parse once, then rank, figures and speakers."""

from __future__ import annotations

import re
from dataclasses import replace

from summarize.attribution_model import attributions_with_tagger
from summarize.clean import clean_text
from summarize.config import FetchLimits
from summarize.errors import BinaryInput, EmptyInput, NotEnglish
from summarize.extract import extract_article, looks_like_html
from summarize.figures import extract_figures
from summarize.language import detect_language
from summarize.model import Brief, Figure
from summarize.parse import NLP, parse
from summarize.rank import summarize_sentences
from summarize.speakers import extract_speakers

SHORT_TEXT_CHARS = 300
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"ID3", b"RIFF")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LANGUAGE_NAMES = {
    "uk": "Ukrainian", "ru": "Russian", "de": "German", "fr": "French", "es": "Spanish", "ar": "Arabic",
    "he": "Hebrew", "pl": "Polish", "it": "Italian", "pt": "Portuguese", "tr": "Turkish", "fa": "Persian",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "nl": "Dutch",
}  # fmt: skip


def decode_input(data: bytes) -> str:
    """Bytes from a file, stdin or an upload as text; `BinaryInput` for images, PDFs and the like."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark (Windows Notepad)
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise BinaryInput(
            "That looks like a binary file (an image, PDF or archive). Send the article's text or a link."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise BinaryInput("That doesn't look like text. Send the article's text or a link.")
    return text


def _check_text(text: str) -> None:
    if _CONTROL.search(text[:8192]) and len(_CONTROL.findall(text[:8192])) > 8:
        raise BinaryInput("That doesn't look like text. Send the article's text or a link.")


def _same_figure(figure: Figure) -> tuple:
    def fold(text: str | None) -> str:
        return " ".join((text or "").casefold().split())

    return (
        fold(figure.value), figure.number, figure.low, figure.high, fold(figure.qualifier), fold(figure.unit),
        figure.category, fold(figure.counts), fold(figure.claimed_by), fold(figure.where), fold(figure.when),
    )  # fmt: skip


def collapse_figures(figures: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """One figure per distinct statement of it, at its first mention, with how many times it is stated.

    Only figures equal in everything but the sentence collapse: the same value, counted thing and claimant,
    and the same place and time (thirty soldiers killed in two towns are two figures, not one). A linear
    pass; order of first mention is kept.
    """
    first: dict[tuple, int] = {}
    kept: list[Figure] = []
    for figure in figures:
        key = _same_figure(figure)
        at = first.get(key)
        if at is None:
            first[key] = len(kept)
            kept.append(figure)
        else:
            kept[at] = replace(kept[at], mentions=kept[at].mentions + figure.mentions)
    return tuple(kept)


def brief_from_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    sentences: int | None = None,
    nlp: NLP | None = None,
) -> Brief:
    """A Brief of plain article text (HTML is detected and extracted first)."""
    if looks_like_html(text):
        return brief_from_html(text, url=url, sentences=sentences, nlp=nlp)
    _check_text(text)
    cleaned = clean_text(text, title=title)
    if not cleaned.text.strip():
        raise EmptyInput("There is no text to brief. Send an article's text or a link to it.")
    language = detect_language(cleaned.text)
    if language != "en":
        name = _LANGUAGE_NAMES.get(language, f"language '{language}'")
        raise NotEnglish(
            f"This text looks like {name}; only English articles are supported for now. "
            "Send an English article or its link.",
            language,
        )
    parsed = parse(
        cleaned.text, nlp=nlp, title=cleaned.title, dateline=cleaned.dateline, published=published, url=url
    )
    notices = list(cleaned.notices)
    if len(cleaned.text) < SHORT_TEXT_CHARS or len(parsed.sentences) < 3:
        notices.append("This text is very short, so the brief covers nearly all of it.")
    # Figures and speakers share the attributions, so a figure inside a quote gets the quote's speaker.
    # The rules find them; the learned tagger adds its sure ones where the rules found nothing.
    attributions = attributions_with_tagger(parsed)
    figures = extract_figures(parsed, attributions)
    return Brief(
        title=cleaned.title,
        dateline=cleaned.dateline,
        url=url,
        language=language,
        sentences=len(parsed.sentences),
        # Ranking sees every mention (a sentence repeating a picked figure is redundant); the reader sees each
        # figure once, with its count.
        summary=summarize_sentences(parsed, sentences, figures=figures),
        figures=collapse_figures(figures),
        speakers=extract_speakers(parsed, attributions),
        published=published,
        notices=tuple(notices),
        text=cleaned.text,
        sentence_spans=tuple((s.start_char, s.end_char) for s in parsed.sentences),
    )


def brief_from_html(
    html: str | bytes, *, url: str | None = None, sentences: int | None = None, nlp: NLP | None = None
) -> Brief:
    """A Brief of a web page: trafilatura finds the article, its title and date."""
    article = extract_article(html, url=url)
    return brief_from_text(
        article.text, title=article.title, url=url, published=article.published, sentences=sentences, nlp=nlp
    )


def brief_from_bytes(
    data: bytes, *, url: str | None = None, sentences: int | None = None, nlp: NLP | None = None
) -> Brief:
    """A Brief of raw input of unknown kind (file, stdin, upload): text or HTML, detected."""
    if not data.strip():
        raise EmptyInput("There is no text to brief. Send an article's text or a link to it.")
    return brief_from_text(decode_input(data), url=url, sentences=sentences, nlp=nlp)


def brief_from_page(page, *, sentences: int | None = None, nlp: NLP | None = None) -> Brief:
    """A Brief of a fetched page (`summarize.fetch.FetchedPage`): plain text or HTML by content type."""
    if page.content_type.startswith("text/plain"):
        return brief_from_text(page.text, url=page.final_url, sentences=sentences, nlp=nlp)
    return brief_from_html(page.text, url=page.final_url, sentences=sentences, nlp=nlp)


def brief_from_url(
    url: str, *, limits: FetchLimits | None = None, sentences: int | None = None, nlp: NLP | None = None
) -> Brief:
    """Fetch a public http(s) page through the address guard and brief it (blocking; for the CLI and
    scripts: the bot fetches with `summarize.fetch.fetch` on its event loop and briefs in its pool)."""
    from summarize.fetch import fetch_sync

    return brief_from_page(fetch_sync(url, limits=limits), sentences=sentences, nlp=nlp)
