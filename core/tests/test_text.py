"""Shortening a title or a quotation: at a word boundary, never inside a Vietnamese word."""

from django.template import Context, Template

from core.text import shorten

TITLE = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng"


def test_a_short_text_is_kept_whole_on_one_line():
    assert shorten("Văn hóa  Hồ Chí\nMinh", 40) == "Văn hóa Hồ Chí Minh"


def test_a_long_text_ends_on_a_whole_word_within_the_limit():
    for limit in range(8, len(TITLE)):
        short = shorten(TITLE, limit)
        assert len(short) <= limit and short.endswith("…")
        kept = short[:-1].split()
        whole = [word.rstrip(",") for word in TITLE.split()[: len(kept)]]
        assert [word.rstrip(",") for word in kept] == whole, short  # whole words only, none cut
    assert shorten(TITLE, 30) == "Học tập và làm theo tư tưởng…"  # "tư tưởng," without its comma


def test_one_word_longer_than_the_limit_is_the_only_cut_inside_a_word():
    assert shorten("Nghịquyếtsốmười", 8) == "Nghịquy…"


def test_the_template_filter_cuts_the_same_way():
    rendered = Template("{% load chuyende %}{{ title|shorten:30 }}").render(Context({"title": TITLE}))
    assert rendered == "Học tập và làm theo tư tưởng…"
