"""Fake Zalo and push senders for the channel tests: this app needs neither real one (they live in
their own apps and register themselves the same way)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from notifications import channels


@dataclass
class FakeSender:
    """Reaches the users in ``reached`` (everyone when None); answers each send as ``answer`` says:
    a provider id, or an exception to raise (Retry, Refused, anything)."""

    channel: str
    enabled: bool = True
    reached: set[int] | None = None
    answer: Any = "provider-1"
    sent: list[channels.Message] = field(default_factory=list)
    bulk_calls: int = 0

    def is_enabled(self) -> bool:
        return self.enabled

    def reaches(self, user: Any) -> bool:
        return self.reached is None or user.pk in self.reached

    def reachable(self, user_ids: list[int]) -> set[int]:
        self.bulk_calls += 1
        return set(user_ids) if self.reached is None else set(user_ids) & self.reached

    def send(self, message: channels.Message) -> str:
        if isinstance(self.answer, BaseException):
            raise self.answer
        self.sent.append(message)
        return str(self.answer)


RETRY_AFTER = timedelta(minutes=17)
