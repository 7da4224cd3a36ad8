"""What handlers reach: one `Services` object in `application.bot_data[SERVICES_KEY]`.

from bot.services import services
async def handler(update, context):
    svc = services(context)
    await svc.db.articles.recent(update.effective_chat.id)
    brief = await svc.nlp.brief_text(text)
    page = await fetch(url, limits=svc.settings.fetch, client=svc.http)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.nlp_pool import NlpPool
from bot.settings import Settings
from storage import Database

SERVICES_KEY = "services"


@dataclass(frozen=True)
class CommandSpec:
    """A command a handler module declares in `COMMANDS`: shown in /help and sent with set_my_commands."""

    name: str  # without the slash
    description: str  # one line, ≤ 256 characters (Telegram's limit for the command menu)
    example: str = ""  # e.g. "/history 5"

    @classmethod
    def of(cls, item: CommandSpec | tuple[str, ...]) -> CommandSpec:
        return item if isinstance(item, CommandSpec) else cls(*item)


@dataclass
class Services:
    """The shared resources of a running bot. Created in post_init, closed in post_shutdown."""

    settings: Settings
    db: Database
    nlp: NlpPool
    http: httpx.AsyncClient  # the guarded client of summarize.fetch (refuses private addresses)
    commands: tuple[CommandSpec, ...] = ()  # every registered module's COMMANDS, in registration order
    extras: dict[str, Any] = field(default_factory=dict)  # room for later modules (feeds, ask) to keep state


def services(context: Any) -> Services:
    """The Services of the application behind a handler's `context` (or an Application itself)."""
    bot_data = context.bot_data if hasattr(context, "bot_data") else context.application.bot_data
    found = bot_data.get(SERVICES_KEY)
    if found is None:
        raise RuntimeError("bot services are not started (post_init did not run)")
    return found
