"""Demo notification channels (docs/channels.md), added last, once the other demos have notified.

* the article's cell (Chi bộ Khoa Xây dựng Đảng) sends meeting notices and drafts to study by e-mail
  and Zalo by default, everything else by e-mail;
* its secretary (bithu) takes everything by Zalo and e-mail; the full member (dangvien) by push and
  e-mail (his browser has a push subscription, push/demo.py); the probationary member (duby) keeps
  quiet hours from 21:30 to 06:30; the deputy (phobithu) follows the cell's default; the Đảng ủy's
  officer (danguy), who hears of every cell, gets one daily digest at 18:00 instead.

So a meeting notice to the cell e-mails at least three people at once at any hour (the production smoke
test counts on it, tools/smoke.py). Zalo and push go out only where their senders are configured and
switched on (the zalo and push apps); the choices are kept either way (made among every channel,
whichever are switched on now).
"""

from datetime import time

from notifications import channels, routing, services
from notifications.kinds import URGENT, Kind
from organizations.demo import Demo

ARTICLE_CELL_KEY = "xdd"  # the article's cell (organizations.demo.SCHOOL_CELLS)

CHOOSABLE = [kind for kind in Kind.values if kind not in URGENT]
EVERY = routing.CHOOSABLE


def add_channels(demo: Demo) -> None:
    cell = demo.cells[ARTICLE_CELL_KEY]
    by_zalo = {Kind.MEETING, Kind.DRAFT_STUDY}
    services.set_cell_channels(
        actor=None,
        offered=EVERY,
        cell=cell,
        choices={
            kind: {channels.EMAIL, channels.ZALO} if kind in by_zalo else {channels.EMAIL}
            for kind in CHOOSABLE
        },
    )
    users = demo.users
    if "bithu" in users:
        services.set_member_channels(
            actor=users["bithu"],
            offered=EVERY,
            choices={kind: {channels.ZALO, channels.EMAIL} for kind in CHOOSABLE},
        )
    if "dangvien" in users:
        services.set_member_channels(
            actor=users["dangvien"],
            offered=EVERY,
            choices={kind: {channels.PUSH, channels.EMAIL} for kind in CHOOSABLE},
        )
    if "duby" in users:
        services.set_member_channels(
            actor=users["duby"],
            offered=EVERY,
            choices={kind: {channels.EMAIL} for kind in CHOOSABLE},
            quiet_from=time(21, 30),
            quiet_until=time(6, 30),
        )
    if "danguy" in users:
        services.set_member_channels(
            actor=users["danguy"],
            offered=EVERY,
            choices={kind: {channels.EMAIL} for kind in CHOOSABLE},
            digest=True,
            digest_hour=18,
        )
