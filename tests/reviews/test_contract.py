import pytest

from tests.base import (
    ApiListContract,
    BusinessModelContract,
    CreateContract,
    DeleteRestoreContract,
    DetailPageContract,
    ListPageContract,
    ScopeContract,
    UpdateContract,
)
from zhaoshang.core.errors import NotFound
from zhaoshang.projects import services as project_services
from zhaoshang.reviews import services
from zhaoshang.reviews.models import Expert, Review, Rubric


class TestExpert(BusinessModelContract):
    model = Expert
    url_namespace = "reviews"
    api_path = "/api/v1/experts"
    list_queries = 12

    def create_data(self):
        return {"name": "郑教授", "title": "教授", "employer": "浙江大学", "industries": ["38"], "phone": "13812345678"}

    def form_data(self):
        return {
            "name": "王研究员",
            "title": "研究员",
            "employer": "诸暨市智能制造研究院",
            "research_org": "",
            "staff_unit": "",
            "speciality": "锂电池材料",
            "is_available": "on",
            "unavailable_until": "",
            "user": "",
            "org_unit": "",
            "phone": "13900001111",
            "industry_codes": "3841 C",
        }

    def api_create_data(self):
        return {"name": "李博士", "employer": "浙江大学", "industries": ["3841"], "phone": "13700001111"}

    def api_update_data(self):
        return {"name": "李博士（博士后）"}

    def service_create(self, actor, data):
        return services.expert_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.expert_update(actor=actor, expert=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.expert_delete(actor=actor, expert=obj, version=version)

    def service_restore(self, actor, pk):
        return services.expert_restore(actor=actor, pk=pk)

    def test_phone_is_encrypted_and_masked(self, users):
        expert = self.make(users["diankou"])
        assert expert.phone_masked == "138****5678" and "13812345678" not in expert.phone_cipher
        assert services.expert_reveal_phone(actor=users["diankou"], expert_id=expert.pk) == "13812345678"
        assert sorted(i.code for i in expert.industries.all()) == ["38"]


class TestReview(
    ScopeContract,
    ListPageContract,
    DetailPageContract,
    ApiListContract,
    CreateContract,
    UpdateContract,
    DeleteRestoreContract,
):
    model = Review
    url_namespace = "reviews"
    api_path = "/api/v1/reviews"
    list_queries = 12
    text_field = "title"
    refused_create_error = NotFound  # an expert does not see the project to review

    def create_data(self):
        return {"title": "海亮项目研判", "experts": 1, "seed": "contract"}

    def parent_data(self, owner):
        """A project of the owner's unit, the county's starting sheets and one expert to draw."""
        region = owner.org_unit.region
        project = project_services.project_create(actor=owner, data={"name": f"{owner.username}的项目"})
        services.ensure_starting_rubrics(region)
        services.expert_create(actor=owner, data={"name": f"{owner.username}专家"})
        return {"project_id": project.pk, "rubric_id": Rubric.objects.filter(region=region).first().pk}

    def service_create(self, actor, data):
        return services.review_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.review_update(actor=actor, review=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.review_delete(actor=actor, review=obj, version=version)

    def service_restore(self, actor, pk):
        return services.review_restore(actor=actor, pk=pk)

    @pytest.fixture(autouse=True)
    def _stages(self, stages):
        """The county's lifecycle (the project fixtures' departments), so that projects start."""
