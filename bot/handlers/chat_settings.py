"""/settings: show or change the chat's timezone and daily digest time.

Another module (the digest scheduler) can learn about changes by putting an async callable
`(chat_id, ChatSettings) -> None` into `services.extras[SETTINGS_CHANGED]`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.handlers.common import send_html
from bot.render import e, settings_reply
from bot.services import services

SETTINGS_CHANGED = "settings_changed"

COMMANDS = [
    ("settings", "Timezone and digest time of this chat", "/settings timezone Europe/Kyiv"),
]
USAGE = (
    "Use /settings to see this chat's settings, or change them:\n"
    "<code>/settings timezone Europe/Kyiv</code>\n"
    "<code>/settings digest 07:30</code> or <code>/settings digest off</code>"
)


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id = update.effective_chat.id
    svc = services(context)
    args = context.args or []
    if not args:
        current = await svc.db.chats.ensure(chat_id)
        await send_html(context.bot, chat_id, settings_reply(current))
        return
    if len(args) != 2 or args[0].lower() not in ("timezone", "digest"):
        await send_html(context.bot, chat_id, USAGE)
        return
    what, value = args[0].lower(), args[1]
    try:
        if what == "timezone":
            changed = await svc.db.chats.update(chat_id, timezone=value)
        elif value.lower() == "off":
            changed = await svc.db.chats.update(chat_id, digest_enabled=False)
        else:
            if len(value) == 4 and value[1] == ":":
                value = "0" + value  # 7:30 → 07:30
            changed = await svc.db.chats.update(chat_id, digest_time=value, digest_enabled=True)
    except ValueError:
        example = "Europe/Kyiv, Europe/London or America/New_York" if what == "timezone" else "07:30 or off"
        await send_html(
            context.bot, chat_id, f"“{e(_shown(value))}” is not a valid {what}. Try {example}.\n\n{USAGE}"
        )
        return
    hook = svc.extras.get(SETTINGS_CHANGED)
    if hook is not None:
        await hook(chat_id, changed)
    await send_html(context.bot, chat_id, "Saved.\n\n" + settings_reply(changed))


def _shown(value: str, limit: int = 64) -> str:
    """A user's value echoed back, cut so the reply always fits one message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def register(application: Application) -> None:
    application.add_handler(CommandHandler("settings", settings_command))
