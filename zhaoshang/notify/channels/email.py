"""E-mail through SMTP with Django's mail backend: STARTTLS or implicit TLS, HTML and plain text."""

import hashlib
import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.html import escape

from .base import Adapter, ChannelError, OutgoingMessage, SettingField


def build(config: dict, message: OutgoingMessage, to: str) -> EmailMultiAlternatives:
    text = "\n\n".join(p for p in (message.title, message.body, f"在平台中查看：{message.link}") if p)
    html = (
        f"<h3>{escape(message.title)}</h3>"
        + (f"<p>{escape(message.body)}</p>" if message.body else "")
        + f'<p><a href="{escape(message.link)}">在平台中查看</a></p>'
    )
    prefix = config.get("subject_prefix", "【智慧招商】")
    # A fixed Message-ID per notice and address: a mail system that sees it twice can drop the repeat.
    digest = hashlib.sha1(f"{message.dedupe_key}|{to}".encode(), usedforsecurity=False).hexdigest()
    mail = EmailMultiAlternatives(
        subject=f"{prefix}{message.title}",
        body=text,
        from_email=config.get("from_email") or None,
        to=[to],
        headers={"Message-ID": f"<{digest}@zhaoshang.notify>"},
    )
    mail.attach_alternative(html, "text/html")
    return mail


class Email(Adapter):
    def target_for(self, user, profile) -> str:
        return user.email or ""

    def send(self, config: dict, message: OutgoingMessage, target: str) -> str:
        if not config.get("host"):
            raise ChannelError("未配置 SMTP 服务器", retry=False)
        security = config.get("security", "starttls")
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host=config["host"],
            port=int(config.get("port") or (465 if security == "ssl" else 587)),
            username=config.get("username") or "",
            password=config.get("password") or "",
            use_tls=security == "starttls",
            use_ssl=security == "ssl",
            timeout=int(config.get("timeout") or 15),
            fail_silently=False,
        )
        try:
            connection.send_messages([build(config, message, target)])
        except smtplib.SMTPRecipientsRefused as exc:
            raise ChannelError(f"收件地址被拒绝：{exc}", retry=False) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise ChannelError(f"SMTP 认证失败：{exc.smtp_code}", retry=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"SMTP 错误：{exc.__class__.__name__}: {exc}") from exc
        return ""


ADAPTER = Email(
    key="email",
    label="电子邮件",
    per_minute=120,
    test_target_label="测试收件地址",
    fields=(
        SettingField("host", "SMTP 服务器", required=True),
        SettingField("port", "端口", kind="int", default=587),
        SettingField(
            "security",
            "加密方式",
            kind="choice",
            choices=(("starttls", "STARTTLS"), ("ssl", "SSL/TLS（465）"), ("none", "不加密（仅限内网）")),
            default="starttls",
        ),
        SettingField("username", "用户名"),
        SettingField("password", "密码", secret=True),
        SettingField("from_email", "发件人", required=True, help="例如 招商平台 <zhaoshang@example.gov.cn>"),
        SettingField("subject_prefix", "标题前缀", default="【智慧招商】"),
    ),
)
