"""Users' office phones follow the shared phone rule on the page and in the services."""

import pytest

from zhaoshang.accounts import services
from zhaoshang.accounts.models import User
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import ObjectChange

WRONG = (
    "“abc123”不是有效的电话号码：手机号如 13812345678；固定电话须带区号，如 0575-87654321，"
    "分机写作 0575-87654321转8001；也可填 400/800 号码"
)


def state():
    return list(User.objects.order_by("pk").values_list("pk", "phone")), ObjectChange.objects.count()


def test_office_phone_is_checked_and_normalised(users, client_for, county):
    user = users["diankou"]
    before = state()
    form = {"full_name": "店口专员", "org_unit": county.diankou.pk, "title": "", "phone": "abc123", "email": ""}
    page = client_for(users["sysadmin"]).post(f"/system/users/{user.pk}/edit/", {**form, "is_active": "on"})
    assert page.status_code == 200 and page.context["form"].errors == {"phone": [WRONG]}
    with pytest.raises(ValidationFailed) as caught:
        services.user_update(actor=users["sysadmin"], user=user, data={"phone": "abc123"})
    assert caught.value.fields == {"phone": [WRONG]}
    assert state() == before

    services.user_update(actor=users["sysadmin"], user=user, data={"phone": "0575 8765 4321 转 8001"})
    user.refresh_from_db()
    assert user.phone == "0575-87654321转8001"
