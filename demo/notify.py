"""Demo messages setup: the channels prepared but switched off (the demo reaches no outside server), the
role defaults, a few users' preferences, and the scheduled jobs' rows. Idempotent."""

from datetime import time

from zhaoshang.accounts.models import User
from zhaoshang.notify.services import config, jobs
from zhaoshang.notify.services.outbox import DEFAULT_CHANNELS

CHANNELS = {
    "email": {
        "host": "smtp.zhuji.gov.cn",
        "port": 587,
        "security": "starttls",
        "from_email": "招商平台 <zs@zhuji.gov.cn>",
    },
    "zzd": {"endpoint": "https://openplatform-pro.ding.zj.gov.cn", "api_key": "zhuji-zhaoshang", "tenant_id": "196729"},
    "dingtalk": {"keyword": "招商"},
    "wecom": {},
}
PREFERENCES = {
    "zrzy": {"zzd_account_id": "demo-zrzy-001", "quiet_start": time(22, 0), "quiet_end": time(7, 30)},
    "zjj": {"zzd_account_id": "demo-zjj-001", "quiet_start": time(22, 0), "quiet_end": time(7, 30)},
    "leader": {"digest": True},
}


def seed_notify() -> int:
    admin = User.objects.filter(username="sysadmin").first()
    if admin is None:
        return 0
    created = 0
    for channel, options in CHANNELS.items():
        if config.channel_config(channel).pk is None:
            config.channel_config_update(actor=admin, channel=channel, enabled=False, options=options, secrets={})
            created += 1
    leader_defaults = {**DEFAULT_CHANNELS, "assignment": [], "problem": [], "overdue": []}
    config.role_default_update(actor=admin, role="leader", channels=leader_defaults)
    for username, data in PREFERENCES.items():
        user = User.objects.filter(username=username).first()
        if user is not None and config.profile_for(user).pk is None:
            config.profile_update(actor=user, data=data)
            created += 1
    jobs.sync_jobs()
    return created
