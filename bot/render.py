"""Replies as Telegram HTML: pure functions from Briefs and stored rows to message chunks and keyboards.

Every piece of article or user text goes through `html.escape`; tags are only ever written here, whole.
Messages are assembled from blocks (a heading, one bullet) and split between blocks, so a chunk never
ends inside a tag; a block too long on its own is cut at sentence, then word, boundaries of its plain
text before escaping. Every chunk is at most `MAX_MESSAGE` characters of HTML source, which is stricter
than Telegram's limit on the text left after parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.fit import fit_block
from storage import ChatSettings, FigureRow, HistoryEntry, QuoteRow
from summarize.figures import counted_phrase, short_place
from summarize.model import Brief, Figure, Statement, SummarySentence

MAX_MESSAGE = 4096
BRIEF_FIGURES = 6  # figures shown in a brief; the rest behind "All figures"
BRIEF_QUOTES = 4  # statements shown in a brief; the rest behind "All quotes"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Source:
    """Where an article came from, for the line under its title."""

    url: str | None = None  # the article's address (fetched or given)
    channel_title: str | None = None  # a forwarded post's channel
    post_link: str | None = None  # the post's t.me link
    document_name: str | None = None  # an uploaded file


@dataclass(frozen=True)
class Reply:
    """One answer: HTML chunks (each ≤ MAX_MESSAGE) and the keyboard that goes under the last one."""

    chunks: tuple[str, ...]
    keyboard: InlineKeyboardMarkup | None = None


def e(text: object) -> str:
    """Escape untrusted text for Telegram HTML (quotes too, so it is safe inside attributes)."""
    return escape(str(text), quote=True)


def link(url: str, label: str | None = None) -> str:
    return f'<a href="{e(url)}">{e(label or url)}</a>'


def domain(url: str) -> str:
    try:
        host = urlsplit(url).hostname or url
    except ValueError:
        return url
    return host.removeprefix("www.")


# ---- splitting ---------------------------------------------------------------------------------------------


def _pieces(plain: str, budget: int) -> list[str]:
    """Cut plain text into pieces whose escaped length fits `budget`: at sentence ends, else at spaces."""
    pieces: list[str] = []
    current = ""
    for unit in _units(plain, budget):
        candidate = f"{current} {unit}" if current else unit
        if len(e(candidate)) <= budget:
            current = candidate
        else:
            if current:
                pieces.append(current)
            current = unit
    if current:
        pieces.append(current)
    return pieces


def _units(plain: str, budget: int) -> Iterable[str]:
    for sentence in _SENTENCE_END.split(plain):
        if len(e(sentence)) <= budget:
            yield sentence
            continue
        for word in sentence.split():
            while len(e(word)) > budget:  # a "word" longer than a message: cut it hard
                cut = budget // 6 or 1  # escaping grows a character to at most 6 ("&quot;")
                yield word[:cut]
                word = word[cut:]
            if word:
                yield word


def block(prefix: str, plain: str, suffix: str = "", *, limit: int = MAX_MESSAGE) -> list[str]:
    """`prefix + escape(plain) + suffix` as one block, or several when it would not fit one message.

    `prefix` and `suffix` are trusted HTML that open and close nothing across the cut."""
    whole = f"{prefix}{e(plain)}{suffix}"
    if len(whole) <= limit:
        return [whole]
    budget = limit - len(prefix) - len(suffix) - 8
    return [f"{prefix}{e(piece)}{suffix}" for piece in _pieces(plain, budget)]


def chunk(blocks: Sequence[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join blocks with newlines into as few messages as fit `limit`, never splitting a block.

    A block longer than a message (a link of thousands of characters in its href and label) is shortened
    by `bot.fit.fit_block` rather than refused: the answer must always go out."""
    chunks: list[str] = []
    current = ""
    for item in (piece for whole in blocks for piece in fit_block(whole, limit)):
        candidate = f"{current}\n{item}" if current else item.lstrip("\n")
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current.strip("\n"))
            current = item.lstrip("\n")
    if current.strip():
        chunks.append(current.strip("\n"))
    return chunks


# ---- briefs ------------------------------------------------------------------------------------------------


def source_line(brief: Brief, source: Source) -> str:
    parts: list[str] = []
    if source.channel_title:
        channel = f"<b>{e(source.channel_title)}</b>"
        parts.append(
            f"Forwarded from {channel}" + (f" ({link(source.post_link, 'post')})" if source.post_link else "")
        )
    elif source.post_link:
        parts.append(f"Forwarded post {link(source.post_link)}")
    url = source.url or brief.url
    if url and url != source.post_link:
        parts.append(link(url, domain(url)))
    if source.document_name:
        parts.append(f"File {e(source.document_name)}")
    if brief.dateline:
        parts.append(e(brief.dateline))
    if brief.published:
        parts.append(e(brief.published))
    if not parts:
        parts.append("Pasted text")
    return " · ".join(parts)


