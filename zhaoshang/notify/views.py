from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from . import services
from .models import Notification


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notify/list.html"

    def get_context_data(self, **kwargs):
        notes = Notification.objects.filter(recipient=self.request.user)
        if self.request.GET.get("unread"):
            notes = notes.filter(read_at__isnull=True)
        page = Paginator(notes, 30).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, unread_only=bool(self.request.GET.get("unread")), **kwargs)


class OpenView(LoginRequiredMixin, View):
    """Mark one notification read and go where it points."""

    def get(self, request, pk):
        note = Notification.objects.filter(recipient=request.user, pk=pk).first()
        if note is None:
            return redirect("notify:list")
        services.mark_read(user=request.user, ids=[note.pk])
        return redirect(note.url or "notify:list")


class MarkReadView(LoginRequiredMixin, View):
    """Mark one of my notifications read without opening it (the 工作台's one-click action); another
    user's notification is left as it is."""

    def post(self, request, pk):
        services.mark_read(user=request.user, ids=[pk])
        return _back(request)


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        services.mark_read(user=request.user)
        return _back(request)


def _back(request):
    """To ``next`` when it is a page of this site (the 工作台), else to the list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notify:list")
