"""The planning rules on constructed cases: deadlines, plan warnings, presenter suggestions."""

from datetime import date

from django.utils import translation

from planning.rules import (
    Candidate,
    PlannedSession,
    deadlines,
    matching_strengths,
    plan_warnings,
    suggest_presenters,
)

PARAMS = {
    "draft_due_days_before": 10,
    "approval_due_days_before": 5,
    "distribution_min_days_before": 1,
    "comments_due_days_before": 1,
    "min_thematic_sessions_per_quarter": 1,
    "min_days_between_sessions": 14,
}
TODAY = date(2024, 1, 10)
HCM = "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc"


def session(pk, quarter, day=None, presenters=(), cancelled=False):
    return PlannedSession(pk, f"Chuyên đề {pk}", quarter, day, tuple(presenters), cancelled)


def codes(warnings):
    return [w.code for w in warnings]


def test_deadlines_are_counted_back_from_the_session_date():
    result = {d.code: d.due for d in deadlines(date(2024, 3, 6), PARAMS)}
    assert result == {
        "draft": date(2024, 2, 25),
        "approval": date(2024, 3, 1),
        "distribution": date(2024, 3, 5),
        "comments": date(2024, 3, 5),
    }
    assert deadlines(None, PARAMS) == []


def test_a_full_and_balanced_plan_has_no_warning():
    sessions = [
        session(1, 1, date(2024, 3, 6), [1]),
        session(2, 2, date(2024, 5, 8), [2]),
        session(3, 3, date(2024, 8, 7), [3]),
        session(4, 4, date(2024, 11, 6), [1]),
    ]
    members = {1: "An", 2: "Bình", 3: "Chi"}
    assert plan_warnings(sessions, members, {}, PARAMS, TODAY) == []


def test_a_quarter_without_a_thematic_session_is_flagged_and_cancelled_ones_do_not_count():
    sessions = [session(1, 1), session(2, 2), session(3, 3, cancelled=True)]
    warnings = plan_warnings(sessions, {}, {}, PARAMS, TODAY)
    assert codes(warnings) == ["quarter_without_session", "quarter_without_session"]
    with translation.override("en"):
        messages = [w.message for w in plan_warnings(sessions, {}, {}, PARAMS, TODAY)]
    assert messages[0].startswith("Quarter 3 has no thematic session") and messages[1].startswith("Quarter 4")


def test_members_presenting_nothing_while_others_present_twice_are_named():
    sessions = [
        session(1, 1, presenters=[1]),
        session(2, 2, presenters=[1]),
        session(3, 3, presenters=[2]),
        session(4, 4, presenters=[2]),
    ]
    warnings = plan_warnings(sessions, {1: "Lê An", 2: "Trần Bình", 3: "Võ Chi"}, {}, PARAMS, TODAY)
    assert codes(warnings) == ["unbalanced_presenters"]
    assert "Lê An, Trần Bình" in warnings[0].message and "Võ Chi" in warnings[0].message


def test_one_presentation_each_is_not_unbalanced():
    sessions = [session(q, q, presenters=[q]) for q in (1, 2, 3, 4)]
    assert "unbalanced_presenters" not in codes(
        plan_warnings(sessions, {1: "A", 2: "B", 3: "C", 4: "D", 5: "E"}, {}, PARAMS, TODAY)
    )


def test_sessions_closer_than_the_rule_set_allows_are_flagged():
    sessions = [
        session(1, 1, date(2024, 3, 1)),
        session(2, 1, date(2024, 3, 10)),
        session(3, 2, date(2024, 4, 1)),
        session(4, 3),
        session(5, 4),
    ]
    warnings = plan_warnings(sessions, {}, {}, PARAMS, TODAY)
    assert codes(warnings) == ["sessions_too_close"]
    assert "9" in warnings[0].message
    # 14 days apart is fine
    sessions[1] = session(2, 1, date(2024, 3, 15))
    assert plan_warnings(sessions, {}, {}, PARAMS, TODAY) == []


def test_an_exempted_presenter_is_flagged_only_when_exempted_on_the_date():
    sessions = [
        session(1, 1, date(2024, 3, 6), [7]),
        session(2, 2, date(2024, 6, 6), [7]),
        session(3, 3),
        session(4, 4),
    ]
    exempted = {7: [(date(2024, 1, 1), date(2024, 4, 30))]}
    warnings = plan_warnings(sessions, {}, exempted, PARAMS, TODAY)
    assert codes(warnings) == ["exempted_presenter"]
    assert "Chuyên đề 1" in warnings[0].message


