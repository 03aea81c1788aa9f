"""A stand-in for DingTalk's and WeCom's robot endpoints on 127.0.0.1, for tests that send to group robots.

    def test_it_posts(robot_server):
        post_dingtalk(robot_server.dingtalk_url(), robot_server.secret, title="t", text="x")
        assert robot_server.received[-1].body["markdown"]["text"] == "x"

DingTalk's endpoint (/robot/send) checks the token and, for a token with a secret, the 加签 signature and
that its timestamp is within the hour, answering 310000 as DingTalk does when either is wrong. WeCom's
(/cgi-bin/webhook/send) checks the key. `answer_next()` makes the next requests answer with an error code,
an HTTP status (and a Location), a body that is not JSON, or hang. The fixture adds the server to
ROBOT_WEBHOOK_HOSTS."""

from __future__ import annotations

import base64
import hmac
import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
TOKEN = "ding-token"  # a robot with 加签, whose secret is SECRET
UNSIGNED_TOKEN = "ding-unsigned"  # a robot without 加签 (a keyword or IP rule instead)
KEY = "wecom-key"


@dataclass
class Received:
    kind: str  # "dingtalk", "wecom" or "unknown"
    path: str
    query: dict[str, str]
    body: object  # the parsed JSON, or the raw text when it was not JSON


@dataclass
class Answer:
    """What the server does instead of its usual answer."""

    errcode: int | None = None
    errmsg: str = "error"
    status: int | None = None
    body: bytes | None = None
    hang: float | None = None  # seconds to wait before answering
    location: str | None = None  # a Location header, with a 3xx status


class RobotServer:
    def __init__(self) -> None:
        self.secret = SECRET
        self.token, self.unsigned_token, self.key = TOKEN, UNSIGNED_TOKEN, KEY
        self.dingtalk_secrets: dict[str, str | None] = {TOKEN: SECRET, UNSIGNED_TOKEN: None}
        self.wecom_keys = {KEY}
        self.received: list[Received] = []
        self._answers: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._released = threading.Event()  # ends every hang when the server stops
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        """host:port, as ROBOT_WEBHOOK_HOSTS lists it."""
        return f"127.0.0.1:{self._httpd.server_address[1]}"

    def dingtalk_url(self, token: str = TOKEN) -> str:
        return f"http://{self.host}/robot/send?access_token={token}"

    def wecom_url(self, key: str = KEY) -> str:
        return f"http://{self.host}/cgi-bin/webhook/send?key={key}"

    def answer_next(self, times: int = 1, **answer) -> None:
        """The next `times` requests get Answer(**answer): errcode=, status=, body= or hang= seconds."""
        with self._lock:
            self._answers.extend(Answer(**answer) for _ in range(times))

    def start(self) -> RobotServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    # ---------------------------------------------------------------------------------------- answers

    def _next_answer(self) -> Answer | None:
        with self._lock:
            return self._answers.popleft() if self._answers else None

    def answer(self, path: str, query: dict[str, str], raw: bytes) -> tuple[int, bytes, dict[str, str]]:
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode(errors="replace")
        kind = {"/robot/send": "dingtalk", "/cgi-bin/webhook/send": "wecom"}.get(path, "unknown")
        with self._lock:
            self.received.append(Received(kind=kind, path=path, query=query, body=body))
        special = self._next_answer()
        if special is not None:
            if special.hang is not None:
                self._released.wait(special.hang)
            headers = {"Location": special.location} if special.location else {}
            if special.status is not None:
                return special.status, b"<html>Server Error</html>", headers
            if special.body is not None:
                return 200, special.body, headers
            if special.errcode is not None:
                return *_reply(special.errcode, special.errmsg), headers
        if kind == "dingtalk":
            return *self._dingtalk(query, body), {}
        if kind == "wecom":
            return *self._wecom(query, body), {}
        return 404, b"not found", {}

    def _dingtalk(self, query: dict[str, str], body: object) -> tuple[int, bytes]:
        token = query.get("access_token", "")
        if token not in self.dingtalk_secrets:
            return _reply(300001, "token is not exist")
        secret = self.dingtalk_secrets[token]
        if secret is not None and not _signed_by(secret, query):
            return _reply(310000, "sign not match")
        if not isinstance(body, dict) or body.get("msgtype") not in {"markdown", "text"}:
            return _reply(40035, "缺少参数 json")
        return _reply(0, "ok")

    def _wecom(self, query: dict[str, str], body: object) -> tuple[int, bytes]:
        if query.get("key") not in self.wecom_keys:
            return _reply(93000, "invalid webhook url")
        if not isinstance(body, dict) or not (body.get("markdown") or {}).get("content"):
            return _reply(44004, "empty content")
        return _reply(0, "ok")


def _signed_by(secret: str, query: dict[str, str]) -> bool:
    """DingTalk's check, worked out here on its own: base64 HMAC-SHA256 of "timestamp\\nsecret", the
    timestamp in milliseconds and no more than an hour away."""
    try:
        timestamp = int(query["timestamp"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() * 1000 - timestamp) > 3600 * 1000:
        return False
    expected = base64.b64encode(hmac.digest(secret.encode(), f"{timestamp}\n{secret}".encode(), "sha256"))
    return hmac.compare_digest(expected.decode(), query.get("sign", ""))


def _reply(errcode: int, errmsg: str) -> tuple[int, bytes]:
    return 200, json.dumps({"errcode": errcode, "errmsg": errmsg}).encode()


def _handler(server: RobotServer):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            # parse_qs undoes the percent-encoding, so a sign sent without quote_plus ("+" as a space) fails.
            query = {k: v[0] for k, v in urllib.parse.parse_qs(parts.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, payload, headers = server.answer(parts.path, query, raw)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a hang): nothing to answer

        def log_message(self, format, *args) -> None:
            pass

    return Handler


@pytest.fixture
def robot_server(settings):
    """A RobotServer running for the test, its host:port added to ROBOT_WEBHOOK_HOSTS."""
    server = RobotServer().start()
    settings.ROBOT_WEBHOOK_HOSTS = [*settings.ROBOT_WEBHOOK_HOSTS, server.host]
    yield server
    server.stop()
