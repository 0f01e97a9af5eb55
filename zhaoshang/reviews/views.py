"""Pages of the 研判 app: the 专家库 (generic pages), the review list, board, page and statistics for officers,
the exclusions list for the 审计管理员, and the expert's own pages (``my_*``: the only pages of the
platform an expert reaches, see ``core.middleware.AssignedOnlyMiddleware``)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.forms import apply_errors
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap
from zhaoshang.core.views import generic
from zhaoshang.projects import selectors as project_selectors

from . import documents, selectors, services
from .forms import DecisionForm, ExpertForm, ReviewForm, ReviewTitleForm
from .models import Exclusion, Expert, Review

# --- 专家库 -----------------------------------------------------------------------------------------------


class ExpertMixin:
    model = Expert
    url_namespace = "reviews"
    object_selector = staticmethod(selectors.expert_get)


class ExpertListView(ExpertMixin, generic.ObjectListView):
    selector = staticmethod(selectors.expert_list)
    columns = [
        ("name", "姓名"),
        ("title", "职称/职务"),
        ("employer", "现工作单位"),
        ("research_org", "研究机构"),
        ("phone_masked", "电话"),
        ("is_available", "可参加研判"),
    ]


class ExpertDetailView(ExpertMixin, generic.ObjectDetailView):
    fields = [
        "name",
        "title",
        "employer",
        "research_org",
        "staff_unit",
        "speciality",
        "is_available",
        "unavailable_until",
        "phone_masked",
        "user",
        "org_unit",
    ]


class ExpertEditView(ExpertMixin, generic.ObjectEditView):
    form_class = ExpertForm

    def data(self, form) -> dict:
        data = self.form_data(form)
        data["industries"] = data.pop("industry_codes", [])
        phone = data.pop("phone", "")
        if phone or self.object is None:
            data["phone"] = phone
        return data

    def create(self, form):
        return services.expert_create(actor=self.request.user, data=self.data(form))

    def update(self, form):
        version = form.cleaned_data["version"]
        return services.expert_update(
            actor=self.request.user, expert=self.object, data=self.data(form), version=version
        )


class ExpertDeleteView(ExpertMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.expert_delete(actor=self.request.user, expert=obj, version=version)


# --- reviews (officers) ---------------------------------------------------------------------------------


class ReviewMixin:
    model = Review
    url_namespace = "reviews"
    object_selector = staticmethod(selectors.review_get)


class ReviewListView(ReviewMixin, generic.ObjectListView):
    selector = staticmethod(selectors.review_list)
    columns = [("title", "研判事项"), ("status", "状态"), ("experts_needed", "专家人数"), ("org_unit", "发起单位")]


EXCLUSIONS_SHOWN = 50


class ReviewDetailView(ReviewMixin, generic.ObjectDetailView):
    """The review page: progress per expert, the aggregate, exclusions, decisions and the decision form."""

    template_name = "reviews/review_detail.html"

    def get_history(self, obj) -> list:
        return selectors.review_history(obj)  # the page lists action, time and who: no diffs to resolve

    def get_context_data(self, **kwargs):
        review = self.object
        rows = selectors.progress_rows(review)
        agg = selectors.review_aggregate(review, rows)
        user = self.request.user
        return super().get_context_data(
            rows=rows,
            agg=agg,
            exclusions=selectors.exclusion_rows(review, limit=EXCLUSIONS_SHOWN),
            exclusion_counts=selectors.exclusion_counts(review),
            decisions=selectors.decisions(review),
            may_decide=services.chair_or_leader(user, review),
            is_chair=review.chair_id == user.pk,
            decision_form=DecisionForm(initial={"outcome": agg.outcome or None}),
            indicators=selectors.review_indicators(review),
            # re-running the draw reads the recorded pool (thousands of ids): on request only
            reproducible=services.redraw_matches(review) if self.request.GET.get("verify") else None,
            **kwargs,
        )


class ReviewEditView(ReviewMixin, generic.ObjectEditView):
    """Rename a review (everything else is fixed by the draw)."""

    form_class = ReviewTitleForm

    def update(self, form):
        version = form.cleaned_data["version"]
        return services.review_update(
            actor=self.request.user, review=self.object, data={"title": form.cleaned_data["title"]}, version=version
        )


class ReviewDeleteView(ReviewMixin, generic.ObjectDeleteView):
    def delete(self, obj, version):
        services.review_delete(actor=self.request.user, review=obj, version=version)


class ReviewAddView(CapabilityRequiredMixin, TemplateView):
    """Request a review of a project at the 研判 stage and draw its experts (a plain view: the form is not a
    model form, and the result is a draw, not just a saved record)."""

    capability = Cap.BUSINESS_CHANGE
    template_name = "reviews/review_add.html"

    def form(self, data=None):
        services.ensure_starting_rubrics(self.request.user.org_unit.region)
        return ReviewForm(
            data,
            rubrics=selectors.rubrics_for(user=self.request.user),
            initial={"project_id": self.request.GET.get("project")},
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            projects=project_selectors.projects_at_stage(user=self.request.user, code="review"), **kwargs
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["fields"] = data.pop("fields_codes", "").split()
            try:
                review = services.review_create(actor=request.user, data=data)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已抽取 {review.experts_needed} 位专家，种子 {review.seed}")
                return redirect(review.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class ReviewActionView(CapabilityRequiredMixin, View):
    """The chair's and leader's POST actions on the review page: decide, reopen an expert's sheet."""

    capability = Cap.BUSINESS_CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, action):
        review = selectors.review_get(user=request.user, pk=pk)
        try:
            if action == "decide":
                agg = selectors.review_aggregate(review)
                conditions = request.POST.get("conditions", "").splitlines()
                _, effect = services.decision_record(
                    actor=request.user,
                    review_id=review.pk,
                    outcome=request.POST.get("outcome", ""),
                    conditions=conditions,
                    reason=request.POST.get("reason", ""),
                    aggregate=agg,
                )
                messages.success(request, "已记录决策。" + effect)
            elif action == "reopen":
                services.scores_reopen(
                    actor=request.user,
                    review_id=review.pk,
                    expert_id=int(request.POST.get("expert") or 0),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "已重新开放该专家的评分")
        except ApplicationError as exc:
            messages.error(request, exc.message + "".join(f"；{m}" for ms in exc.fields.values() for m in ms))
        return redirect(review.get_absolute_url())


