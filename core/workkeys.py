"""How a step that waits for someone is named: one spelling for the work queue (home.work) and for the
notification that asks for the step (``Notification.work_key``), so that the notification list and the
bell can tell whether what a notification asked for still waits, and the two never disagree.

A session's steps are named by the lifecycle (``planning.lifecycle.step_key``): ``session:12:write``.
"""


def session_step(session_id: int, step: str) -> str:
    return f"session:{session_id}:{step}"


def comment(session_id: int) -> str:
    """Read the distributed draft and comment before the deadline."""
    return session_step(session_id, "comment")


def meeting_notice(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:notice"


def meeting_check_in(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:checkin"


def meeting_record(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:record"


def registration(registration_id: int) -> str:
    return f"registration:{registration_id}:decide"


def plan(plan_id: int) -> str:
    return f"plan:{plan_id}:acknowledge"


def report(report_id: int) -> str:
    return f"report:{report_id}:acknowledge"


def model_session(model_id: int) -> str:
    return f"model:{model_id}:approve"


def task(task_id: int) -> str:
    return f"task:{task_id}:done"
