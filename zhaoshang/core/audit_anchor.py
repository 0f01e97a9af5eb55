"""Anchoring the audit hash chains: signed checkpoints kept outside the database.

A hash chain shows an edited or removed row *inside* the chain, but not the removal of its newest rows: what
is left is still a whole chain. A checkpoint records, for each chain, the number of rows, the id and the hash
of its head, signed with an HMAC-SM3 key that is not in the database (``ZHAOSHANG_AUDIT_KEY`` from the
environment, else the file ``var/audit_key``, made once, 0600 — like the field key). Checkpoints are appended,
one JSON line each, to a separate log file (``ZHAOSHANG_AUDIT_CHECKPOINT_LOG``, default
``var/audit/checkpoints.log``) that operations copy off the machine (syslog, a WORM share, paper: ``print_text``
is the 审计管理员's printable copy). ``verify`` checks the chains against the latest checkpoint: its head row
must still be there with the same hash — else the tail was removed and the report says from where.

``checkpoint()`` is run daily (the scheduler, or cron: ``zhaoshang audit-checkpoint``) and on demand.
"""

import hmac as std_hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.utils import timezone

from .models import ObjectChange, SecurityEvent

CHAINS = (ObjectChange, SecurityEvent)


def _key() -> bytes:
    key = getattr(settings, "ZHAOSHANG_AUDIT_KEY", "")
    if not key:
        raise RuntimeError("ZHAOSHANG_AUDIT_KEY is not set")
    return key.encode()


def _sign(body: dict) -> str:
    mac = crypto_hmac.HMAC(_key(), hashes.SM3())
    mac.update(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
    return mac.finalize().hex()


def log_path() -> Path:
    return Path(settings.ZHAOSHANG_AUDIT_CHECKPOINT_LOG)


def _heads() -> dict:
    heads = {}
    for model in CHAINS:
        head = model.objects.order_by("-id").values("id", "hash").first()
        heads[model._meta.label] = {
            "rows": model.objects.count(),
            "head_id": head["id"] if head else None,
            "head_hash": head["hash"] if head else None,
        }
    return heads


def checkpoint() -> dict:
    """Append a signed checkpoint of every chain to the checkpoint log; returns it."""
    body = {"time": timezone.now().isoformat(), "chains": _heads()}
    record = {**body, "hmac": _sign(body)}
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return record


def latest() -> tuple[dict | None, str]:
    """The newest checkpoint and "" — or None and why none can be trusted."""
    path = log_path()
    if not path.exists():
        return None, "没有检查点"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return None, "没有检查点"
    try:
        record = json.loads(lines[-1])
        body = {k: v for k, v in record.items() if k != "hmac"}
        valid = std_hmac.compare_digest(_sign(body), str(record.get("hmac", "")))
    except (ValueError, TypeError, AttributeError):
        valid, record = False, None
    if not valid:
        return None, "最新的检查点签名不符（检查点文件被改动，或审计密钥不对）"
    return record, ""


@dataclass
class AnchorReport:
    model: str
    ok: bool
    reason: str = ""
    missing_tail: int = 0


def verify() -> tuple[list[AnchorReport], dict | None, str]:
    """Each chain against the latest checkpoint: ``(reports, checkpoint, problem)``; ``problem`` is set when no
    trustworthy checkpoint exists (no reports then)."""
    record, problem = latest()
    if record is None:
        return [], None, problem
    reports = []
    for model in CHAINS:
        label = model._meta.label
        anchor = record["chains"].get(label) or {}
        head_id = anchor.get("head_id")
        if head_id is None:
            reports.append(AnchorReport(label, True))
            continue
        row = model.objects.filter(id=head_id).values("hash").first()
        if row is not None and row["hash"] == anchor["head_hash"]:
            reports.append(AnchorReport(label, True))
            continue
        present = model.objects.filter(id__lte=head_id).count()
        last = model.objects.filter(id__lte=head_id).order_by("-id").values_list("id", flat=True).first()
        missing = max(anchor.get("rows", 0) - present, 1) if row is None else 0
        if row is None:
            reason = (
                f"检查点（{record['time']}）记录到第 {head_id} 号，现存只到第 {last or 0} 号："
                f"末尾至少 {missing} 条记录被删除"
            )
        else:
            reason = f"第 {head_id} 号记录的哈希与检查点（{record['time']}）不符：记录被改写"
        reports.append(AnchorReport(label, False, reason, missing))
    return reports, record, ""


def print_text(record: dict) -> str:
    """The checkpoint as the 审计管理员 prints and signs it."""
    names = {"core.ObjectChange": "变更记录", "core.SecurityEvent": "安全审计事件"}
    lines = ["审计日志检查点", f"时间：{record['time']}"]
    for label, anchor in record["chains"].items():
        name = names.get(label, label)
        lines.append(f"{name}：{anchor['rows']} 条，末条编号 {anchor['head_id']}，末条哈希 {anchor['head_hash']}")
    lines.append(f"签名（HMAC-SM3）：{record['hmac']}")
    lines.append("核对人：____________    日期：____________")
    return "\n".join(lines)
