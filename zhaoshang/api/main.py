"""The API at ``/api/v1/``. Each app contributes routers from its ``api.py``::

    routers = [("/enterprises", router)]

so that adding an app adds its endpoints without touching this file.
"""

from importlib import import_module

from django.apps import apps
from ninja import NinjaAPI

from . import capabilities, errors
from .auth import API_AUTH
from .parser import CleaningParser, refuse_unclean_text

api = NinjaAPI(
    title="智慧招商平台接口",
    version="1",
    description=(
        "认证：`POST /api/v1/auth/token` 换取令牌后使用 `Authorization: Bearer <token>`，或使用网页登录会话。"
        "错误统一为 `{code, message, fields}`：422 数据有误，404 不存在或不在数据范围内，409 版本冲突，429 请求过频。"
        "金额为十进制字符串：人民币单位万元，外资单位万美元。"
    ),
    urls_namespace="api",
    auth=API_AUTH,
    parser=CleaningParser(),  # the one text cleaning of every entry point (core.parsers.clean_text)
)
errors.install(api)
# Every operation requires its capabilities (declared, or the business default): api/capabilities.py.
api.add_decorator(capabilities.enforce, mode="view")
api.add_decorator(refuse_unclean_text, mode="operation")


def _discover_routers() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith(("zhaoshang.", "tests.")):
            continue
        try:
            module = import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        for prefix, router in getattr(module, "routers", []):
            api.add_router(prefix, router)


_discover_routers()
