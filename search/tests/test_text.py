"""Queries and snippets: folding diacritics and case, cutting long queries, showing the text as written."""

from search.selectors import MAX_QUERY_LENGTH, MAX_WORDS, parse_query, snippet
from search.services import folded


def marked(pieces: list[tuple[str, bool]]) -> list[str]:
    return [piece for piece, hit in pieces if hit]


def test_the_index_folds_diacritics_case_and_punctuation():
    assert folded("Văn hóa Hồ Chí Minh") == " van hoa ho chi minh"
    assert folded("ĐẢNG ỦY, Đảng bộ!") == " dang uy dang bo"
    assert folded("Nghị quyết 01-NQ/CB") == " nghi quyet 01 nq cb"


def test_a_query_is_folded_the_same_way_with_or_without_diacritics():
    assert parse_query("van hoa ho chi minh").words == ("van", "hoa", "ho", "chi", "minh")
    assert parse_query("  VĂN   HÓA ").words == ("van", "hoa")
    assert parse_query("VĂN   HÓA").text == "VĂN HÓA"
    assert parse_query("đảng").words == parse_query("dang").words == parse_query("ĐẢNG").words == ("dang",)


def test_decomposed_input_folds_like_precomposed():
    decomposed = "Ho\u0302\u0300 Chi\u0301 Minh"  # "Hồ Chí Minh" typed with combining marks
    assert parse_query(decomposed).words == ("ho", "chi", "minh")


def test_repeated_words_count_once_and_punctuation_alone_has_no_word():
    assert parse_query("đảng Đảng dang").words == ("dang",)
    query = parse_query("?!… --")
    assert query.text == "?!… --" and query.words == ()
    assert parse_query("").words == ()


def test_a_very_long_query_is_cut_and_says_so():
    query = parse_query("văn hóa " * 500)
    assert len(query.text) <= MAX_QUERY_LENGTH and query.truncated
    many = parse_query(" ".join(f"tu{n}" for n in range(30)))
    assert len(many.words) == MAX_WORDS and many.truncated
    assert not parse_query("văn hóa").truncated


def test_the_snippet_shows_the_text_as_written_around_the_first_match():
    text = ("Mở đầu. " * 60) + "Học tập suốt đời theo Văn hóa Hồ Chí Minh, học ở mọi nơi." + (" Kết." * 60)
    pieces = snippet(text, ("van", "hoa", "ho", "chi", "minh"))
    joined = "".join(piece for piece, _hit in pieces)
    assert "Văn hóa Hồ Chí Minh" in joined
    assert joined.startswith("… ") and joined.endswith(" …")
    assert len(joined) < 230
    assert {"Văn", "hóa", "Hồ", "Chí", "Minh"} <= set(marked(pieces))


def test_words_are_marked_where_a_word_of_the_text_begins_with_them():
    pieces = snippet("Học tập, nhỏ mà hồ hởi: Hồ Chí Minh.", ("ho",))
    assert marked(pieces) == ["Họ", "hồ", "hở", "Hồ"]


def test_the_snippet_finds_d_under_dj():
    pieces = snippet("Công tác xây dựng Đảng trong nhà trường.", ("dang",))
    assert marked(pieces) == ["Đảng"]


def test_the_snippet_of_decomposed_text_marks_whole_letters():
    pieces = snippet("Tư tưởng Ho\u0302\u0300 Chi\u0301 Minh", ("ho",))
    assert marked(pieces) == ["Ho\u0302\u0300"]


def test_without_a_match_in_the_text_the_snippet_is_its_beginning():
    pieces = snippet("Chi bộ thống nhất nội dung.\n\nGiao nhiệm vụ.", ("khong", "co"))
    assert pieces == [("Chi bộ thống nhất nội dung. Giao nhiệm vụ.", False)]
    assert snippet("", ("dang",)) == []
