"""载体库: land parcels (incl. 标准地), standard factories, office buildings, parks and land to redevelop — one
model family (``Carrier`` with ``kind`` and ``parent`` for containment), its status history, the county's
标准地 indicator set with each parcel's values, reservations, 标准地 commitments, match runs, map settings.

Data scope (``CarrierQuerySet.restrict``): every business user of the county reads every carrier (prices
included); changes belong to the owner unit (and the units above it) and to the county's land authority
(``CarrierSettings.land_authority``, by default its 自然资源和规划局), which keeps the land records.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.crypto import sm4_decrypt, sm4_encrypt
from zhaoshang.core.models import BusinessModel
from zhaoshang.core.models.base import AllRowsManager, LiveManager
from zhaoshang.core.models.fields import amount_field
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import VIEW, RestrictedQuerySet
from zhaoshang.core.text import mask_phone

from . import map_features

M2_PER_MU = Decimal("666.67")


def land_authority_ids(region_id: int) -> list[int]:
    """The unit (and its subtree) that keeps the county's land records: the configured one, else the
    department whose name holds 自然资源."""
    config = CarrierSettings.objects.filter(region_id=region_id).only("land_authority_id").first()
    unit = None
    if config is not None and config.land_authority_id:
        unit = OrgUnit.objects.filter(pk=config.land_authority_id).first()
    if unit is None:
        unit = (
            OrgUnit.objects.filter(region_id=region_id, kind=OrgUnit.Kind.DEPARTMENT, name__contains="自然资源")
            .order_by("path")
            .first()
        )
    return unit.subtree_ids() if unit is not None else []


def is_land_authority(user) -> bool:
    unit = getattr(user, "org_unit", None)
    return unit is not None and unit.pk in land_authority_ids(unit.region_id)


class CarrierQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = VIEW):
        scoped = super().restrict(user, action)
        if user is None or not user.is_authenticated or not user.is_active or user.org_unit_id is None:
            return scoped
        if user.has_capability(Cap.VIEW_ASSIGNED_ONLY) or not user.has_capability(Cap.BUSINESS_VIEW):
            return scoped
        region = Q(region_id=user.org_unit.region_id)
        if action == VIEW or is_land_authority(user):
            return self.filter(region)
        return scoped


class CarrierManager(LiveManager.from_queryset(CarrierQuerySet)):
    pass


class CarrierAllManager(AllRowsManager.from_queryset(CarrierQuerySet)):
    pass


class Carrier(BusinessModel):
    class Kind(models.TextChoices):
        PARCEL = "parcel", "工业用地"
        FACTORY = "factory", "标准厂房"
        BUILDING = "building", "楼宇"
        PARK = "park", "园区"
        REDEVELOP = "redevelop", "低效用地"

    class Status(models.TextChoices):
        AVAILABLE = "available", "可供"
        NEGOTIATING = "negotiating", "洽谈中"
        RESERVED = "reserved", "已预留"
        TAKEN = "taken", "已出让/已出租"
        UNAVAILABLE = "unavailable", "暂不可用"

    class LandUse(models.TextChoices):
        INDUSTRIAL_1 = "100101", "一类工业用地"
        INDUSTRIAL_2 = "100102", "二类工业用地"
        INDUSTRIAL_3 = "100103", "三类工业用地"
        WAREHOUSE = "1101", "物流仓储用地"
        BUSINESS = "0902", "商务金融用地"
        RESEARCH = "0803", "科研用地"
        MIXED = "mixed", "混合用地"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices, db_index=True)
    name = models.CharField("名称", max_length=120)
    code = models.CharField("编号", max_length=40, blank=True, help_text="地块编号、宗地号或楼宇编号")
    parent = models.ForeignKey(
        "self",
        verbose_name="所属园区/楼宇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    town = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="所在镇街", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField("边界（GeoJSON）", null=True, blank=True, editable=False)
    boundary_mu = amount_field("边界计算面积（亩）", 12, editable=False)
    area_mu = amount_field("面积（亩）", 12)
    land_use = models.CharField("用地性质", max_length=8, choices=LandUse.choices, blank=True)
    plot_ratio_min = amount_field("容积率下限", 5)
    plot_ratio_max = amount_field("容积率上限", 5)
    building_density = amount_field("建筑密度（%）", 5)
    green_ratio = amount_field("绿地率（%）", 5)
    height_limit_m = amount_field("限高（米）", 6)
    price_wan_per_mu = amount_field("起始价（万元/亩）", 10)
    rent_yuan_m2_month = amount_field("租金（元/㎡/月）", 8)
    available_from = models.DateField("可供日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.AVAILABLE, db_index=True)
    is_standard_land = models.BooleanField("标准地", default=False)
    industry_focus = models.CharField(
        "产业定位", max_length=100, blank=True, help_text="行业门类字母或代码前缀，逗号分隔，如 C36,C38"
    )
    power_kva = models.PositiveIntegerField("供电容量（千伏安）", null=True, blank=True)
    water_t_day = models.PositiveIntegerField("供水（吨/日）", null=True, blank=True)
    has_gas = models.BooleanField("通天然气", default=False)
    has_sewage = models.BooleanField("污水纳管", default=False)
    has_5g = models.BooleanField("5G覆盖", default=False)
    floor_area_m2 = amount_field("建筑面积（㎡）", 12)
    floors = models.PositiveSmallIntegerField("层数", null=True, blank=True)
    clear_height_m = amount_field("层高/净高（米）", 5)
    floor_load_kn = amount_field("楼面荷载（kN/㎡）", 6)
    column_spacing = models.CharField("柱距", max_length=30, blank=True)
    crane_tonnage = amount_field("行车吨位", 6)
    has_dock = models.BooleanField("装卸平台", default=False)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="落地项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone_cipher = models.CharField("联系电话（密文）", max_length=200, blank=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=30, blank=True, editable=False)
    note = models.TextField("备注", blank=True)
    # The map's text of this carrier, rebuilt on every save (map_features.feature_body): the county's map data
    # is then stored text joined with the units' names, not 10,000 rows formatted per request.
    map_feature = models.TextField("地图数据", blank=True, default="", editable=False)

    # The boundary itself is left out of the change log (up to 10,000 vertices); its computed area is logged.
    changelog_exclude = ("updated_at", "updated_by", "boundary", "map_feature")

    objects = CarrierManager()
    all_objects = CarrierAllManager()

    class Meta:
        verbose_name = "载体"
        verbose_name_plural = "载体"
        indexes = [
            models.Index(fields=["region", "kind", "status"]),
            models.Index(fields=["region", "town"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not map_features.SOURCE_FIELDS.isdisjoint(update_fields):
            self.map_feature = map_features.feature_body(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "map_feature"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("carriers:carrier_detail", args=[self.pk])

    @property
    def area_m2(self) -> Decimal | None:
        return None if self.area_mu is None else (self.area_mu * M2_PER_MU).quantize(Decimal("1"))

    def set_phone(self, phone: str) -> None:
        phone = (phone or "").strip()
        self.contact_phone_cipher = sm4_encrypt(phone) if phone else ""
        self.contact_phone_masked = mask_phone(phone)

    def reveal_phone(self) -> str:
        return sm4_decrypt(self.contact_phone_cipher) if self.contact_phone_cipher else ""

    def clean(self):
        errors = {}
        low, high = self.plot_ratio_min, self.plot_ratio_max
        if low is not None and high is not None and low > high:
            errors["plot_ratio_max"] = "容积率上限不能小于下限"
        if self.parent_id is not None and self.parent_id == self.pk:
            errors["parent"] = "不能以自身为上级"
        elif self.parent is not None and self.parent.kind not in (self.Kind.PARK, self.Kind.BUILDING):
            errors["parent"] = "上级只能是园区或楼宇"
        if errors:
            raise ValidationError(errors)


class CarrierStatusChange(models.Model):
    """One status change of a carrier (the history its page shows)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=12, choices=Carrier.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Carrier.Status.choices)
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "载体状态变化"
        verbose_name_plural = "载体状态变化"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class LandIndicator(models.Model):
    """One indicator of the county's 标准地 set (投资强度, 亩均税收 …): its unit, which way is better, and which
    of a project's figures it is checked against at 达产."""

    class Direction(models.TextChoices):
        AT_LEAST = "min", "不低于"
        AT_MOST = "max", "不高于"

    class Source(models.TextChoices):
        INVESTMENT_PER_MU = "investment_per_mu", "项目总投资 ÷ 用地"
        TAX_PER_MU = "tax_per_mu", "项目年税收 ÷ 用地"
        OUTPUT_PER_MU = "output_per_mu", "项目年产值 ÷ 用地"
        NONE = "", "无（人工核验）"

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField("代码", max_length=30)
    name = models.CharField("指标", max_length=40)
    unit = models.CharField("单位", max_length=20)
    direction = models.CharField("要求", max_length=3, choices=Direction.choices, default=Direction.AT_LEAST)
    source = models.CharField("核验依据", max_length=20, choices=Source.choices, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "标准地指标"
        verbose_name_plural = "标准地指标"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="carriers_indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class LandIndicatorValue(models.Model):
    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(LandIndicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["carrier", "indicator"], name="carriers_indicator_value_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class CarrierReservation(models.Model):
    """A carrier held for a project (or a lead in negotiation) for a limited time, once its owner unit approves.
    At most one live (pending or approved) reservation per carrier: a partial unique constraint."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        ACTIVE = "active", "已预留"
        REJECTED = "rejected", "未批准"
        RELEASED = "released", "已释放"
        EXPIRED = "expired", "已到期"
        CONVERTED = "converted", "已供地"

    LIVE = (Status.PENDING, Status.ACTIVE)

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="reservations")
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey("leads.Lead", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requesting_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    until = models.DateField("预留至")
    note = models.CharField("说明", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "载体预留"
        verbose_name_plural = "载体预留"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier"],
                condition=Q(status__in=["pending", "active"]),
                name="carriers_one_live_reservation",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False) | Q(lead__isnull=False), name="carriers_reservation_has_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier}（{self.get_status_display()}）"


class LandCommitment(models.Model):
    """A 标准地 commitment a project took with its parcel at 供地 (a copy of the parcel's value then)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="commitments")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(LandIndicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("承诺值", max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["carrier", "project", "indicator"], name="carriers_commitment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}≥{self.value}"


class LandProductionCheck(models.Model):
    """达产复核: the project's figures at 达产 against its 标准地 commitments, with every gap."""

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="production_checks")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField("通过")
    items = models.JSONField("逐项结果", default=list)
    checked_on = models.DateField("复核日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "达产复核"
        verbose_name_plural = "达产复核"
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"达产复核（{'通过' if self.passed else '未通过'}）"


class CarrierMatchRun(models.Model):
    """One 要素匹配 run: its inputs, the version of the rules and the results; attached to a project it is the
    project's 选址建议."""

    region = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    lead = models.ForeignKey("leads.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    needs = models.JSONField("需求", default=dict)
    rules_version = models.CharField("规则版本", max_length=20)
    results = models.JSONField("结果", default=dict)
    attached = models.BooleanField("选址建议", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "要素匹配"
        verbose_name_plural = "要素匹配"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"要素匹配 {self.created_at:%Y-%m-%d %H:%M}"


class CarrierSettings(models.Model):
    """A county's 载体库 settings: the land authority, the map's optional base layer, the town boundaries."""

    region = models.OneToOneField("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    land_authority = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name="自然资源主管单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tile_url = models.CharField(
        "本地瓦片地址", max_length=300, blank=True, help_text="如 http://127.0.0.1:8080/{z}/{x}/{y}.png"
    )
    tianditu_key_cipher = models.CharField("天地图密钥（密文）", max_length=200, blank=True, editable=False)
    town_boundaries = models.JSONField("镇街边界（GeoJSON）", null=True, blank=True, editable=False)
    boundaries_schematic = models.BooleanField("示意图", default=True)

    class Meta:
        verbose_name = "载体库设置"
        verbose_name_plural = "载体库设置"

    def __str__(self) -> str:
        return "载体库设置"
