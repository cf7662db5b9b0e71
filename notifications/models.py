"""In-app notifications (also sent by e-mail) and private calendar feeds."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.kinds import Kind


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a calendar token: its SHA-256 (a stolen database gives no working link)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A secret-token iCalendar URL with a user's sessions and deadlines.

    Calendar apps cannot sign in, so the token is the credential: it is long and random, shown only
    to its owner, once, when it is made (only its SHA-256 is stored), and revoking it (or making a
    new one) makes the old URL answer 404. ``token`` is set on the object that made it, never loaded."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    token = ""  # the plain token, only on the object that made it

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def set_token(self) -> str:
        self.token = new_token()
        self.token_hash = token_digest(self.token)
        return self.token


class Notification(models.Model):
    """Something a person should know about, shown in the app and (usually) sent by e-mail.

    The text is written once, when the notification is created, in the site's language: people have
    no language of their own yet. ``url`` is a path on this site (``/ke-hoach/buoi/12/``), never an
    absolute address, so a notification cannot send anyone elsewhere."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        # notification_inbox_idx begins with the recipient and serves every lookup by recipient (and
        # the cascade): a second index on it only slowed the writing of 90,000 notices at a time.
        db_index=False,
    )
    # "title" alone is already a job title (chức danh) in the catalogue.
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mailed on"), null=True, blank=True)
    # The step it asks the recipient to take (core.workkeys: "session:12:approve_draft"), or empty when
    # it only informs. Once the step no longer waits (the work queue is the judge), the notification is
    # shown as done and leaves the bell's count.
    work_key = models.CharField(_("step asked for"), max_length=64, blank=True, default="")
    # What it is about, as the member chooses channels for it (notifications.kinds).
    kind = models.CharField(_("kind of notice"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Serves both the unread counter of every page and the newest-first list.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class OutboundEmail(models.Model):
    """One e-mail to send, written in the same transaction as the notification it carries (the outbox).

    Workers claim rows (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), send them and mark them
    sent. A claim older than the lease (a worker that died mid-batch) is taken over, and the message
    goes out again with the same Message-ID: at worst delivered twice as the same message, never lost.
    A failed attempt is retried later with a growing delay, and after the last one the row stays
    ``failed`` for the administrator to see (``manage.py outbox``, the admin)."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox", "waiting")
        SENDING = "sending", pgettext_lazy("outbox", "sending")
        SENT = "sent", pgettext_lazy("outbox", "sent")
        FAILED = "failed", pgettext_lazy("outbox", "failed")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=400)
    body = models.TextField(_("text"))
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Announcement(models.Model):
    """A general announcement (thông báo chung) to every current member under an organisation.

    Written by an officer of a Đảng bộ or a cell's secretary; delivered in the background
    (notifications/announcements.py) in batches, each batch's notices, e-mails and ``cursor`` (the last
    recipient's user id) committed together, so that a worker that dies resumes after the last
    committed batch: nobody is notified twice and nobody is forgotten."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="announcements",
    )
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=200)
    body = models.TextField(_("text"))
    link = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Whose membership counts: those current on this day (fixed when written, so a resumed delivery
    # goes to the same people).
    members_on = models.DateField(_("members on"))
    cursor = models.PositiveBigIntegerField(_("delivered up to user"), default=0)
    reached = models.PositiveIntegerField(_("members reached"), default=0)
    emailed = models.PositiveIntegerField(_("e-mails queued"), default=0)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class WebhookEvent(models.TextChoices):
    """The events a webhook may ask for (docs/webhooks.md): each is emitted by one service function."""

    PLAN_SUBMITTED = "plan.submitted", _("Annual plan submitted")
    PLAN_ACKNOWLEDGED = "plan.acknowledged", _("Annual plan acknowledged")
    PLAN_RETURNED = "plan.returned", _("Annual plan returned")
    SESSION_POSTPONED = "session.postponed", _("Session postponed")
    SESSION_CANCELLED = "session.cancelled", _("Session cancelled")
    DRAFT_DISTRIBUTED = "draft.distributed", _("Draft distributed to the members")
    MINUTES_APPROVED = "minutes.approved", _("Minutes approved")
    RESOLUTION_ISSUED = "resolution.issued", _("Resolution issued")
    REPORT_SUBMITTED = "report.submitted", _("Report submitted")
    REPORT_ACKNOWLEDGED = "report.acknowledged", _("Report acknowledged")
    MODEL_PUBLISHED = "model_session.published", _("Model session published")


class WebhookEndpoint(models.Model):
    """An address another system of the organisation (its portal, its IT officer's scripts) gives to
    receive the events it asked for, of the organisation and of every cell under it.

    The secret signs every delivery (HMAC-SHA256, notifications/webhooks.py). It is kept as it is, not
    hashed, since the app must sign with it; it is shown to a person once, when it is made or rotated."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="webhooks",
    )
    url = models.URLField(_("address (URL)"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    secret_rotated_at = models.DateTimeField(_("secret made on"), default=timezone.now)

    secret_shown = ""  # the new secret, only on the object that made it (what a page shows once)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-is_active", "pk"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels.get(event, event)) for event in self.events]


class WebhookDelivery(models.Model):
    """One event to send to one endpoint, written in the same transaction as the change it tells of
    (the outbox pattern, like :class:`OutboundEmail`): claimed, sent, retried with a growing delay and,
    after the last attempt, left ``failed`` with the receiver's answer for a person to see and send
    again."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox", "waiting")
        SENDING = "sending", pgettext_lazy("outbox", "sending")
        DELIVERED = "delivered", pgettext_lazy("webhook", "delivered")
        FAILED = "failed", pgettext_lazy("outbox", "failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    # The event's own id, the same in the deliveries of one event to several endpoints.
    event_id = models.UUIDField(_("event id"))
    payload = models.JSONField(_("content"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response (beginning)"), max_length=500, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_due_idx"),
            # The delivery log of an endpoint, newest first.
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk}"


# --- Channels: who gets which kind of notice by what, and the channel outbox (docs/channels.md) -------


class ChannelFlags(models.Model):
    """One kind of notice and the channels it goes by besides the app (always on): a member's own
    choice or a cell's default."""

    kind = models.CharField(_("kind of notice"), max_length=20, choices=Kind.choices)
    email = models.BooleanField(_("e-mail"), default=True)
    zalo = models.BooleanField("Zalo", default=False)
    push = models.BooleanField(_("push notification"), default=False)

    class Meta:
        abstract = True


class ChannelChoice(ChannelFlags):
    """A member's own choice of the channels (besides the app, always on) for one kind of notice.

    A kind with no row follows the cell's default (:class:`CellChannelDefault`), then the site's
    (e-mail only). Urgent kinds (notifications.kinds.URGENT) ignore it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="channel_choices",
    )

    class Meta:
        verbose_name = _("channel choice")
        verbose_name_plural = _("channel choices")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="channel_choice_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class CellChannelDefault(ChannelFlags):
    """The channels a cell's secretary chose for one kind of notice, for the members who did not
    choose themselves."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("cell"),
        on_delete=models.CASCADE,
        related_name="channel_defaults",
    )

    class Meta:
        verbose_name = _("cell's default channels")
        verbose_name_plural = _("cells' default channels")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="cell_channel_default_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.kind}"


