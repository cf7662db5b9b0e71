"""The electronic vote's page: the member casts from their phone, the chair opens and closes."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.permissions import can
from core.web import action_form, deny_unless, form_errors, get_visible_or_404, run_service
from meetings.models import Meeting
from meetings.permissions import visible_meetings
from room import checkin, live, services, speakers
from room import screen as room_screen
from room.forms import CastForm, CheckInForm, OpenBallotForm, SpeakForm
from room.models import Ballot, CheckIn, SpeakerRequest


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(visible_meetings(request.user).select_related("cell", "session"), pk=pk)


def _ballot(request: HttpRequest, pk: int) -> Ballot:
    return get_visible_or_404(
        Ballot.objects.filter(meeting__in=visible_meetings(request.user)).select_related("meeting"), pk=pk
    )


def _stream_url(request: HttpRequest, meeting_id: int) -> str:
    """The stream's address for this reader and session, in stream mode (else none: the page polls)."""
    if not live.streaming():
        return ""
    return live.stream_url(request.user.pk or 0, meeting_id, request.session.session_key)


def _live(request: HttpRequest, meeting: Meeting, phase: str) -> dict[str, Any]:
    """The attributes of a page's live region (room/static/room/live.js, room/_live_attrs.html): where
    to ask for the room's state, the stream in stream mode, the version the page shows and the parts
    of the state (``phase``) whose change makes the page fetch itself again."""
    return {
        "state_url": reverse("room:state", args=[meeting.pk]),
        "stream_url": _stream_url(request, meeting.pk),
        "version": room_screen.version(meeting.pk),
        "phase": phase,
    }


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    """Whether If-None-Match names ``etag``, also in its weak form: GZipMiddleware weakens the ETag of
    what it compresses (``W/"…"``), and the browser sends that back."""
    sent = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    return etag.removeprefix("W/") in sent


def _back(meeting_id: int) -> HttpResponse:
    return redirect(reverse("room:vote", args=[meeting_id]))


def vote_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    ballot = Ballot.objects.filter(meeting=meeting).order_by("-opened_at", "-id").first()
    receipt = request.GET.get("receipt", "").strip()
    chairs = can(request.user, "meeting.record", meeting) and meeting.is_editable
    tally = services.tally(ballot) if ballot else None
    eligible = live.eligible_present(meeting)
    # The chair's page also follows each vote cast (its counts and the withdraw button); a member's
    # only the ballot's opening and closing, and its counters in place.
    phase = "status ballot.id ballot.status" + (" ballot.voted" if chairs else "")
    context = {
        "meeting": meeting,
        "ballot": ballot,
        "chairs": chairs,
        # Once the record holds its vote, what the meeting votes on next is another content.
        "open_form": OpenBallotForm(
            initial={
                "subject": "" if meeting.vote_recorded else meeting.vote_subject,
                "motion": meeting.vote_recorded,
            }
        ),
        "cast_form": CastForm(),
        "standing": services.standing(request.user, ballot) if ballot else None,
        "tally": tally,
        "eligible": eligible,
        # The counts as live.js updates them in place (the sentence around them is translated).
        "live_voted": format_html('<span data-live="ballot.voted">{}</span>', tally.voted if tally else 0),
        "live_eligible": format_html('<span data-live="ballot.eligible">{}</span>', eligible),
        "result": services.result_shown(meeting, ballot, tally),
        "receipt": receipt,
        "receipt_counted": services.receipt_counted(ballot, receipt) if ballot and receipt else None,
        "live": _live(request, meeting, phase),
    }
    return render(request, "room/vote.html", context)


@require_POST
def vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    form = OpenBallotForm(request.POST)
    opened = form.is_valid() and bool(
        run_service(
            form,
            lambda: services.open_ballot(
                actor=request.user,
                meeting=meeting,
                subject=form.cleaned_data["subject"],
                secret=form.cleaned_data["secret"],
                motion=form.cleaned_data["motion"],
            ),
        )
    )
    if opened:
        messages.success(request, _("The vote is open: members can vote on their phones."))
    else:
        messages.error(request, form_errors(form))
    return _back(meeting.pk)


@require_POST
def vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    standing = services.standing(request.user, ballot)
    if standing.reason:
        # Not a voter here at all: 403, as for any other page, saying why (the rule's sentence).
        return render(request, "403.html", {"reason": standing.reason}, status=403)
    form = CastForm(request.POST)
    cast = None
    if form.is_valid():
        cast = run_service(
            form,
            lambda: services.cast_vote(actor=request.user, ballot=ballot, choice=form.cleaned_data["choice"]),
        )
    if cast is None:
        messages.error(request, form_errors(form))
    elif cast.receipt:
        messages.success(
            request,
            _("Your vote is counted. Your receipt: %(receipt)s. Keep it to check your vote was counted.")
            % {"receipt": cast.receipt},
        )
    else:
        messages.success(request, _("Your vote is counted."))
    return _back(ballot.meeting_id)


