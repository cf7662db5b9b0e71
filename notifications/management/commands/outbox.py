"""``manage.py outbox``: what the e-mail outbox, the channel outbox (Zalo, push) and the webhook
deliveries hold, and sending or retrying them by hand.

    manage.py outbox                  counts by state, and the failed messages with their last error
    manage.py outbox --send           send every due e-mail, Zalo/push message and webhook delivery
                                      now (what the background jobs do; also what waited for the end
                                      of someone's quiet hours)
    manage.py outbox --retry          put the failed messages back in the queue, then send
    manage.py outbox --requeue-tasks  put back background jobs left running by a worker that died

Run ``outbox --requeue-tasks --send`` from cron every few minutes in production: a worker killed
mid-batch leaves its job "running" for ever and its messages "sending"; this takes both over.
Failed webhook deliveries are sent again one by one from their endpoint's page ("Gửi lại").
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications import channel_outbox, outbox, webhooks
from notifications.models import ChannelMessage, OutboundEmail, WebhookDelivery


class Command(BaseCommand):
    help = (
        "Show the e-mail outbox and the webhook deliveries; --send sends what is due, --retry requeues "
        "failed messages."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--send", action="store_true", help="send every due message now")
        parser.add_argument("--retry", action="store_true", help="requeue failed messages, then send")
        parser.add_argument(
            "--requeue-tasks",
            action="store_true",
            help=f"requeue background jobs running for more than {outbox.LEASE} (their worker died)",
        )

    def handle(self, *args: Any, send: bool, retry: bool, requeue_tasks: bool, **options: Any) -> None:
        if requeue_tasks:
            stale = DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - outbox.LEASE
            ).update(status=TaskResultStatus.READY, started_at=None)
            self.stdout.write(f"Background jobs requeued: {stale}")
        if retry:
            self.stdout.write(f"Failed messages requeued: {outbox.retry_failed()}")
            self.stdout.write(f"Failed Zalo/push messages requeued: {channel_outbox.retry_failed()}")
        if send or retry:
            done = outbox.drain()
            self.stdout.write(f"Sent: {done.sent}, to retry later: {done.retrying}, failed: {done.failed}")
            by_channel = channel_outbox.drain()
            self.stdout.write(
                f"Zalo/push sent: {by_channel.sent}, to retry later: {by_channel.retrying}, "
                f"refused: {by_channel.refused}, failed: {by_channel.failed}"
            )
        if send:
            hooks = webhooks.drain()
            self.stdout.write(
                f"Webhooks delivered: {hooks.delivered}, to retry later: {hooks.retrying}, "
                f"failed: {hooks.failed}"
            )
        counts = dict(
            OutboundEmail.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        )
        for state, label in OutboundEmail.State.choices:
            self.stdout.write(f"{label}: {counts.get(state, 0)}")
        oldest = (
            OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING).order_by("created_at").first()
        )
        if oldest is not None:
            age = timezone.now() - oldest.created_at
            self.stdout.write(f"Oldest waiting: {age // timedelta(minutes=1)} min")
        for row in OutboundEmail.objects.filter(state=OutboundEmail.State.FAILED).order_by("-pk")[:20]:
            self.stdout.write(f"  #{row.pk} {row.to} ({row.attempts} attempts): {row.last_error}")
        channel_counts = (
            ChannelMessage.objects.values_list("channel", "state").annotate(n=Count("pk")).order_by("channel")
        )
        for channel, state, n in channel_counts:
            self.stdout.write(f"{channel} {ChannelMessage.State(state).label}: {n}")
        for message in ChannelMessage.objects.filter(
            state__in=[ChannelMessage.State.FAILED, ChannelMessage.State.REFUSED]
        ).order_by("-pk")[:20]:
            self.stdout.write(
                f"  {message.channel} #{message.pk} user {message.recipient_id} "
                f"({message.get_state_display()}, {message.attempts} attempts): {message.last_error}"
            )
        hooks_by_state = dict(
            WebhookDelivery.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        )
        self.stdout.write(
            "Webhooks: "
            + ", ".join(
                f"{label}: {hooks_by_state.get(state, 0)}" for state, label in WebhookDelivery.State.choices
            )
        )
