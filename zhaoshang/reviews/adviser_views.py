"""Pages of the research organisations (研究院、创新中心、博士后工作站) and the 顾问团: groups and their members,
opinion requests on a project and the advisers' answers, and the adviser's own pages (``my_opinion*``: an
expert reaches only ``reviews:my_*``). Lists, edit pages and detail pages are ``core.views.generic``
declarations; the records are the county's (no owning unit), so the selectors scope them by region."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.forms import apply_errors, error_message
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.selectors import object_history
from zhaoshang.core.views import generic
from zhaoshang.projects import selectors as project_selectors

from . import selectors, services
from .forms import AdviserGroupForm, MemberForm, OpinionForm, OpinionRequestForm, ResearchOrgForm
from .models import AdviserGroup, OpinionRequest, ResearchOrg

PROJECT_CHOICES = 300


class CountyRecordEditView(generic.ObjectEditView):
    """A county's reference record (no ``version``: an edit is a small settings change, last one wins)."""

    def get_initial(self):
        return {}


class CountyRecordDetailView(generic.BusinessViewMixin, TemplateView):
    """A county record's page: ``get_object`` through the selector (404 outside the county), its history."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, history=object_history(self.object), **kwargs)


# --- research organisations ---------------------------------------------------------------------------------


class ResearchOrgMixin:
    model = ResearchOrg
    url_namespace = "reviews"
    object_selector = staticmethod(selectors.research_org_get)


class ResearchOrgListView(ResearchOrgMixin, generic.ObjectListView):
    selector = staticmethod(selectors.research_org_list)
    columns = [("name", "名称"), ("kind", "类型"), ("note", "简介")]


class ResearchOrgDetailView(ResearchOrgMixin, CountyRecordDetailView):
    template_name = "reviews/research_org_detail.html"

    def get_context_data(self, **kwargs):
        experts = selectors.research_org_experts(user=self.request.user, org=self.object)
        return super().get_context_data(experts=experts, **kwargs)


class ResearchOrgEditView(ResearchOrgMixin, CountyRecordEditView):
    form_class = ResearchOrgForm

    def create(self, form):
        return services.research_org_create(actor=self.request.user, **self.form_data(form))

    def update(self, form):
        return services.research_org_update(actor=self.request.user, org_id=self.object.pk, **self.form_data(form))


# --- 顾问团 -----------------------------------------------------------------------------------------------------


class AdviserGroupMixin:
    model = AdviserGroup
    url_namespace = "reviews"
    object_selector = staticmethod(selectors.adviser_group_get)


class AdviserGroupListView(AdviserGroupMixin, generic.ObjectListView):
    selector = staticmethod(selectors.adviser_group_list)
    columns = [("name", "名称"), ("description", "简介")]


class AdviserGroupDetailView(AdviserGroupMixin, CountyRecordDetailView):
    """The group: its members (added and removed in place) and the opinions asked of it."""

    template_name = "reviews/adviser_group_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        members = selectors.adviser_members(self.object)
        taken = {m.expert_id for m in members}
        candidates = []
        if user.has_capability(Cap.BUSINESS_CHANGE):
            experts = selectors.expert_list(user=user, filters={}).queryset
            candidates = [e for e in experts[:500] if e.pk not in taken]
        requests = selectors.opinion_request_list(user=user, filters={"group": self.object.pk})
        return super().get_context_data(
            members=members,
            member_form=MemberForm(experts=candidates),
            requests=list(requests.queryset[:50]),
            **kwargs,
        )


class AdviserGroupEditView(AdviserGroupMixin, CountyRecordEditView):
    form_class = AdviserGroupForm

    def create(self, form):
        return services.adviser_group_create(actor=self.request.user, **self.form_data(form))

    def update(self, form):
        return services.adviser_group_update(actor=self.request.user, group_id=self.object.pk, **self.form_data(form))


class AdviserMemberView(CapabilityRequiredMixin, View):
    """Add or remove a member of a group (a POST from the group's page, back to it)."""

    capability = Cap.BUSINESS_CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        group = selectors.adviser_group_get(user=request.user, pk=pk)
        try:
            if request.POST.get("action") == "remove":
                services.adviser_member_remove(
                    actor=request.user, group_id=group.pk, expert_id=posted_id(request.POST.get("expert"))
                )
                messages.success(request, "已移出顾问团")
            else:
                member = services.adviser_member_add(
                    actor=request.user,
                    group_id=group.pk,
                    expert_id=posted_id(request.POST.get("expert")),
                    speciality=request.POST.get("speciality", ""),
                )
                messages.success(request, f"已将{member.expert.name}加入顾问团")
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        return redirect("reviews:advisergroup_detail", pk=group.pk)


def posted_id(value) -> int:
    """A posted record id, 0 when missing or malformed (the service answers that no such record exists)."""
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else 0


# --- opinion requests -----------------------------------------------------------------------------------------


class OpinionRequestMixin:
    model = OpinionRequest
    url_namespace = "reviews"
    object_selector = staticmethod(selectors.opinion_request_get)


class OpinionRequestListView(OpinionRequestMixin, generic.ObjectListView):
    selector = staticmethod(selectors.opinion_request_list)
    columns = [("question", "咨询事项"), ("project", "项目"), ("group", "顾问团"), ("requested_at", "提出时间")]


class OpinionRequestAddView(CapabilityRequiredMixin, TemplateView):
    """Ask a 顾问团 about a project (``?project=`` preselects it). A plain view: the form offers the user's
    groups and projects, it edits no record of its own."""

    capability = Cap.BUSINESS_CHANGE
    template_name = "reviews/opinion_request_form.html"

    def form(self, data=None):
        user = self.request.user
        projects = project_selectors.project_list(user=user, filters={}).queryset.order_by("-id")
        return OpinionRequestForm(
            data,
            groups=selectors.adviser_group_list(user=user, filters={}).queryset,
            projects=projects.values_list("pk", "name")[:PROJECT_CHOICES],
            initial={"project": self.request.GET.get("project"), "group": self.request.GET.get("group")},
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                opinion_request = services.opinion_request(
                    actor=request.user,
                    group_id=form.cleaned_data["group"],
                    project_id=form.cleaned_data["project"],
                    question=form.cleaned_data["question"],
                )
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已向顾问团征询意见，有登录账号的顾问将收到通知")
                return redirect("reviews:opinionrequest_detail", pk=opinion_request.pk)
        return self.render_to_response(self.get_context_data(form=form), status=422)


class OpinionRequestDetailView(OpinionRequestMixin, CountyRecordDetailView):
    """The question, the project, and each adviser's answer; whoever asked records an answer given to him."""

    template_name = "reviews/opinion_request_detail.html"

    def get_context_data(self, **kwargs):
        rows = selectors.opinion_rows(self.object)
        may_record = self.object.requested_by_id == self.request.user.pk
        return super().get_context_data(
            rows=rows, may_record=may_record, opinion_form=kwargs.pop("opinion_form", OpinionForm()), **kwargs
        )

    def post(self, request, pk):
        self.object = self.get_object()
        form = OpinionForm(request.POST)
        if form.is_valid():
            try:
                services.opinion_give(
                    actor=request.user,
                    request_id=self.object.pk,
                    expert_id=posted_id(request.POST.get("expert")),
                    text=form.cleaned_data["text"],
                )
            except NotFound:
                form.add_error(None, "请选择本顾问团的成员")
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已记录顾问意见")
                return redirect("reviews:opinionrequest_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(opinion_form=form), status=422)


# --- the adviser's own pages ------------------------------------------------------------------------------------


class MyOpinionListView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.SCORE_REVIEWS
    template_name = "reviews/my_opinions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(requests=selectors.my_opinion_requests(user=self.request.user), **kwargs)


class MyOpinionView(CapabilityRequiredMixin, View):
    """A question put to the adviser's group: the project in brief and his answer (which he may revise)."""

    capability = Cap.SCORE_REVIEWS

    def page(self, request, pk, form=None, status=200):
        opinion_request, expert, opinion = selectors.my_opinion_request(user=request.user, pk=pk)
        form = form or OpinionForm(initial={"text": opinion.text if opinion else ""})
        context = {"request_": opinion_request, "expert": expert, "opinion": opinion, "form": form}
        return render(request, "reviews/my_opinion.html", context, status=status)

    def get(self, request, pk):
        return self.page(request, pk)

    def post(self, request, pk):
        _, expert, _ = selectors.my_opinion_request(user=request.user, pk=pk)
        form = OpinionForm(request.POST)
        if form.is_valid():
            try:
                services.opinion_give(
                    actor=request.user, request_id=pk, expert_id=expert.pk, text=form.cleaned_data["text"]
                )
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已提交您的意见，谢谢")
                return redirect(reverse("reviews:my_opinions"))
        return self.page(request, pk, form=form, status=422)
