"""Page access by capability (``accounts.roles.Cap``)."""

from django.contrib.auth.mixins import LoginRequiredMixin

from .errors import PermissionDenied


class CapabilityRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a logged-in user without the capability gets 403
    (and an audit row, written by ``ApplicationErrorMiddleware``)."""

    capability: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capability is not None and not request.user.has_capability(self.capability):
            raise PermissionDenied()
        return super().dispatch(request, *args, **kwargs)
