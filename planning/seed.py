"""Seed data: the eight topic groups of the source article (docs/domain.md §2 step 2).

These are the users' own words, copied into each Đảng bộ's catalogue, where its Đảng ủy may edit
them; they are data, not interface strings, so they are not translated.
"""

TOPIC_GROUPS: list[tuple[str, str]] = [
    (
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Hồ Chí Minh, tư tưởng, đạo đức, phong cách, văn hóa, học tập và làm theo Bác",
    ),
    (
        "Nâng cao trình độ lý luận chính trị, năng lực chuyên môn, nghiệp vụ",
        "lý luận chính trị, chuyên môn, nghiệp vụ, giảng dạy, năng lực, bồi dưỡng",
    ),
    (
        "Quán triệt, thực hiện chỉ thị, nghị quyết của Đảng, pháp luật của Nhà nước",
        "nghị quyết, chỉ thị, pháp luật, nhà nước, quán triệt, triển khai",
    ),
    (
        "Phòng, chống suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”",
        "suy thoái, tự diễn biến, tự chuyển hóa, đạo đức, lối sống, tư tưởng chính trị, đấu tranh phản bác",
    ),
    (
        "Xây dựng, chỉnh đốn Đảng và hệ thống chính trị; phòng, chống tham nhũng, lãng phí",
        "xây dựng Đảng, chỉnh đốn, hệ thống chính trị, tham nhũng, lãng phí, kiểm tra, giám sát",
    ),
    (
        "Nâng cao chất lượng thực hiện nhiệm vụ chuyên môn của khoa và nhà trường",
        "nhiệm vụ chính trị, chuyên môn, khoa, nhà trường, nghiên cứu khoa học, tổng kết thực tiễn, đào tạo",
    ),
    (
        "Giáo dục truyền thống cách mạng, truyền thống quê hương",
        "truyền thống, cách mạng, lịch sử, quê hương, địa phương, Huế",
    ),
    (
        "Xây dựng văn hóa công sở, văn hóa trường Đảng",
        "văn hóa công sở, văn hóa trường Đảng, văn hóa, công vụ, kỷ cương",
    ),
]
