"""The bot's handlers, one module per concern; bot.app.HANDLER_MODULES lists them in registration order.

A module exposes `register(application)`, optionally `register_last(application)` for catch-all handlers,
and `COMMANDS = [(name, description, example), ...]` for /help and Telegram's command menu.
"""
