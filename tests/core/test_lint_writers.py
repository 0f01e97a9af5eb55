"""Every table has exactly one owning module: the only code that writes it (issue #11).

The scan reads the source (``zhaoshang/`` and ``demo/``) as Python syntax trees and reports a write of a
project table outside its owner's module:
- manager and queryset writes: ``X.objects.create / get_or_create / update_or_create / bulk_create /
  bulk_update / update / delete`` (also through ``filter(...)`` chains, related managers such as
  ``stage.checklist.all().delete()``, and variables holding a queryset);
- instance writes: ``x.save()`` / ``x.delete()`` where ``x`` is known to be an ``X`` (built as ``X(...)``,
  read from ``X.objects``, annotated ``x: X``, returned by a function annotated ``-> X``, or iterated from
  such a queryset); many-to-many ``add / set / remove / clear`` count as writes of the owning side;
- the generic writers ``core.services.object_create / object_restore(model=X)`` and ``object_update /
  object_delete / config_update(obj=x)``, and the ``core.bulk`` helpers (``insert_values(X, …)``, ``insert_rows(cursor,
  X._meta.db_table, …)``, ``insert_objects`` / ``update_rows``);
- raw SQL ``INSERT INTO`` / ``UPDATE … SET`` / ``DELETE FROM`` in string literals (docstrings aside).
A write whose table cannot be told (``form.save()``, ``obj.delete()`` of an unknown ``obj``, raw SQL with a
table placeholder) is allowed only inside an owner module or an allow-listed module.

``OWNERS`` below is the owner map; ``ALLOWED`` the short list of modules that may write tables they do not
own, each with its reason; ``NOT_SCANNED`` the trees left out, with theirs. A new project table must be
given an owner (``test_every_table_has_an_owner``).
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]

# table (model class) → the one module that writes it. A package owns the modules under it.
OWNERS: dict[str, str] = {
    # core
    "ObjectChange": "zhaoshang.core.audit",  # log_change / log_changes_bulk (append-only hash chain)
    "SecurityEvent": "zhaoshang.core.audit",  # security_event
    "ObjectShare": "zhaoshang.core.services",  # object_share
    "CalendarDay": "zhaoshang.core.services",  # calendar_day_set / calendar_day_delete
    "Tag": "zhaoshang.core.services",  # (no writer in the application yet: data migrations and admin)
    "Industry": "zhaoshang.core.reference",  # load_industries: the bundled GB/T 4754 catalogue
    "FieldKeyRotation": "zhaoshang.core.key_rotation",  # rotate: a rotation's progress
    # accounts
    "OrgUnit": "zhaoshang.accounts.services",
    "User": "zhaoshang.accounts.services",
    "ApiToken": "zhaoshang.accounts.services",
    # notify
    "Notification": "zhaoshang.notify.services",  # notify_users / notify_unit / notify_many / mark_read
    "OutboxMessage": "zhaoshang.notify.services",  # written with the bell's rows; dispatched by outbox
    "Delivery": "zhaoshang.notify.services",  # outbox: dispatch / deliver / digests / retry
    "ChannelConfig": "zhaoshang.notify.services",  # config.channel_config_update
    "RoleDefault": "zhaoshang.notify.services",  # config.role_default_update
    "NotifyProfile": "zhaoshang.notify.services",  # config.profile_update
    "ScheduledJob": "zhaoshang.notify.services",  # jobs: sync / run / update
    "JobRun": "zhaoshang.notify.services",  # jobs.run_job
    # enterprises
    "Enterprise": "zhaoshang.enterprises.services",
    "Contact": "zhaoshang.enterprises.services",  # contact_create (also for a converted lead's contact)
    "Signal": "zhaoshang.enterprises.services",
    "Note": "zhaoshang.enterprises.services",
    "Merge": "zhaoshang.enterprises.services",
    # chains
    "Chain": "zhaoshang.chains.services",  # load_reference_chains, chain_import, chain_update, the editor
    "ChainVersion": "zhaoshang.chains.services",  # save_version: one snapshot per edit
    "ChainNode": "zhaoshang.chains.services",
    "ChainEdge": "zhaoshang.chains.services",
    "NodeLink": "zhaoshang.chains.services",  # link_rows (automatic), link_confirm / link_reject / link_add
    "LinkProgress": "zhaoshang.chains.services",  # link_all (the resumable batch)
    "ChainSettings": "zhaoshang.chains.services",  # settings_update
    "EnterpriseRelation": "zhaoshang.chains.services",
    # projects
    "Project": "zhaoshang.projects.services",  # lifecycle; progress dates (problems, follow-ups); lights
    "ProjectStage": "zhaoshang.projects.services",  # lifecycle
    "ChecklistEntry": "zhaoshang.projects.services",  # lifecycle (opening a stage), problems (ticks)
    "Problem": "zhaoshang.projects.services",  # problems
    "ProblemComment": "zhaoshang.projects.services",  # problems
    "FollowUp": "zhaoshang.projects.services",  # followups (followup_add, followups_copy)
    "ChecklistAttachment": "zhaoshang.projects.services.checklist",  # checklist_attach
    "Supervision": "zhaoshang.projects.services.oversight",  # supervision_raise / supervision_lift
    "Instruction": "zhaoshang.projects.services.oversight",  # instruction_issue / instruction_reply
    "InstructionReply": "zhaoshang.projects.services.oversight",  # instruction_reply
    "ProjectEvent": "zhaoshang.projects.services.events",  # event / events_copy / events_insert
    "Stage": "zhaoshang.projects.services.config",
    "ChecklistItem": "zhaoshang.projects.services.config",
    "WarningRules": "zhaoshang.projects.services.config",
    # leads
    # carriers
    "Carrier": "zhaoshang.carriers.services",  # carriers (create/update/status), reservations, lifecycle
    "CarrierStatusChange": "zhaoshang.carriers.services.carriers",  # every status change (carrier_update/_set_status)
    "LandIndicator": "zhaoshang.carriers.services.config",  # the county's 标准地 indicator set
    "LandIndicatorValue": "zhaoshang.carriers.services.carriers",  # indicator_values_set
    "CarrierReservation": "zhaoshang.carriers.services",  # reservations; lifecycle converts at 供地
    "LandCommitment": "zhaoshang.carriers.services.lifecycle",  # copied from the parcel at 供地
    "LandProductionCheck": "zhaoshang.carriers.services.lifecycle",  # 达产复核
    "CarrierMatchRun": "zhaoshang.carriers.services.matching",  # match_run / match_attach
    "CarrierSettings": "zhaoshang.carriers.services.config",  # carrier_settings_update
    "Lead": "zhaoshang.leads.services",
    "LeadEvent": "zhaoshang.leads.services",
    "LeadFollowUp": "zhaoshang.leads.services",
    "LeadRules": "zhaoshang.leads.services",
    "AssignmentRule": "zhaoshang.leads.services",
    # stats
    "FDIRecord": "zhaoshang.stats.services",
    "FDIMonthTotal": "zhaoshang.stats.rollup",  # kept by database triggers; rebuilt by rollup.rebuild
    "FDISubjectTotal": "zhaoshang.stats.rollup",
    "Target": "zhaoshang.stats.services",
    "ReportJob": "zhaoshang.stats.services",
    # imports
    "ImportJob": "zhaoshang.imports.services",
    # reviews
    "ResearchOrg": "zhaoshang.reviews.services.experts",
    "Expert": "zhaoshang.reviews.services.experts",
    "ExpertEmployment": "zhaoshang.reviews.services.experts",
    "ExpertRelation": "zhaoshang.reviews.services.experts",
    "AdviserGroup": "zhaoshang.reviews.services.experts",
    "AdviserMembership": "zhaoshang.reviews.services.experts",
    "OpinionRequest": "zhaoshang.reviews.services.experts",
    "Opinion": "zhaoshang.reviews.services.experts",
    "Rubric": "zhaoshang.reviews.services.rubrics",
    "RubricVersion": "zhaoshang.reviews.services.rubrics",
    "Review": "zhaoshang.reviews.services",  # reviews (request, draw, status), decisions (decided)
    "ReviewAssignment": "zhaoshang.reviews.services",  # reviews (draw, respond, commit), scoring (submit, reopen)
    "Exclusion": "zhaoshang.reviews.services.reviews",
    "Score": "zhaoshang.reviews.services.scoring",
    "Decision": "zhaoshang.reviews.services.decisions",
    # policies
    "Policy": "zhaoshang.policies.services",
    "Clause": "zhaoshang.policies.services",
    "ClauseVersion": "zhaoshang.policies.services",  # clauses (publishing)
    "Variable": "zhaoshang.policies.services",  # variables
    "Calculation": "zhaoshang.policies.services",
    "Commitment": "zhaoshang.policies.services",
    "Fulfilment": "zhaoshang.policies.services",
    "PushRun": "zhaoshang.policies.services",  # push
    # network
    "OfficeProfile": "zhaoshang.network.services",
    "OfficeTarget": "zhaoshang.network.services",
    "AssessmentIndicator": "zhaoshang.network.services",
    "Activity": "zhaoshang.network.services",
    "ActivityAttachment": "zhaoshang.network.services",
    "Intermediary": "zhaoshang.network.services",
    "Agreement": "zhaoshang.network.services",
    "SisterCity": "zhaoshang.network.services",
    "Event": "zhaoshang.network.services",
    "EventParticipant": "zhaoshang.network.services",
    "LeadSource": "zhaoshang.network.services",
    "Reward": "zhaoshang.network.services",
    "LeadProgress": "zhaoshang.network.services",  # progress: the funnel's roll-up, refreshed by network.receivers
    "LeadProgressGroup": "zhaoshang.network.services",  # progress: LeadProgress summed per group and month
}

# module (or package) → (tables it may write besides its own, or "*"; None stands for a write whose table the
# scan cannot tell; the reason).
ALLOWED: dict[str, tuple[set[str | None] | str, str]] = {
    "zhaoshang.accounts.two_factor": (
        {None},
        "the one writer of django-otp's device tables (TOTPDevice, StaticDevice, StaticToken): third-party "
        "models, not in the project's owner map",
    ),
    "zhaoshang.core.bulk": ("*", "the bulk-write helpers the owners call: they write the table they are given"),
    "zhaoshang.core.models": (
        "*",
        "the models' own save(): BusinessModel's bookkeeping and the audit log's append (HashChainedLog.append)",
    ),
    "zhaoshang.core.key_rotation": (
        "*",
        "the field-key rotation re-encrypts every app's *_cipher columns and encrypted files in place: the "
        "ciphertext changes, the business value does not (SECURITY.md item 10)",
    ),
    "zhaoshang.core.search": ("*", "the search index's own tables (not models), kept in step with enterprises"),
    "zhaoshang.core.views.generic": (
        "*",
        "ObjectEditView/ObjectDeleteView's default hooks call core.services' generic writers; apps override them "
        "with their own services",
    ),
    "zhaoshang.enterprises.importers": (
        {"Enterprise", None},
        "the enterprise import writes 1,000,000-row files with core.bulk (3,000 rows/s, bench-pinned); it is "
        "the enterprises app's own bulk writer, with log_changes_bulk rows",
    ),
    "zhaoshang.imports.engine": ({"ImportJob"}, "the import runner reports its job's status and progress"),
    "zhaoshang.imports.uploads": (
        {None},
        "FieldFile.delete(save=False) deletes an upload's file from storage, not a row (issue #19)",
    ),
    "zhaoshang.stats.reports": ({"ReportJob"}, "the report runner reports its job's status and stores its file"),
    "demo": ("*", "demo seeding builds months of history directly (dates, states no service would accept)"),
}

NOT_SCANNED = {
    "migrations": "schema and data migrations write with the historical models",
    "tests": "tests build their fixtures directly",
    "bench": "benchmarks generate millions of rows with bulk_create",
}

MANAGERS = {"objects", "all_objects", "_default_manager", "_base_manager"}
QUERYSET_METHODS = {
    "all",
    "filter",
    "exclude",
    "restrict",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "order_by",
    "only",
    "defer",
    "using",
    "distinct",
    "annotate",
    "alias",
    "none",
    "first",
    "last",
    "get",
    "latest",
    "earliest",
    "iterator",
    "in_bulk",
}
MANAGER_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update", "delete"}
M2M_WRITES = {"add", "set", "remove", "clear"}
GENERIC_WRITERS = {
    "object_create": "model",
    "object_restore": "model",
    "object_update": "obj",
    "object_delete": "obj",
    "config_update": "obj",
}
BULK_HELPERS = {"insert_values", "insert_rows", "insert_objects", "update_rows"}
RAW_WRITE = re.compile(r"\b(?:INSERT\s+INTO|DELETE\s+FROM|UPDATE)\s+[\"`]?(\{?[A-Za-z_][\w.]*\}?)")
RAW_UPDATE_SET = re.compile(r"\bUPDATE\s+\S+\s+SET\b")


@dataclass(frozen=True)
class Write:
    module: str
    line: int
    table: str | None  # None: a write whose table cannot be told
    what: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.what} → {self.table or 'unknown table'}"


def _models() -> dict[str, type]:
    return {
        m.__name__: m
        for m in apps.get_models()
        if m.__module__.startswith("zhaoshang.") and not m._meta.auto_created and m._meta.managed
    }


def _tables() -> dict[str, str]:
    return {m._meta.db_table: name for name, m in _models().items()}


def _under(module: str, owner: str) -> bool:
    return module == owner or module.startswith(owner + ".")


def _is_owner_module(module: str) -> bool:
    return any(_under(module, owner) for owner in OWNERS.values())


def allowed(write: Write) -> bool:
    if write.table is not None and _under(write.module, OWNERS.get(write.table, "\0")):
        return True
    if write.table is None and _is_owner_module(write.module):
        return True
    for prefix, (tables, _reason) in ALLOWED.items():
        if _under(write.module, prefix) and (tables == "*" or write.table in tables):
            return True
    return False


class _Scanner:
    """One module: which names are models, which variables hold which model, and the writes."""

    def __init__(self, module: str, tree: ast.Module, models: dict[str, type], tables: dict[str, str]) -> None:
        self.module, self.tree, self.models, self.tables = module, tree, models, tables
        self.names = self._model_names()
        self.returns = {
            f.name: self.names[f.returns.id]
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
            and isinstance(f.returns, ast.Name)
            and f.returns.id in self.names
        }
        self.writes: list[Write] = []

    def _model_names(self) -> dict[str, str]:
        """Local name → model class name: imported from a models module, or defined in this one."""
        names = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "models":
                for alias in node.names:
                    if alias.name in self.models:
                        names[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ClassDef) and node.name in self.models:
                names[node.name] = node.name
        return names

    # --- what a node is -----------------------------------------------------------------------------

    def model_of(self, node: ast.AST, env: dict[str, str]) -> str | None:
        """The model a manager, queryset or instance expression stands for, if it can be told."""
        if isinstance(node, ast.Name):
            return env.get(node.id)
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id in self.names and node.attr in MANAGERS:
                return self.names[node.value.id]
            owner = self.model_of(node.value, env)
            return self._related(owner, node.attr) if owner else None
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                return self.names.get(func.id) or self.returns.get(func.id)
            if isinstance(func, ast.Attribute) and func.attr in QUERYSET_METHODS:
                return self.model_of(func.value, env)
        return None

    def _related(self, model: str, attr: str) -> str | None:
        """The model behind ``instance.<attr>`` when it is a relation (forward or reverse accessor)."""
        for field in self.models[model]._meta.get_fields():
            accessor = field.get_accessor_name() if field.auto_created and not field.concrete else field.name
            if accessor == attr and field.is_relation and field.related_model is not None:
                return field.related_model.__name__
        return None

    def _m2m_owner(self, node: ast.Attribute, env: dict[str, str]) -> str | None:
        """``x.tags`` of a many-to-many relation: its rows belong to ``x``'s table."""
        owner = self.model_of(node.value, env)
        if owner is None:
            return None
        for field in self.models[owner]._meta.get_fields():
            if field.many_to_many and (field.name if field.concrete else field.get_accessor_name()) == node.attr:
                return owner
        return None

    # --- the scan -----------------------------------------------------------------------------------

    def scan(self) -> list[Write]:
        self._scan_body(self.tree, {})
        self._scan_sql()
        return self.writes

    def _scan_body(self, scope: ast.AST, outer: dict[str, str]) -> None:
        env = dict(outer)
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg in [*scope.args.args, *scope.args.kwonlyargs, *scope.args.posonlyargs]:
                if isinstance(arg.annotation, ast.Name) and arg.annotation.id in self.names:
                    env[arg.arg] = self.names[arg.annotation.id]
        nested = []
        for node in self._own_nodes(scope):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
                nested.append(node)
            else:
                self._learn(node, env)
        for node in self._own_nodes(scope):
            if isinstance(node, ast.Call):
                self._check_call(node, env)
        for node in nested:
            self._scan_body(node, env)

    @staticmethod
    def _own_nodes(scope: ast.AST):
        """The nodes of ``scope`` not inside a nested function or class (those are scanned on their own)."""
        found, stack = [], list(ast.iter_child_nodes(scope))
        while stack:
            node = stack.pop()
            found.append(node)
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
                stack.extend(ast.iter_child_nodes(node))
        return sorted(found, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))

    def _learn(self, node: ast.AST, env: dict[str, str]) -> None:
        if isinstance(node, ast.Assign):
            model = self.model_of(node.value, env)
            for target in node.targets:
                if isinstance(target, ast.Tuple) and target.elts:  # ``x, _ = X.objects.get_or_create(...)``
                    target = target.elts[0]
                if isinstance(target, ast.Name) and model:
                    env.setdefault(target.id, model)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if isinstance(node.annotation, ast.Name) and node.annotation.id in self.names:
                env[node.target.id] = self.names[node.annotation.id]
        elif isinstance(node, ast.For | ast.comprehension) and isinstance(node.target, ast.Name):
            model = self.model_of(node.iter, env)
            if model:
                env.setdefault(node.target.id, model)

    def _record(self, node: ast.AST, table: str | None, what: str) -> None:
        self.writes.append(Write(self.module, node.lineno, table, what))

    def _check_call(self, node: ast.Call, env: dict[str, str]) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute):
            name = func.attr
        else:
            return
        if name in GENERIC_WRITERS:
            keyword = next((k.value for k in node.keywords if k.arg == GENERIC_WRITERS[name]), None)
            if keyword is not None:
                if GENERIC_WRITERS[name] == "model":
                    table = self.names.get(keyword.id) if isinstance(keyword, ast.Name) else None
                else:
                    table = self.model_of(keyword, env)
                self._record(node, table, f"core.services.{name}")
            return
        if name in BULK_HELPERS:
            self._record(node, self._bulk_table(name, node, env), f"core.bulk.{name}")
            return
        if not isinstance(func, ast.Attribute):
            return
        receiver = func.value
        if name in MANAGER_WRITES - {"delete"}:
            model = self.model_of(receiver, env)
            if model:
                self._record(node, model, f".{name}()")
        elif name in ("save", "delete"):
            if node.args:  # a file's save(name, content), a document's save(buffer), a router's delete(path)
                return
            if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
                return
            self._record(node, self.model_of(receiver, env), f".{name}()")
        elif name in M2M_WRITES and isinstance(receiver, ast.Attribute):
            model = self._m2m_owner(receiver, env)
            if model:
                self._record(node, model, f".{receiver.attr}.{name}()")

    def _bulk_table(self, name: str, node: ast.Call, env: dict[str, str]) -> str | None:
        if name == "insert_values" and node.args:
            first = node.args[0]
            return self.names.get(first.id) if isinstance(first, ast.Name) else None
        if name == "insert_rows" and len(node.args) > 1:
            table = node.args[1]  # ``X._meta.db_table``
            if (
                isinstance(table, ast.Attribute)
                and isinstance(table.value, ast.Attribute)
                and isinstance(table.value.value, ast.Name)
            ):
                return self.names.get(table.value.value.id)
        return None

    def _scan_sql(self) -> None:
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(self.tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "{_}" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value
            else:
                continue
            for match in RAW_WRITE.finditer(text):
                if match.group(0).startswith("UPDATE") and not RAW_UPDATE_SET.match(text, match.start()):
                    continue  # "AFTER UPDATE OF/ON …" of a trigger; an upsert's "DO UPDATE SET" goes with its INSERT
                self._record(node, self.tables.get(match.group(1).strip('"`')), f"raw SQL {match.group(0)!r}")


def scan_source(module: str, source: str) -> list[Write]:
    """Every write in one module's source."""
    return _Scanner(module, ast.parse(source), _models(), _tables()).scan()


def _modules():
    for top in ("zhaoshang", "demo"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if any(part in NOT_SCANNED for part in parts):
                continue
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield module, path.read_text(encoding="utf-8")


# --- the tests --------------------------------------------------------------------------------------


def test_every_table_has_an_owner():
    assert sorted(set(_models()) - set(OWNERS)) == [], "give the new table an owner module in OWNERS"
    assert sorted(set(OWNERS) - set(_models())) == [], "OWNERS names a model that no longer exists"


def test_owner_modules_exist():
    for owner in {*OWNERS.values(), *(p for p in ALLOWED if p.startswith("zhaoshang"))}:
        path = ROOT / owner.replace(".", "/")
        assert path.with_suffix(".py").exists() or (path / "__init__.py").exists(), owner


def test_tables_are_written_only_by_their_owner():
    seen = [w for module, source in _modules() for w in scan_source(module, source)]
    assert len({w.table for w in seen}) > 25, "the scan no longer sees the writes it should check"
    found = [w for w in seen if not allowed(w)]
    assert not found, "writes outside the owning module:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize(
    ("module", "source", "table"),
    [
        (
            "zhaoshang.leads.views",
            "from zhaoshang.notify.models import Notification\n"
            "def f(u):\n    Notification.objects.create(recipient=u, title='x')\n",
            "Notification",
        ),
        (
            "zhaoshang.leads.services",
            "from zhaoshang.projects.models import ProjectEvent\n"
            "def f(p):\n    ProjectEvent.objects.filter(project=p).update(text='')\n",
            "ProjectEvent",
        ),
        (
            "zhaoshang.projects.services.lifecycle",
            "from ..models import ProjectEvent\n"
            "def f(p):\n    ProjectEvent.objects.bulk_create([ProjectEvent(project=p)])\n",
            "ProjectEvent",
        ),
        (
            "zhaoshang.projects.views",
            "from .models import Stage\n"
            "def f(pk):\n    stage = Stage.objects.get(pk=pk)\n    stage.checklist.all().delete()\n",
            "ChecklistItem",
        ),
        (
            "zhaoshang.projects.config_views",
            "from .models import WarningRules\ndef f(rules: WarningRules):\n    rules.save()\n",
            "WarningRules",
        ),
        (
            "zhaoshang.leads.services",
            "from zhaoshang.enterprises.models import Contact\n"
            "def f(e):\n    c = Contact(enterprise=e)\n    c.save()\n",
            "Contact",
        ),
        (
            "zhaoshang.leads.views",
            "from zhaoshang.core.services import object_create\n"
            "from .models import Lead\ndef f(a):\n    object_create(model=Lead, actor=a, data={})\n",
            "Lead",
        ),
        (
            "zhaoshang.projects.warnings",
            "from zhaoshang.core.bulk import insert_rows\n"
            "from .models import ProjectEvent\ndef f(c, rows):\n"
            "    insert_rows(c, ProjectEvent._meta.db_table, ['text'], rows)\n",
            "ProjectEvent",
        ),
        (
            "zhaoshang.stats.views",
            "def f(c):\n    c.execute('DELETE FROM notify_notification WHERE id = 1')\n",
            "Notification",
        ),
        ("zhaoshang.enterprises.views", "def f(c, t):\n    c.execute(f'UPDATE {t} SET name = 1')\n", None),
        ("zhaoshang.projects.config_views", "def f(form):\n    form.save()\n", None),
    ],
)
def test_the_lint_reports_an_illegal_write(module, source, table):
    found = [w for w in scan_source(module, source) if not allowed(w)]
    assert [w.table for w in found] == [table], found


@pytest.mark.parametrize(
    ("module", "source"),
    [
        (
            "zhaoshang.notify.services",
            "from .models import Notification\ndef f(u):\n    Notification.objects.create(recipient=u, title='x')\n",
        ),
        (
            "zhaoshang.projects.services.events",
            "from ..models import ProjectEvent\ndef f(p):\n    ProjectEvent.objects.create(project=p)\n",
        ),
        (
            "zhaoshang.projects.services.problems",
            "from ..models import Project\ndef f(p):\n    Project.objects.filter(pk=p).update(light='red')\n",
        ),
        (
            "zhaoshang.stats.reports",
            "from docx import Document\n"
            "def f(buffer, job):\n    Document().save(buffer)\n    job.file.save('a.docx', buffer, save=False)\n",
        ),
        ("zhaoshang.core.services", "def f(obj):\n    obj.save()\n"),
        ("zhaoshang.leads.views", "def f(d):\n    d.update({'a': 1})\n    d.setdefault('b', 2)\n"),
    ],
)
def test_the_lint_lets_owners_write(module, source):
    assert [w for w in scan_source(module, source) if not allowed(w)] == []
