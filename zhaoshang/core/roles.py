"""Roles and what each may do.

A user holds exactly one role, so 三员分立 (SECURITY.md item 5) holds by construction: nobody is
system, security and audit administrator at once, and no administrator holds a business role.
Capabilities are checked by views and API endpoints (``user.has_capability``); what business
records a role sees is decided by data scope (``core.scope``).
"""

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "招商专员"
    DEPARTMENT = "department", "部门经办人"
    LEADER = "leader", "领导"
    EXPERT = "expert", "专家"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"

    @classmethod
    def business_roles(cls) -> frozenset[str]:
        return frozenset({cls.OFFICER, cls.DEPARTMENT, cls.LEADER})

    @classmethod
    def admin_roles(cls) -> frozenset[str]:
        return frozenset({cls.SYSADMIN, cls.SECADMIN, cls.AUDITOR})


class Cap:
    """Capability names; one constant each so that a typo is an AttributeError, not a silent deny."""

    BUSINESS_VIEW = "business.view"
    BUSINESS_CHANGE = "business.change"
    # data scope (core.scope): a leader views every record of the region; an expert only what is assigned
    VIEW_REGION = "business.view_region"
    VIEW_ASSIGNED_ONLY = "business.view_assigned_only"
    MANAGE_ORG_UNITS = "accounts.manage_org_units"
    MANAGE_USERS = "accounts.manage_users"
    VIEW_USERS = "accounts.view_users"
    ASSIGN_ROLES = "accounts.assign_roles"
    UNLOCK_ACCOUNTS = "accounts.unlock"
    RESET_TWO_FACTOR = "accounts.reset_two_factor"  # delete a user's TOTP device and recovery codes (安全管理员)
    VIEW_AUDIT = "audit.view"
    USE_API = "api.use"
    REVEAL_PERSONAL = "personal.reveal"
    EXPORT = "business.export"
    IMPORT = "business.import"
    SKIP_STAGE = "projects.skip_stage"
    MANAGE_SETTINGS = "system.settings"
    VIEW_STATS = "stats.view"
    SET_TARGETS = "stats.set_targets"  # any unit's annual target in the region (the center's officers may too)
    ADVANCE_ANY_STAGE = "projects.advance_any"  # close any open stage of the region's projects (a leader)
    SERVE_PROJECTS = "projects.serve"  # may be named a project's 包保领导 or 首席服务员
    CLAIM_LEADS = "leads.claim"  # take a lead from the county's pool
    # In a unit marked 统筹单位 (OrgUnit.is_coordinating): view the region, assign leads, 督办, record statistics
    # for every unit (core.scope.coordinates).
    COORDINATE = "business.coordinate"
    SUPERVISE = "projects.supervise"  # put any project of the region on the 督办 list by hand, or take it off
    INSTRUCT = "projects.instruct"  # write a 批示 on a project or a problem (a leader)
    # An expert's own work: the reviews he was drawn for, their materials and his scoring form — and nothing
    # else of the platform (an expert holds no BUSINESS_VIEW; ``core.middleware.AssignedOnlyMiddleware``).
    SCORE_REVIEWS = "reviews.score"


CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset(
        {
            Cap.BUSINESS_VIEW,
            Cap.BUSINESS_CHANGE,
            Cap.USE_API,
            Cap.REVEAL_PERSONAL,
            Cap.EXPORT,
            Cap.IMPORT,
            Cap.SKIP_STAGE,
            Cap.VIEW_STATS,
            Cap.SERVE_PROJECTS,
            Cap.CLAIM_LEADS,
            Cap.COORDINATE,
        }
    ),
    Role.DEPARTMENT: frozenset({Cap.BUSINESS_VIEW, Cap.BUSINESS_CHANGE, Cap.USE_API, Cap.EXPORT, Cap.VIEW_STATS}),
    Role.LEADER: frozenset(
        {
            Cap.BUSINESS_VIEW,
            Cap.BUSINESS_CHANGE,
            Cap.USE_API,
            Cap.REVEAL_PERSONAL,
            Cap.EXPORT,
            Cap.SKIP_STAGE,
            Cap.VIEW_REGION,
            Cap.VIEW_STATS,
            Cap.SET_TARGETS,
            Cap.ADVANCE_ANY_STAGE,
            Cap.SERVE_PROJECTS,
            Cap.CLAIM_LEADS,
            Cap.SUPERVISE,
            Cap.INSTRUCT,
        }
    ),
    Role.EXPERT: frozenset({Cap.SCORE_REVIEWS, Cap.USE_API, Cap.VIEW_ASSIGNED_ONLY}),
    Role.SYSADMIN: frozenset(
        {Cap.MANAGE_ORG_UNITS, Cap.MANAGE_USERS, Cap.VIEW_USERS, Cap.MANAGE_SETTINGS, Cap.USE_API}
    ),
    Role.SECADMIN: frozenset(
        {Cap.VIEW_USERS, Cap.ASSIGN_ROLES, Cap.UNLOCK_ACCOUNTS, Cap.RESET_TWO_FACTOR, Cap.USE_API}
    ),
    Role.AUDITOR: frozenset({Cap.VIEW_AUDIT, Cap.USE_API}),
}

# Roles that must use a second factor (TOTP) outside demo mode: the default of the setting
# ``ZHAOSHANG_TWO_FACTOR_ROLES`` (settings/base.py spells it out; a test keeps the two equal), which
# ``accounts.two_factor`` enforces.
TWO_FACTOR_ROLES = Role.admin_roles() | {Role.LEADER}


def roles_with(capability: str) -> frozenset[str]:
    """The roles that hold ``capability`` (to select users by what they may do, not by role name)."""
    return frozenset(role for role, caps in CAPABILITIES.items() if capability in caps)
