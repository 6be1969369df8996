"""What keeps the page safe to run on a workstation: the one folder product files are read
from (no path outside it, however written), request bodies bounded before they are read, a
CSRF token on every form that posts, and only the hosts the server was started for."""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Any

CSRF_COOKIE = "pathway_csrf"
CSRF_FIELD = "csrf"
SUFFIXES = (".yaml", ".yml", ".json")
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class CsrfError(Exception):
    """A form without this browser's token."""


def product_path(root: Path, given: str) -> Path | None:
    """The product file ``given`` names inside ``root``, or None: a path that leaves the
    folder (``..``, an absolute path, a symbolic link pointing out), a hidden part, or a file
    that is not a product file is refused."""
    if not given or "\x00" in given or given.startswith(("/", "\\")):
        return None
    parts = Path(given).parts
    if any(p in ("..", "") or p.startswith(".") for p in parts):
        return None
    base = root.resolve()
    try:
        found = (base / given).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not found.is_relative_to(base) or not found.is_file() or found.suffix not in SUFFIXES:
        return None
    return found


def csrf_token(given: str | None) -> str:
    """The token of this browser: the one its cookie holds if well formed, else a new one."""
    if given and 20 <= len(given) <= 100 and given.replace("-", "").replace("_", "").isalnum():
        return given
    return secrets.token_urlsafe(32)


def csrf_ok(cookie: str | None, field: str | None) -> bool:
    """A form's token matches its browser's cookie (double submit; the cookie is SameSite=Strict,
    so another site's page cannot make the browser send it)."""
    return bool(cookie and field) and hmac.compare_digest(str(cookie), str(field))


class SecureHeaders:
    """ASGI middleware: every response, pages, downloads and errors alike, carries a policy
    that runs no script and loads nothing from elsewhere, and no sniffing or referrer."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *HEADERS]}
            await send(message)

        await self.app(scope, receive, sending)


class BoundedBody:
    """ASGI middleware: a request whose body is larger than ``limit`` bytes gets 413, whether
    it says so in Content-Length or not. The body is read (at most ``limit`` bytes of it) before
    the application sees the request, then handed to it as it came."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length" and value.isdigit() and int(value) > self.limit:
                await _too_large(send, self.limit)
                return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # the client left: nothing to answer
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await _too_large(send, self.limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        given = False

        async def replay() -> Any:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Any, limit: int) -> None:
    body = (
        f"<!doctype html><title>Too large</title><p>The request is larger than {limit:,} bytes, "
        "the most pathway reads. A product file is a few kilobytes.</p><p><strong>Decision "
        "support, not legal advice.</strong></p>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})