def figure_html(figure: Figure) -> str:
    """`<b>value</b> what it counts — claimant · where · when`, stating when no claimant is named."""
    phrase = counted_phrase(figure)  # starts with the verbatim value
    head = f"<b>{e(figure.value)}</b>{e(phrase[len(figure.value) :])}"
    claimant = f"<i>{e(figure.claimed_by)}</i>" if figure.claimed_by else "<i>no claimant named</i>"
    context = [claimant] + [e(part) for part in (short_place(figure.where), figure.when) if part]
    return f"{head} — {' · '.join(context)}"


def statement_html(statement: Statement) -> str:
    if statement.kind == "direct":
        return f"<b>{e(statement.speaker)}</b>: “{e(statement.quote)}”"
    return f"<b>{e(statement.speaker)}</b> (reported): {e(statement.quote)}"


def _bullet(html_item: str, limit: int) -> list[str]:
    item = f"• {html_item}"
    if len(item) <= limit:
        return [item]
    # Only a monstrous quote or sentence gets here: fall back to its plain text, cut at boundaries.
    from bot.telegram_html import strip_html

    return block("• ", strip_html(html_item), limit=limit)


def brief_reply(
    brief: Brief,
    source: Source,
    *,
    article_id: int | None,
    repeat_of: datetime | None = None,
    limit: int = MAX_MESSAGE,
) -> Reply:
    """The brief as it is first sent: title, source, summary bullets, key figures, who said what."""
    blocks: list[str] = []
    if repeat_of is not None:
        blocks.append(
            f"<i>Already in this chat's history (received {repeat_of:%Y-%m-%d %H:%M} UTC); here is the stored brief.</i>"
        )
    blocks += block("<b>", brief.title or "Brief", "</b>", limit=limit)
    blocks.append(source_line(brief, source))
    blocks.append("\n<b>Summary</b>")
    for sentence in brief.summary:
        blocks += block("• ", sentence.text, limit=limit)
    if brief.figures:
        blocks.append("\n<b>Key figures</b>")
        for figure in brief.figures[:BRIEF_FIGURES]:
            blocks += _bullet(figure_html(figure), limit)
    if brief.speakers:
        blocks.append("\n<b>Who said what</b>")
        for statement in brief.speakers[:BRIEF_QUOTES]:
            blocks += _bullet(statement_html(statement), limit)
    if brief.notices:
        blocks.append("")
        for notice in brief.notices:
            blocks += block("<i>Note: ", notice, "</i>", limit=limit)
    return Reply(tuple(chunk(blocks, limit)), brief_keyboard(brief, article_id))


