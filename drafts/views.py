"""The draft pages: the workspace (versions, approval, who has read), the reading page with comments,
version comparison, the response table. Thin views over drafts.services."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs, pages
from core.audit import history
from core.text import shorten
from core.web import attachment, deny_unless, form_errors, get_visible_or_404, run_service, submit_and_report
from drafts import exports, permissions, selectors, services
from drafts import paper as paper_pack
from drafts.blocks import Block, split_blocks
from drafts.forms import (
    CommentForm,
    EditCommentForm,
    EditorForm,
    PaperCommentForm,
    ResponseForm,
    ReturnForm,
    UploadForm,
    VersionForm,
)
from drafts.models import Comment, Distribution, DraftVersion
from planning.models import Session


def _session(request: HttpRequest, pk: int) -> Session:
    return get_visible_or_404(selectors.draft_sessions(request.user), pk=pk)


def _versions_for(user: Any, session: Session) -> list[DraftVersion]:
    return selectors.visible_versions(user, session)


def _latest_number(session: Session) -> int:
    return session.draft_versions.order_by("-number").values_list("number", flat=True).first() or 0


def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    latest = _latest_number(session)
    can_write = permissions.can(request.user, "draft.write", session) and session.status in services.WRITABLE
    sees_all = permissions.sees_unapproved(request.user, session)
    context: dict[str, Any] = {
        "session": session,
        "sees_all": sees_all,
        "versions": _versions_for(request.user, session),
        "latest": latest,
        # Approval rounds and their remarks are between the presenter and the approvers.
        "reviews": list(session.reviews.select_related("version", "decided_by").order_by("-submitted_at"))
        if sees_all
        else [],
        "distribution": Distribution.objects.filter(session=session).select_related("version").first(),
        "can_write": can_write,
        "can_submit": permissions.can(request.user, "draft.submit", session)
        and session.status in (Session.Status.DRAFTING, Session.Status.RETURNED),
        "can_submit_final": _final_to_submit(request.user, session) is not None,
        "can_approve": permissions.can(request.user, "draft.approve", session)
        and session.status in (Session.Status.SUBMITTED, Session.Status.FINAL_SUBMITTED),
        "final_stage": session.status == Session.Status.FINAL_SUBMITTED,
        "can_track": permissions.can(request.user, "draft.track", session),
        "can_paper": permissions.can(request.user, "draft.paper", session),
        "is_presenter": permissions.is_presenter(request.user, session),
        "unanswered": services.unanswered_comments(session),
        "history": history(session) if sees_all else [],
    }
    if can_write:
        context["upload_form"] = UploadForm(initial={"expected_version": latest})
        context["editor_form"] = EditorForm(initial={"expected_version": latest})
    if context["can_approve"]:
        context["approve_form"] = VersionForm(initial={"expected_version": latest})
        # The same count the service reports after sending (exempted members only if ticked).
        context["readers"] = len(services.recipients_of(session, include_exempted=False))
        context["return_form"] = ReturnForm(initial={"expected_version": latest})
    if context["can_track"]:
        context["progress"] = services.progress(session)
    return render(request, "drafts/workspace.html", context)


@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "draft.write", session)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        version = run_service(
            form,
            lambda: services.add_version(
                actor=request.user,
                session=session,
                upload=(uploaded.name, uploaded.read()),
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
        if version is not None:
            messages.success(request, _("Version %(number)s was saved.") % {"number": version.number})
            if version.stage == DraftVersion.Stage.FINAL and services.unanswered_comments(session):
                # The final text goes with the responses: answering them is what is left to do.
                return redirect("drafts:responses", session.pk)
            return redirect("drafts:workspace", session.pk)
    messages.error(request, form_errors(form))
    return redirect("drafts:workspace", session.pk)


def write(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "draft.write", session)
    form = EditorForm(request.POST or None, initial={"expected_version": _latest_number(session)})
    if request.method == "POST" and form.is_valid():
        version = run_service(
            form,
            lambda: services.add_version(
                actor=request.user,
                session=session,
                text=form.cleaned_data["text"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
        if version is not None:
            messages.success(request, _("Version %(number)s was saved.") % {"number": version.number})
            return redirect("drafts:workspace", session.pk)
    return render(
        request,
        "drafts/write.html",
        {"session": session, "form": form, "versions": _versions_for(request.user, session)},
    )


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "draft.submit", session)
    submit_and_report(
        request,
        VersionForm(request.POST),
        lambda data: services.submit_draft(
            actor=request.user, session=session, expected_version=data["expected_version"]
        ),
        _("The draft was sent for approval."),
    )
    return redirect("drafts:workspace", session.pk)


@require_POST
def submit_final(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "draft.submit", session)
    submit_and_report(
        request,
        VersionForm(request.POST),
        lambda data: services.submit_final(
            actor=request.user, session=session, expected_version=data["expected_version"]
        ),
        _("The final text was sent for approval."),
    )
    return redirect("drafts:workspace", session.pk)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "draft.approve", session)
    form = VersionForm(request.POST)
    if session.status == Session.Status.FINAL_SUBMITTED:
        # After the meeting: the chi ủy (or the secretary) approves the final text.
        submit_and_report(
            request,
            form,
            lambda data: services.approve_final(
                actor=request.user, session=session, expected_version=data["expected_version"]
            ),
            _("The final text is approved. The resolution can now be issued."),
        )
        return redirect("drafts:workspace", session.pk)
    result = None
    if form.is_valid():
        result = run_service(
            form,
            lambda: services.approve_draft(
                actor=request.user,
                session=session,
                expected_version=form.cleaned_data["expected_version"],
                include_exempted=form.cleaned_data["include_exempted"],
            ),
        )
    if result is None:
        messages.error(request, form_errors(form))
    else:
        messages.success(
            request,
            _("Approved and sent to %(count)s members for study.") % {"count": result.recipients},
        )
        if result.late:
            messages.warning(
                request,
                _("The draft reached the members later than the rule set allows before the meeting."),
            )
    return redirect("drafts:workspace", session.pk)


@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "draft.return", session)
    final = session.status == Session.Status.FINAL_SUBMITTED
    service = services.return_final if final else services.return_draft
    submit_and_report(
        request,
        ReturnForm(request.POST),
        lambda data: service(
            actor=request.user,
            session=session,
            remarks=data["remarks"],
            expected_version=data["expected_version"],
        ),
        _("The final text was returned to the presenter.")
        if final
        else _("The draft was returned to the presenter."),
    )
    return redirect("drafts:workspace", session.pk)


@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "draft.track", session)
    form = VersionForm(request.POST)
    count = run_service(form, lambda: services.send_reminder(actor=request.user, session=session))
    if count is None:
        messages.error(request, form_errors(form))
    else:
        messages.success(request, _("Reminder sent to %(count)s members.") % {"count": count})
    return redirect("drafts:workspace", session.pk)


# --- Reading and comments --------------------------------------------------------------------


def _pick_version(
    request: HttpRequest, session: Session, versions: list[DraftVersion] | None = None
) -> DraftVersion:
    versions = _versions_for(request.user, session) if versions is None else versions
    version = selectors.pick_version(versions, request.GET.get("v"))
    if version is None:
        raise Http404
    return version


def read(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    versions = _versions_for(request.user, session)
    version = _pick_version(request, session, versions)
    member = permissions.member_of(request.user)
    # Before the key: a first open bumps the cell's token.
    services.record_reading(user=request.user, member=member, session=session, version=version)
    # The draft, its comments, replies, answers and distribution are the session's cell's.
    return pages.render(
        request,
        "drafts/read.html",
        [f"cell:{session.cell_id}"],
        lambda: _read_context(request, session, versions, version, member),
    )


def _read_context(
    request: HttpRequest, session: Session, versions: list[DraftVersion], version: DraftVersion, member: Any
) -> dict[str, Any]:
    sitting = selectors.placed_comments(session, version)
    by_anchor, unmatched = sitting.by_anchor, sitting.unmatched
    if version.kind == DraftVersion.Kind.PDF:
        blocks = [Block(f"page-{n}", "", {f"page-{n}"}) for n in range(1, (version.pages or 0) + 1)]
    else:
        blocks = split_blocks(version.html)
    placed = {anchor for block in blocks for anchor in block.anchors}
    # A comment on an anchor no block shows (should not happen) still appears with the whole-draft ones.
    whole = by_anchor.get("", []) + [c for a, cs in by_anchor.items() if a and a not in placed for c in cs]
    distribution = Distribution.objects.filter(session=session).first()
    if distribution is not None:
        distribution.session = session  # its deadline is read from the session's cell, loaded above
    can_comment = (
        permissions.can(request.user, "comment.add", session)
        and session.status in services.COMMENTABLE
        and version.approved_at is not None
    )
    context = {
        "session": session,
        "version": version,
        "versions": versions,
        "blocks": [
            (block.anchor, block.html, [c for a in sorted(block.anchors) for c in by_anchor.get(a, [])])
            for block in blocks
        ],
        "whole": whole,
        "unmatched": unmatched,
        "distribution": distribution,
        "can_comment": can_comment,
        "me": member,
        "past_deadline": distribution is not None and services.comments_closed(session),
        "is_presenter": permissions.is_presenter(request.user, session),
        # Every reply form and comment form posts here: reversed once, not once per comment and block.
        "comment_add_url": reverse("drafts:comment_add", args=[session.pk]),
    }
    return context


def version_file(request: HttpRequest, pk: int, number: int) -> FileResponse:
    session = _session(request, pk)
    version = next((v for v in _versions_for(request.user, session) if v.number == number), None)
    if version is None or not version.file:
        raise Http404
    inline = version.kind == DraftVersion.Kind.PDF and request.GET.get("xem") == "1"
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=not inline,
        filename=version.original_name or version.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf" if version.kind == DraftVersion.Kind.PDF else None,
    )
    # A PDF shown in the browser runs in a sandbox: no script, no forms, nothing it can reach.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    deny_unless(request.user, "comment.add", session)
    form = CommentForm(request.POST)
    anchor = ""
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(session=session, pk=form.cleaned_data["parent"]).first()
            if parent is None:
                raise Http404
        anchor = form.cleaned_data["anchor"] or (parent.current_anchor if parent else "")
        done = run_service(
            form,
            lambda: services.add_comment(
                actor=request.user,
                session=session,
                body=form.cleaned_data["body"],
                anchor=anchor,
                parent=parent,
                client_id=form.cleaned_data["client_id"],
            ),
        )
        if done is not None:
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"ok": True, **_comment_html(request, session, done)})
            messages.success(request, _("Your comment was saved."))
            # Landing on the comment itself opens the comment box around it.
            return redirect(f"{reverse('drafts:read', args=[session.pk])}#c{done.pk}")
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"ok": False, "error": form_errors(form)}, status=400)
    messages.error(request, form_errors(form))
    return redirect(f"{reverse('drafts:read', args=[session.pk])}#{anchor or 'toan-van'}")


def _comment_html(request: HttpRequest, session: Session, comment: Comment) -> dict[str, str]:
    """The comment as the reading page shows it (a reply: its thread), for the page's script
    (static/chuyende/comments.js), which puts it where the comment was waiting to be sent."""
    shown = comment.parent or comment
    html = render_to_string(
        "drafts/_comment.html",
        {
            "c": shown,
            "session": session,
            "comment_add_url": reverse("drafts:comment_add", args=[session.pk]),
            "can_comment": True,
            "me": comment.author,
            "past_deadline": services.comments_closed(session),
        },
        request=request,
    )
    return {"id": f"c{shown.pk}", "html": html}


def _comment(request: HttpRequest, pk: int) -> Comment:
    return get_visible_or_404(selectors.readable_comments(request.user), pk=pk)


def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    deny_unless(request.user, "comment.edit", comment)
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.edit_comment(
                actor=request.user, comment=comment, body=form.cleaned_data["body"]
            ),
        )
        if done is not None:
            messages.success(request, _("Your comment was saved."))
            return redirect(f"{reverse('drafts:read', args=[comment.session_id])}#c{comment.pk}")
    return render(request, "drafts/comment_edit.html", {"form": form, "comment": comment})


@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    deny_unless(request.user, "comment.delete", comment)
    submit_and_report(
        request,
        VersionForm(request.POST),
        lambda data: services.delete_comment(actor=request.user, comment=comment),
        _("The comment was deleted."),
    )
    return redirect(f"{reverse('drafts:read', args=[comment.session_id])}#c{comment.pk}")


# --- Responses and comparison ----------------------------------------------------------------


def responses(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    comments = list(
        Comment.objects.filter(session=session, parent=None, deleted_at=None)
        .select_related("author", "response")
        .order_by("created_at", "id")
    )
    can_respond = permissions.can(request.user, "comment.respond", session)
    quotes = selectors.quoted_paragraphs(comments)
    rows = []
    for comment in comments:
        response = getattr(comment, "response", None)
        initial = {"decision": response.decision, "explanation": response.explanation} if response else {}
        form = ResponseForm(initial=initial, prefix=f"c{comment.pk}") if can_respond else None
        rows.append((comment, form, quotes.get(comment.pk, "")))
    final = _final_to_submit(request.user, session)
    context = {
        "session": session,
        "rows": rows,
        "can_respond": can_respond,
        "unanswered": sum(1 for c in comments if not hasattr(c, "response")),
        "versions": _versions_for(request.user, session),
        # Once every comment is answered, the final text is submitted from here too (one tap less).
        "final": final,
    }
    return render(request, "drafts/responses.html", context)


@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    deny_unless(request.user, "comment.respond", comment.session)
    form = ResponseForm(request.POST, prefix=f"c{comment.pk}")
    submit_and_report(
        request,
        form,
        lambda data: services.respond(
            actor=request.user, comment=comment, decision=data["decision"], explanation=data["explanation"]
        ),
        _("The response was saved."),
    )
    # The last answer, with the final text uploaded: on to submitting it.
    session = comment.session
    last = not services.unanswered_comments(session) and _final_to_submit(request.user, session)
    anchor = "submit-final" if last else f"c{comment.pk}"
    return redirect(f"{reverse('drafts:responses', args=[comment.session_id])}#{anchor}")


def _final_to_submit(user: Any, session: Session) -> DraftVersion | None:
    """The final text ``user`` may submit now (after the meeting, uploaded, theirs to submit), or None."""
    if session.status != Session.Status.REVISING or not permissions.can(user, "draft.submit", session):
        return None
    return services.latest_version(session, DraftVersion.Stage.FINAL)


def responses_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    session = _session(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    return attachment(*exports.export_responses(session, fmt))


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    versions = {v.number: v for v in _versions_for(request.user, session)}
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        raise Http404 from None
    pair = selectors.compared_pair(list(versions.values()), a, b)
    if pair is None:
        raise Http404
    a, b = pair[0].number, pair[1].number
    from drafts.textdiff import diff_versions

    rows = diff_versions(versions[a].paragraphs, versions[b].paragraphs)
    return render(
        request,
        "drafts/compare.html",
        {
            "session": session,
            "a": versions[a],
            "b": versions[b],
            "rows": rows,
            "numbers": sorted(versions),
            "versions": list(versions.values()),
        },
    )


# --- Paper: printed packs and comments handed in on paper -------------------------------------


def _distributed(request: HttpRequest, pk: int) -> tuple[Session, DraftVersion]:
    """The session and the version its members were sent; 404 before the draft is sent."""
    session = _session(request, pk)
    version = services.distributed_version(session)
    if version is None:
        raise Http404
    return session, version


def _paragraph_choices(version: DraftVersion) -> list[tuple[str, str]]:
    choices = []
    for paragraph in version.paragraphs:
        anchor = str(paragraph.get("anchor", ""))
        number = anchor.rsplit("-", 1)[-1]
        label = (
            _("Page %(n)s") % {"n": number}
            if anchor.startswith("page-")
            else _("Paragraph %(n)s") % {"n": number}
        )
        text = shorten(str(paragraph.get("text", "")), 60)
        choices.append((anchor, f"{label}: {text}" if text else label))
    return choices


def paper(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's page for the members who read on paper: each member's printed pack, the whole
    cell's, and the form that records a comment handed in on paper."""
    session, version = _distributed(request, pk)
    deny_unless(request.user, "draft.paper", session)
    members = services.paper_recipients(session)
    form = PaperCommentForm(
        request.POST or None,
        members=members,
        paragraphs=_paragraph_choices(version),
        initial={"handed_in_on": timezone.localdate(), "client_id": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next((m for m in members if m.pk == form.cleaned_data["member"]), None)
        if chosen is None:  # the choices are the recipients; a forged value is refused by the form
            raise Http404
        done = run_service(
            form,
            lambda: services.add_paper_comment(
                actor=request.user,
                session=session,
                member=chosen,
                body=form.cleaned_data["body"],
                anchor=form.cleaned_data["anchor"],
                handed_in_on=form.cleaned_data["handed_in_on"],
                client_id=form.cleaned_data["client_id"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("The comment of %(name)s handed in on paper was recorded.") % {"name": chosen.full_name},
            )
            return redirect(f"{reverse('drafts:paper', args=[session.pk])}#c{done.pk}")
    recorded = list(
        Comment.objects.filter(session=session, on_paper=True, deleted_at=None)
        .select_related("author", "recorded_by")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "drafts/paper.html",
        {
            "session": session,
            "version": version,
            "members": members,
            "form": form,
            "recorded": recorded,
            "open": session.status in services.COMMENTABLE,
        },
    )


def pack(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """One member's printed pack (PDF): for the secretaries, and for the member themselves."""
    session, version = _distributed(request, pk)
    member = next((m for m in services.paper_recipients(session) if m.pk == member_pk), None)
    if member is None:
        raise Http404
    me = permissions.member_of(request.user)
    if not (me is not None and me.pk == member.pk):
        deny_unless(request.user, "draft.paper", session)
    pdf = paper_pack.pack_pdf(session, version, [member], user=request.user)
    return attachment(pdf, "application/pdf", paper_pack.file_name(session, member))


@require_POST
def pack_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Every member's pack in one PDF, made in the background (60 members take longer than a page may
    wait); the job's page offers the download when it is ready."""
    from drafts.jobs import PAPER_PACK

    session, _version = _distributed(request, pk)
    deny_unless(request.user, "draft.paper", session)
    job = jobs.start(
        actor=request.user,
        kind=PAPER_PACK,
        title=_("Printed packs for the whole cell · %(title)s") % {"title": session.title},
        params={"session": session.pk},
    )
    return redirect("core:job", job.pk)
