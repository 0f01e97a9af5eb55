import enum
import sys

from django.apps import AppConfig, apps
from django.db import models


def qualify_choice_names() -> list[type]:
    """Give every model's nested choices a unique name before any API schema uses them: ``Enterprise.Kind``
    is called ``EnterpriseKind``. The OpenAPI components are named after the enum's ``__name__``; several
    ``Kind`` enums would otherwise share one component and the schema would describe only one of them.
    (pydantic names a component after the last part of ``__qualname__``; the module gets the new name as an
    alias so that pickling a member still finds its class.)"""
    renamed = []
    for model in apps.get_models():
        for name, value in list(vars(model).items()):
            if isinstance(value, type) and issubclass(value, models.Choices | enum.Enum) and value.__name__ == name:
                unique = f"{model.__name__}{name}"
                value.__name__ = value.__qualname__ = unique
                setattr(sys.modules[value.__module__], unique, value)
                renamed.append(value)
    return renamed


class ApiConfig(AppConfig):
    name = "zhaoshang.api"
    label = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        qualify_choice_names()
