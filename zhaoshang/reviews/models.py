"""项目研判: the 专家库 (experts, their employers and declared relations, research organisations), the 顾问团
(adviser groups and their opinions), versioned rubrics, and reviews — a fair draw of experts with conflicts
excluded, their commitments, scores and the recorded decision."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from zhaoshang.core.crypto import sm4_decrypt, sm4_encrypt
from zhaoshang.core.models import BusinessModel, Industry
from zhaoshang.core.text import mask_phone, normalize_company_name


class ResearchOrg(models.Model):
    """研究院、创新中心、博士后工作站 …: research resources experts belong to (reference data of a county)."""

    class Kind(models.TextChoices):
        INSTITUTE = "institute", "研究院"
        INNOVATION_CENTER = "innovation_center", "创新中心"
        POSTDOC = "postdoc", "博士后工作站"
        UNIVERSITY = "university", "高校"
        OTHER = "other", "其他"

    region = models.ForeignKey("accounts.OrgUnit", verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.INSTITUTE)
    note = models.CharField("简介", max_length=300, blank=True)

    class Meta:
        verbose_name = "研究机构"
        verbose_name_plural = "研究机构"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="research_org_unique_name")]

    def __str__(self) -> str:
        return self.name


class Expert(BusinessModel):
    """An expert of the 专家库. ``org_unit`` is the unit that keeps the library (the center); ``staff_unit`` is
    the government unit the expert works for, if any (its projects are recused)."""

    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职称/职务", max_length=60, blank=True)
    employer = models.CharField("现工作单位", max_length=200, blank=True)
    employer_key = models.CharField("工作单位规范名", max_length=200, blank=True, editable=False, db_index=True)
    research_org = models.ForeignKey(
        ResearchOrg,
        verbose_name="所属研究机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
    )
    staff_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="在职机关单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="专家为机关或事业单位在职人员时填写；该单位引进的项目须回避",
    )
    industries = models.ManyToManyField(Industry, verbose_name="专业领域（国民经济行业）", related_name="+")
    # The fields as searchable tokens, section letter first (" C38 C3841 "), kept by the services with
    # ``industries``: the draw screens the whole library with LIKE on one column instead of joining.
    field_codes = models.CharField("专业领域编码", max_length=400, blank=True, default="", editable=False)
    speciality = models.CharField("专长", max_length=200, blank=True)
    is_available = models.BooleanField("可参加研判", default=True)
    unavailable_until = models.DateField("暂不可用至", null=True, blank=True)
    phone_cipher = models.CharField("电话（密文）", max_length=200, blank=True, editable=False)
    phone_masked = models.CharField("电话", max_length=30, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_profile",
        help_text="在线评分的专家须有“专家”角色的账号",
    )

    changelog_exclude = ("updated_at", "updated_by", "employer_key", "phone_cipher", "field_codes")

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家"
        indexes = [models.Index(fields=["region", "is_available"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reviews:expert_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.employer_key = normalize_company_name(self.employer) if self.employer else ""
        super().save(*args, **kwargs)

    def set_phone(self, phone: str) -> None:
        phone = (phone or "").strip()
        self.phone_cipher = sm4_encrypt(phone) if phone else ""
        self.phone_masked = mask_phone(phone)

    def reveal_phone(self) -> str:
        return sm4_decrypt(self.phone_cipher) if self.phone_cipher else ""

    @staticmethod
    def field_token(industry: Industry) -> str:
        """An industry as a token: section letter, then the code (C3841; a section alone: C)."""
        return industry.section if industry.code == industry.section else f"{industry.section}{industry.code}"

    @classmethod
    def scope_for_expert(cls, queryset, user, action):
        """An expert sees his own record only (and changes nothing of it: the library's keeper does)."""
        if action != "view":
            return queryset.none()
        return queryset.filter(user=user)


class ExpertEmployment(models.Model):
    """A past employer with its dates (the current one is ``Expert.employer``)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="employments")
    employer = models.CharField("工作单位", max_length=200)
    employer_key = models.CharField("规范名", max_length=200, db_index=True, editable=False)
    started_on = models.DateField("起", null=True, blank=True)
    ended_on = models.DateField("止")

    class Meta:
        verbose_name = "曾任职单位"
        verbose_name_plural = "曾任职单位"
        ordering = ["expert", "-ended_on"]

    def __str__(self) -> str:
        return f"{self.employer}（至 {self.ended_on:%Y-%m}）"

    def save(self, *args, **kwargs):
        self.employer_key = normalize_company_name(self.employer)
        super().save(*args, **kwargs)


class ExpertRelation(models.Model):
    """A relation the expert declared with an enterprise of the library (equity, a position, a family tie)."""

    class Kind(models.TextChoices):
        EQUITY = "equity", "持股"
        POSITION = "position", "任职/顾问"
        FAMILY = "family", "近亲属任职"
        OTHER = "other", "其他利害关系"

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    enterprise_key = models.CharField("企业规范名", max_length=200, db_index=True, editable=False)
    kind = models.CharField("关系", max_length=10, choices=Kind.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "申报的利害关系"
        verbose_name_plural = "申报的利害关系"
        ordering = ["expert", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.enterprise_id}"


class AdviserGroup(models.Model):
    """招商顾问团: advisers whose opinion can be asked on a project without a formal review."""

    region = models.ForeignKey("accounts.OrgUnit", verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    description = models.TextField("简介", blank=True)
    members = models.ManyToManyField(Expert, through="AdviserMembership", related_name="adviser_groups")

    class Meta:
        verbose_name = "顾问团"
        verbose_name_plural = "顾问团"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AdviserMembership(models.Model):
    group = models.ForeignKey(AdviserGroup, on_delete=models.CASCADE, related_name="memberships")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="memberships")
    speciality = models.CharField("顾问专长", max_length=100, blank=True)

    class Meta:
        verbose_name = "顾问团成员"
        verbose_name_plural = "顾问团成员"
        constraints = [models.UniqueConstraint(fields=["group", "expert"], name="adviser_unique_member")]

    def __str__(self) -> str:
        return f"{self.group_id}·{self.expert_id}"


class OpinionRequest(models.Model):
    """A question to the 顾问团 about a project; each adviser may answer once."""

    group = models.ForeignKey(AdviserGroup, verbose_name="顾问团", on_delete=models.PROTECT, related_name="requests")
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    question = models.TextField("咨询事项")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "顾问意见征询"
        verbose_name_plural = "顾问意见征询"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.question[:40]


class Opinion(models.Model):
    request = models.ForeignKey(OpinionRequest, on_delete=models.CASCADE, related_name="opinions")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("意见")
    given_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "顾问意见"
        verbose_name_plural = "顾问意见"
        constraints = [models.UniqueConstraint(fields=["request", "expert"], name="opinion_one_per_adviser")]

    def __str__(self) -> str:
        return self.text[:40]


class Rubric(models.Model):
    """A 100-point screening sheet of a county; its content lives in immutable versions."""

    region = models.ForeignKey("accounts.OrgUnit", verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    description = models.CharField("说明", max_length=300, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="rubric_unique_name")]

    def __str__(self) -> str:
        return self.name

    def current(self) -> "RubricVersion | None":
        return self.versions.order_by("-number").first()


class RubricVersion(models.Model):
    """One version of a sheet, never changed once saved (a review keeps the version it was scored on).

    ``content``: ``{"sections": [{"title", "items": [{"code", "title", "max", "bands": [{"min", "max",
    "text"}], "objective": <indicator or "">, "full_at": <value>, "veto": <text or "">}]}], "bands":
    [{"min", "outcome"}], "spread": <points>}`` — see ``services.rubrics`` for the rules it must follow."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    content = models.JSONField("内容")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评分表版本"
        verbose_name_plural = "评分表版本"
        ordering = ["rubric", "-number"]
        constraints = [models.UniqueConstraint(fields=["rubric", "number"], name="rubric_version_unique")]

    def __str__(self) -> str:
        return f"{self.rubric.name} 第{self.number}版"

    def items(self) -> list[dict]:
        return [item for section in self.content["sections"] for item in section["items"]]


class Review(BusinessModel):
    """A 研判 of a project (or of a lead before conversion). ``org_unit`` is the project's introducing unit."""

    class Mode(models.TextChoices):
        ONLINE = "online", "在线评分"
        MEETING = "meeting", "会议评审（秘书录入）"

    class Status(models.TextChoices):
        REQUESTED = "requested", "已申请"
        DRAWING = "drawing", "抽取确认中"
        SCORING = "scoring", "评分中"
        DECIDED = "decided", "已决策"

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        "leads.Lead", verbose_name="线索", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("研判事项", max_length=200)
    rubric_version = models.ForeignKey(
        RubricVersion, verbose_name="评分表", on_delete=models.PROTECT, related_name="reviews"
    )
    experts_needed = models.PositiveSmallIntegerField("专家人数", default=5)
    fields = models.JSONField("专业领域", default=list, blank=True)
    mode = models.CharField("方式", max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    blind = models.BooleanField("匿名评审", default=True)
    alias = models.CharField("匿名代号", max_length=30, blank=True)
    seed = models.CharField("抽取种子", max_length=64, blank=True)
    pool = models.JSONField("候选专家（抽取时）", default=list, blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REQUESTED)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="主持人", on_delete=models.PROTECT, related_name="+"
    )
    facts = models.JSONField("客观指标", default=dict, blank=True, editable=False)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    decided_at = models.DateTimeField("决策时间", null=True, blank=True)
    conditions_placed_at = models.DateTimeField("附加条件列入清单时间", null=True, blank=True, editable=False)

    changelog_exclude = ("updated_at", "updated_by", "pool")

    class Meta:
        verbose_name = "项目研判"
        verbose_name_plural = "项目研判"
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.pk])

    @classmethod
    def scope_for_expert(cls, queryset, user, action):
        """An expert sees the reviews he was drawn for and has not declined; he changes none of them."""
        if action != "view":
            return queryset.none()
        return queryset.filter(
            pk__in=ReviewAssignment.objects.filter(expert__user=user, status__in=ReviewAssignment.ACTIVE).values(
                "review_id"
            )
        )