def brief_keyboard(brief: Brief, article_id: int | None) -> InlineKeyboardMarkup | None:
    """Buttons for what the brief left out; callback data names the article, looked up in the pressing chat."""
    if article_id is None:
        return None
    buttons = []
    if brief.sentences > len(brief.summary):
        buttons.append(InlineKeyboardButton("More sentences", callback_data=f"more:{article_id}"))
    if len(brief.figures) > BRIEF_FIGURES:
        buttons.append(
            InlineKeyboardButton(f"All figures ({len(brief.figures)})", callback_data=f"figs:{article_id}")
        )
    if len(brief.speakers) > BRIEF_QUOTES:
        buttons.append(
            InlineKeyboardButton(f"All quotes ({len(brief.speakers)})", callback_data=f"quotes:{article_id}")
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


def more_sentences_reply(
    title: str | None, sentences: Sequence[SummarySentence], limit: int = MAX_MESSAGE
) -> Reply:
    """Sentences a longer summary adds to the first one."""
    if not sentences:
        return Reply(("The brief already holds every sentence worth adding from this article.",))
    blocks = block("<b>More from ", title or "the article", "</b>", limit=limit)
    for sentence in sentences:
        blocks += block("• ", sentence.text, limit=limit)
    return Reply(tuple(chunk(blocks, limit)))


def all_figures_reply(brief: Brief, title: str | None, limit: int = MAX_MESSAGE) -> Reply:
    blocks = block("<b>All figures: ", title or "the article", "</b>", limit=limit)
    blocks += [item for figure in brief.figures for item in _bullet(figure_html(figure), limit)]
    if not brief.figures:
        blocks.append("No figures were found in this article.")
    return Reply(tuple(chunk(blocks, limit)))


def all_quotes_reply(brief: Brief, title: str | None, limit: int = MAX_MESSAGE) -> Reply:
    blocks = block("<b>Who said what: ", title or "the article", "</b>", limit=limit)
    blocks += [item for statement in brief.speakers for item in _bullet(statement_html(statement), limit)]
    if not brief.speakers:
        blocks.append("No quotes or attributed statements were found in this article.")
    return Reply(tuple(chunk(blocks, limit)))


# ---- history, figures, speakers, settings ---------------------------------------------------------------


def history_source(entry: HistoryEntry) -> str:
    if entry.forward_title:
        return e(entry.forward_title)
    if entry.url:
        return e(domain(entry.url))
    return "pasted text" if entry.kind == "text" else e(entry.kind)


def history_reply(entries: Sequence[HistoryEntry], limit: int = MAX_MESSAGE) -> Reply:
    if not entries:
        return Reply(("Nothing here yet. Send me a link or paste an article, then /history lists it.",))
    blocks = [f"<b>Recent articles ({len(entries)})</b>"]
    for number, entry in enumerate(entries, 1):
        title = entry.title or "(untitled)"
        if len(title) > 120:
            title = title[:119] + "…"
        blocks.append(f"{number}. <b>{e(title)}</b> — {history_source(entry)} · {entry.received_at:%Y-%m-%d}")
    return Reply(tuple(chunk(blocks, limit)))


def _article_ref(title: str | None, url: str | None) -> str:
    label = title or (domain(url) if url else "pasted text")
    if len(label) > 80:
        label = label[:79] + "…"
    return link(url, label) if url else e(label)


def _counts_key(figure: Figure) -> str:
    return re.sub(r"\s+", " ", (figure.counts or "").casefold()).strip()


def figures_reply(rows: Sequence[FigureRow], *, category: str | None, limit: int = MAX_MESSAGE) -> Reply:
    """Figures across the chat's history grouped by category and what they count; claims side by side."""
    if not rows:
        what = f" in category {e(category)}" if category else ""
        return Reply((f"No figures{what} yet. Send me articles first; /figures collects their numbers.",))
    groups: dict[str, dict[str, list[FigureRow]]] = {}
    for row in rows:
        groups.setdefault(row.figure.category, {}).setdefault(_counts_key(row.figure), []).append(row)
    blocks = [f"<b>Figures{' — ' + e(category) if category else ''}</b> ({len(rows)}, newest first)"]
    for cat, by_counts in groups.items():
        blocks.append(f"\n<b>{e(cat.capitalize())}</b>")
        for counts, members in by_counts.items():
            if len(members) > 1 and counts:
                blocks += block(
                    "<u>", f"{members[0].figure.counts}: {len(members)} claims", "</u>", limit=limit
                )
            for row in members:
                blocks += _bullet(
                    f"{figure_html(row.figure)} ({_article_ref(row.article_title, row.article_url)})", limit
                )
    return Reply(tuple(chunk(blocks, limit)))


def speakers_reply(rows: Sequence[QuoteRow], *, name: str | None, limit: int = MAX_MESSAGE) -> Reply:
    if not rows:
        who = f" from “{e(name)}”" if name else ""
        return Reply((f"No statements{who} yet. Send me articles first; /speakers lists who said what.",))
    by_speaker: dict[str, list[QuoteRow]] = {}
    for row in rows:
        by_speaker.setdefault(row.statement.speaker, []).append(row)
    blocks = [f"<b>Who said what{' — ' + e(name) if name else ''}</b> ({len(rows)} statements)"]
    for speaker, members in by_speaker.items():
        blocks += block("\n<b>", speaker, "</b>", limit=limit)
        for row in members:
            statement = row.statement
            said = (
                f"“{e(statement.quote)}”"
                if statement.kind == "direct"
                else f"(reported) {e(statement.quote)}"
            )
            blocks += _bullet(f"{said} ({_article_ref(row.article_title, row.article_url)})", limit)
    return Reply(tuple(chunk(blocks, limit)))


def settings_reply(settings: ChatSettings) -> str:
    digest = (
        f"daily at {e(settings.digest_time)}"
        if settings.digest_enabled
        else f"off (time set to {e(settings.digest_time)})"
    )
    return (
        "<b>Settings for this chat</b>\n"
        f"Timezone: {e(settings.timezone)}\n"
        f"Digest: {digest}\n\n"
        "Change them with\n"
        "/settings timezone Europe/Kyiv\n"
        "/settings digest 07:30  (or /settings digest off)"
    )
