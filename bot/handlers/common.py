"""Sending replies: HTML chunks in order, a placeholder edited into the first, the keyboard on the last."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.render import Reply

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
TYPING_EVERY_S = 4.5  # Telegram shows "typing" for about 5 seconds


def _expired(error: BadRequest) -> bool:
    text = str(error).lower()
    return "query is too old" in text or "query id is invalid" in text


async def answer_query(query: CallbackQuery, text: str | None = None, *, show_alert: bool = False) -> bool:
    """Answer a button press; False when it can no longer be answered (too old, or already answered early
    while the chat was busy: bot/ordering.py). That never stops the action the button asked for."""
    try:
        return await query.answer(text, show_alert=show_alert)
    except BadRequest as error:
        if not _expired(error):
            raise
        log.info("callback query %s not answered: %s", query.id, error)
        return False


def _reply_parameters(reply_to: int | None) -> ReplyParameters | None:
    return (
        None if reply_to is None else ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
    )


async def send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    reply_to: int | None = None,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message:
    return await bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        reply_parameters=_reply_parameters(reply_to),
        reply_markup=keyboard,
    )


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    placeholder: Message | None = None,
    reply_to: int | None = None,
) -> list[Message]:
    """Send every chunk in order; the first replaces `placeholder` when there is one."""
    sent: list[Message] = []
    last = len(reply.chunks) - 1
    for index, text in enumerate(reply.chunks):
        keyboard = reply.keyboard if index == last else None
        if index == 0 and placeholder is not None:
            try:
                edited = await bot.edit_message_text(
                    text,
                    chat_id=chat_id,
                    message_id=placeholder.message_id,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW,
                    reply_markup=keyboard,
                )
                sent.append(edited if isinstance(edited, Message) else placeholder)
                continue
            except BadRequest as error:  # the placeholder was deleted meanwhile: send afresh
                log.info(
                    "could not edit placeholder %s in chat %s: %s", placeholder.message_id, chat_id, error
                )
        sent.append(
            await send_html(bot, chat_id, text, reply_to=reply_to if index == 0 else None, keyboard=keyboard)
        )
    return sent


class Progress:
    """While slow work runs: "typing" at once and every few seconds, and after `delay` seconds a placeholder
    message. `take()` stops it and hands over the placeholder (or None) to be edited into the answer."""

    def __init__(
        self, bot: Bot, chat_id: int, *, delay: float, text: str, reply_to: int | None = None
    ) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self._delay = delay
        self._text = text
        self._reply_to = reply_to
        self._sending = False
        self.placeholder: Message | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Progress:
        await self._typing()
        self._task = asyncio.create_task(self._run(), name=f"progress:{self._chat_id}")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.take()

    async def _typing(self) -> None:
        with contextlib.suppress(TelegramError):
            await self._bot.send_chat_action(self._chat_id, ChatAction.TYPING)

    async def _run(self) -> None:
        await asyncio.sleep(self._delay)
        self._sending = True  # from here on the placeholder is sent whole, never cancelled halfway
        try:
            self.placeholder = await send_html(self._bot, self._chat_id, self._text, reply_to=self._reply_to)
        except TelegramError as error:
            log.info("placeholder not sent in chat %s: %s", self._chat_id, error)
        self._sending = False
        while True:
            await asyncio.sleep(TYPING_EVERY_S)
            await self._typing()

    async def take(self) -> Message | None:
        task, self._task = self._task, None
        if task is not None:
            while self._sending and not task.done():
                await asyncio.sleep(0.01)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        placeholder, self.placeholder = self.placeholder, None
        return placeholder
