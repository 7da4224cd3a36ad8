"""Telegram's HTML parse mode, reproduced: validation, entity extraction and plain-text rendering.

The parser follows the one Telegram itself runs (tdlib's ``parse_html``): the same supported tags, the same
entity decoding (``&lt; &gt; &amp; &quot;`` and numeric references, a trailing ``;`` optional, anything else
kept literally) and the same error messages, so that text our renderer produces is refused here exactly when
Telegram would refuse it. Pure functions only; the local Bot API server and the console use them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Tag name -> Telegram entity type. "a", "pre", "code", "span", "tg-emoji", "blockquote" get special handling.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
SUPPORTED_TAGS = frozenset(_SIMPLE_TAGS) | {"a", "span", "tg-emoji", "pre", "code", "blockquote"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = frozenset(" \t\r\n\v\f\0")
_END = "\0"  # sentinel past the end, as in the C string tdlib walks


class HtmlParseError(ValueError):
    """Text Telegram would refuse; ``str(error)`` is Telegram's own description (without the prefix)."""


@dataclass(frozen=True)
class Entity:
    """A MessageEntity as the Bot API returns it (offsets and lengths in UTF-16 code units)."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.url is not None:
            out["url"] = self.url
        if self.language is not None:
            out["language"] = self.language
        if self.custom_emoji_id is not None:
            out["custom_emoji_id"] = self.custom_emoji_id
        return out


@dataclass(frozen=True)
class ParsedHtml:
    """The text Telegram would show and the formatting entities it would attach."""

    text: str
    entities: tuple[Entity, ...]


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    text_pos: int  # index into the output text where the tag's content begins


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _char(text: str, i: int) -> str:
    return text[i] if i < len(text) else _END


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity starting at ``text[pos] == '&'``; return (character, next position) or None."""
    end = pos + 1
    value = 0
    if _char(text, end) == "#":
        end += 1
        if _char(text, end) == "x":
            end += 1
            while _char(text, end) in "0123456789abcdefABCDEF" and _char(text, end) != _END:
                value = value * 16 + int(text[end], 16)
                end += 1
                if value >= 0x10FFFF:
                    return None
        else:
            while _char(text, end).isascii() and _char(text, end).isdigit():
                value = value * 10 + int(text[end])
                end += 1
                if value >= 0x10FFFF:
                    return None
        if value == 0 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while _char(text, end).isascii() and _char(text, end).isalpha():
            end += 1
        name = text[pos + 1 : end]
        if name not in _NAMED_ENTITIES:
            return None
        char = _NAMED_ENTITIES[name]
    if _char(text, end) == ";":
        end += 1
    return char, end


