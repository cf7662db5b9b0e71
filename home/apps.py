from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top of the house: the home page and the demo loader, which gather every app's pieces.

    Nothing imports ``home``; it may import any app (see docs/architecture.md)."""

    name = "home"
    verbose_name = _("Home")

    def ready(self) -> None:
        from core import pages
        from core.audit import register_actions
        from home import invalidation, work
        from notifications.services import set_open_work

        # The mark of a tree made by ``manage.py generate_scale_data`` (home/scale.py).
        register_actions(
            {"home.scale.generated": _("%(actor)s generated “%(object)s” for benchmarks (seed %(seed)s).")}
        )
        # The frame cached across requests is dropped when what it was read from changes.
        invalidation.connect()
        # The notification list and the bell ask the work queue whether a step still waits.
        set_open_work(work.open_keys)
        # The member and session pages kept rendered (core.pages) carry the frame: its tokens are the
        # queue's and the bell's.
        pages.register_frame(work.frame_names)
