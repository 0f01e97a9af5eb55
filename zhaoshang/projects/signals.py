"""The lifecycle's public hook points for other apps.

Apps that react to a project's progress (载体库 marks a reserved carrier 已出让 at 供地, 政策 opens 兑现
items at 签约/达产, 研判 reads the stage) connect receivers here instead of being imported by the
lifecycle. Signals are sent inside the lifecycle's transaction: a receiver that raises an
``ApplicationError`` refuses the advance and everything rolls back; a receiver writes only its own app's
tables (through its own services).

- ``stage_closed(sender=Project, project, stage_code, actor, on)``: a stage was completed (办结), not
  when it was skipped or reverted.
- ``stage_opened(sender=Project, project, stage_code, actor, on)``: the relay handed a stage over
  (forward or back).
"""

from django.dispatch import Signal

stage_closed = Signal()
stage_opened = Signal()