class _Parser:
    def __init__(self, text: str, strict_ampersand: bool) -> None:
        self.text = text
        self.strict_ampersand = strict_ampersand
        self.out: list[str] = []
        self.out_len = 0  # characters in out
        self.utf16 = 0
        self.open: list[_OpenTag] = []
        self.entities: list[Entity] = []

    def byte_offset(self, i: int) -> int:
        return len(self.text[:i].encode("utf-8"))

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.out_len += len(chars)
        self.utf16 += utf16_len(chars)

    def error(self, message: str) -> HtmlParseError:
        return HtmlParseError(message)

    def run(self) -> ParsedHtml:
        text = self.text
        i = 0
        while i < len(text):
            c = text[i]
            if c == "&":
                decoded = _decode_entity(text, i)
                if decoded is not None:
                    self.emit(decoded[0])
                    i = decoded[1]
                    continue
                if self.strict_ampersand:
                    raise self.error(
                        f'Unescaped "&" at byte offset {self.byte_offset(i)}; write it as &amp; '
                        "(local stand-in check: real Telegram would show it literally)"
                    )
            if c != "<":
                self.emit(c)
                i += 1
                continue
            i = self.end_tag(i) if _char(text, i + 1) == "/" else self.start_tag(i)
        if self.open:
            raise self.error(f'Can\'t find end tag corresponding to start tag "{self.open[-1].name}"')
        # a language only means something on <pre>; a bare <code class="language-x"> is plain code
        entities = tuple(Entity("code", e.offset, e.length) if e.type == "code" else e for e in self.entities)
        return ParsedHtml("".join(self.out), entities)

    def start_tag(self, begin: int) -> int:
        text = self.text
        i = begin + 1
        while _char(text, i) not in _SPACE and _char(text, i) != ">":
            i += 1
        if _char(text, i) == _END:
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = text[begin + 1 : i].lower()
        if tag not in SUPPORTED_TAGS:
            raise self.error(f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}')
        argument = ""
        while _char(text, i) != ">":
            while _char(text, i) != _END and _char(text, i) in _SPACE:
                i += 1
            if _char(text, i) == ">":
                break
            name_begin = i
            while _char(text, i) not in _SPACE and _char(text, i) not in "=>":
                i += 1
            attribute = text[name_begin:i]
            if not attribute:
                raise self.error(
                    f'Empty attribute name in the tag "{tag}" at byte offset {self.byte_offset(begin)}'
                )
            while _char(text, i) != _END and _char(text, i) in _SPACE:
                i += 1
            if _char(text, i) != "=":
                if tag == "blockquote" and attribute.lower() == "expandable":
                    argument = "expandable"  # the one valueless attribute Telegram accepts
                    continue
                raise self.error(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i += 1
            while _char(text, i) != _END and _char(text, i) in _SPACE:
                i += 1
            if _char(text, i) == _END:
                raise self.error(f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}')
            value, i = self.attribute_value(i)
            if _char(text, i) == _END:
                raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            argument = _tag_argument(tag, attribute.lower(), value, argument)
        if tag == "span" and argument != "spoiler":
            raise self.error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.open.append(_OpenTag(tag, argument, self.utf16, self.out_len))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        text = self.text
        if _char(text, i) not in "'\"":
            # an unquoted name token: letters, digits, periods, hyphens
            token_begin = i
            while _char(text, i) != _END and (_char(text, i).isalnum() or _char(text, i) in ".-"):
                i += 1
            if _char(text, i) not in _SPACE and _char(text, i) != ">":
                raise self.error(
                    f"Unexpected end of name token at byte offset {self.byte_offset(token_begin)}"
                )
            return text[token_begin:i].lower(), i
        quote = text[i]
        i += 1
        value: list[str] = []
        while _char(text, i) != quote and _char(text, i) != _END:
            if text[i] == "&":
                decoded = _decode_entity(text, i)
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                    continue
            value.append(text[i])
            i += 1
        if _char(text, i) == quote:
            i += 1
        return "".join(value), i

    def end_tag(self, begin: int) -> int:
        text = self.text
        if not self.open:
            raise self.error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while _char(text, i) not in _SPACE and _char(text, i) != ">":
            i += 1
        end_name = text[begin + 2 : i].lower()
        while _char(text, i) != _END and _char(text, i) in _SPACE:
            i += 1
        if _char(text, i) != ">":
            raise self.error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        opened = self.open.pop()
        if end_name and end_name != opened.name:
            raise self.error(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.name}>", found "</{end_name}>"'
            )
        self.close_entity(opened)
        return i + 1

    def close_entity(self, opened: _OpenTag) -> None:
        length = self.utf16 - opened.utf16_offset
        if length == 0:
            return  # Telegram drops empty entities
        offset, tag, argument = opened.utf16_offset, opened.name, opened.argument
        entity: Entity | None
        if tag in _SIMPLE_TAGS:
            entity = Entity(_SIMPLE_TAGS[tag], offset, length)
        elif tag == "span":
            entity = Entity("spoiler", offset, length)
        elif tag == "a":
            url = argument or "".join(self.out)[opened.text_pos :]
            entity = Entity("text_link", offset, length, url=url)
        elif tag == "code":
            entity = Entity("code", offset, length, language=argument or None)
        elif tag == "pre":
            last = self.entities[-1] if self.entities else None
            if last and last.type == "code" and (last.offset, last.length) == (offset, length):
                # <pre><code class="language-x">…</code></pre> is one pre entity with a language
                self.entities.pop()
                entity = Entity("pre", offset, length, language=last.language)
            else:
                entity = Entity("pre", offset, length)
        elif tag == "blockquote":
            entity = Entity("expandable_blockquote" if argument else "blockquote", offset, length)
        else:  # tg-emoji
            entity = Entity("custom_emoji", offset, length, custom_emoji_id=argument) if argument else None
        if entity is not None:
            self.entities.append(entity)


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "expandable"
    return current


def _strip_whitespace(parsed: ParsedHtml) -> ParsedHtml:
    """Telegram trims leading and trailing whitespace of a message; entities are clipped to match."""
    stripped = parsed.text.strip()
    if stripped == parsed.text:
        return parsed
    lead = utf16_len(parsed.text[: len(parsed.text) - len(parsed.text.lstrip())])
    total = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity.offset - lead, 0)
        end = min(entity.offset + entity.length - lead, total)
        if end > start:
            entities.append(
                Entity(entity.type, start, end - start, entity.url, entity.language, entity.custom_emoji_id)
            )
    return ParsedHtml(stripped, tuple(entities))


def parse_html(text: str, *, strict_ampersand: bool = False) -> ParsedHtml:
    """Parse Telegram-HTML ``text`` into the shown text and its entities, or raise :class:`HtmlParseError`.

    ``strict_ampersand`` additionally refuses a ``&`` that starts no entity; Telegram itself shows such a
    ``&`` literally, but a renderer that leaves one unescaped would also leave ``&lt;`` in article text
    unescaped and so change what the article says.
    """
    parsed = _Parser(text, strict_ampersand).run()
    ordered = tuple(sorted(parsed.entities, key=lambda e: (e.offset, -e.length)))
    return _strip_whitespace(ParsedHtml(parsed.text, ordered))


_TAG_RE = re.compile(r"<[^>]*>")


def strip_html(text: str) -> str:
    """Plain text of a Telegram-HTML message: tags removed, entities unescaped (as a reader would see it)."""
    try:
        return parse_html(text).text
    except HtmlParseError:
        # Not valid Telegram HTML (Telegram would have refused it); still show something readable.
        return html.unescape(_TAG_RE.sub("", text))
