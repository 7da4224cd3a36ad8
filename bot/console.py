"""The console chat: the real Application and handlers against an in-process local Bot API server.

Scripted (stdin not a terminal): messages are separated by a line holding only `---`; after each message
the bot's replies are printed as plain text (what a Telegram user would see), then a line holding only
`---`. At the end of input pending work is finished and the console exits 0.

Interactive (a terminal): a command or a link is sent when you press Enter; anything else (a pasted
article) is collected until a line holding only `---`. Buttons are printed as `[More sentences]`;
send a button's label in brackets, e.g. `[All figures (9)]`, to press it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from telegram.ext import Application

from bot.app import build_application, running
from bot.local_api import BotMessage, LocalBotApi
from bot.settings import Settings

CONSOLE_TOKEN = "100001:CONSOLE"
SEPARATOR = "---"
ANSWER_TIMEOUT_S = 600.0
BANNER = (
    "conflictbrief console: the bot as it runs on Telegram, in this terminal.\n"
    "Send a link or a /command with Enter. To paste an article, paste it and then type a line holding only\n"
    "---  (that sends it). Press a button by typing its label in brackets, e.g. [More sentences].\n"
    "/help lists the commands; Ctrl-D quits.\n"
)
LOADING = "loading the language model…"
_BUTTON = re.compile(r"^\[(.+)\]$")

log = logging.getLogger(__name__)


def scripted_messages(stream: TextIO) -> Iterator[str]:
    """Messages of a script: blocks separated by lines holding only `---` (blank blocks skipped)."""
    lines: list[str] = []
    for line in stream:
        if line.rstrip("\r\n").strip() == SEPARATOR:
            if "".join(lines).strip():
                yield "".join(lines).strip("\n")
            lines = []
        else:
            lines.append(line)
    if "".join(lines).strip():
        yield "".join(lines).strip("\n")


def interactive_messages(stream: TextIO, out: TextIO) -> Iterator[str]:
    """Messages typed at a terminal: a one-line command, link or [button] goes at once; other text
    until a line holding only `---`."""
    lines: list[str] = []
    while True:
        out.write("you> " if not lines else "...> ")
        out.flush()
        line = stream.readline()
        if not line:
            if "".join(lines).strip():
                yield "".join(lines).strip("\n")
            return
        stripped = line.strip()
        if stripped == SEPARATOR:
            if "".join(lines).strip():
                yield "".join(lines).strip("\n")
            lines = []
            continue
        if not lines and (
            stripped.startswith("/")
            or _BUTTON.match(stripped)
            or re.match(r"^(https?://|www\.)\S+$", stripped)
        ):
            yield stripped
            continue
        lines.append(line)


def readable(text: str) -> str:
    """Text fit to send: bytes that were not UTF-8 (kept as lone surrogates by the "surrogateescape" a C
    locale gives stdin) become U+FFFD, so a stray byte never ends the console."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def forgiving(stream: TextIO) -> TextIO:
    """`stream` decoding invalid UTF-8 as U+FFFD instead of raising (a real stdin is re-configured)."""
    if isinstance(stream, io.TextIOWrapper):
        # already read from, or not re-configurable: leave it as it is
        with contextlib.suppress(ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="replace")
    return stream


def save_document(message: BotMessage, folder: Path) -> Path | None:
    """Write a file the bot sent into `folder` (the working folder), never over an existing file: the name
    gets " (2)", " (3)", … Returns the path, or None when the message holds no file."""
    document = message.document
    if document is None:
        return None
    name = Path(document.file_name or document.file_id).name or "file"
    stem, suffix = Path(name).stem, Path(name).suffix
    path = folder / name
    number = 2
    while path.exists():
        path = folder / f"{stem} ({number}){suffix}"
        number += 1
    path.write_bytes(document.data)
    return path.resolve()


