"""The organisation: bureaus, their divisions and who belongs where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# A province, its cities, their districts: no deeper tree is published; the walks down stop there.
BUREAU_MAX_DEPTH = 3


class BureauQuerySet(models.QuerySet):
    def below(self, bureau_id: int) -> list[int]:
        """The ids of every bureau under `bureau_id` (its districts, or a province's cities and theirs), in one
        query: a page asks it for every leader."""
        under = Q()
        for depth in range(1, BUREAU_MAX_DEPTH + 1):
            under |= Q(**{"__".join(["parent"] * depth) + "_id": bureau_id})
        return list(self.filter(under).values_list("pk", flat=True))

    def area(self, bureau_id: int) -> list[int]:
        """The ids of `bureau_id` and of every bureau under it: what a roll-up row and the `area` filter cover."""
        return [bureau_id, *self.below(bureau_id)]


class Bureau(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "县区"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级教育局",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = BureauQuerySet.as_manager()

    class Meta:
        verbose_name = "教育局"
        verbose_name_plural = "教育局"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DivisionQuerySet(models.QuerySet):
    def lookup_table(self) -> dict[str, Division]:
        """Every name and alias of these divisions, mapped to the division."""
        table: dict[str, Division] = {}
        for division in self.prefetch_related("aliases"):
            table[division.name] = division
            for alias in division.aliases.all():
                table.setdefault(alias.name, division)
        return table


class Division(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "内设处室"
        AFFILIATED = "affiliated", "直属单位"

    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="divisions")
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices, default=Kind.INTERNAL)
    confirmed = models.BooleanField("已确认", default=True, help_text="导入时新建的单位需管理员确认后才算正式单位。")

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = "处室/单位"
        verbose_name_plural = "处室/单位"
        ordering = ["bureau_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="division_unique_name_per_bureau"),
        ]

    def __str__(self) -> str:
        return self.name


class DivisionAlias(models.Model):
    """Another spelling of a division's name (督导室 for 督导处)."""

    division = models.ForeignKey(Division, verbose_name="处室/单位", on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField("别名", max_length=60)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="alias_unique_per_division"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.division.name}"


# Leaders and admins act for the whole bureau (and a city's for its districts); staff and heads for
# their division.
BUREAU_WIDE_ROLES = ["leader", "admin"]  # Membership.Role.LEADER, Membership.Role.ADMIN


class Membership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", "处室人员"
        HEAD = "head", "处室负责人"
        LEADER = "leader", "局领导"
        ADMIN = "admin", "管理员"

    BUREAU_WIDE_ROLES = BUREAU_WIDE_ROLES

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="membership"
    )
    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="memberships")
    division = models.ForeignKey(
        Division,
        verbose_name="处室/单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.STAFF)
    phone = models.CharField("手机", max_length=20, blank=True)
    # Which channels tell this person: the bell in the page header always; these on top of it.
    email_notifications = models.BooleanField("邮件通知", default=True, help_text="有邮箱时，通知同时发到邮箱。")
    robot_mentions = models.BooleanField(
        "群消息中@我", default=True, help_text="处室群机器人发消息时按手机号@本人（钉钉/浙政钉）。"
    )
    # Set when an admin gives a one-time password: the next sign-in must choose a new one.
    must_change_password = models.BooleanField("首次登录须改密码", default=False)

    class Meta:
        verbose_name = "人员归属"
        verbose_name_plural = "人员归属"
        constraints = [
            # Staff and heads act for a division; leaders and admins for the whole bureau.
            models.CheckConstraint(
                condition=Q(role__in=BUREAU_WIDE_ROLES) | Q(division__isnull=False),
                name="membership_division_required_for_staff",
            ),
        ]

    def __str__(self) -> str:
        where = self.division.name if self.division_id else self.bureau.name
        return f"{person_name(self.user)} · {where} · {self.get_role_display()}"

    @property
    def is_bureau_wide(self) -> bool:
        return self.role in self.BUREAU_WIDE_ROLES


class Robot(models.Model):
    """A group robot (群机器人) a bureau admin set up: messages for the division, or for the whole bureau
    when no division is set, are posted to its webhook."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", "钉钉/浙政钉"
        WECOM = "wecom", "企业微信"

    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="robots")
    division = models.ForeignKey(
        Division,
        verbose_name="处室/单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="robots",
        help_text="不选则为全局机器人，接收全局通知。",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=60)
    webhook = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField(
        "加签密钥", max_length=200, blank=True, help_text="钉钉机器人“加签”安全设置的密钥（SEC 开头）。"
    )
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["bureau_id", "division_id", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class OutboxMessageQuerySet(models.QuerySet):
    def due(self, now):
        """Messages waiting to go whose next attempt has come."""
        return self.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now)


class OutboxMessage(models.Model):
    """One message to one address (an email, a robot's webhook), written in the same transaction as the
    event that caused it and sent afterwards by the worker (bureau/outbox.py), with retries."""

    class Channel(models.TextChoices):
        EMAIL = "email", "邮件"
        DINGTALK = "dingtalk", "钉钉/浙政钉"
        WECOM = "wecom", "企业微信"

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    bureau = models.ForeignKey(
        Bureau, verbose_name="教育局", null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    robot = models.ForeignKey(
        Robot, verbose_name="群机器人", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    address = models.CharField("地址", max_length=500, help_text="邮箱，或机器人的 Webhook 地址。")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=500, blank=True)
    mentions = models.JSONField("@手机号", default=list, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    last_error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "待发消息"
        verbose_name_plural = "待发消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address[:40]}：{self.subject}"


class AccessTokenQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class AccessToken(models.Model):
    """A personal access token for the API: made and revoked by its owner, who sees the key once; only
    its SHA-256 is kept. It reaches exactly what its owner reaches in the pages."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField("前缀", max_length=12, help_text="令牌开头几位，用于辨认。")
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"


def person_name(user) -> str:
    """How people are shown: their name (姓名) when the account has one, else the login name."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


class DataVersion(models.Model):
    """How often a bureau's data (scope = its id), a division's or a task's, or anybody's (scope 0), has
    changed: moved by the database connection before each commit that wrote any (bureau/changes.py), read
    by cached pages."""

    scope = models.PositiveBigIntegerField(
        "范围",
        primary_key=True,
        help_text="教育局的编号；0 表示全部；2⁴⁸ 加处室编号为处室的任务，2⁴⁹ 加任务编号为一项任务。",
    )
    version = models.PositiveBigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"{self.scope or '全部'}：{self.version}"
