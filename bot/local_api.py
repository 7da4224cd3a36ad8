"""An in-process stand-in for the Telegram Bot API, served by aiohttp on 127.0.0.1.

The console chat and the tests run the real PTB ``Application`` against it through ``base_url``, so both take
the same path as production. It answers the methods the bot uses with the Message JSON Telegram returns, and
refuses what Telegram refuses, in Telegram's words: HTML it cannot parse, text over 4096 characters, captions
over 1024, callback data over 64 bytes, edits that change nothing, unknown messages, and (when configured)
messages sent too fast (429 with ``retry_after``).

Driving it (tests and the console): ``push_*`` put user actions into the update queue the bot polls;
``messages()`` reads what the bot sent (current text after edits); ``wait_for_messages`` and ``wait_idle``
tell when the bot has answered. Call everything from the event loop the server runs on.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import math
import mimetypes
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import web

from bot.telegram_html import HtmlParseError, parse_html, utf16_len

JsonDict = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Telegram's limit for a bot's uploads
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # Telegram's limit for getFile
# Updates delivered when allowed_updates is not set (Telegram leaves these out unless asked for).
_OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Methods that post into a chat and so count against flood control.
_FLOOD_METHODS = frozenset({"sendmessage", "senddocument", "editmessagetext", "editmessagereplymarkup"})
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
_BOT_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


# ---------------------------------------------------------------------------------------------------------
# Public result types


@dataclass(frozen=True)
class FloodLimits:
    """Flood control: at most ``per_chat`` messages into one chat and ``overall`` messages in total within any
    ``period`` seconds; ``None`` means unlimited. Telegram's own are roughly 1/s per chat and 30/s overall."""

    per_chat: int | None = None
    overall: int | None = None
    period: float = 1.0


SEND_METHODS = frozenset({"sendmessage", "editmessagetext", "senddocument"})


@dataclass(frozen=True)
class Faults:
    """Faults the server injects on purpose, each with its own probability, from a seeded generator:
    what a bot meets from the real Bot API on a bad day. Counts of what was injected are kept in
    `LocalBotApi.injected`."""

    seed: int = 0
    flood: float = 0.0  # sends answered 429 "Too Many Requests: retry after N"
    retry_after_s: int = 1
    server_error: float = 0.0  # sends answered 500 before doing anything
    timeout_after_delivery: float = 0.0  # sends carried out, then answered only after `hang_s`
    hang_s: float = 7.0  # longer than the client's read timeout
    too_long: float = 0.0  # sends refused "message is too long", whatever their length
    # Texts of more than this many characters refused "message is too long" (0: off): Telegram counts the
    # text after parsing its entities, in UTF-16 units, which can differ from the bot's own count.
    too_long_over: int = 0
    updates_outage: float = 0.0  # getUpdates answered 502 Bad Gateway


CallHook = Callable[[str, "_Params"], Awaitable[None]]
"""(method in lower case, params) -> None; may raise ApiError to refuse the call."""


@dataclass(frozen=True)
class SentDocument:
    file_id: str
    file_name: str | None
    mime_type: str | None
    data: bytes


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as it stands now (after edits; ``deleted`` once deleted)."""

    chat_id: int
    message_id: int
    text: str  # what the user sees: message text, or a document's caption ("" if none)
    raw_text: str  # exactly what the bot sent (HTML source when parse_mode is HTML)
    parse_mode: str | None
    entities: tuple[JsonDict, ...]
    reply_markup: JsonDict | None
    document: SentDocument | None
    reply_to_message_id: int | None
    disable_notification: bool
    link_preview_options: JsonDict | None
    date: int
    edit_count: int
    deleted: bool

    @property
    def buttons(self) -> list[JsonDict]:
        """The inline keyboard's buttons, row by row flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass(frozen=True)
class Pushed:
    """What a ``push_*`` call put into the queue: the update and the ids a test needs next."""

    update_id: int
    chat_id: int
    message_id: int | None = None
    callback_query_id: str | None = None
    file_id: str | None = None


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made, for assertions (uploads appear as ``{"file_name", "size"}``)."""

    method: str
    params: JsonDict
    status: int
    description: str | None


class _SupportsUpdateQueue(Protocol):
    @property
    def update_queue(self) -> asyncio.Queue[object]: ...


# ---------------------------------------------------------------------------------------------------------
# Internals


class ApiError(Exception):
    """An error answer in Telegram's shape: HTTP status = error_code, and a description."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class _Upload:
    file_name: str | None
    content_type: str | None
    data: bytes


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str


@dataclass
class _StoredMessage:
    json: JsonDict  # the Message object as Telegram returns it
    from_bot: bool
    raw_text: str = ""
    parse_mode: str | None = None
    document: SentDocument | None = None
    disable_notification: bool = False
    link_preview_options: JsonDict | None = None
    edit_count: int = 0
    deleted: bool = False


@dataclass
class _Callback:
    chat_id: int
    message_id: int
    answered: bool = False
    answer: JsonDict | None = None
    created: float = field(default_factory=time.monotonic)


