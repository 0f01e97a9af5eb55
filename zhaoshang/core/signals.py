"""Signal receivers of the core app (none yet beyond the audit triggers' migration hook)."""