@require_POST
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    deny_unless(request.user, "meeting.record", ballot.meeting)
    form = action_form()
    result = run_service(form, lambda: services.close_ballot(actor=request.user, ballot=ballot))
    if result is None:
        messages.error(request, form_errors(form))
    else:
        messages.success(request, services.result_sentence(result))
    return _back(ballot.meeting_id)


@require_POST
def vote_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    deny_unless(request.user, "meeting.record", ballot.meeting)
    form = action_form()

    def withdraw() -> bool:
        services.withdraw_ballot(actor=request.user, ballot=ballot)
        return True

    if run_service(form, withdraw):
        messages.success(request, _("The vote is withdrawn."))
    else:
        messages.error(request, form_errors(form))
    return _back(ballot.meeting_id)


def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's own check-in: the code typed, or brought by the QR code's link (``?ma=``)."""
    meeting = _meeting(request, pk)
    attendance = services.voter_attendance(request.user, meeting)
    if request.method == "POST":
        if attendance is None:
            raise PermissionDenied(_("Only the members summoned to the meeting check in."))
        form = CheckInForm(request.POST)
        done = None
        if form.is_valid():
            code = form.cleaned_data["code"]
            done = run_service(form, lambda: checkin.check_in(actor=request.user, meeting=meeting, code=code))
        if done is not None:
            text = _("Checked in at %(time)s, late.") if done.late else _("Checked in at %(time)s.")
            messages.success(request, text % {"time": timezone.localtime(done.at).strftime("%H:%M")})
            return redirect(reverse("room:checkin", args=[meeting.pk]))
    else:
        form = CheckInForm(initial={"code": request.GET.get("ma", "")[:12]})
    mine = (
        CheckIn.objects.filter(meeting=meeting, member_id=attendance.member_id).first()
        if attendance
        else None
    )
    return render(
        request,
        "room/checkin.html",
        {
            "meeting": meeting,
            "form": form,
            "attendance": attendance,
            "check_in": mine,
            "live": _live(request, meeting, "status"),
        },
    )


def checkin_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The code and its QR code, for the secretary's phone (and the room screen, later)."""
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    code = checkin.current_code(meeting) if meeting.status == Meeting.Status.IN_PROGRESS else None
    qr = None
    if code is not None:
        url = request.build_absolute_uri(reverse("room:checkin", args=[meeting.pk])) + f"?ma={code.code}"
        qr = mark_safe(checkin.qr_svg(url))  # segno's SVG of our own URL and the digits: nothing typed
    return render(
        request,
        "room/checkin_code.html",
        {
            "meeting": meeting,
            "code": code,
            "qr": qr,
            "checked_in": CheckIn.objects.filter(meeting=meeting).count(),
            "expected": room_screen.expected_and_present(meeting)[0],
        },
    )


def _request(request: HttpRequest, pk: int) -> SpeakerRequest:
    return get_visible_or_404(
        SpeakerRequest.objects.filter(meeting__in=visible_meetings(request.user)).select_related("meeting"),
        pk=pk,
    )


def _to_speakers(meeting_id: int) -> HttpResponse:
    return redirect(reverse("room:speakers", args=[meeting_id]))


def speakers_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    attendance = services.voter_attendance(request.user, meeting)
    waiting = speakers.queue(meeting)
    return render(
        request,
        "room/speakers.html",
        {
            "meeting": meeting,
            "queue": waiting,
            "form": SpeakForm(),
            "attendance": attendance,
            "mine": next((r for r in waiting if attendance and r.member_id == attendance.member_id), None),
            "chairs": can(request.user, "meeting.record", meeting)
            and meeting.status == Meeting.Status.IN_PROGRESS,
            "speaking": any(r.status == SpeakerRequest.Status.SPEAKING for r in waiting),
            "live": _live(request, meeting, "status speaking waiting"),
        },
    )


