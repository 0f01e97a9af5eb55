"""DingTalk custom group robot (自定义机器人): webhook with 加签 (timestamp + HMAC-SHA256 of the secret,
base64, URL-encoded), a keyword the robot requires, and @ by mobile configured for the group."""

import base64
import hashlib
import hmac
import time
import urllib.parse

from .base import Adapter, ChannelError, OutgoingMessage, SettingField, json_of, post


def sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")), then URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(webhook: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return webhook
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


def markdown(message: OutgoingMessage, keyword: str) -> str:
    head = f"【{keyword}】" if keyword and keyword not in message.title else ""
    lines = [f"#### {head}{message.title}"]
    if message.body:
        lines.append(message.body)
    lines.append(f"[在平台中查看]({message.link})")
    return "\n\n".join(lines)


class DingTalkRobot(Adapter):
    def send(self, config: dict, message: OutgoingMessage, target: str) -> str:
        webhook = config.get("webhook", "")
        if not webhook:
            raise ChannelError("未配置钉钉机器人 Webhook 地址", retry=False)
        mobiles = [m.strip() for m in (config.get("at_mobiles") or "").split(",") if m.strip()]
        user_ids = [m.strip() for m in (config.get("at_user_ids") or "").split(",") if m.strip()]
        text = markdown(message, config.get("keyword", ""))
        if mobiles or user_ids:  # DingTalk highlights an @ only when the text names it
            text += "\n\n" + " ".join(f"@{m}" for m in [*mobiles, *user_ids])
        payload = {
            "msgtype": "markdown",
            "markdown": {"title": message.title[:60], "text": text},
            "at": {"atMobiles": mobiles, "atUserIds": user_ids, "isAtAll": bool(config.get("at_all"))},
        }
        data = json_of(post(signed_url(webhook, config.get("secret", "")), json=payload))
        code = data.get("errcode", -1)
        if code == 0:
            return ""
        if code in (130101, 130102, -1):  # sent too fast / system busy
            raise ChannelError(f"钉钉限流或繁忙：{code} {data.get('errmsg', '')}")
        raise ChannelError(f"钉钉拒绝：{code} {data.get('errmsg', '')}", retry=False)


ADAPTER = DingTalkRobot(
    key="dingtalk",
    label="钉钉群机器人",
    per_minute=20,
    personal=False,
    fields=(
        SettingField("webhook", "Webhook 地址（含 access_token）", secret=True, required=True),
        SettingField("secret", "加签密钥（SEC 开头）", secret=True),
        SettingField("keyword", "自定义关键词", help="机器人安全设置中的关键词，消息会带上它"),
        SettingField(
            "at_mobiles",
            "@ 值班手机号（逗号分隔）",
            help="群里值班人员的手机号，仅用于 @ 提醒；平台数据中的电话从不外发",
        ),
        SettingField("at_user_ids", "@ 钉钉用户 ID（逗号分隔）", help="不想在群里出现手机号时用它代替手机号"),
        SettingField("at_all", "@ 所有人", kind="bool", default=False),
    ),
)
