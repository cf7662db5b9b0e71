"""Every change to a meeting: planning it, the notice, the record, the vote, the minutes, the resolution.

Each function checks permission and state, validates everything first, writes in one transaction,
logs one audit entry and notifies after commit. The meeting row is locked for every change, so two
phones recording the same meeting queue up; text fields saved from a phone carry the value the phone
started from (``base``), and a change made meanwhile by someone else is reported instead of
overwritten.

One module per part of the meeting; callers use this package (``from meetings import services``):

* :mod:`~meetings.services.notice`: the meeting planned, its usual agenda, the notice (TB);
* :mod:`~meetings.services.record`: the record opened, its fields, the attendance, the speeches;
* :mod:`~meetings.services.vote`: the vote against the adjusted total;
* :mod:`~meetings.services.minutes`: the quality level, the minutes (BB) approved and corrected;
* :mod:`~meetings.services.resolutions`: the resolution (NQ/KL) and its tasks;
* :mod:`~meetings.services.common`: the row lock and the checks they share.
"""

from meetings.services.minutes import approve_minutes, minutes_problems, score_quality, start_correction
from meetings.services.notice import create_meeting, default_agenda, issue_notice
from meetings.services.record import (
    MAX_TEXT,
    RECORD_FIELDS,
    RECORD_TEXT_FIELDS,
    Conflict,
    NoticeMissing,
    add_speech,
    delete_speech,
    mark_all_present,
    open_record,
    save_field,
    set_attendance,
    stored_text,
)
from meetings.services.resolutions import (
    TaskInput,
    complete_task,
    final_text,
    issue_resolution,
    save_resolution,
    task_owner_choices,
)
from meetings.services.vote import clear_vote, may_vote, record_vote, stored_basis

__all__ = [
    "MAX_TEXT",
    "RECORD_FIELDS",
    "RECORD_TEXT_FIELDS",
    "Conflict",
    "NoticeMissing",
    "TaskInput",
    "add_speech",
    "approve_minutes",
    "clear_vote",
    "complete_task",
    "create_meeting",
    "default_agenda",
    "delete_speech",
    "final_text",
    "issue_notice",
    "issue_resolution",
    "mark_all_present",
    "may_vote",
    "minutes_problems",
    "open_record",
    "record_vote",
    "save_field",
    "save_resolution",
    "score_quality",
    "set_attendance",
    "start_correction",
    "stored_basis",
    "stored_text",
    "task_owner_choices",
]
