from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "zhaoshang.imports"
    label = "imports"
    verbose_name = "导入导出"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app registers its importers in its own ``importers.py``.
        autodiscover_modules("importers")
