"""A local Telegram Bot API emulator for tests: BotApiCore behind a real HTTP server.

    emu = BotApiEmulator().start()                 # aiohttp on 127.0.0.1:<free port> in its own thread
    bot base_url = emu.base_url, base_file_url = emu.base_file_url
    emu.send_message(user(77), "How many people died?"); emu.wait_bot_messages(77, 1)
    emu.inject("sendMessage", 429, retry_after=1)
    emu.chaos(0.15)     # 15% of calls: 429 (retry_after), 500, 502, a delay, or a dropped connection
    emu.chaos(0.15, kinds=ALL_FAULT_KINDS)   # and answers lost after the call was processed
    emu.stop()

getUpdates long-polls with timeout, offset and limit (and answers 409 while a webhook is set);
setWebhook makes it POST each update, in order, with the X-Telegram-Bot-Api-Secret-Token header
until the bot accepts it; files from send_document are served under /file/bot<token>/. A 5xx
fault is answered as a bare proxy error page, as Telegram's front end does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web
from botapi_core import ALL_FAULT_KINDS, FAULT_KINDS, BotApiCore, group, user

__all__ = ["ALL_FAULT_KINDS", "FAULT_KINDS", "BotApiCore", "BotApiEmulator", "group", "user"]


class BotApiEmulator(BotApiCore):
    """The core behind a real HTTP server (aiohttp) on 127.0.0.1, in a thread of its own."""

    def __init__(self, token: str = "123456:TEST-token_abcdefghijklmnop", username: str = "crosscheck_test_bot") -> None:
        super().__init__(token, username)
        self.port = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._event: asyncio.Event | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self._closing = False
        self._delivery: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        """What the bot uses as ApplicationBuilder.base_url."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What the bot uses as ApplicationBuilder.base_file_url."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> BotApiEmulator:
        """Start the server; returns when it accepts connections."""
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="botapi-emulator", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("Bot API emulator did not start")
        return self

    def stop(self) -> None:
        """Stop the server and its thread (pending long polls are answered at once)."""
        if self.loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(10)
            self.loop.call_soon_threadsafe(self.loop.stop)
        if self._thread:
            self._thread.join(10)

    async def _shutdown(self) -> None:
        self._closing = True
        assert self._event is not None and self._runner is not None
        self._event.set()
        if self._delivery:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
        await self._runner.cleanup()

    def _serve(self, ready: threading.Event) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self._event = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._delivery = self.loop.create_task(self._deliver_webhooks())
        ready.set()
        self.loop.run_forever()
        self.loop.close()

    def _wake(self) -> None:
        if self.loop and self._event:
            self.loop.call_soon_threadsafe(self._event.set)

    async def _params(self, request: web.Request) -> dict[str, str]:
        params = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
        elif request.can_read_body:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        fault = self.draw_fault(method)
        if fault == "delay":
            await asyncio.sleep(self.fault_delay())
            fault = None
        if fault == "drop":  # the connection goes away before the call is processed: no answer at all
            self.record_drop(method, params)
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)  # never written: the connection is gone
        lost = fault == "lost"  # processed below, then the connection goes away before the answer
        fault = None if lost else fault
        if method.lower() == "getupdates":
            status, body = await self._get_updates(params, fault)
        else:
            status, body = self.call(method, params, fault or "")
        if lost:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)  # never written: the connection is gone
        if status >= 500:
            return web.Response(status=status, text=body["description"])  # like a proxy in front of Telegram
        return web.json_response(body, status=status)

    async def _get_updates(self, params: dict[str, str], fault: str | None = None) -> tuple[int, dict[str, Any]]:
        """Long polling: answer when updates at or after `offset` exist, or after `timeout` seconds."""
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        deadline = time.monotonic() + timeout
        assert self._event is not None
        status, body = self.call("getUpdates", params, fault or "")  # records the call once and applies faults
        if status != 200:
            return status, body
        while True:
            self._event.clear()
            with self.lock:
                if self.webhook:
                    return 409, {"ok": False, "error_code": 409, "description": "Conflict: can't use getUpdates "
                                 "method while webhook is active; use deleteWebhook to delete the webhook first"}
                if offset:
                    self.acknowledged.update(u["update_id"] for u in self.updates if u["update_id"] < offset)
                    self.updates[:] = [u for u in self.updates if u["update_id"] >= offset]  # confirmed
                ready = self.updates[:limit]
            left = deadline - time.monotonic()
            if ready or left <= 0 or self._closing:
                return 200, {"ok": True, "result": ready}
            try:
                await asyncio.wait_for(self._event.wait(), left)
            except TimeoutError:
                pass

    def m_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        return []  # the HTTP layer fills the result; this records the call and applies faults

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        data = self.file_bytes(request.match_info["path"])
        return web.Response(status=404) if data is None else web.Response(body=data)

    async def _deliver_webhooks(self) -> None:
        """While a webhook is set, POST each update to it in order, retrying until it is accepted."""
        assert self._event is not None
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while True:
                with self.lock:
                    hook, update = dict(self.webhook), (self.updates[0] if self.updates else None)
                if not hook or update is None:
                    await asyncio.sleep(0.02)
                    continue
                headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]} if hook["secret_token"] else {}
                try:
                    async with session.post(hook["url"], json=update, headers=headers) as resp:
                        status = resp.status
                except Exception:
                    status = 0
                with self.lock:
                    self.webhook_deliveries.append((update["update_id"], status))
                    if 200 <= status < 300 and self.updates and self.updates[0] is update:
                        self.updates.pop(0)
                        self.acknowledged.add(update["update_id"])  # Telegram forgets it now
                    self.changed.notify_all()
                if not 200 <= status < 300:
                    await asyncio.sleep(0.1)
