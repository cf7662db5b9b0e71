"""The Zalo channel's sender (notifications.channels): a notice goes to the member's phone as the
ZNS template their Official Account set for its kind, and every attempt is written to ``ZaloSend``."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from notifications.channels import ZALO, Message, Refused, Retry
from zalo import client as zc
from zalo import services
from zalo.models import ZaloAccount, ZaloSend, ZaloTemplate


class ZaloSender:
    channel = ZALO

    def is_enabled(self) -> bool:
        return ZaloAccount.objects.filter(enabled=True).exists()

    def reaches(self, user: Any) -> bool:
        """A phone number on the roster, and an enabled account that speaks to the member."""
        return services.phone_of(user) is not None and services.account_for(user) is not None

    def reachable(self, user_ids: list[int]) -> set[int]:
        """:meth:`reaches` for many at once (notifications.routing asks it of every notice's
        recipients): two queries, however many they are."""
        return services.reachable(user_ids)

    def send(self, message: Message) -> str:
        user = get_user_model().objects.select_related("member").filter(pk=message.recipient_id).first()
        if user is None:
            raise Refused("the recipient no longer exists")
        account = services.account_for(user)
        if account is None:
            raise Refused("no enabled Zalo Official Account speaks to this member")
        phone = services.phone_of(user)
        if phone is None:
            raise Refused("no phone number on the roster")
        template = ZaloTemplate.objects.filter(account=account, kind=message.kind).first()
        if template is None:
            raise Refused(f"the Official Account has no ZNS template for {message.kind!r}")
        data = services.template_data(
            template, recipient_name=user.member.full_name, message=message, site_url=settings.SITE_URL
        )
        # The outbox row's id: the same on every attempt of this notice, so Zalo's records and ours match.
        tracking_id = f"chuyende-{message.outbox_id}"
        log = ZaloSend(
            account=account,
            kind=message.kind,
            outbox_id=message.outbox_id,
            recipient=user,
            phone_masked=services.mask_phone(phone),
            template_id=template.template_id,
            tracking_id=tracking_id,
        )
        try:
            result = zc.ZaloClient(account).send_template(phone, template.template_id, data, tracking_id)
        except zc.ZaloError as error:
            log.error_code = error.code
            log.error_message = error.message[:300]
            log.save()
            if isinstance(error, zc.QuotaExceeded):
                raise Retry(error.message, after=zc.until_quota_resets()) from error
            if isinstance(error, zc.RecipientRefused | zc.TemplateRejected):
                raise Refused(error.message) from error
            raise Retry(error.message) from error
        log.error_code = 0
        log.msg_id = result.msg_id
        log.quota_remaining = result.quota_remaining
        log.save()
        return result.msg_id
