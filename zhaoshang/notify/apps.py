from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhaoshang.notify"
    label = "notify"
    verbose_name = "通知"