class DeliveryPreference(models.Model):
    """When a member wants to be reached: quiet hours (notices other than urgent wait for their end)
    and a daily digest (one message per channel at ``digest_hour`` instead of one per notice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="delivery_preference",
    )
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    digest = models.BooleanField(_("daily digest"), default=False)
    digest_hour = models.PositiveSmallIntegerField(_("digest hour"), default=7)
    # The local day of the last digest (one a day, however often send_digests runs).
    last_digest_on = models.DateField(_("last digest on"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery preference")
        verbose_name_plural = _("delivery preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | models.Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="delivery_quiet_both_or_none",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="delivery_digest_hour_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class ChannelMessage(models.Model):
    """One notice to carry by one channel other than the app (Zalo, push), or one e-mail held for a
    member's digest: the channel outbox (notifications/channel_outbox.py), written in the notice's
    transaction, claimed, sent and retried like :class:`OutboundEmail`.

    A row with no notification is a daily digest: its own ``title``, ``body`` and ``url``. Rows
    ``held`` wait for their recipient's digest; the digest that carried them is ``digest`` (or, for
    e-mail, ``digest_email``)."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox", "waiting")
        HELD = "held", pgettext_lazy("outbox", "held for the digest")
        SENDING = "sending", pgettext_lazy("outbox", "sending")
        SENT = "sent", pgettext_lazy("outbox", "sent")
        DIGESTED = "digested", pgettext_lazy("outbox", "sent in a digest")
        REFUSED = "refused", pgettext_lazy("outbox", "refused")
        FAILED = "failed", pgettext_lazy("outbox", "failed")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="channel_messages",
    )
    channel = models.CharField(_("channel"), max_length=10)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="channel_messages",
        db_index=False,  # channel_message_recipient_idx begins with it
    )
    kind = models.CharField(_("kind of notice"), max_length=20)
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("sent in the digest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    digest_email = models.ForeignKey(
        OutboundEmail,
        verbose_name=_("sent in the digest e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest_items",
    )

    class Meta:
        verbose_name = _("channel message")
        verbose_name_plural = _("channel messages")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="channel_message_due_idx"),
            models.Index(fields=["recipient", "state", "channel"], name="channel_message_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient_id}: {self.title or self.notification_id}"
