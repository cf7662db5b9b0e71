"""`uvicorn bench.asgi_stream:application`: the site's ASGI application with one change, for the
"stream-released" experiment of `bench/room_live.py` (never for production).

Django's ASGI handler runs each request's synchronous code (the session, the user, the permission
check) in a thread of the request's own, and a database connection belongs to its thread: the stream
view's request keeps the connection it opened for as long as the phone stays, one PostgreSQL
connection per open stream. Here each stream lets go of it before its first event, and the server
runs with DATABASE_CONN_MAX_AGE=0 so that the hub's state computations (``room.live._fresh_state``,
which ends with ``close_old_connections``) do not keep one either: what the mechanism costs once it
no longer holds a connection per client.
"""

import os
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuyende.settings")
application = get_asgi_application()

from django.db import connections  # noqa: E402

from room import live  # noqa: E402

_events = live.events


async def released_events(meeting_id: int) -> AsyncIterator[str]:
    # In the request's thread (thread-sensitive, as its session and user were read): its connection.
    await sync_to_async(connections.close_all)()
    async for event in _events(meeting_id):
        yield event


live.events = released_events