class _Params:
    """Request parameters, from a query string, a form, a multipart body or JSON; typed on access.

    PTB sends form fields where strings are raw and everything else is JSON-encoded."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None or isinstance(value, _Upload):
            return None
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad_request(f"invalid {name} specified") from None

    def number(self, name: str, default: float) -> float:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.raw.get(name)
        return value is True or (isinstance(value, str) and value.lower() in {"true", "1"}) or value == 1

    def obj(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise _bad_request(f"can't parse {name} JSON object") from None
        return value

    def upload(self, name: str) -> _Upload | None:
        value = self.raw.get(name)
        return value if isinstance(value, _Upload) else None


class _FloodControl:
    def __init__(self, limits: FloodLimits) -> None:
        self.limits = limits
        self.per_chat: dict[int, deque[float]] = {}
        self.overall: deque[float] = deque()
        self.refused = 0

    def check(self, chat_id: int, now: float) -> None:
        """Raise 429 if one more message into ``chat_id`` now would exceed a limit."""
        period = self.limits.period
        windows = [(self.overall, self.limits.overall)]
        windows.append((self.per_chat.setdefault(chat_id, deque()), self.limits.per_chat))
        retry_after = 0.0
        for window, limit in windows:
            while window and window[0] <= now - period:
                window.popleft()
            if limit is not None and len(window) >= limit:
                retry_after = max(retry_after, window[0] + period - now)
        if retry_after > 0:
            self.refused += 1
            seconds = max(1, math.ceil(retry_after))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    def record(self, chat_id: int, now: float) -> None:
        self.overall.append(now)
        self.per_chat.setdefault(chat_id, deque()).append(now)


def _update_type(update: JsonDict) -> str:
    return next(key for key in update if key != "update_id")


def _auto_entities(text: str) -> list[JsonDict]:
    """The url and bot_command entities Telegram detects in a user's text (offsets in UTF-16 units)."""
    found = []
    for pattern, kind in ((_URL_RE, "url"), (_BOT_COMMAND_RE, "bot_command")):
        for match in pattern.finditer(text):
            offset = utf16_len(text[: match.start()])
            found.append({"type": kind, "offset": offset, "length": utf16_len(match.group())})
    return sorted(found, key=lambda e: e["offset"])


def _validate_inline_keyboard(markup: Any) -> JsonDict:
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup  # reply keyboards, removal, force_reply: kept as sent
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for button in itertools.chain.from_iterable(rows):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
        actions = [key for key in button if key != "text"]
        if not actions:
            raise _bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not re.match(r"(https?|tg)://\S+$", str(button["url"]), re.IGNORECASE):
            raise _bad_request("BUTTON_URL_INVALID")
    return markup


# ---------------------------------------------------------------------------------------------------------
# The server


