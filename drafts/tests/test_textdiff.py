"""Comparing versions: a readable word-level difference, and comments that follow their paragraph."""

from drafts.textdiff import diff_versions, match_anchors, word_diff


def paragraphs(*texts: str) -> list[dict[str, str]]:
    return [{"anchor": f"p-{n}", "text": text} for n, text in enumerate(texts, start=1)]


HOP = "Chi bộ họp thường kỳ vào ngày 5 hằng tháng để đánh giá việc thực hiện nhiệm vụ."
HOC = "Mỗi đảng viên phải học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
GIANG = "Giảng viên gắn nội dung chuyên đề với việc nâng cao chất lượng giảng dạy cho học viên."
BO = "Đoạn này nói về một việc khác hẳn và sẽ bị bỏ đi trong bản sau."


# --- Word-level differences -----------------------------------------------------------------------


def test_unchanged_text_shows_no_insertion_or_deletion():
    html = word_diff(HOP, HOP)

    assert html == f"<p>{HOP}</p>"


def test_a_changed_word_is_struck_then_inserted():
    html = word_diff("Chi bộ đã họp vào ngày 5.", "Chi bộ sẽ họp vào ngày 5.")

    assert html == "<p>Chi bộ <del>đã</del><ins>sẽ</ins> họp vào ngày 5.</p>"


def test_added_and_removed_words_stand_alone():
    assert word_diff("học tập và làm theo", "học tập làm theo") == "<p>học tập <del>và</del> làm theo</p>"
    assert word_diff("học tập", "học tập suốt đời") == "<p>học tập <ins>suốt đời</ins></p>"


def test_a_changed_accent_is_a_change():
    assert word_diff("hòa bình", "hoà bình") == "<p><del>hòa</del><ins>hoà</ins> bình</p>"


def test_html_in_the_text_is_escaped():
    assert word_diff("cũ", "<script>alert(1)</script>") == (
        "<p><del>cũ</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins></p>"
    )
    assert word_diff('<b>cũ</b> & "x"', '<b>mới</b> & "x"') == (
        "<p>&lt;b&gt;<del>cũ</del><ins>mới</ins>&lt;/b&gt; &amp; &quot;x&quot;</p>"
    )


def test_punctuation_is_compared_on_its_own():
    assert (
        word_diff("học tập và làm theo", "học tập, làm theo")
        == "<p>học tập <del>và</del><ins>,</ins> làm theo</p>"
    )


def test_paragraph_breaks_become_paragraphs():
    html = word_diff("Dòng một.\nDòng hai.", "Dòng một.\nDòng hai đã sửa.")

    assert html == "<p>Dòng một.</p><p>Dòng hai <ins>đã sửa</ins>.</p>"


def test_an_added_or_removed_paragraph_break_is_marked():
    assert word_diff("Một. Hai.", "Một.\nHai.") == "<p>Một. <ins>¶</ins></p><p>Hai.</p>"
    assert word_diff("Một.\nHai.", "Một. Hai.") == "<p>Một. <del>¶</del> Hai.</p>"


def test_a_whole_text_added_or_removed_keeps_its_paragraphs():
    assert word_diff("", "Một.\nHai.") == "<p><ins>Một.</ins></p><p><ins>Hai.</ins></p>"
    assert word_diff("Một.\nHai.", "") == "<p><del>Một.</del></p><p><del>Hai.</del></p>"
    assert word_diff("Một.", " \n ") == "<p><del>Một.</del></p>"
    assert word_diff("", "") == ""


def test_text_is_compared_precomposed():
    decomposed = "Nghi\u0323 quyê\u0301t"

    assert word_diff(decomposed, "Nghị quyết") == "<p>Nghị quyết</p>"


# --- Keeping comments attached --------------------------------------------------------------------


def test_unchanged_paragraphs_keep_their_anchor():
    old = paragraphs(HOP, HOC, GIANG)

    assert match_anchors(old, old) == {"p-1": "p-1", "p-2": "p-2", "p-3": "p-3"}


def test_a_moved_paragraph_keeps_its_comments():
    old = paragraphs(HOP, HOC, GIANG)
    new = paragraphs(HOC, GIANG, HOP)

    assert match_anchors(old, new) == {"p-1": "p-3", "p-2": "p-1", "p-3": "p-2"}


def test_a_slightly_reworded_paragraph_keeps_its_comments():
    reworded = "Mỗi đảng viên cần học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
    old = paragraphs(HOP, HOC)
    new = paragraphs("Lời mở đầu hoàn toàn mới.", HOP, reworded)

    assert match_anchors(old, new) == {"p-1": "p-2", "p-2": "p-3"}


def test_retyped_accents_and_punctuation_do_not_detach_a_comment():
    old = paragraphs("Văn hóa Hồ Chí Minh về học tập")
    new = paragraphs("VĂN HOÁ HỒ CHÍ MINH VỀ HỌC TẬP!")

    assert match_anchors(old, new) == {"p-1": "p-1"}


