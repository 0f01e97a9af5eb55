import io

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.errors import NotFound, ValidationFailed
from zhaoshang.core.permissions import CapabilityRequiredMixin
from zhaoshang.core.roles import Cap

from . import selectors, services
from .engine import REGISTRY
from .models import ImportJob


class ImportNewView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.IMPORT
    template_name = "imports/import_new.html"

    def get_context_data(self, **kwargs):
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or "enterprises"
        return super().get_context_data(
            kinds=[(k, i.label) for k, i in REGISTRY.items()],
            kind=kind,
            modes=ImportJob.Mode.choices,
            mode=self.request.POST.get("mode", ImportJob.Mode.DRY_RUN),
            jobs=selectors.import_job_list(user=self.request.user)[:10],
            **kwargs,
        )

    def post(self, request):
        try:
            job = services.import_start(
                actor=request.user,
                kind=request.POST.get("kind", ""),
                mode=request.POST.get("mode", ""),
                upload=request.FILES.get("file"),
            )
        except ValidationFailed as exc:
            context = self.get_context_data(error=exc)
            return self.render_to_response(context, status=422)
        return redirect("imports:import_detail", pk=job.pk)


class ImportDetailView(CapabilityRequiredMixin, TemplateView):
    capability = Cap.IMPORT
    template_name = "imports/import_detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["imports/_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = selectors.import_job_get(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(job=job, importer=REGISTRY.get(job.kind), **kwargs)


class ImportRerunView(CapabilityRequiredMixin, View):
    capability = Cap.IMPORT

    def post(self, request, pk):
        job = selectors.import_job_get(user=request.user, pk=pk)
        try:
            new = services.import_rerun(actor=request.user, job=job, mode=request.POST.get("mode", ""))
        except ValidationFailed as exc:
            messages.error(request, exc.message)
            return redirect("imports:import_detail", pk=pk)
        return redirect("imports:import_detail", pk=new.pk)


class TemplateDownloadView(CapabilityRequiredMixin, View):
    capability = Cap.IMPORT

    def get(self, request, kind):
        importer = REGISTRY.get(kind)
        if importer is None:
            raise NotFound()
        buffer = io.BytesIO()
        importer.write_template(buffer)
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename=f"{importer.label}导入模板.xlsx")
