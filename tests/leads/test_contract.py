from tests.base import PagesAndServicesContract
from zhaoshang.leads import services
from zhaoshang.leads.models import Lead


class TestLead(PagesAndServicesContract):
    """Leads are deleted (a lead registered by mistake) but not restored. The delete page writes with
    ``core.services.object_delete`` (the app has no ``lead_delete``), the contract's default."""

    model = Lead
    url_namespace = "leads"
    api_path = "/api/v1/leads"
    list_queries = 12
    text_field = "title"

    def create_data(self):
        return {"title": "精密轴承外资项目", "source": "office"}

    def listed_ids(self, response):
        return [lead.pk for lead in response.context["page_obj"]]

    def form_data(self):
        return {"title": "德国精密机械项目", "source": "office", "project_type": "new", "grade": "B", "org_unit": ""}

    def api_create_data(self):
        return {
            "title": "海亮集团利润再投资",
            "source": "town",
            "enterprise_name": "海亮集团有限公司",
            "investment_fdi": "8000",
        }

    def api_update_data(self):
        return {"title": "海亮集团 8000 万美元利润再投资"}

    def service_create(self, actor, data):
        return services.lead_register(actor=actor, data=data)

    def service_update(self, actor, obj, data, version):
        return services.lead_update(actor=actor, lead=obj, data=data, version=version)
