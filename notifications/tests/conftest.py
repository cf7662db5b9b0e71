"""The notifications tests' own fixtures: fake Zalo and push senders (channel_fakes)."""

from collections.abc import Iterator

import pytest

from notifications import channels
from notifications.tests.channel_fakes import FakeSender


@pytest.fixture
def senders() -> Iterator[dict[str, FakeSender]]:
    """A Zalo and a push sender, registered for the test and removed after it."""
    saved = channels.registered()
    fakes = {channels.ZALO: FakeSender(channels.ZALO), channels.PUSH: FakeSender(channels.PUSH)}
    for fake in fakes.values():
        channels.register(fake)
    yield fakes
    channels.restore(saved)