class ReviewDocumentView(CapabilityRequiredMixin, View):
    """The 研判意见书 (.docx from the replaceable template)."""

    capability = Cap.BUSINESS_VIEW

    def get(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        content = documents.opinion_docx(review)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = f'attachment; filename="review-{review.pk}.docx"'
        return response


class BoardView(CapabilityRequiredMixin, TemplateView):
    """The 研判 board: requested / drawing / scoring / decided."""

    capability = Cap.BUSINESS_VIEW
    template_name = "reviews/board.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=selectors.board(user=self.request.user), **kwargs)


class StatisticsView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.BUSINESS_VIEW
    template_name = "reviews/statistics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(stats=selectors.statistics(user=self.request.user), **kwargs)


class ExclusionAuditView(CapabilityRequiredMixin, TemplateView):
    """Every exclusion of the county's draws with its reason, for the 审计管理员 (no project names: the review
    number and the expert suffice to check the rule was applied)."""

    capability = Cap.VIEW_AUDIT
    template_name = "reviews/exclusions.html"

    def get_context_data(self, **kwargs):
        rows = (
            Exclusion.objects.filter(review__region_id=self.request.user.region_id)
            .select_related("expert")
            .order_by("-review_id", "id")[:500]
        )
        return super().get_context_data(rows=rows, **kwargs)


# --- the expert's own pages -----------------------------------------------------------------------------


class ExpertHomeView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.SCORE_REVIEWS
    template_name = "reviews/expert_home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignments=selectors.my_assignments(user=self.request.user), **kwargs)


class ExpertReviewView(CapabilityRequiredMixin, View):
    """One assigned review: the invitation and 承诺书 first, then the materials and the scoring form."""

    capability = Cap.SCORE_REVIEWS

    def page(self, request, pk, errors=None, entries=None):
        review, assignment = selectors.expert_review(user=request.user, pk=pk)
        agg = selectors.review_aggregate(review)
        hide = selectors.masked(review, agg)
        scores = selectors.own_scores(assignment)
        sections = selectors.sheet_sections(review.rubric_version, scores, entries, errors)
        context = {
            "review": review,
            "assignment": assignment,
            "title": review.alias if hide else review.title,
            "materials": selectors.materials(review, hide=hide) if assignment.commitment_signed_at else None,
            "sections": sections,
            "commitment": services.COMMITMENT,
            "locked": assignment.submitted_at is not None,
        }
        return render(request, "reviews/expert_review.html", context, status=422 if errors else 200)

    def get(self, request, pk):
        return self.page(request, pk)

    def post(self, request, pk):
        action = request.POST.get("action")
        try:
            if action == "decline":
                services.assignment_respond(
                    actor=request.user, review_id=pk, accept=False, reason=request.POST.get("reason", "")
                )
                messages.success(request, "已谢绝，感谢您的答复")
                return redirect(reverse("reviews:my_reviews"))
            if action == "commit":
                services.commitment_sign(actor=request.user, review_id=pk)
                messages.success(request, "已签署承诺书，可以查阅材料并评分")
            elif action == "score":
                entries = _entries(request.POST)
                try:
                    services.scores_submit(actor=request.user, review_id=pk, entries=entries)
                except ApplicationError as exc:
                    messages.error(request, exc.message)
                    return self.page(request, pk, errors={k: v[0] for k, v in exc.fields.items()}, entries=entries)
                messages.success(request, "评分已提交并锁定")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("reviews:my_review", args=[pk]))


def _entries(post) -> dict:
    codes = {key[len("value_") :] for key in post if key.startswith("value_")}
    return {code: {"value": post.get(f"value_{code}"), "comment": post.get(f"comment_{code}", "")} for code in codes}
