"""Background jobs: sending what the outbox holds (notifications.outbox). The webhooks' job,
``deliver_webhooks``, lives next to what enqueues it (notifications.webhooks.emit).

The job carries no data: the rows are the queue, written with the notifications. Running it twice, or
in several workers at once, sends each message once (barring a crash, see the outbox).
"""

from django_tasks import task

from notifications import channel_outbox, outbox


@task()
def deliver_outbox() -> dict[str, int]:
    """Send every due e-mail of the outbox; returns how many were sent, are to be retried, failed."""
    done = outbox.drain()
    return {"sent": done.sent, "retrying": done.retrying, "failed": done.failed}


@task()
def deliver_channels() -> dict[str, int]:
    """Send every due Zalo and push message of the channel outbox (notifications.channel_outbox)."""
    done = channel_outbox.drain()
    return {"sent": done.sent, "retrying": done.retrying, "refused": done.refused, "failed": done.failed}