class LocalBotApi:
    """A local Telegram Bot API server. ``async with LocalBotApi() as server:`` or ``start()``/``stop()``.

    ``server.base_url`` and ``server.base_file_url`` go to ``ApplicationBuilder().base_url(...)`` and
    ``.base_file_url(...)``; PTB appends the token (``{base_url}{token}/{method}``).
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        bot_username: str = "conflictbrief_test_bot",
        bot_first_name: str = "conflictbrief",
        flood: FloodLimits | None = None,
        strict_ampersand: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        callback_expiry_s: float = 15.0,
        faults: Faults | None = None,
        first_update_id: int = 1,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("token must look like a Telegram token: '<digits>:<secret>'")
        self.token = token
        self.bot_user: JsonDict = {
            "id": int(bot_id),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.flood = _FloodControl(flood or FloodLimits())
        self.strict_ampersand = strict_ampersand
        # Telegram refuses to answer a callback query some 15 s after the press ("query is too old").
        self.callback_expiry_s = callback_expiry_s
        self._admins: dict[int, set[int]] = {}  # chat id -> user ids that are administrators
        self.faults = faults
        self._fault_rng = random.Random(faults.seed if faults else 0)
        self.injected: collections.Counter[str] = collections.Counter()
        # Test hooks around every call: `before_call` runs before the method (it may raise ApiError),
        # `after_call` after the method did its work and before the answer goes back.
        self.before_call: CallHook | None = None
        self.after_call: CallHook | None = None
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._closing = False
        # state
        self._updates: list[JsonDict] = []
        # Telegram never reuses an update id; a server started again over the same database (the
        # console) starts past the last run's ids, or the bot's inbox takes its updates for repeats.
        self._update_ids = itertools.count(first_update_id)
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._chats: dict[int, JsonDict] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], _StoredMessage] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._callbacks: dict[str, _Callback] = {}
        self._callback_ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._calls: list[ApiCall] = []
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._changed = asyncio.Event()
        self._webhook: tuple[str, str | None] | None = None  # (url, secret_token) after setWebhook
        self._webhook_task: asyncio.Task[None] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status) per POST
        self._methods: dict[str, Callable[[_Params], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "sendchataction": self._send_chat_action,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "getfile": self._get_file,
            "getchatmember": self._get_chat_member,
            "getchatadministrators": self._get_chat_administrators,
            "close": self._harmless,
            "logout": self._harmless,
        }

    # -- lifecycle ----------------------------------------------------------------------------------------

    async def start(self) -> LocalBotApi:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/file/bot{token}/{file_path:.+}", self._serve_file)
        app.router.add_route("*", "/{bot_token}/{method}", self._serve_method)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._closing = False
        return self

    async def stop(self) -> None:
        self._closing = True
        self._stop_webhook()
        self._touch()  # long polls return at once
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self._port}/file/bot"

    # -- HTTP ---------------------------------------------------------------------------------------------

    async def _serve_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        if request.match_info["bot_token"] != f"bot{self.token}":
            return self._error_response(ApiError(401, "Unauthorized"))
        handler = self._methods.get(method)
        if handler is None:
            return self._error_response(ApiError(404, "Not Found"))
        polling = method == "getupdates"
        if not polling:
            self._in_flight += 1
            self._activity()
        params = _Params({})
        try:
            params = _Params(await self._read_params(request))
            if method in _FLOOD_METHODS:
                self._check_flood(params)
            if self.before_call is not None:
                await self.before_call(method, params)
            hang = self._inject(method, params)
            result = await handler(params)
            if self.after_call is not None:
                await self.after_call(method, params)
            if hang:
                await asyncio.sleep(hang)  # done, but the answer comes after the client gave up
        except ApiError as error:
            self._log_call(request.match_info["method"], params, error.status, error.description)
            return self._error_response(error)
        finally:
            if not polling:
                self._in_flight -= 1
                self._activity()
        self._log_call(request.match_info["method"], params, 200, None)
        return web.json_response({"ok": True, "result": result})

    def _inject(self, method: str, params: _Params) -> float:
        """Raise the fault the plan draws for this call, or return how long to hang after doing it."""
        plan = self.faults
        if plan is None:
            return 0.0
        draw = self._fault_rng.random
        if method == "getupdates":
            if draw() < plan.updates_outage:
                self.injected["getUpdates 502"] += 1
                raise ApiError(502, "Bad Gateway")
            return 0.0
        if method not in SEND_METHODS:
            return 0.0
        if draw() < plan.flood:
            self.injected["429"] += 1
            raise ApiError(
                429,
                f"Too Many Requests: retry after {plan.retry_after_s}",
                {"retry_after": plan.retry_after_s},
            )
        if draw() < plan.server_error:
            self.injected["500"] += 1
            raise ApiError(500, "Internal Server Error")
        if draw() < plan.too_long:
            self.injected["message is too long"] += 1
            raise _bad_request("message is too long")
        too_long = plan.too_long_over and method != "senddocument"
        if too_long and len(params.text("text") or "") > plan.too_long_over:
            self.injected["message is too long"] += 1
            raise _bad_request("message is too long")
        if draw() < plan.timeout_after_delivery:
            self.injected["timeout after delivery"] += 1
            return plan.hang_s
        return 0.0

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.method != "POST" or not request.can_read_body:
            return raw
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError:
                raise _bad_request("can't parse JSON encoded request parameters") from None
            if isinstance(body, dict):
                raw.update(body)
            return raw
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                raw[name] = _Upload(value.filename, value.content_type, value.file.read())
            else:
                raw[name] = value
        return raw

    @staticmethod
    def _error_response(error: ApiError) -> web.Response:
        body: JsonDict = {"ok": False, "error_code": error.status, "description": error.description}
        if error.parameters:
            body["parameters"] = error.parameters
        return web.json_response(body, status=error.status)

    async def _serve_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["file_path"]
        stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    def _log_call(self, method: str, params: _Params, status: int, description: str | None) -> None:
        shown = {
            name: {"file_name": v.file_name, "size": len(v.data)} if isinstance(v, _Upload) else v
            for name, v in params.raw.items()
        }
        self._calls.append(ApiCall(method, shown, status, description))

    # -- change notification and idleness -------------------------------------------------------------------

    def _touch(self) -> None:
        """Wake everyone waiting for a change (long polls, wait_* helpers)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _activity(self) -> None:
        self._last_activity = time.monotonic()
        self._touch()

    async def _wait_change(self, timeout: float) -> None:
        event = self._changed
        if timeout <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    @property
    def pending_update_count(self) -> int:
        """Updates pushed but not yet acknowledged by the bot (acknowledged = a later getUpdates offset)."""
        return len(self._updates)

    def pending_updates(self) -> list[JsonDict]:
        """Copies of the updates pushed and not acknowledged yet, as getUpdates would deliver them."""
        return [json.loads(json.dumps(update)) for update in self._updates]

    def take_updates(self) -> list[JsonDict]:
        """The pending updates, removed as if a bot run (since dead) had fetched and acknowledged them
        (for tests of what the bot recorded before it died)."""
        taken = self.pending_updates()
        self._updates = []
        self._activity()
        return taken

    @property
    def in_flight(self) -> int:
        """Requests being answered right now, not counting getUpdates long polls."""
        return self._in_flight

    @property
    def last_activity(self) -> float:
        """``time.monotonic()`` of the last push, request, or delivery of updates."""
        return self._last_activity

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (re-checked on every change); TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout} s")
            await self._wait_change(min(remaining, 0.5))

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, *, after: int = 0, timeout: float = 10.0
    ) -> list[BotMessage]:
        """Wait until the bot has ``count`` live messages in ``chat_id`` with message_id > ``after``; return
        them all (oldest first). Pass ``after=pushed.message_id`` to wait for the answers to one message."""

        def ready() -> bool:
            return len(self.messages(chat_id, after=after)) >= count

        try:
            await self.wait_until(ready, timeout)
        except TimeoutError:
            got = [m.text[:80] for m in self.messages(chat_id, after=after)]
            raise TimeoutError(
                f"expected {count} bot message(s) in chat {chat_id} after #{after} within {timeout} s; got {got}"
            ) from None
        return self.messages(chat_id, after=after)

    async def wait_idle(
        self, quiet: float = 0.3, timeout: float = 30.0, application: _SupportsUpdateQueue | None = None
    ) -> None:
        """Wait until the bot has finished with everything pushed so far.

        Idle means: every pushed update acknowledged by the bot's getUpdates; if ``application`` is given, its
        ``update_queue`` fully processed (PTB marks an update done only after all its handlers ran, so this is
        the dependable "answered" signal); no request in flight; and no activity for ``quiet`` seconds (covers
        work the server cannot see, such as a reply sent right after a handler returns).
        """
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"bot not idle within {timeout} s: {self.pending_update_count} update(s) pending, "
                    f"{self._in_flight} request(s) in flight"
                )
            if self._updates:
                await self._wait_change(min(remaining, 0.5))
                continue
            if application is not None:
                try:
                    await asyncio.wait_for(application.update_queue.join(), remaining)
                except TimeoutError:
                    continue
            if self._updates or self._in_flight:
                await self._wait_change(min(deadline - time.monotonic(), 0.5))
                continue
            quiet_for = time.monotonic() - self._last_activity
            if quiet_for >= quiet:
                return
            await asyncio.sleep(min(quiet - quiet_for, max(deadline - time.monotonic(), 0)))

    # -- reading what the bot did ---------------------------------------------------------------------------

    def messages(self, chat_id: int, *, after: int = 0, include_deleted: bool = False) -> list[BotMessage]:
        """The bot's messages in ``chat_id`` with message_id > ``after``, oldest first, as they stand now."""
        found = [
            self._snapshot(stored)
            for (chat, message_id), stored in self._messages.items()
            if chat == chat_id
            and message_id > after
            and stored.from_bot
            and (include_deleted or not stored.deleted)
        ]
        return sorted(found, key=lambda m: m.message_id)

    def message(self, chat_id: int, message_id: int) -> BotMessage:
        stored = self._messages.get((chat_id, message_id))
        if stored is None or not stored.from_bot:
            raise KeyError(f"no bot message {message_id} in chat {chat_id}")
        return self._snapshot(stored)

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Requests the bot made, oldest first; ``method`` filters case-insensitively (e.g. "sendChatAction")."""
        if method is None:
            return list(self._calls)
        return [call for call in self._calls if call.method.lower() == method.lower()]

    def callback_answer(self, callback_query_id: str) -> JsonDict | None:
        """The parameters of answerCallbackQuery for that query, or None while unanswered."""
        return self._callbacks[callback_query_id].answer

    def commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        return list(self._commands.get((self._scope_key(scope), language_code), []))

    @staticmethod
    def _snapshot(stored: _StoredMessage) -> BotMessage:
        message = stored.json
        is_text = "text" in message
        entities = message.get("entities" if is_text else "caption_entities", [])
        reply_to = message.get("reply_to_message")
        return BotMessage(
            chat_id=message["chat"]["id"],
            message_id=message["message_id"],
            text=message.get("text", message.get("caption", "")),
            raw_text=stored.raw_text,
            parse_mode=stored.parse_mode,
            entities=tuple(entities),
            reply_markup=message.get("reply_markup") or stored.json.get("_reply_markup_sent"),
            document=stored.document,
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            disable_notification=stored.disable_notification,
            link_preview_options=stored.link_preview_options,
            date=message["date"],
            edit_count=stored.edit_count,
            deleted=stored.deleted,
        )

    # -- pushing what users do ------------------------------------------------------------------------------

    def add_chat(
        self,
        chat_id: int,
        *,
        chat_type: str | None = None,
        title: str | None = None,
        username: str | None = None,
        first_name: str = "Tester",
    ) -> JsonDict:
        """Make a chat known (pushing into a chat does this too). Positive ids are private chats by default,
        negative ones groups (supergroups below -10**12)."""
        if chat_type is None:
            chat_type = "private" if chat_id > 0 else ("supergroup" if chat_id < -(10**12) else "group")
        chat: JsonDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = title or f"Chat {chat_id}"
        if username:
            chat["username"] = username
        self._chats[chat_id] = chat
        self._message_ids.setdefault(chat_id, itertools.count(1))
        return chat

    def _default_user(self, chat: JsonDict) -> JsonDict:
        user_id = chat["id"] if chat["type"] == "private" else 1001
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": "Tester",
            "username": "tester",
            "language_code": "en",
        }

    def _chat_for_push(self, chat_id: int, chat_type: str | None) -> JsonDict:
        chat = self._chats.get(chat_id)
        if chat is None or (chat_type is not None and chat["type"] != chat_type):
            chat = self.add_chat(chat_id, chat_type=chat_type)
        return chat

    def _store_user_message(self, chat: JsonDict, user: JsonDict | None, fields: JsonDict) -> JsonDict:
        message = {
            "message_id": next(self._message_ids[chat["id"]]),
            "from": user or self._default_user(chat),
            "chat": chat,
            "date": int(time.time()),
            **fields,
        }
        self._messages[(chat["id"], message["message_id"])] = _StoredMessage(json=message, from_bot=False)
        return message

    def _enqueue(self, kind: str, payload: JsonDict) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, kind: payload})
        self._activity()
        return update_id

    async def push_update(self, update: JsonDict) -> int:
        """Queue a raw Update dict (its update_id is assigned here); returns the update_id."""
        fields = {key: value for key, value in update.items() if key != "update_id"}
        if len(fields) != 1:
            raise ValueError("an update carries exactly one field besides update_id")
        ((kind, payload),) = fields.items()
        return self._enqueue(kind, payload)

    async def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        user: JsonDict | None = None,
        chat_type: str | None = None,
        entities: list[JsonDict] | None = None,
        reply_to_message_id: int | None = None,
    ) -> Pushed:
        """A user sends ``text``. URL and /command entities are detected as Telegram does unless given."""
        chat = self._chat_for_push(chat_id, chat_type)
        fields: JsonDict = {"text": text}
        detected = _auto_entities(text) if entities is None else entities
        if detected:
            fields["entities"] = detected
        if reply_to_message_id is not None:
            fields["reply_to_message"] = self._public(self._messages[(chat_id, reply_to_message_id)].json)
        message = self._store_user_message(chat, user, fields)
        update_id = self._enqueue("message", message)
        return Pushed(update_id, chat_id, message_id=message["message_id"])

    async def push_forwarded_channel_post(
        self,
        chat_id: int,
        *,
        channel_id: int,
        channel_title: str,
        channel_message_id: int,
        text: str | None = None,
        caption: str | None = None,
        photo: bytes | None = None,
        channel_username: str | None = None,
        author_signature: str | None = None,
        date: int | None = None,
        user: JsonDict | None = None,
    ) -> Pushed:
        """A user forwards a channel post into ``chat_id``: text, or a photo (``photo`` bytes) with caption."""
        if (text is None) == (photo is None):
            raise ValueError("a forwarded post has either text or a photo")
        chat = self._chat_for_push(chat_id, None)
        channel: JsonDict = {"id": channel_id, "type": "channel", "title": channel_title}
        if channel_username:
            channel["username"] = channel_username
        origin: JsonDict = {
            "type": "channel",
            "chat": channel,
            "message_id": channel_message_id,
            "date": date if date is not None else int(time.time()) - 3600,
        }
        if author_signature:
            origin["author_signature"] = author_signature
        fields: JsonDict = {"forward_origin": origin}
        file_id = None
        if text is not None:
            fields["text"] = text
            if detected := _auto_entities(text):
                fields["entities"] = detected
        else:
            stored = self._store_file(photo or b"", None, "image/jpeg", "photos")
            file_id = stored.file_id
            fields["photo"] = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 1280,
                    "height": 720,
                    "file_size": len(stored.data),
                }
            ]
            if caption:
                fields["caption"] = caption
                if detected := _auto_entities(caption):
                    fields["caption_entities"] = detected
        message = self._store_user_message(chat, user, fields)
        update_id = self._enqueue("message", message)
        return Pushed(update_id, chat_id, message_id=message["message_id"], file_id=file_id)

    async def push_document(
        self,
        chat_id: int,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        user: JsonDict | None = None,
    ) -> Pushed:
        """A user sends a file; the bot can getFile and download it under ``base_file_url``."""
        chat = self._chat_for_push(chat_id, None)
        mime_type = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        stored = self._store_file(data, file_name, mime_type, "documents")
        fields: JsonDict = {"document": self._document_json(stored)}
        if caption:
            fields["caption"] = caption
        message = self._store_user_message(chat, user, fields)
        update_id = self._enqueue("message", message)
        return Pushed(update_id, chat_id, message_id=message["message_id"], file_id=stored.file_id)

    async def push_callback(
        self, chat_id: int, message_id: int, data: str, *, user: JsonDict | None = None
    ) -> Pushed:
        """A user presses the inline button carrying ``data`` on the bot's message ``message_id``."""
        stored = self._messages.get((chat_id, message_id))
        if stored is None or not stored.from_bot or stored.deleted:
            raise ValueError(f"no live bot message {message_id} in chat {chat_id}")
        buttons = self._snapshot(stored).buttons
        if not any(button.get("callback_data") == data for button in buttons):
            raise ValueError(f"message {message_id} has no button with callback_data {data!r}: {buttons}")
        chat = self._chats[chat_id]
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = _Callback(chat_id, message_id)
        query = {
            "id": query_id,
            "from": user or self._default_user(chat),
            "message": self._public(stored.json),
            "chat_instance": str(chat_id),
            "data": data,
        }
        update_id = self._enqueue("callback_query", query)
        return Pushed(update_id, chat_id, message_id=message_id, callback_query_id=query_id)

    async def push_forged_callback(
        self, chat_id: int, message_id: int, data: str, *, user: JsonDict | None = None
    ) -> Pushed:
        """A press carrying ``data`` no button of the message has: what a modified client can send."""
        stored = self._messages.get((chat_id, message_id))
        if stored is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        chat = self._chats[chat_id]
        query_id = f"forged-{next(self._callback_ids)}"
        self._callbacks[query_id] = _Callback(chat_id, message_id)
        query = {
            "id": query_id,
            "from": user or self._default_user(chat),
            "message": self._public(stored.json),
            "chat_instance": str(chat_id),
            "data": data,
        }
        update_id = self._enqueue("callback_query", query)
        return Pushed(update_id, chat_id, message_id=message_id, callback_query_id=query_id)

    async def push_message(
        self,
        chat_id: int,
        fields: JsonDict,
        *,
        kind: str = "message",
        user: JsonDict | None = None,
        chat_type: str | None = None,
    ) -> Pushed:
        """A user's message with any fields (`caption` + `photo`, `sticker`, ...) as `kind` ("message"
        or "edited_message", which then also gets an `edit_date`)."""
        chat = self._chat_for_push(chat_id, chat_type)
        message = self._store_user_message(chat, user, fields)
        if kind == "edited_message":
            message["edit_date"] = message["date"]
        update_id = self._enqueue(kind, message)
        return Pushed(update_id, chat_id, message_id=message["message_id"])

    # -- shared pieces ------------------------------------------------------------------------------------

    def _store_file(
        self, data: bytes, file_name: str | None, mime_type: str | None, folder: str
    ) -> _StoredFile:
        number = next(self._file_ids)
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = _StoredFile(
            file_id=f"F{number:06d}-{folder}",
            file_unique_id=f"U{number:06d}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{folder}/file_{number}{suffix}",
        )
        self._files[stored.file_id] = stored
        return stored

    @staticmethod
    def _document_json(stored: _StoredFile) -> JsonDict:
        document: JsonDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return document

    def _chat(self, params: _Params) -> JsonDict:
        value = params.raw.get("chat_id")
        if value is None or value == "":
            raise _bad_request("chat_id is empty")
        if isinstance(value, str) and value.startswith("@"):
            chat = next((c for c in self._chats.values() if c.get("username") == value[1:]), None)
        else:
            try:
                chat = self._chats.get(int(value))
            except (TypeError, ValueError):
                chat = None
        if chat is None:
            raise _bad_request("chat not found")
        return chat

    def _check_flood(self, params: _Params) -> None:
        try:
            chat_id = int(params.raw.get("chat_id") or 0)
        except (TypeError, ValueError):
            chat_id = 0
        self.flood.check(chat_id, time.monotonic())

    def _format(self, params: _Params, text: str, limit: int, what: str) -> tuple[str, list[JsonDict]]:
        """Shown text and entities for ``text`` under the request's parse_mode, with Telegram's checks."""
        parse_mode = (params.text("parse_mode") or "").lower()
        if parse_mode == "html":
            try:
                parsed = parse_html(text, strict_ampersand=self.strict_ampersand)
            except HtmlParseError as error:
                raise _bad_request(f"can't parse entities: {error}") from None
            shown, entities = parsed.text, [entity.to_dict() for entity in parsed.entities]
        elif parse_mode in {"markdown", "markdownv2"}:
            raise _bad_request(
                "can't parse entities: Markdown is not implemented by the local Bot API stand-in; use HTML"
            )
        elif parse_mode:
            raise _bad_request("unsupported parse_mode")
        else:
            shown = text.strip()
            given = params.obj("entities" if what == "text" else "caption_entities")
            entities = list(given) if isinstance(given, list) else []
        if len(shown) > limit:
            raise _bad_request("message is too long" if what == "text" else "message caption is too long")
        return shown, entities

    def _reply_markup(self, params: _Params) -> JsonDict | None:
        markup = params.obj("reply_markup")
        return None if markup is None else _validate_inline_keyboard(markup)

    def _reply_target(self, chat: JsonDict, params: _Params) -> JsonDict | None:
        reply = params.obj("reply_parameters")
        if reply is None and params.integer("reply_to_message_id") is not None:
            reply = {
                "message_id": params.integer("reply_to_message_id"),
                "allow_sending_without_reply": params.flag("allow_sending_without_reply"),
            }
        if not isinstance(reply, dict) or "message_id" not in reply:
            return None
        target_chat = int(reply.get("chat_id") or chat["id"])
        target = self._messages.get((target_chat, int(reply["message_id"])))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise _bad_request("message to be replied not found")
        return {k: v for k, v in self._public(target.json).items() if k != "reply_to_message"}

    def _new_bot_message(
        self, chat: JsonDict, fields: JsonDict, params: _Params, raw_text: str
    ) -> _StoredMessage:
        message: JsonDict = {
            "message_id": next(self._message_ids[chat["id"]]),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        reply_to = self._reply_target(chat, params)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(fields)
        stored = _StoredMessage(
            json=message,
            from_bot=True,
            raw_text=raw_text,
            parse_mode=params.text("parse_mode"),
            disable_notification=params.flag("disable_notification"),
        )
        self._messages[(chat["id"], message["message_id"])] = stored
        self.flood.record(chat["id"], time.monotonic())
        return stored

    @staticmethod
    def _set_markup(message: JsonDict, markup: JsonDict | None) -> None:
        """Telegram returns only inline keyboards inside a Message; other markups are kept for assertions."""
        message.pop("reply_markup", None)
        message.pop("_reply_markup_sent", None)
        if markup is None:
            return
        message["reply_markup" if "inline_keyboard" in markup else "_reply_markup_sent"] = markup

    @staticmethod
    def _public(message: JsonDict) -> JsonDict:
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _editable(self, params: _Params, not_found: str) -> _StoredMessage:
        if params.text("inline_message_id"):
            raise _bad_request("inline messages are not supported by the local Bot API stand-in")
        chat = self._chat(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        stored = self._messages.get((chat["id"], message_id))
        if stored is None or stored.deleted:
            raise _bad_request(not_found)
        return stored

    @staticmethod
    def _scope_key(scope: Any) -> str:
        return json.dumps(scope or {"type": "default"}, sort_keys=True)

    # -- Bot API methods ----------------------------------------------------------------------------------

    async def _harmless(self, params: _Params) -> bool:
        return True

    async def _get_me(self, params: _Params) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _delete_webhook(self, params: _Params) -> bool:
        if params.flag("drop_pending_updates"):
            self._updates.clear()
            self._activity()
        self._stop_webhook()
        return True

    async def _get_webhook_info(self, params: _Params) -> JsonDict:
        url = self._webhook[0] if self._webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    # -- webhook delivery: as Telegram, POST each update to the URL, in order, until it answers 2xx --------

    async def _set_webhook(self, params: _Params) -> bool:
        url = params.text("url") or ""
        if not url:
            self._stop_webhook()
            return True
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        allowed = params.obj("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else None
        self._stop_webhook()
        self._webhook = (url, params.text("secret_token"))
        self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_webhook())
        return True

    def _stop_webhook(self) -> None:
        self._webhook = None
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None

    async def _deliver_webhook(self) -> None:
        import aiohttp

        assert self._webhook is not None
        url, secret = self._webhook
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        async with aiohttp.ClientSession() as session:
            while not self._closing:
                self._drop_unwanted()
                if not self._updates:
                    await self._wait_change(1.0)
                    continue
                update = self._updates[0]
                try:
                    async with session.post(url, json=update, headers=headers) as response:
                        status = response.status
                except aiohttp.ClientError:
                    status = 0
                self.webhook_deliveries.append((update["update_id"], status))
                if 200 <= status < 300:
                    self._updates = [u for u in self._updates if u is not update]
                    self._activity()
                else:
                    await asyncio.sleep(0.2)  # Telegram retries a failing webhook later

    def _acknowledge(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _drop_unwanted(self) -> None:
        allowed = self._allowed_updates
        kept = []
        for update in self._updates:
            kind = _update_type(update)
            if (kind in allowed) if allowed is not None else (kind not in _OPT_IN_UPDATE_TYPES):
                kept.append(update)
        self._updates = kept

    async def _get_updates(self, params: _Params) -> list[JsonDict]:
        if self._webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = params.integer("offset", 0) or 0
        limit = min(max(params.integer("limit", 100) or 100, 1), 100)
        timeout = max(params.number("timeout", 0.0), 0.0)
        allowed = params.obj("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else None
        had = len(self._updates)
        self._acknowledge(offset)
        if len(self._updates) != had:
            self._activity()
        # Telegram ends an older long poll when a newer one arrives.
        self._poll_generation += 1
        generation = self._poll_generation
        self._touch()
        deadline = time.monotonic() + timeout
        while True:
            self._drop_unwanted()
            if self._updates:
                self._activity()
                return self._updates[:limit]
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if self._closing or remaining <= 0:
                return []
            await self._wait_change(remaining)

    async def _set_my_commands(self, params: _Params) -> bool:
        commands = params.obj("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("command description must be non-empty")
        key = (self._scope_key(params.obj("scope")), params.text("language_code") or "")
        self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def _get_my_commands(self, params: _Params) -> list[JsonDict]:
        return self.commands(params.obj("scope"), params.text("language_code") or "")

    async def _delete_my_commands(self, params: _Params) -> bool:
        self._commands.pop((self._scope_key(params.obj("scope")), params.text("language_code") or ""), None)
        return True

    async def _send_message(self, params: _Params) -> JsonDict:
        chat = self._chat(params)
        text = params.text("text") or ""
        shown, entities = self._format(params, text, MAX_TEXT_LENGTH, "text")
        if not shown:
            raise _bad_request("message text is empty")
        markup = self._reply_markup(params)
        fields: JsonDict = {"text": shown}
        if entities:
            fields["entities"] = entities
        preview = params.obj("link_preview_options")
        if preview is None and params.flag("disable_web_page_preview"):
            preview = {"is_disabled": True}
        if preview:
            fields["link_preview_options"] = preview
        stored = self._new_bot_message(chat, fields, params, text)
        stored.link_preview_options = preview or None
        self._set_markup(stored.json, markup)
        return self._public(stored.json)

    async def _send_document(self, params: _Params) -> JsonDict:
        chat = self._chat(params)
        upload = params.upload("document")
        if upload is not None:
            if len(upload.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            name = upload.file_name
            mime = upload.content_type or (mimetypes.guess_type(name)[0] if name else None)
            stored_file = self._store_file(upload.data, name, mime, "documents")
        else:
            reference = params.text("document") or ""
            stored_file = self._files.get(reference)  # re-sending by file_id
            if stored_file is None:
                if not reference:
                    raise _bad_request("there is no document in the request")
                raise _bad_request("wrong file identifier/HTTP URL specified")
        caption = params.text("caption") or ""
        fields: JsonDict = {"document": self._document_json(stored_file)}
        if caption:
            shown, entities = self._format(params, caption, MAX_CAPTION_LENGTH, "caption")
            if shown:
                fields["caption"] = shown
            if entities:
                fields["caption_entities"] = entities
        markup = self._reply_markup(params)
        stored = self._new_bot_message(chat, fields, params, caption)
        stored.document = SentDocument(
            stored_file.file_id, stored_file.file_name, stored_file.mime_type, stored_file.data
        )
        self._set_markup(stored.json, markup)
        return self._public(stored.json)

    async def _edit_message_text(self, params: _Params) -> JsonDict:
        stored = self._editable(params, "message to edit not found")
        if not stored.from_bot:
            raise _bad_request("message can't be edited")
        if "text" not in stored.json:
            raise _bad_request("there is no text in the message to edit")
        text = params.text("text") or ""
        shown, entities = self._format(params, text, MAX_TEXT_LENGTH, "text")
        if not shown:
            raise _bad_request("message text is empty")
        markup = self._reply_markup(params)  # an edit without reply_markup removes the keyboard
        message = stored.json
        current_markup = message.get("reply_markup") or message.get("_reply_markup_sent")
        if shown == message["text"] and entities == message.get("entities", []) and markup == current_markup:
            raise _bad_request(_NOT_MODIFIED)
        message["text"] = shown
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        stored.raw_text = text
        stored.parse_mode = params.text("parse_mode")
        stored.edit_count += 1
        self.flood.record(message["chat"]["id"], time.monotonic())
        return self._public(message)

    async def _edit_message_reply_markup(self, params: _Params) -> JsonDict:
        stored = self._editable(params, "message to edit not found")
        if not stored.from_bot:
            raise _bad_request("message can't be edited")
        markup = self._reply_markup(params)
        message = stored.json
        if markup == (message.get("reply_markup") or message.get("_reply_markup_sent")):
            raise _bad_request(_NOT_MODIFIED)
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        stored.edit_count += 1
        self.flood.record(message["chat"]["id"], time.monotonic())
        return self._public(message)

    async def _delete_message(self, params: _Params) -> bool:
        stored = self._editable(params, "message to delete not found")
        stored.deleted = True
        return True

    async def _send_chat_action(self, params: _Params) -> bool:
        self._chat(params)
        if params.text("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    async def _answer_callback_query(self, params: _Params) -> bool:
        query = self._callbacks.get(params.text("callback_query_id") or "")
        expired = query is not None and time.monotonic() - query.created > self.callback_expiry_s
        if query is None or query.answered or expired:
            raise _bad_request("query is too old and response timeout expired or query ID is invalid")
        if len(params.text("text") or "") > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {
            "text": params.text("text"),
            "show_alert": params.flag("show_alert"),
            "url": params.text("url"),
            "cache_time": params.integer("cache_time", 0),
        }
        return True

    def set_admins(self, chat_id: int, user_ids: Iterable[int]) -> None:
        """Who administers group `chat_id` (getChatMember answers "administrator" for them)."""
        self._admins[chat_id] = set(user_ids)

    def _member(self, chat: JsonDict, user_id: int) -> JsonDict:
        status = "member"
        if chat["type"] == "private":
            status = "member" if user_id in (chat["id"], self.bot_user["id"]) else "left"
        elif user_id in self._admins.get(chat["id"], set()):
            status = "administrator"
        user = {"id": user_id, "is_bot": user_id == self.bot_user["id"], "first_name": f"User {user_id}"}
        member: JsonDict = {"status": status, "user": user}
        if status == "administrator":
            member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                          can_delete_messages=True, can_manage_video_chats=False, can_restrict_members=True,
                          can_promote_members=False, can_change_info=True, can_invite_users=True,
                          can_post_stories=False, can_edit_stories=False, can_delete_stories=False)  # fmt: skip
        elif status == "left":
            member = {"status": "left", "user": user}
        return member

    async def _get_chat_member(self, params: _Params) -> JsonDict:
        chat = self._chat(params)
        user_id = params.integer("user_id")
        if user_id is None:
            raise _bad_request("user_id is empty")
        return self._member(chat, user_id)

    async def _get_chat_administrators(self, params: _Params) -> list[JsonDict]:
        chat = self._chat(params)
        return [self._member(chat, user_id) for user_id in sorted(self._admins.get(chat["id"], set()))]

    async def _get_file(self, params: _Params) -> JsonDict:
        stored = self._files.get(params.text("file_id") or "")
        if stored is None:
            raise _bad_request("wrong file_id or the file is temporarily unavailable")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }
