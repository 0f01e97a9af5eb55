from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "zhaoshang.leads"
    label = "leads"
    verbose_name = "线索"
