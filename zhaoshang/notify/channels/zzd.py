"""浙政钉 work notifications (工作通知) through the government open platform's HTTP API.

No Python SDK exists, so the request signing is written here, after the published rules: every request
carries ``X-Hmac-Auth-Timestamp`` (``yyyy-MM-ddTHH:mm:ss.SSS+08:00``), ``X-Hmac-Auth-Version`` (``1.0``),
``X-Hmac-Auth-Nonce`` (13-digit milliseconds + 4 random digits), ``apiKey`` and ``X-Hmac-Auth-Signature``
= base64(HMAC-SHA256(secret, bytes_to_sign)) where bytes_to_sign is
``METHOD\\nTIMESTAMP\\nNONCE\\nURI`` followed, when the request has parameters, by ``\\n`` and the
parameters sorted by name as ``k=v`` joined with ``&`` (values not URL-encoded). The parameters are sent
form-encoded. ``bizMsgId`` makes a repeat of the same notice a no-op on the platform's side.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlencode

from .base import Adapter, ChannelError, OutgoingMessage, SettingField, json_of, post

WORK_NOTIFICATION = "/message/workNotification"
LIMIT_BYTES = 2048
CHINA = timezone(timedelta(hours=8))


def timestamp(now: datetime | None = None) -> str:
    now = (now or datetime.now(UTC)).astimezone(CHINA)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+08:00"


def nonce() -> str:
    return f"{int(time.time() * 1000)}{secrets.randbelow(9000) + 1000}"


def canonical_params(params: dict) -> str:
    return "&".join(f"{k}={params[k]}" for k in sorted(params))


def bytes_to_sign(method: str, ts: str, nonce_: str, uri: str, params: dict) -> str:
    text = f"{method.upper()}\n{ts}\n{nonce_}\n{uri}"
    return f"{text}\n{canonical_params(params)}" if params else text


def signature(secret: str, method: str, ts: str, nonce_: str, uri: str, params: dict) -> str:
    message = bytes_to_sign(method, ts, nonce_, uri, params).encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def signed_headers(
    *, api_key: str, secret: str, method: str, uri: str, params: dict, ts: str | None = None, nonce_: str | None = None
) -> dict:
    ts, nonce_ = ts or timestamp(), nonce_ or nonce()
    return {
        "X-Hmac-Auth-Timestamp": ts,
        "X-Hmac-Auth-Version": "1.0",
        "X-Hmac-Auth-Nonce": nonce_,
        "apiKey": api_key,
        "X-Hmac-Auth-Signature": signature(secret, method, ts, nonce_, uri, params),
        "X-Hmac-Auth-IP": "127.0.0.1",
        "X-Hmac-Auth-MAC": "00:00:00:00:00:00",
    }


def message_json(message: OutgoingMessage) -> str:
    """The ``msg`` parameter within 2,048 bytes: the body is cut (with “…”) before the title and the link."""
    tail = f"\n详情：{message.link}"

    def render(body: str) -> str:
        content = "\n".join(p for p in (message.title, body) if p) + tail
        return json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False)

    text = render(message.body)
    body = message.body
    while len(text.encode()) > LIMIT_BYTES and body:
        overshoot = len(text.encode()) - LIMIT_BYTES
        body = body[: max(0, len(body) - max(1, overshoot // 3) - 1)]
        text = render(body + "…" if body else "")
    if len(text.encode()) > LIMIT_BYTES:  # a title alone too long: keep the link whatever happens
        title = message.title
        while len(text.encode()) > LIMIT_BYTES and title:
            title = title[:-10]
            text = json.dumps({"msgtype": "text", "text": {"content": title + "…" + tail}}, ensure_ascii=False)
    return text


def biz_msg_id(dedupe_key: str, target: str) -> str:
    return hashlib.sha1(f"{dedupe_key}|{target}".encode(), usedforsecurity=False).hexdigest()


class ZhengZhengDing(Adapter):
    def target_for(self, user, profile) -> str:
        return (profile.zzd_account_id if profile else "") or ""

    def send(self, config: dict, message: OutgoingMessage, target: str) -> str:
        base = (config.get("endpoint") or "").rstrip("/")
        if not base or not config.get("api_key") or not config.get("api_secret"):
            raise ChannelError("未配置浙政钉开放平台地址、AppKey 或 AppSecret", retry=False)
        params = {
            "bizMsgId": biz_msg_id(message.dedupe_key, target),
            "msg": message_json(message),
            "receiverIds": target,
            "tenantId": config.get("tenant_id", ""),
        }
        if config.get("organization_code"):
            params["organizationCode"] = config["organization_code"]
        headers = signed_headers(
            api_key=config["api_key"], secret=config["api_secret"], method="POST", uri=WORK_NOTIFICATION, params=params
        )
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = json_of(post(base + WORK_NOTIFICATION, headers=headers, content=urlencode(params)))
        content = data.get("content") or {}
        if data.get("success") and (not isinstance(content, dict) or content.get("success", True)):
            return params["bizMsgId"]
        code = (content.get("responseCode") if isinstance(content, dict) else "") or data.get("errorCode", "")
        text = (content.get("responseMessage") if isinstance(content, dict) else "") or data.get("errorMsg", "")
        raise ChannelError(f"浙政钉拒绝：{code} {text}", retry=str(code) in ("", "500", "-1", "429"))


ADAPTER = ZhengZhengDing(
    key="zzd",
    label="浙政钉工作通知",
    per_minute=60,
    idempotent=True,
    test_target_label="测试接收人浙政钉账号 ID（accountId）",
    fields=(
        SettingField(
            "endpoint", "开放平台地址", required=True, help="如 https://openplatform-pro.ding.zj.gov.cn（政务外网）"
        ),
        SettingField("api_key", "AppKey", required=True),
        SettingField("api_secret", "AppSecret", secret=True, required=True),
        SettingField("tenant_id", "租户 ID（tenantId）", required=True),
        SettingField("organization_code", "组织 code（可选）"),
    ),
)
