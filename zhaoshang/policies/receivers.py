"""The lifecycle's hooks: when a project's 签约 / 投产 / 达产 stage closes, its agreed terms due at that stage
are checked and their 兑现 (or 追回) items opened, inside the advance's transaction."""

from .services.commitments import STAGES, commitments_due


def on_stage_closed(sender, project, stage_code, actor, on, **kwargs):
    if stage_code in STAGES:
        commitments_due(actor=actor, project=project, stage_code=stage_code, on=on)
