"""bench_redmine without a Redmine: its login against a stand-in server, the interleaving, the table, the refusals."""

import http.server
import socket
import threading
import urllib.parse
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.bench.side_by_side import (
    LoginFailed,
    Pair,
    Response,
    Site,
    comparison_table,
    login_token,
    redmine_login,
    time_pairs,
)

LOGIN_PAGE = """<html><head><meta name="csrf-token" content="meta-token"></head><body>
<form action="/login" method="post"><input type="hidden" value="tok&#43;/=" name="authenticity_token">
<input name="username"><input name="password" type="password"></form></body></html>"""


class FakeRedmine(http.server.BaseHTTPRequestHandler):
    """Redmine's login as far as the bench uses it: a form token, a session cookie, /my/account."""

    posted: list[dict] = []

    def do_GET(self) -> None:
        if self.path == "/login":
            self._answer(200, LOGIN_PAGE, cookie="_redmine_session=anonymous")
        elif self.path == "/my/account" and "_redmine_session=logged-in" in self.headers.get("Cookie", ""):
            self._answer(200, "我的帐号")
        else:
            self._answer(302, "", location="/login")

    def do_POST(self) -> None:
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.posted.append({"form": form, "cookie": self.headers.get("Cookie", "")})
        if form.get("password") == ["right"] and form.get("authenticity_token") == ["tok+/="]:
            self._answer(302, "", location="/my/page", cookie="_redmine_session=logged-in; path=/; HttpOnly")
        else:
            self._answer(200, LOGIN_PAGE)  # Redmine shows the form again with "Invalid user or password"

    def _answer(self, status: int, body: str, *, location: str = "", cookie: str = "") -> None:
        content = body.encode()
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def redmine_url():
    FakeRedmine.posted = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeRedmine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def refused_url():
    """An address where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_the_token_is_the_forms_hidden_field_with_its_entities_read():
    assert login_token(LOGIN_PAGE) == "tok+/="


def test_without_the_hidden_field_the_token_is_the_csrf_meta_tag():
    assert login_token('<meta content="abc=" name="csrf-token"><form></form>') == "abc="


def test_a_page_without_any_token_has_none():
    assert login_token("<html><body><p>502 Bad Gateway</p></body></html>") is None


def test_the_login_posts_the_token_with_the_session_cookie_and_keeps_the_new_cookie(redmine_url):
    site = Site("Redmine", [redmine_url])
    redmine_login(site, "admin", "right")
    assert site.cookies["_redmine_session"] == "logged-in"
    (post,) = FakeRedmine.posted
    assert post["form"]["username"] == ["admin"]
    assert "_redmine_session=anonymous" in post["cookie"]


def test_a_wrong_password_is_a_failed_login(redmine_url):
    with pytest.raises(LoginFailed, match="用户名或密码不对"):
        redmine_login(Site("Redmine", [redmine_url]), "admin", "wrong")


def _command(redmine: str, ours: str, password: str) -> None:
    call_command(
        "bench_redmine", "--redmine-url", redmine, "--redmine-password", password, "--url", ours, stdout=StringIO()
    )


def test_the_command_exits_with_2_when_redmine_refuses_connections(refused_url):
    with pytest.raises(CommandError, match="无法连接") as error:
        _command(refused_url, refused_url, "right")
    assert error.value.returncode == 2


def test_the_command_exits_with_2_when_the_redmine_login_fails(redmine_url, refused_url):
    with pytest.raises(CommandError, match="Redmine 登录失败") as error:
        _command(redmine_url, refused_url, "wrong")
    assert error.value.returncode == 2


def test_the_command_exits_with_2_when_our_server_refuses_connections(redmine_url, refused_url):
    with pytest.raises(CommandError, match=r"我方服务.*无法连接") as error:
        _command(redmine_url, refused_url, "right")
    assert error.value.returncode == 2


class _Recorded(Site):
    """A site that answers at once and writes down who was asked."""

    def __init__(self, name: str, log: list, ms: float) -> None:
        super().__init__(name, ["http://unused"])
        self.log, self.ms = log, ms

    def get(self, path: str) -> Response:
        self.log.append(self.name)
        return Response(200, None, b"", self.ms)


def test_requests_alternate_between_the_two_sides_and_swap_who_goes_first():
    log: list[str] = []
    redmine, ours = _Recorded("R", log, 30.0), _Recorded("O", log, 10.0)
    results = time_pairs([Pair("列表", "/issues", "/tasks/", "leader")], redmine, {"leader": ours}, samples=3,
                         export_samples=1, warm_up=1)  # fmt: skip
    assert log == ["R", "O", "O", "R", "R", "O", "O", "R"]
    assert results["列表"]["redmine"] == {"p50_ms": 30.0, "p95_ms": 30.0}
    assert results["列表"]["ours"] == {"p50_ms": 10.0, "p95_ms": 10.0}


def test_the_table_gives_redmine_over_ours_and_a_dash_when_ours_took_no_time():
    results = {
        "列表": {"redmine": {"p50_ms": 90.0, "p95_ms": 120.0}, "ours": {"p50_ms": 30.0, "p95_ms": 40.0}},
        "详情": {"redmine": {"p50_ms": 50.0, "p95_ms": 60.0}, "ours": {"p50_ms": 0.0, "p95_ms": 0.0}},
    }
    header, listing, detail = comparison_table(results)
    assert "倍数" in header
    assert listing.split()[-2:] == ["3.0×", "3.0×"]
    assert "90.0" in listing and "30.0" in listing
    assert detail.split()[-2:] == ["—", "—"]
