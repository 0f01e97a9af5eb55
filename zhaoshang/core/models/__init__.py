from .audit import HashChainedLog, ObjectChange, SecurityEvent
from .base import BusinessModel, ObjectShare, SoftDeleteModel, TimestampedModel, VersionedModel
from .keys import FieldKeyRotation
from .reference import CalendarDay, Industry, Tag

__all__ = [
    "BusinessModel",
    "CalendarDay",
    "FieldKeyRotation",
    "HashChainedLog",
    "Industry",
    "ObjectChange",
    "ObjectShare",
    "SecurityEvent",
    "SoftDeleteModel",
    "Tag",
    "TimestampedModel",
    "VersionedModel",
]
