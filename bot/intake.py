"""What did the person send? A pure classification of a PTB Message, no I/O.

URLs come from the message's entities (url, text_link) and, failing that, from the text itself. A message
that is mostly links is a request to brief those links; a long text that merely contains links is an
article to brief as text. A post forwarded from a channel keeps the channel and the post's t.me link as
its source; when the post is only a teaser with a link, the linked article is what gets briefed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from telegram import Message, MessageEntity, MessageOriginChannel

IntakeKind = Literal["urls", "text", "document", "command", "too_short", "unsupported"]

TEASER_CHARS = 400  # text besides its links shorter than this: brief the links instead
TEXT_DOCUMENT_TYPES = ("text/plain", "text/html", "application/xhtml+xml")
TEXT_DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]}»”]", re.IGNORECASE)
_TELEGRAM_HOSTS = re.compile(r"^https?://(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)/", re.IGNORECASE)


@dataclass(frozen=True)
class Forward:
    """A post forwarded from a channel."""

    channel_title: str | None
    channel_username: str | None
    channel_id: int | None
    message_id: int | None
    post_link: str | None  # https://t.me/<username>/<id>, or t.me/c/<id>/<msg> for a private channel


@dataclass(frozen=True)
class DocumentRef:
    file_id: str
    file_name: str | None
    mime_type: str | None
    size: int | None


@dataclass(frozen=True)
class Intake:
    kind: IntakeKind
    text: str = ""  # the text to brief (kind "text"), or the message text for the others
    urls: tuple[str, ...] = ()  # kind "urls": every distinct link, in order
    forward: Forward | None = None
    document: DocumentRef | None = None
    from_caption: bool = False
    advice: str = ""  # kind "too_short"/"unsupported": what to tell the person


def post_link(origin: MessageOriginChannel) -> str | None:
    chat = origin.chat
    if chat.username:
        return f"https://t.me/{chat.username}/{origin.message_id}"
    digits = str(chat.id)
    if digits.startswith("-100"):
        return f"https://t.me/c/{digits[4:]}/{origin.message_id}"
    return None


def forward_of(message: Message) -> Forward | None:
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        return Forward(
            channel_title=origin.chat.title,
            channel_username=origin.chat.username,
            channel_id=origin.chat.id,
            message_id=origin.message_id,
            post_link=post_link(origin),
        )
    return None


def normalize_link(url: str) -> str:
    return url if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) else f"http://{url}"


def find_urls(text: str, entities: dict[MessageEntity, str]) -> list[str]:
    """Links of a text: its url and text_link entities, else (no entities sent) any link-like word."""
    found: list[str] = []
    for entity, covered in entities.items():
        if entity.type == MessageEntity.URL:
            found.append(normalize_link(covered))
        elif entity.type == MessageEntity.TEXT_LINK and entity.url:
            found.append(entity.url)
    if not entities:
        found += [normalize_link(match) for match in _URL_IN_TEXT.findall(text)]
    return list(dict.fromkeys(found))


def _without(text: str, pieces: list[str]) -> str:
    for piece in pieces:
        text = text.replace(piece, " ")
    return _URL_IN_TEXT.sub(" ", text)


# A message that is nothing but a link of another scheme (ftp://, file://, gopher://): a link all the same,
# so it gets the link error ("only http and https links") rather than "too short to brief".
_ANY_SCHEME_LINK = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def is_telegram_link(url: str) -> bool:
    return bool(_TELEGRAM_HOSTS.match(url))


def classify(
    message: Message,
    *,
    min_text_chars: int = 80,
    min_caption_chars: int = 200,
    max_document_bytes: int = 1_000_000,
) -> Intake:
    """Decide what `message` asks for (commands are routed by PTB and reported as "command")."""
    forward = forward_of(message)
    if message.document is not None:
        return _document(message, forward, max_document_bytes)
    from_caption = message.text is None
    text = message.text if message.text is not None else (message.caption or "")
    if not from_caption and text.startswith("/"):
        return Intake("command", text=text)
    entities = message.parse_entities() if not from_caption else message.parse_caption_entities()
    minimum = min_caption_chars if from_caption else min_text_chars
    return classify_text(text, entities=entities, forward=forward, from_caption=from_caption, minimum=minimum)


def classify_text(
    text: str,
    *,
    entities: dict[MessageEntity, str] | None = None,
    forward: Forward | None = None,
    from_caption: bool = False,
    minimum: int = 80,
) -> Intake:
    """Links to brief, text to brief, or advice; also for text given as a command's arguments."""
    entities = entities or {}
    urls = find_urls(text, entities)
    article_urls = [url for url in urls if not is_telegram_link(url)]
    rest = _without(text, list(entities.values())).strip()
    if article_urls and len(rest) < TEASER_CHARS:
        return Intake("urls", text=text, urls=tuple(article_urls), forward=forward, from_caption=from_caption)
    if not urls and _ANY_SCHEME_LINK.match(text.strip()):
        return Intake("urls", text=text, urls=(text.strip(),), forward=forward, from_caption=from_caption)
    if from_caption and not text.strip():
        return Intake(
            "unsupported",
            forward=forward,
            from_caption=True,
            advice="I can only read text. Send a link to the article, or paste its text.",
        )
    if len(text.strip()) < minimum:
        what = "caption" if from_caption else "text"
        size = len(text.strip())
        return Intake(
            "too_short",
            text=text,
            forward=forward,
            from_caption=from_caption,
            advice=(
                f"That {what} is too short to brief ({size} character{'s' if size != 1 else ''}). Send a link "
                "to the article, or paste the whole article text (a few paragraphs). /help shows examples."
            ),
        )
    return Intake("text", text=text, forward=forward, from_caption=from_caption)


def _document(message: Message, forward: Forward | None, max_bytes: int) -> Intake:
    document = message.document
    assert document is not None
    ref = DocumentRef(document.file_id, document.file_name, document.mime_type, document.file_size)
    name = (document.file_name or "").lower()
    mime = (document.mime_type or "").lower()
    if not (name.endswith(TEXT_DOCUMENT_SUFFIXES) or mime in TEXT_DOCUMENT_TYPES):
        return Intake(
            "unsupported",
            document=ref,
            forward=forward,
            advice=(
                f"I can read .txt and .html files; “{document.file_name or 'this file'}” is not one. "
                "Send the article as a .txt or .html file, as a link, or paste its text."
            ),
        )
    if document.file_size is not None and document.file_size > max_bytes:
        return Intake(
            "unsupported",
            document=ref,
            forward=forward,
            advice=(
                f"That file is too large ({document.file_size // 1000:,} kB; the limit is "
                f"{max_bytes // 1000:,} kB). Send a link to the article, or a file with just the article text."
            ),
        )
    return Intake("document", text=message.caption or "", document=ref, forward=forward)
