"""The daily digest: group the same story across feeds, rank, pick what to show, render, send once.

The middle (grouping, ranking, choosing, rendering) is pure and works on `DigestArticle`s; only
`send_digest` at the bottom touches storage and Telegram, in the order that makes a digest idempotent:
claim the (chat, local day) in storage, send, then record the message ids.
"""

from __future__ import annotations

import html
import logging
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.fit import unlink_long
from storage import Database
from storage.digests import DigestClaim
from storage.feed_queries import FeedQueries
from summarize.model import Brief, Figure

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096  # Telegram's cap on one message, counted after HTML parsing (raw HTML is longer)
MAX_STORIES = 10
MAX_DAY_FIGURES = 5
MAX_SENTENCE_CHARS = 700  # a longer sentence is cut with "…" so one story always fits a message
MAX_TITLE_CHARS = 200
RECENCY_HALF_LIFE_H = 12.0
TITLE_MIN_SHARED = 3  # content words two titles must share to be one story
TITLE_OVERLAP = 0.6  # ... as a share of the shorter title's content words
LEAD_JACCARD = 0.5  # lead sentences this similar are the same story
DEFAULT_WINDOW = timedelta(hours=24)  # a chat's first digest looks back this far
SKIPPED_NOTE = "(One story could not be shown here; it is in /history.)"

