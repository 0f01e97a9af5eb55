"""Every business model has its contract tests (tests/base.py): a test class in some
``tests/<app>/test_contract.py`` that declares ``model = <it>`` and combines at least one mixin."""

import importlib
import pkgutil

from django.apps import apps

import tests
from tests.base import ContractBase
from zhaoshang.core.models import BusinessModel


def contract_classes() -> list[type]:
    """The collected test classes (``Test…``) that combine a contract mixin, after importing every
    ``tests.<app>.test_contract`` module."""
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1] == "test_contract":
            importlib.import_module(module.name)
    found, pending = [], [ContractBase]
    while pending:
        for cls in pending.pop().__subclasses__():
            pending.append(cls)
            if cls.__name__.startswith("Test") and cls.__module__.endswith(".test_contract"):
                found.append(cls)
    return found


def test_every_business_model_has_a_contract_test():
    covered = {cls.model for cls in contract_classes()}
    models = [model for model in apps.get_models() if issubclass(model, BusinessModel)]
    assert len(models) >= 7  # the six of the apps and the worked example
    missing = [model._meta.label for model in models if model not in covered]
    assert missing == [], f"no contract test (tests/<app>/test_contract.py) declares model = {missing}"
