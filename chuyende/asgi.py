"""ASGI entry point: the site, and in front of it the meeting room's streams (room/stream.py), which
are served outside Django's request handling so that an open stream holds no thread and no database
connection of its own."""

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuyende.settings")
django_application = get_asgi_application()

from room import stream  # noqa: E402  (after Django is set up)


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    meeting_id = stream.match(scope)
    if meeting_id is not None:
        return await stream.app(scope, receive, send, meeting_id)
    return await django_application(scope, receive, send)
