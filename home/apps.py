from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top of the house: the home page and the demo loader, which gather every app's pieces.

    Nothing imports ``home``; it may import any app (see docs/architecture.md)."""

    name = "home"
    verbose_name = _("Home")
