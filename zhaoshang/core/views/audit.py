from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.roles import Cap

from ..models.audit import resolve_diffs
from ..permissions import CapabilityRequiredMixin
from ..selectors import object_change_list, security_event_list
from ..tasks import verify_audit_chains


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
        if tab == "changes":
            resolve_diffs(page.object_list)  # field labels, names of referenced records: one query per model
        return super().get_context_data(tab=tab, filter=filterset, page_obj=page, **kwargs)


class AuditVerifyView(CapabilityRequiredMixin, View):
    """Start a verification of the hash chains in the background; the result appears as an event."""

    capability = Cap.VIEW_AUDIT
    http_method_names = ["post"]

    def post(self, request):
        user_id = request.user.pk
        transaction.on_commit(lambda: verify_audit_chains.enqueue(user_id))
        messages.info(request, "已提交哈希链校验任务，完成后结果记入安全事件（事件类型：审计日志校验）")
        return redirect("core:audit")
