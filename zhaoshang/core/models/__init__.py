from .audit import HashChainedLog, ObjectChange, SecurityEvent
from .base import BusinessModel, ObjectShare, SoftDeleteModel, TimestampedModel, VersionedModel
from .reference import Industry, Tag

__all__ = [
    "BusinessModel",
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
