"""WeCom (企业微信) group robot: a webhook URL with its key; markdown messages, 20 a minute."""

from .base import Adapter, ChannelError, OutgoingMessage, SettingField, json_of, post


class WeComRobot(Adapter):
    def send(self, config: dict, message: OutgoingMessage, target: str) -> str:
        webhook = config.get("webhook", "")
        if not webhook:
            raise ChannelError("未配置企业微信机器人 Webhook 地址", retry=False)
        lines = [f"**{message.title}**"]
        if message.body:
            lines.append(message.body)
        lines.append(f"[在平台中查看]({message.link})")
        payload = {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)[:4000]}}
        data = json_of(post(webhook, json=payload))
        code = data.get("errcode", -1)
        if code == 0:
            return ""
        if code in (45009, -1):  # over the rate / system busy
            raise ChannelError(f"企业微信限流或繁忙：{code} {data.get('errmsg', '')}")
        raise ChannelError(f"企业微信拒绝：{code} {data.get('errmsg', '')}", retry=False)


ADAPTER = WeComRobot(
    key="wecom",
    label="企业微信群机器人",
    per_minute=20,
    personal=False,
    fields=(SettingField("webhook", "Webhook 地址（含 key）", secret=True, required=True),),
)
