from django.core.paginator import Paginator
from django.views.generic import TemplateView

from zhaoshang.accounts.roles import Cap

from ..permissions import CapabilityRequiredMixin
from ..selectors import object_change_list, security_event_list


class AuditView(CapabilityRequiredMixin, TemplateView):
    """审计日志, for the 审计管理员 only: business changes and security events, filterable."""

    capability = Cap.VIEW_AUDIT
    template_name = "core/audit.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        tab = self.request.GET.get("tab", "security")
        if tab == "changes":
            filterset = object_change_list(actor=self.request.user, filters=self.request.GET)
        else:
            tab = "security"
            filterset = security_event_list(actor=self.request.user, filters=self.request.GET)
        page = Paginator(filterset.qs, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(tab=tab, filter=filterset, page_obj=page, **kwargs)
