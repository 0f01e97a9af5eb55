import pytest

from zhaoshang.network import services


@pytest.fixture
def center_coordinates(county):
    county.center.is_coordinating = True
    county.center.save(update_fields=["is_coordinating"])
    return county.center


@pytest.fixture
def office(users, county, center_coordinates):
    """上海办's profile, kept by the center."""
    return services.office_create(
        actor=users["center"],
        data={"name": "上海办", "city": "上海", "coverage": "上海、江苏", "org_unit": county.office_sh},
    )
