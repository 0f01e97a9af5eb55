"""Fake receiving sides started by the tests: an HTTP server on 127.0.0.1 (DingTalk, WeCom and 浙政钉
endpoints, checking signatures the way the platforms publish them) and an SMTP server (aiosmtpd)."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from zhaoshang.notify.services import config as notify_config

ZZD_KEY, ZZD_SECRET = "zhaoshang-app", "zzd-secret-0123456789"
DING_SECRET = "SEC0123456789abcdef"


def zzd_expected_signature(method, path, headers, params) -> str:
    """The 浙政钉 rule, written again independently of the adapter: METHOD, timestamp, nonce, URI and the
    sorted ``k=v`` parameters joined by newlines, HMAC-SHA256 with the app secret, base64."""
    lines = [method, headers["X-Hmac-Auth-Timestamp"], headers["X-Hmac-Auth-Nonce"], path]
    if params:
        lines.append("&".join(f"{k}={v}" for k, v in sorted(params.items())))
    digest = hmac.new(ZZD_SECRET.encode(), "\n".join(lines).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def ding_expected_sign(timestamp: str) -> str:
    digest = hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class FakeServer:
    def __init__(self):
        self.requests: list[dict] = []
        self.fail_next: list[tuple[int, dict]] = []  # (status, json) answered before the normal answer
        self.zzd_seen: set[str] = set()  # bizMsgIds the fake 浙政钉 accepted (repeats are dropped)
        self.zzd_shown: list[dict] = []  # what a 浙政钉 user would see: one per distinct bizMsgId
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urllib.parse.urlsplit(self.path)
                record = {
                    "path": url.path,
                    "query": dict(urllib.parse.parse_qsl(url.query)),
                    "headers": dict(self.headers.items()),
                    "raw": raw,
                }
                outer.requests.append(record)
                status, answer = outer.answer(record)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def answer(self, record) -> tuple[int, dict]:
        if self.fail_next:
            return self.fail_next.pop(0)
        if record["path"] == "/message/workNotification":
            params = dict(urllib.parse.parse_qsl(record["raw"].decode()))
            record["params"] = params
            expected = zzd_expected_signature("POST", record["path"], record["headers"], params)
            if record["headers"].get("X-Hmac-Auth-Signature") != expected or record["headers"].get("apiKey") != ZZD_KEY:
                return 401, {"success": False, "errorCode": "401", "errorMsg": "signature mismatch"}
            if params["bizMsgId"] not in self.zzd_seen:
                self.zzd_seen.add(params["bizMsgId"])
                self.zzd_shown.append(params)
            return 200, {"success": True, "content": {"success": True, "data": {"msgId": params["bizMsgId"]}}}
        record["json"] = json.loads(record["raw"] or b"{}")
        if record["path"] == "/robot/send":
            ts, sign = record["query"].get("timestamp", ""), record["query"].get("sign", "")
            if sign != ding_expected_sign(ts):
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def on(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_http():
    server = FakeServer()
    yield server
    server.close()


class Inbox:
    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(
            {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.content.decode("utf-8")}
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def channels(users, fake_http, smtp_server):
    """Every channel enabled against the fake servers, saved by the system administrator."""
    admin = users["sysadmin"]
    notify_config.channel_config_update(
        actor=admin,
        channel="email",
        enabled=True,
        options={"host": "127.0.0.1", "port": smtp_server.port, "security": "none", "from_email": "zs@example.cn"},
        secrets={},
    )
    notify_config.channel_config_update(
        actor=admin,
        channel="dingtalk",
        enabled=True,
        options={"keyword": "招商"},
        secrets={"webhook": f"{fake_http.url}/robot/send?access_token=tok", "secret": DING_SECRET},
    )
    notify_config.channel_config_update(
        actor=admin,
        channel="zzd",
        enabled=True,
        options={"endpoint": fake_http.url, "api_key": ZZD_KEY, "tenant_id": "196729"},
        secrets={"api_secret": ZZD_SECRET},
    )
    notify_config.channel_config_update(
        actor=admin,
        channel="wecom",
        enabled=True,
        options={},
        secrets={"webhook": f"{fake_http.url}/cgi-bin/webhook/send?key=wk"},
    )
    return {"http": fake_http, "smtp": smtp_server}
