"""What every channel adapter shares: the message it sends, its settings fields and its errors."""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import httpx

# Mainland mobiles (with or without +86 and separators) and landlines with an area code: never sent out.
PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-?\d{7,8})(?!\d)")


def scrub(text: str) -> str:
    """Message text without phone numbers (they never leave the platform, whoever the recipient is)."""
    return PHONE.sub("（电话已隐去）", text or "")


@dataclass
class OutgoingMessage:
    title: str
    body: str  # already scrubbed; empty for group robots (a group is wider than the recipient's scope)
    link: str  # absolute URL of the page in the platform
    dedupe_key: str
    kind: str = ""


@dataclass(frozen=True)
class SettingField:
    name: str
    label: str
    secret: bool = False
    required: bool = False
    kind: str = "text"  # text | bool | int | choice | list
    choices: tuple = ()
    help: str = ""
    default: object = ""


class ChannelError(Exception):
    """A send that did not go through. ``retry`` False means retrying cannot help (bad settings, refused)."""

    def __init__(self, message: str, *, retry: bool = True):
        super().__init__(message)
        self.retry = retry


@dataclass
class Adapter(ABC):
    key: str
    label: str
    fields: tuple = ()
    per_minute: int = 60  # the receiving side's rate limit
    personal: bool = True  # one delivery per user (e-mail, 浙政钉) or one per group robot
    idempotent: bool = False  # the receiving side drops a repeat of the same key (浙政钉 bizMsgId)
    test_target_label: str = ""
    extra: dict = field(default_factory=dict)

    @abstractmethod
    def send(self, config: dict, message: OutgoingMessage, target: str) -> str:
        """Deliver ``message`` to ``target``; returns the receiving side's message id (or "")."""

    def target_for(self, user, profile) -> str:
        """The address of ``user`` on this channel ("" = the user cannot be reached here)."""
        return "group" if not self.personal else ""


def post(url: str, *, timeout: float = 10.0, **kwargs) -> httpx.Response:
    """One HTTP POST; network trouble and 5xx/429 are retryable, other refusals are not."""
    try:
        response = httpx.post(url, timeout=timeout, **kwargs)
    except httpx.HTTPError as exc:
        raise ChannelError(f"网络错误：{exc.__class__.__name__}: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise ChannelError(f"对方服务返回 HTTP {response.status_code}")
    if response.status_code >= 400:
        raise ChannelError(f"对方服务拒绝：HTTP {response.status_code} {response.text[:200]}", retry=False)
    return response


def json_of(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError as exc:
        raise ChannelError(f"对方返回的不是 JSON：{response.text[:200]}") from exc
    return data if isinstance(data, dict) else {}
