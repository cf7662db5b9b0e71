"""The rule sets shipped with the application, seeded after every migrate (and test-database flush).

Seeding on ``post_migrate`` is how Django itself keeps reference rows (content types, permissions)
present; a data migration would run once and be lost when a test flushes the tables. Seeding only
creates what is missing: a rule set edited in the back office keeps its values, and a parameter added
by a later version is added to an existing set without touching the others.
"""

from datetime import date
from typing import Any

HD12_HD42: dict[str, Any] = {
    "code": "hd12-hd42",
    "name": "HD 12 (2018) / HD 42 (2025)",
    "legal_basis": (
        "Điều lệ Đảng; Hướng dẫn 12-HD/BTCTW (2018) về sinh hoạt chi bộ; Hướng dẫn 42-HD/BTCTW (2025); "
        "Quy định 366-QĐ/TW và Hướng dẫn 43-HD/BTCTW (2025) về kiểm điểm, đánh giá, xếp loại."
    ),
    "effective_date": date(2025, 1, 1),
    "params": {
        # Điều lệ Đảng art. 24: a cell elects a committee (chi ủy) from 9 full members.
        "committee_min_full_members": 9,
        # HD 12 / HD 42: at least one thematic session per quarter.
        "min_thematic_sessions_per_quarter": 1,
        # HD 42 (2025): meeting documents reach members at least 1 day before.
        "distribution_min_days_before": 1,
        # Counted back from the session date [design defaults; HD 42 fixes only the 1-day minimum].
        "draft_due_days_before": 10,
        "approval_due_days_before": 5,
        # Members may comment until the meeting day (the draft arrives at least 1 day before).
        "comments_due_days_before": 0,
        "comment_reminder_days_before": 2,
        # Plan checks: two thematic sessions closer than this are flagged [design].
        "min_days_between_sessions": 14,
        # HD 12 §3.3, HD 42: minimum meeting duration.
        "min_duration_minutes": 90,
        "min_duration_combined_minutes": 120,
        # HD 12 framework criteria.
        "attendance_min_percent": 85,
        "max_consecutive_absences": 3,
        # Điều lệ art. 8: 3 months of unexcused absence in a year.
        "unexcused_absence_months_alert": 3,
        # QĐ 366 / HD 43 (2025): year-end review.
        "review_excellent_min_points": 90,
        "review_good_min_points": 70,
        "review_complete_min_points": 50,
        "review_excellent_cap_percent": 20,
        "review_min_months_since_admission": 6,
        # HD 12 framework criteria, scored on the example 100-point scale of Bình Thuận (docs/domain.md §3):
        # Tốt ≥ 90 with full marks on attendance, duration, participation and minutes.
        "quality_rubric": {
            "criteria": [
                {
                    "code": "attendance",
                    "label": "Đảng viên dự họp trên 85%, không có ai vắng không lý do",
                    "points": 20,
                    "must_be_full": True,
                },
                {
                    "code": "preparation",
                    "label": "Nội dung được bí thư, phó bí thư chuẩn bị; chi ủy họp trước",
                    "points": 15,
                    "must_be_full": False,
                },
                {
                    "code": "procedure",
                    "label": "Đúng giờ, đúng trình tự sinh hoạt",
                    "points": 15,
                    "must_be_full": False,
                },
                {
                    "code": "duration",
                    "label": "Thời gian sinh hoạt đủ theo quy định",
                    "points": 10,
                    "must_be_full": True,
                },
                {
                    "code": "participation",
                    "label": "Nhiều đảng viên phát biểu, thảo luận dân chủ",
                    "points": 20,
                    "must_be_full": True,
                },
                {
                    "code": "conclusion",
                    "label": "Kết luận, nghị quyết rõ ràng, khả thi",
                    "points": 10,
                    "must_be_full": False,
                },
                {
                    "code": "minutes",
                    "label": "Biên bản ghi đầy đủ, đúng thể thức",
                    "points": 10,
                    "must_be_full": True,
                },
            ],
            "levels": [
                {"code": "tot", "label": "Tốt", "min_points": 90, "requires_full": True},
                {"code": "kha", "label": "Khá", "min_points": 70},
                {"code": "trung_binh", "label": "Trung bình", "min_points": 50},
                {"code": "kem", "label": "Kém", "min_points": 0},
            ],
        },
    },
}

RULE_SETS = (HD12_HD42,)


def seed_rule_sets(**kwargs: Any) -> None:
    """Create the shipped rule sets that are missing, and add parameters they lack."""
    from core.models import RuleSet

    for spec in RULE_SETS:
        rule_set, created = RuleSet.objects.get_or_create(
            code=spec["code"],
            defaults={key: value for key, value in spec.items() if key != "code"},
        )
        if not created:
            missing = {k: v for k, v in spec["params"].items() if k not in rule_set.params}
            if missing:
                rule_set.params = {**rule_set.params, **missing}
                rule_set.save(update_fields=["params"])
