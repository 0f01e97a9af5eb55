"""The county's chain settings: the 强/弱/缺 thresholds, the 自动 confidence and the target weights."""

from typing import Any

from zhaoshang.core import services as core
from zhaoshang.core.errors import ValidationFailed

from ..models import ChainSettings
from .common import check_editor

DEFAULT_WEIGHTS = {"fit": 30, "scale": 25, "signals": 20, "region": 10, "ties": 15}


def settings_for(region_id: int) -> ChainSettings:
    found = ChainSettings.objects.filter(region_id=region_id).first()
    if found is None:
        found, _ = ChainSettings.objects.get_or_create(region_id=region_id, defaults={"weights": dict(DEFAULT_WEIGHTS)})
    return found


def weights_of(settings: ChainSettings) -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **{k: float(v) for k, v in (settings.weights or {}).items() if k in DEFAULT_WEIGHTS}}


def settings_update(*, actor, region_id: int, data: dict[str, Any]) -> ChainSettings:
    check_editor(actor, region_id=region_id)
    current = settings_for(region_id)
    allowed = {"strong_count", "strong_large", "weak_count", "auto_confidence", "weights"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(fields={k: ["不允许修改该字段"] for k in unknown})
    weights = data.get("weights")
    if weights is not None and (set(weights) - set(DEFAULT_WEIGHTS) or any(float(v) < 0 for v in weights.values())):
        raise ValidationFailed(fields={"weights": ["权重项目有误或为负数"]})
    strong = data.get("strong_count", current.strong_count)
    weak = data.get("weak_count", current.weak_count)
    if weak < 1 or strong < weak:
        raise ValidationFailed(fields={"strong_count": ["强链门槛应不小于弱链门槛，弱链门槛至少为 1"]})
    if not 0 < float(data.get("auto_confidence", current.auto_confidence)) <= 1:
        raise ValidationFailed(fields={"auto_confidence": ["置信度应在 0 到 1 之间"]})
    return core.config_update(actor=actor, obj=current, data=data)