class ReviewAssignment(models.Model):
    """One drawn expert of a review, in draw order: the first ``experts_needed`` are drawn, the rest backups."""

    class Status(models.TextChoices):
        BACKUP = "backup", "备选"
        INVITED = "invited", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "已谢绝"
        SUBMITTED = "submitted", "已提交评分"

    ACTIVE = (Status.INVITED, Status.CONFIRMED, Status.SUBMITTED)

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    order = models.PositiveSmallIntegerField("抽取顺序")
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    decline_reason = models.CharField("谢绝原因", max_length=200, blank=True)
    responded_at = models.DateTimeField("答复时间", null=True, blank=True)
    commitment_signed_at = models.DateTimeField("签署承诺书时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "研判专家"
        verbose_name_plural = "研判专家"
        ordering = ["review", "order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "expert"], name="assignment_unique_expert"),
            models.UniqueConstraint(fields=["review", "order"], name="assignment_unique_order"),
        ]
        indexes = [models.Index(fields=["expert", "status"])]

    def __str__(self) -> str:
        return f"{self.review_id}·{self.expert_id}"


class Exclusion(models.Model):
    """An expert of the matching pool excluded from a draw, with the reason (for the 审计管理员)."""

    class Reason(models.TextChoices):
        UNAVAILABLE = "unavailable", "暂不可用"
        EMPLOYER = "employer", "现任或近年任职于投资方（含同一集团）"
        RELATION = "relation", "申报有与投资方（含同一集团）的利害关系"
        STAFF = "staff", "引进单位在职人员"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="exclusions")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("回避原因", max_length=12, choices=Reason.choices)
    detail = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "回避记录"
        verbose_name_plural = "回避记录"
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.get_reason_display()


class Score(models.Model):
    """One expert's score of one rubric item; locked once the expert submits (``assignment.submitted_at``)."""

    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField("评分项", max_length=20)
    value = models.DecimalField("得分", max_digits=5, decimal_places=1)
    comment = models.CharField("评语", max_length=500, blank=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        ordering = ["assignment", "id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "item"], name="score_unique_item")]

    def __str__(self) -> str:
        return f"{self.item}={self.value}"


class Decision(models.Model):
    """The decision on a review: append-only (a later decision supersedes an earlier one, both stay)."""

    class Outcome(models.TextChoices):
        RECOMMEND = "recommend", "建议引进"
        CONDITIONAL = "conditional", "有条件引进"
        DEFER = "defer", "暂缓"
        REJECT = "reject", "不予引进"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField("决策", max_length=12, choices=Outcome.choices)
    conditions = models.JSONField("附加条件", default=list, blank=True)
    reason = models.TextField("理由", blank=True)
    total = models.DecimalField("综合得分", max_digits=5, decimal_places=1, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决策时间", auto_now_add=True)

    class Meta:
        verbose_name = "研判决策"
        verbose_name_plural = "研判决策"
        ordering = ["review", "-id"]

    def __str__(self) -> str:
        return self.get_outcome_display()
