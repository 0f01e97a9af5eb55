"""Page access by capability (``accounts.roles.Cap``)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured

from .errors import PermissionDenied


class CapabilityRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a logged-in user without the capability gets 403
    (and an audit row, written by ``ApplicationErrorMiddleware``).

    A page whose rule goes beyond one capability (the center's units only, say) overrides ``allows``; the
    role × URL matrix (tests/assurance) asks the same method what each role should get."""

    capability: str | None = None

    @classmethod
    def allows(cls, user) -> bool:
        return cls.capability is None or user.has_capability(cls.capability)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allows(request.user):
            raise PermissionDenied()
        return super().dispatch(request, *args, **kwargs)


class CapabilityObjectMixin(CapabilityRequiredMixin):
    """A page about one record: ``get_object()`` loads ``self.object`` (``None`` for a new one) before
    the view runs, and only for a user who holds the capability (the others get 403, never a 404 that
    would tell whether the record exists). The template sees it as ``object``."""

    object = None

    def get_object(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_object() (the record the page is about)")

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated and self.allows(request.user):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)