@require_POST
def speak_request(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if services.voter_attendance(request.user, meeting) is None:
        raise PermissionDenied(_("Only the members summoned to the meeting ask to speak."))
    form = SpeakForm(request.POST)
    done = None
    if form.is_valid():
        about = form.cleaned_data["about"]
        done = run_service(
            form, lambda: speakers.request_floor(actor=request.user, meeting=meeting, about=about)
        )
    if done is not None:
        messages.success(request, _("You are on the list of speakers."))
    else:
        messages.error(request, form_errors(form))
    return _to_speakers(meeting.pk)


def _chair_action(request: HttpRequest, pk: int, call: str) -> HttpResponse:
    turn = _request(request, pk)
    deny_unless(request.user, "meeting.record", turn.meeting)
    form = action_form()

    def act() -> bool:
        if call == "give":
            speakers.give_floor(actor=request.user, request=turn)
        else:
            speakers.end_floor(actor=request.user, request=turn)
        return True

    if run_service(form, act):
        messages.success(
            request, _("The floor is given.") if call == "give" else _("The speech is in the record.")
        )
    else:
        messages.error(request, form_errors(form))
    return _to_speakers(turn.meeting_id)


@require_POST
def speak_give(request: HttpRequest, pk: int) -> HttpResponse:
    return _chair_action(request, pk, "give")


@require_POST
def speak_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _chair_action(request, pk, "end")


@require_POST
def speak_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    turn = _request(request, pk)
    attendance = services.voter_attendance(request.user, turn.meeting)
    if attendance is None or attendance.member_id != turn.member_id:
        raise PermissionDenied
    form = action_form()

    def withdraw() -> bool:
        speakers.withdraw_request(actor=request.user, request=turn)
        return True

    if run_service(form, withdraw):
        messages.success(request, _("Your request to speak is withdrawn."))
    else:
        messages.error(request, form_errors(form))
    return _to_speakers(turn.meeting_id)


def _screen_code(request: HttpRequest, meeting: Meeting) -> dict[str, Any] | None:
    """The check-in code and its QR code for the screen, while the record is open, when the screen is
    driven from the account of whoever records the meeting (the projector in the room). A member who
    opens the screen elsewhere sees no code: with it they could check in from home."""
    if meeting.status != Meeting.Status.IN_PROGRESS or not can(request.user, "meeting.record", meeting):
        return None
    code = checkin.current_code(meeting)
    url = request.build_absolute_uri(reverse("room:checkin", args=[meeting.pk])) + f"?ma={code.code}"
    return {"code": code, "qr": mark_safe(checkin.qr_svg(url))}  # segno's SVG of our URL and digits


def _screen_etag(meeting_id: int, code: dict[str, Any] | None) -> str:
    """The screen's ETag: its state's version, and the code shown, which changes with the time alone."""
    return f'"{room_screen.version(meeting_id)}{"-" + code["code"].code if code else ""}"'


def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The room screen for a projector or a TV: big type, no controls, no personal data beyond names."""
    meeting = _meeting(request, pk)
    code = _screen_code(request, meeting)
    return render(
        request,
        "room/screen.html",
        {
            "state": room_screen.state(meeting),
            "version": _screen_etag(meeting.pk, code).strip('"'),
            "checkin": code,
            "stream_url": _stream_url(request, meeting.pk),
        },
    )


def screen_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The screen's content, asked every 2 s with If-None-Match: 304 while nothing changed."""
    meeting = _meeting(request, pk)
    code = _screen_code(request, meeting)
    etag = _screen_etag(pk, code)
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = render(
            request, "room/_screen.html", {"state": room_screen.state(meeting), "checkin": code}
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Live updates (room/live.py) -------------------------------------------------------------------
# Both are read by a script (room/static/room/live.js), never shown: an anonymous reader (signed out in
# another tab) is answered 401 with no body, as the API answers, not sent to the sign-in page.


def _unauthenticated() -> HttpResponse:
    return HttpResponse(status=401)


def _sees(user: Any, meeting_id: int) -> bool:
    return visible_meetings(user).filter(pk=meeting_id).exists()


@login_not_required
@require_GET
def state(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's public state as JSON (``room.live.public_state``), asked every 2 s with If-None-Match
    by the members' pages in poll mode (and when a stream is refused): 304 while nothing changed."""
    if not request.user.is_authenticated:
        return _unauthenticated()
    if not _sees(request.user, pk):
        raise Http404
    version = room_screen.version(pk)
    etag = f'"{version}"'
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(live.public_state(pk, version))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@login_not_required
def stream(request: HttpRequest, pk: int) -> HttpResponse:
    """The address of the room's server-sent events. The events themselves are served under an ASGI
    server by room/stream.py, in front of Django (chuyende/asgi.py); a request that reaches this view
    came through a WSGI server, which would hold a worker for as long as the phone stays, or the site
    polls: 404 (401 when signed out), and the page polls ``room:state`` instead."""
    if not request.user.is_authenticated:
        return _unauthenticated()
    raise Http404