def test_a_deleted_paragraph_has_no_new_anchor():
    old = paragraphs(HOP, BO, HOC)
    new = paragraphs(HOP, HOC)

    assert match_anchors(old, new) == {"p-1": "p-1", "p-2": None, "p-3": "p-2"}


def test_a_rewritten_paragraph_below_the_threshold_has_no_new_anchor():
    old = paragraphs(HOC)
    new = paragraphs("Đảng viên tự nghiên cứu văn kiện và liên hệ bản thân trong công tác.")

    assert match_anchors(old, new) == {"p-1": None}
    assert match_anchors(old, new, threshold=0.0) == {"p-1": "p-1"}


def test_a_split_paragraph_goes_to_the_bigger_half():
    first = "Chi bộ họp thường kỳ vào ngày 5 hằng tháng để đánh giá việc thực hiện nhiệm vụ của Khoa"
    second = "và phân công đảng viên."
    old = paragraphs(f"{first} {second}")
    new = paragraphs(second, first)

    assert match_anchors(old, new) == {"p-1": "p-2"}


def test_on_equal_similarity_the_same_position_wins():
    old = paragraphs("Thống nhất.", "Thống nhất.", "Thống nhất.")
    new = paragraphs("Thống nhất.", "Thống nhất.", "Thống nhất.")

    assert match_anchors(old, new) == {"p-1": "p-1", "p-2": "p-2", "p-3": "p-3"}


def test_each_new_paragraph_takes_one_old_one_while_others_remain():
    old = paragraphs(HOP, HOP)
    new = paragraphs(HOP, HOC, HOP)

    assert match_anchors(old, new) == {"p-1": "p-1", "p-2": "p-3"}


def test_merged_paragraphs_both_keep_their_comments():
    short_a = "Chi bộ họp thường kỳ vào ngày 5 hằng tháng"
    short_b = "để đánh giá việc thực hiện nhiệm vụ"
    old = paragraphs(short_a, short_b)
    new = paragraphs(f"{short_a} {short_b}")

    assert match_anchors(old, new) == {"p-1": "p-1", "p-2": "p-1"}


def test_pdf_pages_are_matched_the_same_way():
    old = [{"anchor": "page-1", "text": HOP}, {"anchor": "page-2", "text": HOC}]
    new = [{"anchor": "page-1", "text": HOC}, {"anchor": "page-2", "text": HOP}]

    assert match_anchors(old, new) == {"page-1": "page-2", "page-2": "page-1"}


# --- Comparing versions ---------------------------------------------------------------------------


def test_versions_are_compared_paragraph_by_paragraph_in_the_new_order():
    old = paragraphs(HOP, BO, HOC)
    new = paragraphs(HOC.replace("phải", "cần"), HOP, GIANG)

    assert diff_versions(old, new) == [
        # Removed, before the paragraph that followed it (which moved to the top).
        {"anchor_old": "p-2", "anchor_new": None, "status": "removed", "html": f"<p><del>{BO}</del></p>"},
        {
            "anchor_old": "p-3",
            "anchor_new": "p-1",
            "status": "changed",
            "html": "<p>Mỗi đảng viên <del>phải</del><ins>cần</ins> học tập và làm theo tư tưởng, đạo đức, "
            "phong cách Hồ Chí Minh.</p>",
        },
        {"anchor_old": "p-1", "anchor_new": "p-2", "status": "unchanged", "html": f"<p>{HOP}</p>"},
        {"anchor_old": None, "anchor_new": "p-3", "status": "added", "html": f"<p><ins>{GIANG}</ins></p>"},
    ]


def test_a_removed_paragraph_is_shown_where_it_stood():
    old = paragraphs(HOP, BO, HOC)
    new = paragraphs(HOP, HOC)

    assert [(d["anchor_old"], d["anchor_new"], d["status"]) for d in diff_versions(old, new)] == [
        ("p-1", "p-1", "unchanged"),
        ("p-2", None, "removed"),
        ("p-3", "p-2", "unchanged"),
    ]


def test_merged_paragraphs_compare_with_the_first_and_show_the_rest_removed():
    short_a = "Chi bộ họp thường kỳ vào ngày 5 hằng tháng"
    short_b = "để đánh giá việc thực hiện nhiệm vụ"
    old = paragraphs(short_a, short_b)
    new = paragraphs(f"{short_a} {short_b}")

    result = diff_versions(old, new)

    assert [(d["anchor_old"], d["anchor_new"], d["status"]) for d in result] == [
        ("p-1", "p-1", "changed"),
        ("p-2", None, "removed"),
    ]
    assert result[0]["html"] == f"<p>{short_a} <ins>{short_b}</ins></p>"


def test_comparing_a_version_with_itself_shows_nothing_changed():
    old = paragraphs(HOP, HOC, GIANG)

    result = diff_versions(old, old)

    assert {d["status"] for d in result} == {"unchanged"}
    assert not any("<ins>" in d["html"] or "<del>" in d["html"] for d in result)
