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
import logging
import re
import sys
from collections.abc import Iterator
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


def format_message(message: BotMessage) -> str:
    """A bot message as plain text: the text a user sees, a file's name and size, the buttons."""
    parts: list[str] = []
    if message.document is not None:
        document = message.document
        parts.append(f"[file {document.file_name or document.file_id}, {len(document.data):,} bytes]")
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

    async def send(self, text: str) -> list[BotMessage]:
        pressed = _BUTTON.match(text.strip())
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
    interactive: bool | None = None,
) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if interactive is None:
        interactive = stdin.isatty()
    async with LocalBotApi(token=CONSOLE_TOKEN) as server:
        application = build_application(settings.with_changes(token=server.token, base_url=server.base_url))
        if interactive:
            stdout.write(BANNER + "Starting (loading the language model)…\n")
            stdout.flush()
        async with running(application):
            console = Console(server, application, chat_id)
            messages = interactive_messages(stdin, stdout) if interactive else scripted_messages(stdin)
            while True:
                text = await asyncio.to_thread(next, messages, None)
                if text is None:
                    break
                replies = await console.send(text)
                for reply in replies:
                    stdout.write(format_message(reply) + "\n")
                    if interactive:
                        stdout.write("\n")
                if not interactive:
                    stdout.write(SEPARATOR + "\n")
                stdout.flush()
            await server.wait_idle(quiet=0.2, timeout=ANSWER_TIMEOUT_S, application=application)
    return 0
