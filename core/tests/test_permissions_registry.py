"""Every action code a service or the lifecycle asks about is decided by exactly one app."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import permissions
from core.errors import PermissionDenied


def test_each_app_registers_the_actions_it_decides():
    actions = permissions.registered_actions()
    for code in ("draft.approve", "meeting.record", "plan.acknowledge", "session.evaluate", "report.submit"):
        assert code in actions


def test_an_unknown_action_is_a_programming_error_not_a_silent_no():
    with pytest.raises(ImproperlyConfigured):
        permissions.can(None, "no.such.action", None)


def test_an_action_cannot_have_two_owners():
    with pytest.raises(ImproperlyConfigured):
        permissions.register_permissions({"draft.approve"}, lambda user, action, obj: True)


def test_require_refuses_an_anonymous_person_and_lets_the_system_through(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        permissions.require(AnonymousUser(), "plan.create", world.cell)
    permissions.require(None, "plan.create", world.cell)  # the system: no person to check
    permissions.require(world.secretary, "plan.create", world.cell)
