from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "zhaoshang.imports"
    label = "imports"
    verbose_name = "导入导出"

    def ready(self) -> None:
        # Each app registers its importers in its own ``importers.py``.
        autodiscover_modules("importers")
