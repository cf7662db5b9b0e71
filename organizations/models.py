"""Party organisations, their committee terms, members, memberships, positions and exemptions.

docs/domain.md §1. The organisation tree (Đảng bộ → … → Chi bộ) keeps a materialised ``path`` so that
"every cell under this Đảng ủy" is one indexed prefix query at any depth.
"""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import versions
from core.models import RuleSet


def path_ids(path: str) -> list[int]:
    """The ids of the organisations on a tree path, from the root down to the path's own organisation
    (``"000001.000007."`` → ``[1, 7]``)."""
    return [int(part) for part in path.split(".") if part]


def path_prefixes(path: str) -> list[str]:
    """The paths of the organisations on a tree path, from the root down to the path's own
    (``"000001.000007."`` → ``["000001.", "000001.000007."]``)."""
    parts = [part for part in path.split(".") if part]
    return [".".join(parts[:i]) + "." for i in range(1, len(parts) + 1)]


class Organization(models.Model):
    """A Party organisation: a grassroots Đảng bộ (with its Đảng ủy) or a Chi bộ (cell)."""

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party organisation (Đảng bộ)")
        CELL = "cell", _("Party cell (Chi bộ)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        _("tree path"), max_length=255, unique=True, editable=False, help_text=_("Set by the service.")
    )
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("Place name used in the date line of documents.")
    )
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the parent's rule set, or the newest one in effect."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="party_committee"),
                name="org_cell_has_parent",
                violation_error_message=_("A Party cell must belong to a Party organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cell(self) -> bool:
        return self.kind == self.Kind.CELL

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1

    def ancestor_ids(self, *, include_self: bool = False) -> list[int]:
        """The ids of the organisations above this one, from the root down (read from the path: no
        query); with ``include_self`` this one's id comes last."""
        ids = path_ids(self.path)
        return ids if include_self else ids[:-1]

    def ancestor_paths(self, *, include_self: bool = False) -> list[str]:
        """The paths of the organisations above this one, from the root down (no query); with
        ``include_self`` this one's path comes last."""
        paths = path_prefixes(self.path)
        return paths if include_self else paths[:-1]

    def effective_rule_set(self) -> RuleSet:
        """This organisation's rule set, else the nearest ancestor's, else the newest in effect."""
        if self.rule_set_id:
            return self.rule_set  # type: ignore[return-value]
        # Asked for several times by one page (each deadline): remembered on the instance for the
        # request, and in the shared cache (FRAME_CACHE) until an organisation or a rule set changes.
        remembered = getattr(self, "_effective_rule_set", None)
        if remembered is not None:
            return remembered
        version = versions.current(["all"])
        key = f"ruleset:org:{self.pk}:{timezone.localdate().isoformat()}:{version}"
        found = cache.get(key) if version else None
        if found is None:
            found = self._nearest_rule_set()
            if version:
                cache.set(key, found, versions.TIMEOUT)
        self._effective_rule_set = found
        return found

    def _nearest_rule_set(self) -> RuleSet:
        # The nearest ancestor's, in one query whatever the depth (read from the path, not by walking
        # up one parent at a time: a province tree is four levels deep).
        nearest = (
            RuleSet.objects.filter(organization__pk__in=self.ancestor_ids())
            .annotate(_depth=Length("organization__path"))
            .order_by("-_depth")
            .first()
        )
        return nearest or RuleSet.current()


class Term(models.Model):
    """A committee term (nhiệm kỳ) of an organisation; document numbers run per term."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="terms"
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 2025–2030."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("committee term", "term")
        verbose_name_plural = pgettext_lazy("committee term", "terms")
        ordering = ["organization", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="term_dates_ordered",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="term_name_unique",
                violation_error_message=_("This organisation already has a term with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.name}"


class Member(models.Model):
    """A Party member (đảng viên): the person's record, independent of which cell they belong to."""

    class Status(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    full_name = models.CharField(_("full name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    party_card_number = models.CharField(
        _("party card number"),
        max_length=20,
        blank=True,
        help_text=_("Probationary members receive their card after becoming full members."),
    )
    admission_date = models.DateField(_("admission date"), help_text=_("Date admitted to the Party."))
    official_date = models.DateField(
        _("full membership date"), null=True, blank=True, help_text=_("Date recognised as a full member.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    strengths = models.TextField(
        _("strengths and expertise"),
        blank=True,
        help_text=_("Used to suggest presenters for topics, e.g. Hồ Chí Minh thought, Party building."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_card_number"],
                condition=~Q(party_card_number=""),
                name="member_card_unique",
                violation_error_message=_("Another member already has this party card number."),
            ),
            models.CheckConstraint(
                condition=Q(official_date__isnull=True) | Q(official_date__gte=F("admission_date")),
                name="member_official_after_admission",
                violation_error_message=_("The full membership date cannot be before the admission date."),
            ),
            models.CheckConstraint(
                condition=Q(admission_date__gt=F("date_of_birth")),
                name="member_admitted_after_birth",
                violation_error_message=_("The admission date must be after the date of birth."),
            ),
            models.CheckConstraint(
                condition=Q(status="probationary") | Q(official_date__isnull=False),
                name="member_full_has_official_date",
                violation_error_message=_("A full member needs the date they became a full member."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    """A member's attachment to a cell: regular (chính thức tại chi bộ) or temporary (tạm thời)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        TEMPORARY = "temporary", _("Temporarily attached")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="memberships"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_dates_ordered",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            # A member belongs regularly to one cell at a time; temporary attachments come on top.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(kind="regular", end_date__isnull=True),
                name="membership_one_open_regular",
                violation_error_message=_(
                    "This member already belongs to a cell; end that membership first."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organization", "end_date"], name="membership_org_idx")]

    def __str__(self) -> str:
        return f"{self.member} · {self.organization}"

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or on <= self.end_date)


class Position(models.Model):
    """A position held in an organisation during one term: bí thư, phó bí thư, chi ủy viên."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary (Bí thư)")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary (Phó bí thư)")
        COMMITTEE_MEMBER = "committee_member", _("Committee member (Chi ủy viên)")

    term = models.ForeignKey(
        Term,
        verbose_name=pgettext_lazy("committee term", "term"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="positions"
    )
    role = models.CharField(_("position"), max_length=20, choices=Role.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_dates_ordered",
                violation_error_message=_("A position cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(role="secretary", end_date__isnull=True),
                name="position_one_secretary_per_term",
                violation_error_message=_("This cell already has a secretary in this term."),
            ),
            models.UniqueConstraint(
                fields=["term", "member", "role"],
                condition=Q(end_date__isnull=True),
                name="position_no_duplicate",
                violation_error_message=_("This member already holds this position in this term."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.member}"


class Exemption(models.Model):
    """Exemption from Party work and meetings (miễn công tác và sinh hoạt đảng) for a period."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="exemptions"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="exemption_dates_ordered",
                violation_error_message=_("An exemption cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.reason}"

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or on <= self.end_date)


class OfficerAssignment(models.Model):
    """A user working for a Đảng ủy (committee member or office staff) with oversight of its cells."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="officer_assignments",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="officers",
        limit_choices_to={"kind": Organization.Kind.PARTY_COMMITTEE},
    )
    title = models.CharField(_("title"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("Party committee officer")
        verbose_name_plural = _("Party committee officers")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="officer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"
