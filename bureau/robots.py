"""Posting markdown to group robots: DingTalk (and 浙政钉, the same protocol on Zhejiang's government host)
custom robots, and WeCom (企业微信) group robots. Plain urllib; the outbox (bureau/outbox.py) calls these and
decides on retries from `DeliveryError.permanent`.

WeCom's markdown cannot @ anyone by mobile number, so `mentions` are only used for DingTalk; a WeCom message
names people in its text instead."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from django.conf import settings

DEFAULT_TIMEOUT = 5.0
MAX_REPLY_BYTES = 64 * 1024
# WeCom refuses markdown over 4096 bytes; DingTalk's limit is larger and undocumented, 20000 is well inside it.
WECOM_MAX_BYTES = 4096
DINGTALK_MAX_BYTES = 18000

DINGTALK_HOSTS = ("oapi.dingtalk.com", "openplatform-pro.ding.zj.gov.cn")  # DingTalk, 浙政钉
DINGTALK_PATH, DINGTALK_PARAM = "/robot/send", "access_token"
WECOM_HOSTS = ("qyapi.weixin.qq.com",)
WECOM_PATH, WECOM_PARAM = "/cgi-bin/webhook/send", "key"

DINGTALK_PREFIX = f"https://{DINGTALK_HOSTS[0]}{DINGTALK_PATH}?{DINGTALK_PARAM}="
ZHEJIANG_PREFIX = f"https://{DINGTALK_HOSTS[1]}{DINGTALK_PATH}?{DINGTALK_PARAM}="
WECOM_PREFIX = f"https://{WECOM_HOSTS[0]}{WECOM_PATH}?{WECOM_PARAM}="

# Error codes worth another try later: rate limits and "system busy"; every other code is a setting to fix.
DINGTALK_RETRYABLE = {-1, 130101, 410100}
RATE_LIMITED = {130101, 45009}  # DingTalk's and WeCom's "too many messages a minute"
WECOM_RETRYABLE = {-1, 45009}
DINGTALK_HINTS = {
    130101: "发送过于频繁，稍后重试",
    410100: "发送过于频繁，稍后重试",
    300001: "access_token 无效，机器人可能已被移除",
    310000: "加签密钥、自定义关键词或 IP 白名单不符",
    400102: "机器人已停用",
}
WECOM_HINTS = {
    45009: "发送过于频繁，稍后重试",
    93000: "key 无效，机器人可能已被移除",
}


class DeliveryError(Exception):
    """A message that did not arrive; str() is the reason shown to the admin, in Chinese.
    `permanent` is True when retrying cannot help (a bad token or key, a refused signature, a 4xx other
    than 429), False for timeouts, 5xx, 429, refused connections and unreadable replies."""

    def __init__(self, reason: str, *, permanent: bool, errcode: int | None = None, rate_limited: bool = False):
        super().__init__(reason)
        self.permanent = permanent
        self.errcode = errcode
        # The service asked us to send more slowly (HTTP 429, DingTalk 130101, WeCom 45009): the outbox waits
        # and tries again without counting it against the message.
        self.rate_limited = rate_limited


# ------------------------------------------------------------------------------------------ addresses


def extra_hosts() -> set[str]:
    """host[:port] entries of ROBOT_WEBHOOK_HOSTS: gateways (and the tests' server) allowed besides the
    official hosts, over plain http too."""
    return {h.strip().lower() for h in getattr(settings, "ROBOT_WEBHOOK_HOSTS", []) if h.strip()}


def webhook_problem(kind: str, url: str) -> str | None:
    """None when `url` is a webhook of `kind` the server may post to, else what is wrong, for the form.
    Only the official hosts and those in ROBOT_WEBHOOK_HOSTS pass, so an admin cannot point the server at
    an internal address."""
    if kind == "dingtalk":
        hosts, path, param = DINGTALK_HOSTS, DINGTALK_PATH, DINGTALK_PARAM
        expected = f"Webhook 地址应以 {DINGTALK_PREFIX} 开头（浙政钉为 {ZHEJIANG_PREFIX}）"
        other_hosts, other_name = WECOM_HOSTS, "企业微信"
    elif kind == "wecom":
        hosts, path, param = WECOM_HOSTS, WECOM_PATH, WECOM_PARAM
        expected = f"Webhook 地址应以 {WECOM_PREFIX} 开头"
        other_hosts, other_name = DINGTALK_HOSTS, "钉钉"
    else:
        return "请选择机器人类型。"
    url = url.strip()
    if not url:
        return "请填写 Webhook 地址。"
    if any(c.isspace() or ord(c) < 32 for c in url):
        return "Webhook 地址中不能有空格或换行，请从群设置中完整复制。"
    if not url.isascii():
        # Real tokens and keys are ASCII; a Chinese character means a mistyped or mangled copy, which no
        # retry would ever send.
        return "Webhook 地址中不能有中文或全角字符，请从群设置中重新复制。"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return f"Webhook 地址无法识别。{expected}。"
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"Webhook 地址无法识别。{expected}。"
    if parts.username is not None or parts.password is not None:
        return f"Webhook 地址中不能含有用户名或密码。{expected}。"
    netloc = f"{host}:{port}" if port is not None else host
    default_port = port is None or port == {"http": 80, "https": 443}[parts.scheme]
    gateway = netloc in extra_hosts() or (default_port and host in extra_hosts())
    if not gateway:
        if host in other_hosts:
            return f"这是{other_name}机器人的地址，请将类型选为{other_name}。"
        if host not in hosts or not default_port:
            return f"{expected}。其他地址（如政务内网网关）须由系统管理员在 ROBOT_WEBHOOK_HOSTS 中登记。"
        if parts.scheme != "https":
            return f"请使用 https:// 地址。{expected}。"
        if parts.path != path:
            return f"{expected}。"
    values = urllib.parse.parse_qs(parts.query).get(param, [])
    if len(values) != 1 or not values[0].strip():
        return f"Webhook 地址缺少 {param}。{expected}。"
    return None


# ------------------------------------------------------------------------------------------ sending


def sign_dingtalk(webhook: str, secret: str, *, now_ms: int | None = None) -> str:
    """The webhook with DingTalk's 加签 appended: timestamp and an HMAC-SHA256 of "timestamp\\nsecret"."""
    timestamp = _now_ms() if now_ms is None else now_ms
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{webhook}&timestamp={timestamp}&sign={sign}"


def post_dingtalk(
    webhook: str,
    secret: str,
    *,
    title: str,
    text: str,
    mentions: Iterable[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Posts markdown to a DingTalk/浙政钉 custom robot; `mentions` are mobile numbers to @."""
    problem = webhook_problem("dingtalk", webhook)
    if problem:
        raise DeliveryError(problem, permanent=True)
    mobiles = list(dict.fromkeys(m.strip() for m in mentions if m and m.strip()))
    text = _clip(text, DINGTALK_MAX_BYTES)
    # DingTalk only highlights a mention whose "@mobile" is in the text as well.
    missing = [m for m in mobiles if f"@{m}" not in text]
    if missing:
        text += "\n\n" + " ".join(f"@{m}" for m in missing)
    body = {
        "msgtype": "markdown",
        "markdown": {"title": _clip(title, 200) or "督办通知", "text": text},
        "at": {"atMobiles": mobiles, "isAtAll": False},
    }
    url = sign_dingtalk(webhook.strip(), secret.strip()) if secret.strip() else webhook.strip()
    reply = _post_json(url, body, timeout)
    _check_errcode(reply, "钉钉", DINGTALK_RETRYABLE, DINGTALK_HINTS)


def post_wecom(webhook: str, *, text: str, mentions: Iterable[str] = (), timeout: float = DEFAULT_TIMEOUT) -> None:
    """Posts markdown to a WeCom group robot. `mentions` are accepted for symmetry and ignored: WeCom's
    markdown cannot @ by mobile number."""
    problem = webhook_problem("wecom", webhook)
    if problem:
        raise DeliveryError(problem, permanent=True)
    body = {"msgtype": "markdown", "markdown": {"content": _clip(text, WECOM_MAX_BYTES)}}
    reply = _post_json(webhook.strip(), body, timeout)
    _check_errcode(reply, "企业微信", WECOM_RETRYABLE, WECOM_HINTS)


def send_robot_message(robot, *, title: str, text: str, mentions: Iterable[str] = (), timeout=None) -> None:
    """Posts to `robot` (a bureau.models.Robot) by its kind, whether or not it is active: choosing robots is
    the caller's. `text` carries its own heading; DingTalk shows `title` only in the chat list."""
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    if robot.kind == "dingtalk":
        post_dingtalk(robot.webhook, robot.secret, title=title, text=text, mentions=mentions, timeout=timeout)
    elif robot.kind == "wecom":
        post_wecom(robot.webhook, text=text, mentions=mentions, timeout=timeout)
    else:
        raise DeliveryError(f"未知的机器人类型：{robot.kind}", permanent=True)


# ------------------------------------------------------------------------------------------ the wire


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects is refused, not followed: a redirect could lead to an internal address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _post_json(url: str, body: dict, timeout: float) -> object:
    """POSTs `body` as JSON and returns the parsed reply; DeliveryError for anything but a JSON answer.
    `timeout` bounds the connection and each read, and at most MAX_REPLY_BYTES of the reply are read."""
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 -- the scheme and host were checked by webhook_problem
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    opener = urllib.request.build_opener(_NoRedirects)
    seconds = f"{timeout:g}"
    try:
        with opener.open(request, timeout=timeout) as response:
            raw = response.read(MAX_REPLY_BYTES)
    except urllib.error.HTTPError as exc:
        exc.close()
        code = exc.code
        if 300 <= code < 400:
            raise DeliveryError(f"Webhook 地址返回跳转（HTTP {code}），未跟随", permanent=True) from None
        if code == 429:
            raise DeliveryError("HTTP 429：发送过于频繁，稍后重试", permanent=False, rate_limited=True) from None
        raise DeliveryError(f"HTTP {code}", permanent=code < 500) from None
    except TimeoutError:
        raise DeliveryError(f"连接超时（{seconds} 秒）", permanent=False) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise DeliveryError(f"连接超时（{seconds} 秒）", permanent=False) from None
        if isinstance(reason, ConnectionRefusedError):
            raise DeliveryError("无法连接：连接被拒绝", permanent=False) from None
        if isinstance(reason, ssl.SSLError):
            raise DeliveryError(f"HTTPS 证书或加密连接出错：{reason}", permanent=False) from None
        if isinstance(reason, socket.gaierror):
            raise DeliveryError("无法连接：域名解析失败", permanent=False) from None
        raise DeliveryError(f"无法连接：{reason}", permanent=False) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:  # a reset connection, a bad status line
        raise DeliveryError(f"连接中断：{exc}", permanent=False) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DeliveryError("返回内容不是 JSON，无法确认是否送达", permanent=False) from None


def _check_errcode(reply: object, service: str, retryable: set[int], hints: dict[int, str]) -> None:
    if not isinstance(reply, dict) or "errcode" not in reply:
        raise DeliveryError(f"{service}返回内容无法识别，无法确认是否送达", permanent=False)
    try:
        errcode = int(reply["errcode"])
    except (TypeError, ValueError):
        raise DeliveryError(f"{service}返回内容无法识别，无法确认是否送达", permanent=False) from None
    if errcode == 0:
        return
    errmsg = str(reply.get("errmsg") or "")[:200]
    hint = hints.get(errcode)
    reason = f"{service}返回错误 {errcode}：{errmsg}" + (f"（{hint}）" if hint else "")
    raise DeliveryError(
        reason, permanent=errcode not in retryable, errcode=errcode, rate_limited=errcode in RATE_LIMITED
    )


def _now_ms() -> int:
    return int(time.time() * 1000)


def _clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, on a character boundary, marked where cut."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: limit - len("……".encode())].decode(errors="ignore") + "……"


# ------------------------------------------------------------------------------------------ display


def masked_secret(secret: str) -> str:
    """Enough of a saved secret to recognise it, not to use it."""
    if not secret:
        return ""
    return f"{secret[:3]}••••••{secret[-4:]}" if len(secret) > 12 else "••••••"


def masked_webhook(url: str) -> str:
    """The webhook with its token or key shortened: the token alone lets anyone post to the group."""
    parts = urllib.parse.urlsplit(url)
    query = [
        (name, masked_secret(value) if name in (DINGTALK_PARAM, WECOM_PARAM) else value)
        for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urllib.parse.urlunsplit(parts._replace(query="&".join(f"{name}={value}" for name, value in query)))