def format_message(message: BotMessage, *, saved: Path | None = None, edited: bool = False) -> str:
    """A bot message as plain text: the text a user sees, a file's name and size (and where it was saved),
    the buttons; an edited message says so first."""
    parts: list[str] = ["(edited)"] if edited else []
    if message.document is not None:
        document = message.document
        where = f", saved to {saved}" if saved is not None else ""
        parts.append(f"[file {document.file_name or document.file_id}, {len(document.data):,} bytes{where}]")
    if message.text:
        parts.append(message.text)
    if message.buttons:
        parts.append(" ".join(f"[{button['text']}]" for button in message.buttons))
    return "\n".join(parts)


class Console:
    """One chat with the bot through a local server; `send()` returns the replies once the bot is done."""

    def __init__(self, server: LocalBotApi, application: Application, chat_id: int) -> None:
        self.server = server
        self.application = application
        self.chat_id = chat_id
        self.edited: list[BotMessage] = []  # earlier messages the last send() edited, oldest first

    async def send(self, text: str) -> list[BotMessage]:
        """Send `text` (or press the button it names); the new messages once the bot is done. Earlier
        messages the bot edited meanwhile (a confirmation turned into its result) are in `self.edited`."""
        text = readable(text)
        pressed = _BUTTON.match(text.strip())
        earlier = {m.message_id: m.edit_count for m in self.server.messages(self.chat_id)}
        before = max(
            (m.message_id for m in self.server.messages(self.chat_id, include_deleted=True)), default=0
        )
        if pressed and (target := self._button_message(pressed.group(1))) is not None:
            message, data = target
            await self.server.push_callback(self.chat_id, message.message_id, data)
        else:
            pushed = await self.server.push_text(self.chat_id, text)
            before = pushed.message_id or before
        await self.server.wait_idle(quiet=0.2, timeout=ANSWER_TIMEOUT_S, application=self.application)
        self.edited = [
            m
            for m in self.server.messages(self.chat_id)
            if m.message_id in earlier and m.edit_count > earlier[m.message_id]
        ]
        return self.server.messages(self.chat_id, after=before)

    def _button_message(self, label: str) -> tuple[BotMessage, str] | None:
        for message in reversed(self.server.messages(self.chat_id)):
            for button in message.buttons:
                if button.get("text") == label and "callback_data" in button:
                    return message, button["callback_data"]
        return None


async def run_console(
    settings: Settings,
    *,
    chat_id: int = 1,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    interactive: bool | None = None,
    folder: Path | None = None,
) -> int:
    """The console chat until input ends. Files the bot sends are saved in `folder` (default: the working
    folder). The language model loads before the first answer; that is said once, on stdout at a terminal
    and on `stderr` when scripted (a script's stdout is the transcript alone)."""
    stdin = forgiving(stdin or sys.stdin)
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    folder = folder or Path.cwd()
    if interactive is None:
        interactive = stdin.isatty()
    # Update ids from the clock: each run's are past the last run's, as Telegram's are (bot/inbox.py).
    async with LocalBotApi(token=CONSOLE_TOKEN, first_update_id=time.time_ns() // 1000) as server:
        application = build_application(settings.with_changes(token=server.token, base_url=server.base_url))
        notice = stdout if interactive else stderr
        notice.write((BANNER if interactive else "") + f"Starting: {LOADING}\n")
        notice.flush()
        async with running(application):
            console = Console(server, application, chat_id)
            messages = interactive_messages(stdin, stdout) if interactive else scripted_messages(stdin)
            while True:
                text = await asyncio.to_thread(next, messages, None)
                if text is None:
                    break
                replies = await console.send(text)
                shown = [(m, True) for m in console.edited] + [(m, False) for m in replies]
                for reply, edited in shown:
                    saved = save_document(reply, folder) if not edited else None
                    stdout.write(format_message(reply, saved=saved, edited=edited) + "\n")
                    if interactive:
                        stdout.write("\n")
                if not interactive:
                    stdout.write(SEPARATOR + "\n")
                stdout.flush()
            await server.wait_idle(quiet=0.2, timeout=ANSWER_TIMEOUT_S, application=application)
    return 0
