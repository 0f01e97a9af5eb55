from .audit import AuditVerifyView, AuditView
from .home import HomeView

__all__ = ["AuditVerifyView", "AuditView", "HomeView"]
