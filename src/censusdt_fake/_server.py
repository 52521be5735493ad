"""The fake as a real HTTP server on 127.0.0.1, for clients in any language."""

from __future__ import annotations

import http.server
import logging
import threading
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from censusdt_fake._core import FakeDingTalk

__all__ = ["FakeServer"]

logger = logging.getLogger("censusdt_fake")

#: Largest request body the server reads.
# NOTE: DingTalk's gateway limit is not documented; 20 MiB is far above any API's payload.
MAX_BODY_BYTES = 20 * 1024 * 1024

#: How long a request with an injected timeout is held before the connection is closed.
TIMEOUT_HOLD_SECONDS = 30.0


class FakeServer:
    """A threaded HTTP server in front of :meth:`FakeDingTalk.handle`.

    Both DingTalk hosts are served from one base URL: new-API paths start with ``/v1.0/`` or
    ``/v2.0/``, so point both of a client's base URLs at ``url``. Injected timeouts hold the
    connection open without replying; disconnects and refused connections close it without a reply.
    """

    def __init__(self, fake: FakeDingTalk, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self._stopping = threading.Event()
        handler = _make_handler(fake, self._stopping)
        self._httpd = http.server.ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="censusdt-fake",
            daemon=True,
        )
        self._thread.start()
        logger.info("fake DingTalk listening on %s", self.url)

    def serve_forever_blocking(self) -> None:
        """Block the calling thread while the background server runs, until interrupted."""
        while not self._stopping.wait(0.5):
            pass

    def close(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        logger.info("fake DingTalk on %s stopped", self.url)

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _make_handler(
    fake: FakeDingTalk, stopping: threading.Event
) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without these, headers and body leave in separate small packets and delayed ACKs add
        # about 40 ms to every keep-alive request.
        disable_nagle_algorithm = True
        wbufsize = 64 * 1024

        def _dispatch(self) -> None:
            length = _content_length(self.headers.get("content-length"))
            if length is None:
                self._reply_plain(400, b"invalid Content-Length")
                return
            if length > MAX_BODY_BYTES:
                self._reply_plain(413, b"request body too large")
                return
            content = self.rfile.read(length) if length else b""
            request = httpx.Request(
                self.command,
                f"http://{self.headers.get('host', '127.0.0.1')}{self.path}",
                headers=[(key, value) for key, value in self.headers.items()],
                content=content,
            )
            try:
                response = fake.handle(request)
            except httpx.ReadTimeout:
                stopping.wait(TIMEOUT_HOLD_SECONDS)
                self.close_connection = True
                return
            except httpx.TransportError:
                self.close_connection = True
                return
            body = response.content
            self.send_response(response.status_code)
            for key, value in response.headers.items():
                if key.lower() not in {"content-length", "transfer-encoding", "connection"}:
                    self.send_header(key, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _reply_plain(self, status: int, message: bytes) -> None:
            logger.warning(
                "rejected %s %s: HTTP %d %s", self.command, self.path, status, message.decode()
            )
            self.send_response(status)
            self.send_header("content-type", "text/plain; charset=utf-8")
            self.send_header("content-length", str(len(message)))
            self.send_header("connection", "close")
            self.end_headers()
            self.wfile.write(message)
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("%s %s", self.address_string(), format % args)

    return Handler


def _content_length(header: str | None) -> int | None:
    """Read a Content-Length header; ``None`` when it is not a small non-negative integer."""
    if header is None or header == "":
        return 0
    if not header.isdigit() or len(header) > 12:
        return None
    return int(header)
