"""产业链图谱: chains (a tree of nodes plus supplies-to edges), their saved versions, the links of enterprises,
leads and projects to nodes, enterprise relations (对内深挖) and the county's settings (thresholds, weights).

A chain is the county's reference data (region-wide, like the lead rules): everyone in the region with
business view sees it; the administrator and the 统筹单位's officers edit it. The live rows are the current
version; each edit stores the whole chain as a ``ChainVersion`` snapshot (docs/decisions.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhaoshang.core.models import BusinessModel


class Segment(models.TextChoices):
    UPSTREAM = "upstream", "上游"
    MIDSTREAM = "midstream", "中游"
    DOWNSTREAM = "downstream", "下游"


class Chain(models.Model):
    class Kind(models.TextChoices):
        STRATEGIC = "strategic", "战略性新兴产业链"
        TRADITIONAL = "traditional", "传统优势产业链"

    region = models.ForeignKey("accounts.OrgUnit", verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("链名称", max_length=60)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.STRATEGIC)
    description = models.TextField("说明", blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="链长",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leaders_note = models.CharField("链长说明", max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    masters = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name="链主企业", blank=True, related_name="+", db_table="chains_chain_masters"
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    source_version = models.CharField("参考数据版本", max_length=60, blank=True, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    changelog_exclude = ("updated_at",)

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="chain_unique_code")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chains:chain_detail", args=[self.pk])


class ChainVersion(models.Model):
    """The whole chain (nodes, edges, keywords) as it was saved as version ``number``; never changed."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    data = models.JSONField("链图快照")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "产业链版本"
        verbose_name_plural = "产业链版本"
        ordering = ["chain", "-number"]
        constraints = [models.UniqueConstraint(fields=["chain", "number"], name="chainversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.chain_id} v{self.number}"


class ChainNode(models.Model):
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", verbose_name="上级节点", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField("节点代码", max_length=60)
    name = models.CharField("节点名称", max_length=60)
    segment = models.CharField("环节", max_length=12, choices=Segment.choices)
    level = models.PositiveSmallIntegerField("层级", default=1)
    description = models.TextField("说明", blank=True)
    industry_codes = models.JSONField("国民经济行业小类", default=list, blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True)
    key_enterprise_names = models.JSONField("全国重点企业（名称）", default=list, blank=True)
    key_enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name="全国重点企业",
        blank=True,
        related_name="+",
        db_table="chains_chainnode_key_enterprises",
    )
    responsible_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="节点责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="不填则为产业链牵头单位",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "产业链节点"
        verbose_name_plural = "产业链节点"
        ordering = ["chain", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "code"], name="chainnode_unique_code")]

    def __str__(self) -> str:
        return self.name


class ChainEdge(models.Model):
    """``source`` supplies ``target`` (上游 → 下游); the edges of a chain never form a cycle."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(ChainNode, verbose_name="供应方", on_delete=models.CASCADE, related_name="out_edges")
    target = models.ForeignKey(ChainNode, verbose_name="需求方", on_delete=models.CASCADE, related_name="in_edges")

    class Meta:
        verbose_name = "供应关系"
        verbose_name_plural = "供应关系"
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="chainedge_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="chainedge_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class NodeLink(models.Model):
    """An enterprise, lead or project on a node. Automatic links carry their source and confidence; an officer
    confirms or rejects them. A rejected link stays (state ``rejected``) so that re-linking never brings it back."""

    class Source(models.TextChoices):
        INDUSTRY = "industry", "行业分类"
        KEYWORD = "keyword", "关键词"
        MANUAL = "manual", "人工"

    class State(models.TextChoices):
        AUTO = "auto", "自动"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已否决"

    class Subject(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        LEAD = "lead", "线索"
        PROJECT = "project", "项目"

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(ChainNode, verbose_name="节点", on_delete=models.CASCADE, related_name="links")
    subject = models.CharField("对象类型", max_length=12, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField("对象")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    confidence = models.FloatField("置信度", default=0)
    evidence = models.CharField("依据", max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.AUTO)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "节点关联"
        verbose_name_plural = "节点关联"
        constraints = [models.UniqueConstraint(fields=["node", "subject", "subject_id"], name="nodelink_unique")]
        indexes = [models.Index(fields=["subject", "subject_id"]), models.Index(fields=["chain", "subject", "state"])]

    def __str__(self) -> str:
        return f"{self.subject}:{self.subject_id} → {self.node_id}"


class LinkProgress(models.Model):
    """Where the batch linking of the library stands (resumable: it goes on after ``last_id``)."""

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=12, choices=NodeLink.Subject.choices)
    last_id = models.PositiveBigIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "批量关联进度"
        verbose_name_plural = "批量关联进度"
        constraints = [models.UniqueConstraint(fields=["region", "subject"], name="linkprogress_unique")]

    def __str__(self) -> str:
        return f"{self.subject} {self.done}/{self.total}"


class ChainSettings(models.Model):
    """A county's thresholds (强/弱/缺) and target weights; edited by the administrator."""

    region = models.OneToOneField("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    strong_count = models.PositiveIntegerField("强链：本地企业数不少于", default=5)
    strong_large = models.PositiveIntegerField("或规上/重点标签企业数不少于", default=2)
    weak_count = models.PositiveIntegerField("弱链：本地企业数不少于", default=1)
    auto_confidence = models.FloatField("自动关联置信度阈值", default=0.7)
    weights = models.JSONField("招商靶向权重", default=dict, blank=True)

    class Meta:
        verbose_name = "产业链设置"
        verbose_name_plural = "产业链设置"

    def __str__(self) -> str:
        return f"{self.region_id}"


class EnterpriseRelation(BusinessModel):
    """A relation of an enterprise with another (对内深挖): customer, supplier, subsidiary …, with its country."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", "客户"
        SUPPLIER = "supplier", "供应商"
        SUBSIDIARY = "subsidiary", "子公司"
        SHAREHOLDER = "shareholder", "股东"
        OVERSEAS_AFFILIATE = "overseas_affiliate", "境外关联企业"
        DISTRIBUTOR = "distributor", "经销商"

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("关系", max_length=20, choices=Kind.choices)
    counterpart = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="对方企业（企业库）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counterpart_name = models.CharField("对方企业名称", max_length=200)
    country = models.CharField("对方国别（地区）", max_length=40, blank=True, help_text="境内填 中国 或留空")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "企业关系"
        verbose_name_plural = "企业关系"
        indexes = [models.Index(fields=["enterprise", "kind"]), models.Index(fields=["counterpart"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.counterpart_name}"

    def get_absolute_url(self) -> str:
        return reverse("chains:enterpriserelation_detail", args=[self.pk])

    @property
    def is_foreign(self) -> bool:
        return bool(self.country) and self.country not in ("中国", "中国大陆")