def test_strengths_match_topics_by_meaningful_word_pairs_without_diacritics():
    strengths = "Tư tưởng Hồ Chí Minh; văn hóa công vụ. Kế toán"
    assert matching_strengths(strengths, HCM) == ["Tư tưởng Hồ Chí Minh", "văn hóa công vụ"]
    assert matching_strengths("Kế toán tài chính", HCM) == []
    assert matching_strengths("tu tuong ho chi minh", HCM.upper()) == ["tu tuong ho chi minh"]


def candidate(pk, name, strengths="", this_year=0, last_year=0, **kw):
    return Candidate(
        pk,
        name,
        strengths,
        kw.get("probationary", False),
        kw.get("exempted", False),
        this_year,
        last_year,
        kw.get("registered", False),
        kw.get("already_assigned", False),
    )


def test_suggestions_rank_matching_strengths_first_and_explain_why():
    ranked = suggest_presenters(
        HCM,
        [
            candidate(1, "Nguyễn Văn An", "Kế toán"),
            candidate(2, "Trần Thị Bình", "Tư tưởng Hồ Chí Minh"),
        ],
    )
    assert [s.member_id for s in ranked] == [2, 1]
    with translation.override("en"):
        ranked = suggest_presenters(HCM, [candidate(2, "Trần Thị Bình", "Tư tưởng Hồ Chí Minh")])
    assert ranked[0].reasons == [
        "Strengths match the topic: Tư tưởng Hồ Chí Minh",
        "Presents no session this year yet",
    ]


def test_suggestions_share_the_work_across_members():
    ranked = suggest_presenters(
        HCM,
        [
            candidate(1, "Lê An", "Tư tưởng Hồ Chí Minh", this_year=2),
            candidate(2, "Võ Bình", "", this_year=0),
            candidate(3, "Hồ Chi", "", this_year=0, last_year=2),
        ],
    )
    # An matches (+3) but already presents twice (-4): Bình, who presents nothing, comes first;
    # Chi presented twice last year (-2).
    assert [s.member_id for s in ranked] == [2, 1, 3]


def test_a_registration_raises_a_member_and_says_so():
    ranked = suggest_presenters(HCM, [candidate(1, "Lê An"), candidate(2, "Võ Bình", registered=True)])
    assert ranked[0].member_id == 2
    with translation.override("en"):
        assert (
            "Registered for this session or topic"
            in suggest_presenters(HCM, [candidate(2, "Võ Bình", registered=True)])[0].reasons
        )


def test_exempted_and_already_assigned_members_are_not_suggested_but_probationary_ones_are():
    ranked = suggest_presenters(
        HCM,
        [
            candidate(1, "Lê An", exempted=True),
            candidate(2, "Võ Bình", already_assigned=True),
            candidate(3, "Hồ Chi", probationary=True),
        ],
    )
    assert [s.member_id for s in ranked] == [3]
    with translation.override("en"):
        reasons = suggest_presenters(HCM, [candidate(3, "Hồ Chi", probationary=True)])[0].reasons
    assert "Probationary member (may present)" in reasons


def test_ties_are_broken_by_given_name():
    ranked = suggest_presenters(HCM, [candidate(1, "Trần Văn Vinh"), candidate(2, "Lê Thị An")])
    assert [s.name for s in ranked] == ["Lê Thị An", "Trần Văn Vinh"]


def test_function_words_and_generic_pairs_are_not_a_match():
    topic = "Giáo dục truyền thống cách mạng của Đảng bộ tỉnh Thừa Thiên Huế"
    assert matching_strengths("Thể thức và kỹ thuật trình bày văn bản của Đảng", topic) == []
    assert (
        matching_strengths("Công tác chi bộ; công tác đảng viên", "Nâng cao chất lượng sinh hoạt chi bộ")
        == []
    )
    assert matching_strengths("Lịch sử Đảng bộ địa phương; giáo dục truyền thống cách mạng", topic) == [
        "giáo dục truyền thống cách mạng"
    ]
