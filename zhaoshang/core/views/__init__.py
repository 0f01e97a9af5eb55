from .audit import AuditView
from .home import HomeView

__all__ = ["AuditView", "HomeView"]
