"""A python-telegram-bot transport with no sockets, for fast handler tests.

RecordingRequest is a real `telegram.request.BaseRequest`: the bot serialises every call as it
would for Telegram, and the in-process BotApiCore answers it (checking HTML and lengths like the
real API) and records it. Files behind getFile are served from the same core.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlparse

from botapi_core import BotApiCore
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

BASE_URL = "http://botapi.test/bot"  # settings.telegram_base_url in handler tests; never resolved


class RecordingRequest(BaseRequest):
    """Answers Bot API requests from a BotApiCore instead of the network."""

    def __init__(self, core: BotApiCore) -> None:
        self.core = core

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        """No network, no timeout."""
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Route `<base>/bot<token>/<method>` to the core, `<base>/file/bot<token>/<path>` to its files."""
        path = unquote(urlparse(url).path)
        file_prefix = f"/file/bot{self.core.token}/"
        if path.startswith(file_prefix):
            data = self.core.file_bytes(path[len(file_prefix):])
            return (404, b"") if data is None else (200, data)
        prefix = f"/bot{self.core.token}/"
        if not path.startswith(prefix):
            return 401, json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"}).encode()
        params = request_data.json_parameters if request_data else {}
        status, body = self.core.call(path[len(prefix):], params)
        return status, json.dumps(body).encode()
