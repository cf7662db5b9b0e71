"""Background jobs: sending what the outbox holds (notifications.outbox) and the webhooks
(notifications.webhooks).

The job carries no data: the rows are the queue, written with the notifications. Running it twice, or
in several workers at once, sends each message once (barring a crash, see the outbox).
"""

from django_tasks import task

from notifications import outbox


@task()
def deliver_outbox() -> dict[str, int]:
    """Send every due e-mail of the outbox; returns how many were sent, are to be retried, failed."""
    done = outbox.drain()
    return {"sent": done.sent, "retrying": done.retrying, "failed": done.failed}


@task()
def deliver_webhooks() -> dict[str, int]:
    """Send every due webhook delivery (notifications.webhooks); returns how many were delivered, are to
    be retried, failed. Like the e-mail job, it carries no data: the deliveries are the queue."""
    from notifications import webhooks  # it enqueues this job: imported here, not at the top

    done = webhooks.drain()
    return {"delivered": done.delivered, "retrying": done.retrying, "failed": done.failed}
