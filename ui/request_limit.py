"""``RequestLimit``: an ASGI middleware that refuses a request body over ``max_bytes`` before the app
reads it (413, a one-line reason and the disclaimer), whether the client declares its length or streams
it in chunks. A question is at most a few thousand characters; without this, a 10 MB message was parsed,
cleaned and checked before being refused, holding a worker the while.
"""
from __future__ import annotations

import json

from assistant.safety import DISCLAIMER


class RequestLimit:
    """Args: app: the ASGI app to protect. max_bytes: the largest request body let through."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = int(max_bytes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.max_bytes):
            return await self._refuse(send)
        received, started, refused = 0, False, False

        async def counted_receive():
            # a streamed body over the limit: answer 413 now and tell the app the client has gone (an
            # exception would be caught by the app's own body parsing and turned into a 400)
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not started:
                    refused = True
                    await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message):
            nonlocal started
            if refused:
                return  # the 413 is the whole response
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, watched_send)

    async def _refuse(self, send) -> None:
        body = json.dumps({"detail": f"request too large: at most {self.max_bytes:,} bytes; ask a shorter question",
                           "disclaimer": DISCLAIMER}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