# Categories in the order a reader of war news needs them; "time" figures (durations) are never key figures.
_CATEGORY_RANK = {
    "killed": 0,
    "casualties": 1,
    "wounded": 2,
    "displaced": 3,
    "troops": 4,
    "equipment": 5,
    "territory": 6,
    "money": 7,
    "other": 8,
}
_STOP_TEXT = """a an the and or but of in on at to for from by with as is are was were be been being it its this that
    these those he she they we you i his her their our after before over under into about against amid
    says said say tells told claims claimed reports reported report according new latest live update updates
    will would could may might has have had not no than then there here what who when where why how up out"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class DigestArticle:
    """One stored article the digest may use, with the name of the feed it came from."""

    article_id: int
    source: str  # the feed's title, else the link's host
    url: str | None
    received_at: datetime
    brief: Brief

    @property
    def title(self) -> str:
        return self.brief.title or _first_sentence(self.brief) or (self.url or "Untitled")


@dataclass(frozen=True)
class KeyFigure:
    figure: Figure
    source: str  # the feed whose article states it


@dataclass(frozen=True)
class Story:
    title: str
    link: str | None
    source: str  # where the link points
    also: tuple[str, ...]  # the other sources carrying the story
    sentence: str | None  # the best summary sentence, verbatim (or cut with "…")
    key_figure: KeyFigure | None
    newest: datetime
    score: float
    article_ids: tuple[int, ...]

    @property
    def source_count(self) -> int:
        return 1 + len(self.also)


@dataclass(frozen=True)
class Digest:
    stories: tuple[Story, ...]  # ranked, at most MAX_STORIES
    more: int  # stories left out
    figures: tuple[KeyFigure, ...]  # figures of the day
    since: datetime
    until: datetime
    articles: int
    sources: int

    @property
    def empty(self) -> bool:
        return not self.stories


# ---------------------------------------------------------------------------------------------------------
# Grouping near-duplicates


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def content_words(text: str) -> frozenset[str]:
    """Words that say what a headline is about: folded, stop words and one-letter tokens out, a plural
    "s" dropped so "strike" and "strikes" meet."""
    words = set()
    for token in _TOKEN.findall(_fold(text)):
        if token in _STOP_WORDS or (len(token) < 2 and not token.isdigit()):
            continue
        if len(token) > 4 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        words.add(token)
    return frozenset(words)


def _first_sentence(brief: Brief) -> str | None:
    if brief.sentence_spans and brief.text:
        start, end = brief.sentence_spans[0]
        return brief.text[start:end]
    return brief.summary[0].text if brief.summary else None


def _lead(article: DigestArticle) -> frozenset[str]:
    return content_words(_first_sentence(article.brief) or "")


def same_story(
    a_title: frozenset[str], a_lead: frozenset[str], b_title: frozenset[str], b_lead: frozenset[str]
) -> bool:
    shared = len(a_title & b_title)
    if shared >= TITLE_MIN_SHARED and shared / max(1, min(len(a_title), len(b_title))) >= TITLE_OVERLAP:
        return True
    if len(a_lead) >= 5 and len(b_lead) >= 5:
        union = len(a_lead | b_lead)
        return union > 0 and len(a_lead & b_lead) / union >= LEAD_JACCARD
    return False


def group_stories(articles: Sequence[DigestArticle]) -> list[list[DigestArticle]]:
    """Articles telling the same story (similar titles or lead sentences), grouped; order of first sight.

    Candidate pairs come from an index of shared words, so a day of hundreds of items compares only
    articles that have something in common.
    """
    titles = [content_words(article.title) for article in articles]
    leads = [_lead(article) for article in articles]
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(titles):
        for word in words | leads[i]:
            index[word].append(i)
    common = max(8, len(articles) // 3)  # a word in most articles ("ukraine") links nothing by itself
    checked: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > common:
            continue
        for position, i in enumerate(members):
            for j in members[position + 1 :]:
                if (i, j) in checked or root(i) == root(j):
                    continue
                checked.add((i, j))
                if same_story(titles[i], leads[i], titles[j], leads[j]):
                    parent[root(j)] = root(i)
    groups: dict[int, list[DigestArticle]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(root(i), []).append(article)
    return list(groups.values())


# ---------------------------------------------------------------------------------------------------------
# Choosing what a story shows


def _figure_rank(figure: Figure) -> tuple[int, int, int] | None:
    category = _CATEGORY_RANK.get(figure.category)
    if category is None or (figure.category == "other" and not figure.counts):
        return None  # durations and bare numbers are not key figures
    return (0 if figure.claimed_by else 1, category, figure.sentence)


def key_figure(articles: Iterable[DigestArticle]) -> KeyFigure | None:
    """The most telling figure of a story: one with a claimant first, then the gravest category, then the
    earliest in its article (news puts the main number first)."""
    best: tuple[tuple[int, int, int], int, KeyFigure] | None = None
    for position, article in enumerate(articles):
        for figure in article.brief.figures:
            rank = _figure_rank(figure)
            if rank is None:
                continue
            candidate = (rank, position, KeyFigure(figure, article.source))
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    return None if best is None else best[2]


def _recency(newest: datetime, now: datetime) -> float:
    age_h = max(0.0, (now - newest).total_seconds() / 3600)
    return math.pow(0.5, age_h / RECENCY_HALF_LIFE_H)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def make_story(group: Sequence[DigestArticle], *, now: datetime) -> Story:
    # The fullest report leads (most sentences, then the newest); its lead summary sentence represents it.
    ordered = sorted(group, key=lambda a: (-a.brief.sentences, -a.received_at.timestamp(), a.article_id))
    lead = ordered[0]
    sources: list[str] = []
    for article in ordered:
        if article.source not in sources:
            sources.append(article.source)
    newest = max(article.received_at for article in group)
    summary = lead.brief.summary[0].text if lead.brief.summary else _first_sentence(lead.brief)
    return Story(
        title=_cut(lead.title, MAX_TITLE_CHARS),
        link=lead.url,
        source=sources[0],
        also=tuple(sources[1:]),
        sentence=_cut(summary, MAX_SENTENCE_CHARS) if summary else None,
        key_figure=key_figure(ordered),
        newest=newest,
        # More sources always outrank fewer; recency (0..1] orders stories carried equally widely.
        score=len(sources) + _recency(newest, now),
        article_ids=tuple(sorted(article.article_id for article in group)),
    )


def figures_of_the_day(
    stories: Sequence[Story], articles: Sequence[DigestArticle], limit: int, *, per_story: int = 2
) -> tuple[KeyFigure, ...]:
    """The gravest claimed figures across the digest's stories: the same number of the same kind within a
    story once (two reports of "23 wounded" are one claim), at most `per_story` per story."""
    by_id = {article.article_id: article for article in articles}
    candidates: list[tuple[tuple[int, int, int], int, KeyFigure]] = []
    for story_rank, story in enumerate(stories):
        for article_id in story.article_ids:
            article = by_id[article_id]
            for figure in article.brief.figures:
                rank = _figure_rank(figure)
                if rank is not None and figure.category != "other":
                    candidates.append((rank, story_rank, KeyFigure(figure, article.source)))
    candidates.sort(key=lambda c: (c[0][0], c[0][1], c[1], c[0][2]))
    chosen: list[KeyFigure] = []
    seen: set[tuple[int, str, object]] = set()
    taken: dict[int, int] = defaultdict(int)
    for _, story_rank, item in candidates:
        figure = item.figure
        key = (
            story_rank,
            figure.category,
            figure.number if figure.number is not None else _fold(figure.value),
        )
        if key in seen or taken[story_rank] >= per_story:
            continue
        seen.add(key)
        taken[story_rank] += 1
        chosen.append(item)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def build_digest(
    articles: Sequence[DigestArticle],
    *,
    since: datetime,
    now: datetime,
    max_stories: int = MAX_STORIES,
    max_figures: int = MAX_DAY_FIGURES,
) -> Digest:
    """The digest of `articles` (the chat's feed articles received since its last digest)."""
    stories = [make_story(group, now=now) for group in group_stories(articles)]
    stories.sort(key=lambda s: (-s.score, -s.newest.timestamp(), s.article_ids))
    shown = stories[:max_stories]
    return Digest(
        stories=tuple(shown),
        more=len(stories) - len(shown),
        figures=figures_of_the_day(shown, articles, max_figures),
        since=since,
        until=now,
        articles=len(articles),
        sources=len({article.source for article in articles}),
    )


# ---------------------------------------------------------------------------------------------------------
# Rendering (Telegram HTML; every piece of article or feed text is escaped)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _link(url: str, label: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{_e(label)}</a>'


def source_name(feed_title: str | None, url: str | None) -> str:
    """How a digest names a source: the feed's title, else the article's host."""
    if feed_title and feed_title.strip():
        return _cut(feed_title, 60)
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.") or "unknown source"


def figure_line(item: KeyFigure, *, with_source: bool) -> str:
    figure = item.figure
    parts = [f"<b>{_e(figure.value)}</b>" + (f" {_e(figure.counts)}" if figure.counts else "")]
    claim = f"per {_e(figure.claimed_by)}" if figure.claimed_by else "no claimant named"
    details = [claim]
    if figure.where:
        details.append(f"in {_e(figure.where)}")
    if figure.when:
        details.append(_e(figure.when))
    if with_source:
        details.append(f"via {_e(item.source)}")
    return f"{parts[0]} ({', '.join(details)})"


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d %b %H:%M")


def render_story(number: int, story: Story) -> str:
    lines = [f"<b>{number}. {_e(story.title)}</b>"]
    if story.sentence:
        lines.append(_e(story.sentence))
    if story.key_figure is not None:
        show_source = story.key_figure.source != story.source
        lines.append("Key figure: " + figure_line(story.key_figure, with_source=show_source))
    origin = _link(story.link, story.source) if story.link else _e(story.source)
    if story.also:
        origin += " · also reported by " + ", ".join(_e(name) for name in story.also)
    lines.append(origin)
    return "\n".join(lines)


def _story_or_note(number: int, story: Story) -> str:
    try:
        return render_story(number, story)
    except Exception:  # one broken item must never block the chat's digest
        log.exception("digest story %d (articles %s) could not be rendered", number, story.article_ids)
        return SKIPPED_NOTE


def render_digest(digest: Digest, *, tz: ZoneInfo, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The digest as Telegram HTML messages, each at most `limit` characters (raw HTML, so the text a
    person sees is shorter still), split between stories, never inside one."""
    window = f"{_local(digest.since, tz)} – {_local(digest.until, tz)}"
    if digest.empty:
        return [f"<b>Digest</b> ({_e(window)})\nNo new stories from your feeds since the last digest."]
    total = len(digest.stories) + digest.more
    header = (
        f"<b>Digest</b> ({_e(window)})\n"
        f"{_count(total, 'story', 'stories')} from {_count(digest.sources, 'source')}, "
        f"{_count(digest.articles, 'article')}."
    )
    blocks = [header]
    blocks += [_story_or_note(i, story) for i, story in enumerate(digest.stories, start=1)]
    if digest.more:
        blocks.append(f"… and {digest.more} more (see /history).")
    if digest.figures:
        lines = ["<b>Figures of the day</b>"]
        lines += ["• " + figure_line(item, with_source=True) for item in digest.figures]
        blocks.append("\n".join(lines))
    return pack_blocks(blocks, limit=limit)


def pack_blocks(blocks: Sequence[str], *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks with blank lines into as few messages as fit `limit` each. Never raises: a block too
    long for one message (a feed item's link of thousands of characters) loses its long links; if that is
    not enough it is left out with a note, so one bad item never blocks the whole digest."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        if len(block) > limit:
            block = unlink_long(block)
        if len(block) > limit:
            log.warning("a digest block of %d characters was left out", len(block))
            block = SKIPPED_NOTE
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


# ---------------------------------------------------------------------------------------------------------
# Sending once per chat and local day

SendMessage = Callable[[int, str], Awaitable[int]]
"""(chat_id, html) -> the sent message's id; raises when Telegram refuses."""


@dataclass(frozen=True)
class DigestOutcome:
    status: str  # "sent" | "already" (the day has its digest) | "failed" (nothing sent, claim released)
    # | "partial" (some messages sent; the claim stays and is resumed)
    local_date: date
    message_ids: tuple[int, ...] = ()
    digest: Digest | None = None


async def collect_digest(
    db: Database, chat_id: int, *, now: datetime, since: datetime | None = None
) -> Digest:
    """The chat's digest as of `now`: its feed articles since its last digest (or the last day)."""
    if since is None:
        since = await db.digests.last_sent_at(chat_id) or now - DEFAULT_WINDOW
    rows = await FeedQueries(db).feed_articles(chat_id, since, now)
    articles = [
        DigestArticle(
            article_id=row.article.id,
            source=source_name(row.feed_title, row.article.url),
            url=row.article.url,
            received_at=row.article.received_at,
            brief=row.article.brief,
        )
        for row in rows
    ]
    return build_digest(articles, since=since, now=now)


async def send_digest(
    db: Database,
    send: SendMessage,
    chat_id: int,
    *,
    now: datetime,
    tz: ZoneInfo,
    scheduled: bool,
    owner: str = "",
) -> DigestOutcome:
    """Build and send the chat's digest.

    Scheduled digests are delivered at least once per local day, and sent once unless the process dies
    between Telegram accepting a message and its id being recorded. The digest is rendered first and
    claimed in storage with its messages (a second call, a second check or another process finds the
    claim and sends nothing); each message's id is recorded as soon as Telegram returns it; then the day
    is marked sent. A run that dies midway leaves the claim, and `resume_digest` (at the next start, or
    the next due-check) sends the messages not yet recorded. A refused first message releases the claim
    so a later check retries. `/digest now` (scheduled=False) sends on demand and records nothing.
    """
    day = local_day(now, tz)
    since = await db.digests.last_sent_at(chat_id) or now - DEFAULT_WINDOW
    if scheduled and await db.digests.has(chat_id, day):
        return DigestOutcome("already", day)
    digest = await collect_digest(db, chat_id, now=now, since=since)
    messages = render_digest(digest, tz=tz)
    if not scheduled:
        sent = [await send(chat_id, message) for message in messages]
        return DigestOutcome("sent", day, tuple(sent), digest)
    if not await db.digests.claim(chat_id, day, at=now, owner=owner, messages=messages):
        return DigestOutcome("already", day)
    outcome = await deliver_claimed(db, send, chat_id, day, messages, (), now=now)
    return DigestOutcome(outcome.status, day, outcome.message_ids, digest)


async def deliver_claimed(
    db: Database,
    send: SendMessage,
    chat_id: int,
    day: date,
    messages: Sequence[str],
    delivered: Sequence[int],
    *,
    now: datetime,
) -> DigestOutcome:
    """Send the claimed digest's messages after the first `len(delivered)`, recording each id at once."""
    sent = list(delivered)
    try:
        for message in messages[len(sent) :]:
            message_id = await send(chat_id, message)
            sent.append(message_id)
            await db.digests.record_message(chat_id, day, message_id)
    except Exception:
        log.exception("digest for chat %s (%s) stopped after %d message(s)", chat_id, day, len(sent))
        if not sent:
            await db.digests.release(chat_id, day)
            return DigestOutcome("failed", day)
        return DigestOutcome("partial", day, tuple(sent))  # the claim stays: resumed later
    await db.digests.finish(chat_id, day, sent_at=now)
    return DigestOutcome("sent", day, tuple(sent))


async def resume_digest(
    db: Database, send: SendMessage, claim: DigestClaim, *, owner: str, now: datetime, tz: ZoneInfo
) -> DigestOutcome:
    """Deliver what an unfinished claim has not delivered yet (a run died, or a send failed midway)."""
    if not await db.digests.take_over(claim.chat_id, claim.local_date, owner=owner):
        return DigestOutcome("already", claim.local_date)
    messages = claim.messages
    if messages is None:  # claimed before messages were stored: render its window now
        since = claim.claimed_at - DEFAULT_WINDOW
        digest = await collect_digest(db, claim.chat_id, now=claim.claimed_at, since=since)
        messages = tuple(render_digest(digest, tz=tz))
    return await deliver_claimed(
        db, send, claim.chat_id, claim.local_date, messages, claim.message_ids, now=now
    )


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
