from tests.base import PagesAndServicesContract
from zhaoshang.projects import services
from zhaoshang.projects.models import Project


class TestProject(PagesAndServicesContract):
    """Projects are deleted but not restored (the app offers no restore)."""

    model = Project
    url_namespace = "projects"
    api_path = "/api/v1/projects"
    list_queries = 15

    def create_data(self):
        return {"name": "新宜中国数字装备智慧供应链产业园", "grade": "A"}

    def form_data(self):
        return {"name": "璞剑空气轴承项目", "project_type": "new", "grade": "A", "org_unit": ""}

    def api_create_data(self):
        return {"name": "海亮集团利润再投资项目", "project_type": "reinvestment", "contracted_fdi": "8000.00"}

    def api_update_data(self):
        return {"name": "海亮集团 8000 万美元利润再投资项目"}

    def service_create(self, actor, data):
        return services.project_create(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.project_update(actor=actor, project=obj, data=data, version=version)

    def service_delete(self, actor, obj, version=None):
        return services.project_delete(actor=actor, project=obj, version=version)
