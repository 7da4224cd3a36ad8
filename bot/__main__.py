"""`python -m bot`: Telegram when TELEGRAM_BOT_TOKEN is set, else the console chat.

python -m bot [--console] [--chat-id N] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="conflictbrief Telegram bot")
    parser.add_argument("--console", action="store_true", help="chat in this terminal even if a token is set")
    parser.add_argument("--chat-id", type=int, default=1, help="the console's chat id (default 1)")
    parser.add_argument("--db", type=Path, help="database file (default: DATABASE_PATH)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:
        print(f"conflictbrief: bad setting: {error}", file=sys.stderr)
        return 2
    if args.db is not None:
        settings = settings.with_changes(database_path=args.db)
    console = args.console or not settings.token
    logging.basicConfig(
        level=logging.WARNING if console else settings.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if console:
        from bot.console import run_console

        if not args.console and sys.stdin.isatty():
            print("No TELEGRAM_BOT_TOKEN set: starting the console chat.", file=sys.stderr)
        try:
            return asyncio.run(run_console(settings, chat_id=args.chat_id))
        except KeyboardInterrupt:
            return 0
    from telegram import Update

    from bot.app import build_application, webhook_options

    application = build_application(settings)
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings))  # type: ignore[arg-type]
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
