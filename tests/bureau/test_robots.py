"""Group robots: what DingTalk/浙政钉 and WeCom receive, how their refusals read, which webhooks an admin may
enter, and the admin's robot pages."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import time
import urllib.parse

import pytest
from django.urls import reverse

from bureau import robots
from bureau.models import Robot
from bureau.robots import DeliveryError, post_dingtalk, post_wecom, send_robot_message, webhook_problem
from tests.helpers import make_division

DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=abc123"
ZHEJIANG = "https://openplatform-pro.ding.zj.gov.cn/robot/send?access_token=abc123"
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"


def _refusal(call) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        call()
    return caught.value


# ------------------------------------------------------------------------------------------ DingTalk


class TestDingTalk:
    def test_a_signed_markdown_message_is_accepted(self, robot_server):
        post_dingtalk(robot_server.dingtalk_url(), robot_server.secret, title="催办", text="#### 催办\n\n请报送")
        (received,) = robot_server.received
        assert received.body == {
            "msgtype": "markdown",
            "markdown": {"title": "催办", "text": "#### 催办\n\n请报送"},
            "at": {"atMobiles": [], "isAtAll": False},
        }
        assert set(received.query) == {"access_token", "timestamp", "sign"}

    def test_the_sign_is_quoted_so_plus_and_slash_arrive_intact(self, robot_server, monkeypatch):
        secret = robot_server.secret

        def sign(ms: int) -> str:
            digest = hmac.new(secret.encode(), f"{ms}\n{secret}".encode(), hashlib.sha256).digest()
            return base64.b64encode(digest).decode()

        now = int(time.time() * 1000)
        ms = next(ms for ms in range(now, now + 10_000) if "+" in sign(ms) and "/" in sign(ms))
        monkeypatch.setattr(robots, "_now_ms", lambda: ms)
        post_dingtalk(robot_server.dingtalk_url(), secret, title="t", text="x")
        assert robot_server.received[0].query["sign"] == sign(ms)
        assert robot_server.received[0].query["timestamp"] == str(ms)

    def test_a_robot_without_a_secret_is_posted_to_unsigned(self, robot_server):
        post_dingtalk(robot_server.dingtalk_url(robot_server.unsigned_token), "", title="t", text="x")
        assert set(robot_server.received[0].query) == {"access_token"}

    def test_mentions_are_listed_and_written_into_the_text(self, robot_server):
        post_dingtalk(
            robot_server.dingtalk_url(),
            robot_server.secret,
            title="t",
            text="请 @13800000001 报送",
            mentions=["13800000001", "13800000002", "13800000002"],
        )
        body = robot_server.received[0].body
        assert body["at"]["atMobiles"] == ["13800000001", "13800000002"]
        assert body["markdown"]["text"] == "请 @13800000001 报送\n\n@13800000002"

    def test_a_wrong_secret_is_refused_for_good_with_the_errcode(self, robot_server):
        error = _refusal(lambda: post_dingtalk(robot_server.dingtalk_url(), "SECwrong", title="t", text="x"))
        assert error.permanent
        assert error.errcode == 310000
        assert str(error).startswith("钉钉返回错误 310000：sign not match")

    def test_a_signature_older_than_an_hour_is_refused(self, robot_server, monkeypatch):
        monkeypatch.setattr(robots, "_now_ms", lambda: int((time.time() - 2 * 3600) * 1000))
        error = _refusal(lambda: post_dingtalk(robot_server.dingtalk_url(), robot_server.secret, title="t", text="x"))
        assert (error.errcode, error.permanent) == (310000, True)

    def test_an_unknown_token_is_refused_for_good(self, robot_server):
        error = _refusal(lambda: post_dingtalk(robot_server.dingtalk_url("gone"), "", title="t", text="x"))
        assert (error.errcode, error.permanent) == (300001, True)
        assert "300001" in str(error)

    @pytest.mark.parametrize(("errcode", "permanent"), [(130101, False), (410100, False), (-1, False), (400102, True)])
    def test_rate_limits_and_busy_are_retried_other_codes_are_not(self, robot_server, errcode, permanent):
        robot_server.answer_next(errcode=errcode, errmsg="send too fast")
        error = _refusal(lambda: post_dingtalk(robot_server.dingtalk_url(), robot_server.secret, title="t", text="x"))
        assert (error.errcode, error.permanent) == (errcode, permanent)
        assert f"钉钉返回错误 {errcode}：send too fast" in str(error)

    def test_zhejiang_government_robots_are_dingtalk_robots(self):
        assert webhook_problem("dingtalk", ZHEJIANG) is None


# ------------------------------------------------------------------------------------------ WeCom


class TestWeCom:
    def test_a_markdown_message_is_accepted(self, robot_server):
        post_wecom(robot_server.wecom_url(), text="#### 催办\n[查看任务](http://x/tasks/1/)")
        assert robot_server.received[0].body == {
            "msgtype": "markdown",
            "markdown": {"content": "#### 催办\n[查看任务](http://x/tasks/1/)"},
        }

    def test_mentions_are_ignored(self, robot_server):
        post_wecom(robot_server.wecom_url(), text="x", mentions=["13800000001"])
        assert robot_server.received[0].body["markdown"]["content"] == "x"

    def test_a_long_text_is_cut_to_what_wecom_takes(self, robot_server):
        post_wecom(robot_server.wecom_url(), text="督办" * 3000)
        content = robot_server.received[0].body["markdown"]["content"]
        assert len(content.encode()) <= 4096
        assert content.endswith("……")

    def test_an_unknown_key_is_refused_for_good(self, robot_server):
        error = _refusal(lambda: post_wecom(robot_server.wecom_url("nope"), text="x"))
        assert (error.errcode, error.permanent) == (93000, True)
        assert str(error).startswith("企业微信返回错误 93000：invalid webhook url")

    def test_the_rate_limit_is_retried(self, robot_server):
        robot_server.answer_next(errcode=45009, errmsg="api freq out of limit")
        error = _refusal(lambda: post_wecom(robot_server.wecom_url(), text="x"))
        assert (error.errcode, error.permanent) == (45009, False)

    def test_send_robot_message_goes_by_the_robots_kind(self, robot_server, personas):
        wecom = Robot(bureau=personas.bureau, kind="wecom", name="企微", webhook=robot_server.wecom_url())
        dingtalk = Robot(
            bureau=personas.bureau,
            kind="dingtalk",
            name="钉钉",
            webhook=robot_server.dingtalk_url(),
            secret=robot_server.secret,
        )
        send_robot_message(wecom, title="t", text="企微")
        send_robot_message(dingtalk, title="t", text="钉钉", mentions=["13800000001"])
        assert [r.kind for r in robot_server.received] == ["wecom", "dingtalk"]
        assert robot_server.received[1].body["at"]["atMobiles"] == ["13800000001"]


# ------------------------------------------------------------------------------------------ the wire


class TestFailures:
    def test_a_hanging_endpoint_times_out_within_the_timeout(self, robot_server):
        robot_server.answer_next(hang=5)
        started = time.monotonic()
        error = _refusal(lambda: post_wecom(robot_server.wecom_url(), text="x", timeout=0.5))
        assert time.monotonic() - started < 2
        assert str(error) == "连接超时（0.5 秒）"
        assert not error.permanent

    @pytest.mark.parametrize(("status", "permanent"), [(500, False), (502, False), (429, False), (404, True)])
    def test_http_errors_are_retried_unless_a_4xx(self, robot_server, status, permanent):
        robot_server.answer_next(status=status)
        error = _refusal(lambda: post_dingtalk(robot_server.dingtalk_url(), robot_server.secret, title="t", text="x"))
        assert str(error).startswith(f"HTTP {status}")
        assert error.permanent is permanent

    def test_a_reply_that_is_not_json_is_retried(self, robot_server):
        robot_server.answer_next(body=b"<html>gateway</html>")
        error = _refusal(lambda: post_wecom(robot_server.wecom_url(), text="x"))
        assert "不是 JSON" in str(error)
        assert not error.permanent

    def test_a_huge_reply_is_not_read_to_its_end(self, robot_server):
        robot_server.answer_next(body=b'{"errcode": 0, "errmsg": "' + b"x" * 1_000_000 + b'"}')
        error = _refusal(lambda: post_wecom(robot_server.wecom_url(), text="x"))
        assert "不是 JSON" in str(error)

    def test_json_without_an_errcode_is_retried(self, robot_server):
        robot_server.answer_next(body=b'{"ok": true}')
        error = _refusal(lambda: post_wecom(robot_server.wecom_url(), text="x"))
        assert "无法识别" in str(error)
        assert not error.permanent

    def test_a_redirect_is_not_followed(self, robot_server):
        robot_server.answer_next(status=302, location="http://169.254.169.254/latest/meta-data/")
        error = _refusal(lambda: post_wecom(robot_server.wecom_url(), text="x"))
        assert "跳转" in str(error)
        assert error.permanent
        assert len(robot_server.received) == 1

    def test_a_refused_connection_is_retried(self, settings):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        settings.ROBOT_WEBHOOK_HOSTS = [f"127.0.0.1:{port}"]
        url = f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k"
        error = _refusal(lambda: post_wecom(url, text="x"))
        assert str(error) == "无法连接：连接被拒绝"
        assert not error.permanent

    def test_an_address_not_allowed_is_refused_without_a_request(self, robot_server):
        started = time.monotonic()
        error = _refusal(
            lambda: post_dingtalk("http://169.254.169.254/robot/send?access_token=x", "", title="t", text="x")
        )
        assert error.permanent
        assert "oapi.dingtalk.com" in str(error)
        assert time.monotonic() - started < 0.5


# ------------------------------------------------------------------------------------------ webhooks


class TestWebhookProblem:
    @pytest.mark.parametrize(("kind", "url"), [("dingtalk", DINGTALK), ("dingtalk", ZHEJIANG), ("wecom", WECOM)])
    def test_the_official_addresses_pass(self, kind, url):
        assert webhook_problem(kind, url) is None

    @pytest.mark.parametrize(
        ("kind", "url", "words"),
        [
            ("dingtalk", "https://example.com/robot/send?access_token=abc", "https://oapi.dingtalk.com/robot/send"),
            ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=abc", "https://"),
            ("dingtalk", "https://oapi.dingtalk.com/robot/send", "缺少 access_token"),
            ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=", "缺少 access_token"),
            ("dingtalk", "https://oapi.dingtalk.com/gettoken?access_token=abc", "https://oapi.dingtalk.com/robot/send"),
            ("dingtalk", "https://oapi.dingtalk.com:8443/robot/send?access_token=abc", "ROBOT_WEBHOOK_HOSTS"),
            ("dingtalk", "http://169.254.169.254/latest/meta-data/?access_token=abc", "ROBOT_WEBHOOK_HOSTS"),
            ("dingtalk", "https://oapi.dingtalk.com@169.254.169.254/robot/send?access_token=abc", "用户名或密码"),
            ("dingtalk", "http://127.0.0.1:8000/robot/send?access_token=abc", "ROBOT_WEBHOOK_HOSTS"),
            ("dingtalk", WECOM, "请将类型选为企业微信"),
            ("wecom", DINGTALK, "请将类型选为钉钉"),
            ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?token=abc", "缺少 key"),
            ("wecom", "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "无法识别"),
            ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a b", "空格"),
            ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=令牌", "中文或全角"),
            ("wecom", "", "请填写"),
        ],
    )
    def test_other_addresses_are_refused_with_the_reason(self, kind, url, words):
        problem = webhook_problem(kind, url)
        assert problem is not None and words in problem

    def test_a_listed_gateway_may_be_plain_http_on_its_port(self, settings):
        settings.ROBOT_WEBHOOK_HOSTS = ["10.1.2.3:8080", "gw.zj.gov.cn"]
        assert webhook_problem("dingtalk", "http://10.1.2.3:8080/ding/robot/send?access_token=a") is None
        assert webhook_problem("wecom", "http://gw.zj.gov.cn/wecom/send?key=a") is None
        assert webhook_problem("wecom", "https://gw.zj.gov.cn/wecom/send?key=a") is None
        assert webhook_problem("wecom", "http://gw.zj.gov.cn:9000/wecom/send?key=a") is not None
        assert webhook_problem("wecom", "http://10.1.2.3:8081/wecom/send?key=a") is not None
        assert webhook_problem("wecom", "http://gw.zj.gov.cn/wecom/send") is not None  # still needs its key


# ------------------------------------------------------------------------------------------ the pages


SECRET = "SEC" + "f" * 60


def _robot(bureau, *, division=None, kind="dingtalk", secret=SECRET, **fields) -> Robot:
    webhook = fields.pop("webhook", DINGTALK if kind == "dingtalk" else WECOM)
    fields.setdefault("name", "基教处群")
    return Robot.objects.create(
        bureau=bureau,
        division=division,
        kind=kind,
        webhook=webhook,
        secret=secret if kind == "dingtalk" else "",
        **fields,
    )


def _form(**changes) -> dict:
    data = {"kind": "dingtalk", "name": "基教处工作群", "webhook": DINGTALK, "secret": SECRET, "active": "on"}
    data |= changes
    return {k: v for k, v in data.items() if v is not None}


class TestRobotList:
    def test_it_lists_the_bureaus_robots_with_their_secrets_masked(self, client, personas):
        _robot(personas.bureau, division=personas.division, name="基教处群")
        _robot(personas.bureau, kind="wecom", name="全局企微群")
        _robot(personas.other_bureau, name="衢州的群")
        client.force_login(personas.admin)
        response = client.get(reverse("robot_list"))
        page = response.content.decode()
        assert "基教处群" in page and "全局企微群" in page and "全局" in page
        assert "衢州的群" not in page
        assert SECRET not in page and "abc123" not in page
        assert "SEC••••••ffff" in page

    def test_its_queries_do_not_grow_with_its_robots(self, client, personas, django_assert_max_num_queries):
        client.force_login(personas.admin)
        _robot(personas.bureau, division=personas.division)
        with django_assert_max_num_queries(6):
            client.get(reverse("robot_list"))
        for n in range(20):
            _robot(personas.bureau, division=make_division(personas.bureau, f"处室{n}"), name=f"群{n}")
        with django_assert_max_num_queries(6):
            response = client.get(reverse("robot_list"))
        assert response.content.decode().count("发送测试消息") == 21

    def test_staff_are_refused(self, client, personas):
        client.force_login(personas.staff)
        assert client.get(reverse("robot_list")).status_code == 403

    def test_the_nav_shows_it_to_admins_only(self, client, personas):
        client.force_login(personas.admin)
        assert "群机器人" in client.get(reverse("tasks:plan_list")).content.decode()
        client.force_login(personas.staff)
        assert "群机器人" not in client.get(reverse("tasks:plan_list")).content.decode()


class TestRobotCreate:
    def test_it_adds_a_divisions_robot(self, client, personas):
        client.force_login(personas.admin)
        response = client.post(reverse("robot_create"), _form(division=personas.division.pk))
        assert response.status_code == 302
        robot = Robot.objects.get()
        assert (robot.bureau, robot.division, robot.kind, robot.secret) == (
            personas.bureau,
            personas.division,
            "dingtalk",
            SECRET,
        )

    def test_no_division_makes_the_bureau_wide_robot(self, client, personas):
        client.force_login(personas.admin)
        client.post(reverse("robot_create"), _form(kind="wecom", webhook=WECOM, secret=""))
        robot = Robot.objects.get()
        assert (robot.division, robot.kind, robot.secret) == (None, "wecom", "")

    def test_only_the_admins_own_divisions_are_offered(self, client, personas):
        far = make_division(personas.other_bureau, "衢州基教处")
        client.force_login(personas.admin)
        page = client.get(reverse("robot_create")).content.decode()
        assert "督导处" in page and "衢州基教处" not in page
        response = client.post(reverse("robot_create"), _form(division=far.pk))
        assert response.status_code == 400
        assert not Robot.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            (
                {"webhook": "http://169.254.169.254/latest/?access_token=x"},
                "Webhook 地址应以 https://oapi.dingtalk.com",
            ),
            ({"webhook": "https://oapi.dingtalk.com/robot/send"}, "缺少 access_token"),
            ({"webhook": WECOM}, "请将类型选为企业微信"),
            ({"kind": "wecom", "webhook": WECOM}, "企业微信群机器人没有加签密钥"),
            ({"secret": DINGTALK}, "这里填加签密钥"),
            ({"name": ""}, "这个字段是必填项"),
            ({"kind": "feishu"}, "选择一个有效的选项"),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_nothing_saved(self, client, personas, changes, message):
        client.force_login(personas.admin)
        response = client.post(reverse("robot_create"), _form(**changes))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Robot.objects.exists()

    def test_the_superuser_chooses_the_bureau_and_one_of_its_divisions(self, client, personas, django_user_model):
        far = make_division(personas.other_bureau, "衢州基教处")
        client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
        wrong = _form(bureau=personas.other_bureau.pk, division=personas.division.pk)
        assert client.post(reverse("robot_create"), wrong).status_code == 400
        assert not Robot.objects.exists()
        client.post(reverse("robot_create"), _form(bureau=personas.other_bureau.pk, division=far.pk))
        robot = Robot.objects.get()
        assert (robot.bureau, robot.division) == (personas.other_bureau, far)

    def test_staff_are_refused(self, client, personas):
        client.force_login(personas.staff)
        assert client.post(reverse("robot_create"), _form()).status_code == 403
        assert not Robot.objects.exists()


class TestRobotEdit:
    def test_the_secret_is_shown_masked_and_kept_when_left_empty(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.admin)
        page = client.get(reverse("robot_edit", args=[robot.pk])).content.decode()
        assert SECRET not in page
        assert "SEC••••••ffff" in page
        response = client.post(reverse("robot_edit", args=[robot.pk]), _form(name="改名的群", secret=""))
        assert response.status_code == 302
        robot.refresh_from_db()
        assert (robot.name, robot.secret) == ("改名的群", SECRET)

    def test_a_new_secret_replaces_the_old(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.admin)
        client.post(reverse("robot_edit", args=[robot.pk]), _form(secret="SECnew"))
        robot.refresh_from_db()
        assert robot.secret == "SECnew"

    def test_the_secret_can_be_cleared(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.admin)
        client.post(reverse("robot_edit", args=[robot.pk]), _form(secret="", clear_secret="on"))
        robot.refresh_from_db()
        assert robot.secret == ""

    def test_turning_it_into_a_wecom_robot_drops_the_secret(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.admin)
        client.post(reverse("robot_edit", args=[robot.pk]), _form(kind="wecom", webhook=WECOM, secret=""))
        robot.refresh_from_db()
        assert (robot.kind, robot.secret) == ("wecom", "")

    def test_a_bad_webhook_leaves_the_robot_as_it_was(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.admin)
        response = client.post(reverse("robot_edit", args=[robot.pk]), _form(webhook="https://evil.example/x"))
        assert response.status_code == 400
        robot.refresh_from_db()
        assert robot.webhook == DINGTALK

    def test_another_bureaus_robot_is_not_found(self, client, personas):
        robot = _robot(personas.other_bureau)
        client.force_login(personas.admin)
        assert client.get(reverse("robot_edit", args=[robot.pk])).status_code == 404
        assert client.post(reverse("robot_edit", args=[robot.pk]), _form()).status_code == 404

    def test_staff_are_refused(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.staff)
        assert client.get(reverse("robot_edit", args=[robot.pk])).status_code == 403


class TestRobotDelete:
    def test_it_deletes(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.admin)
        assert client.post(reverse("robot_delete", args=[robot.pk])).status_code == 302
        assert not Robot.objects.exists()

    def test_another_bureaus_robot_is_not_found_and_stays(self, client, personas):
        robot = _robot(personas.other_bureau)
        client.force_login(personas.admin)
        assert client.post(reverse("robot_delete", args=[robot.pk])).status_code == 404
        assert Robot.objects.filter(pk=robot.pk).exists()

    def test_staff_are_refused(self, client, personas):
        robot = _robot(personas.bureau)
        client.force_login(personas.staff)
        assert client.post(reverse("robot_delete", args=[robot.pk])).status_code == 403
        assert Robot.objects.filter(pk=robot.pk).exists()


class TestRobotTest:
    def test_a_test_message_arrives_and_says_so(self, client, personas, robot_server):
        robot = _robot(personas.bureau, webhook=robot_server.dingtalk_url(), secret=robot_server.secret)
        client.force_login(personas.admin)
        response = client.post(reverse("robot_test", args=[robot.pk]), follow=True)
        assert "测试消息发送成功" in response.content.decode()
        (received,) = robot_server.received
        assert "督办系统测试消息" in received.body["markdown"]["text"]
        assert "](http" in received.body["markdown"]["text"]  # a link to the site

    def test_an_inactive_robot_can_be_tested_and_says_it_is_off(self, client, personas, robot_server):
        robot = _robot(personas.bureau, kind="wecom", webhook=robot_server.wecom_url(), active=False)
        client.force_login(personas.admin)
        page = client.post(reverse("robot_test", args=[robot.pk]), follow=True).content.decode()
        assert "测试消息发送成功" in page and "已停用" in page

    def test_a_refusal_is_shown_with_its_reason(self, client, personas, robot_server):
        robot = _robot(personas.bureau, webhook=robot_server.dingtalk_url(), secret="SECwrong")
        client.force_login(personas.admin)
        page = client.post(reverse("robot_test", args=[robot.pk]), follow=True).content.decode()
        assert "测试消息发送失败：钉钉返回错误 310000：sign not match" in page

    def test_a_hanging_robot_is_given_up_on_quickly(self, client, personas, robot_server, monkeypatch):
        from bureau.views import robots as robot_views

        monkeypatch.setattr(robot_views, "TEST_TIMEOUT", 0.5)
        robot = _robot(personas.bureau, kind="wecom", webhook=robot_server.wecom_url())
        robot_server.answer_next(hang=5)
        client.force_login(personas.admin)
        started = time.monotonic()
        page = client.post(reverse("robot_test", args=[robot.pk]), follow=True).content.decode()
        assert time.monotonic() - started < 2
        assert "连接超时（0.5 秒）" in page

    def test_another_bureaus_robot_is_not_found(self, client, personas, robot_server):
        robot = _robot(personas.other_bureau, webhook=robot_server.dingtalk_url())
        client.force_login(personas.admin)
        assert client.post(reverse("robot_test", args=[robot.pk])).status_code == 404
        assert robot_server.received == []

    def test_staff_are_refused(self, client, personas, robot_server):
        robot = _robot(personas.bureau, webhook=robot_server.dingtalk_url())
        client.force_login(personas.staff)
        assert client.post(reverse("robot_test", args=[robot.pk])).status_code == 403
        assert robot_server.received == []


def test_a_mask_keeps_the_token_out_of_sight():
    masked = robots.masked_webhook("https://oapi.dingtalk.com/robot/send?access_token=" + "a" * 64)
    assert masked == "https://oapi.dingtalk.com/robot/send?access_token=aaa••••••aaaa"
    assert urllib.parse.urlsplit(masked).hostname == "oapi.dingtalk.com"
