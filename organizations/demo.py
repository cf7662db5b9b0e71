"""Demo data modelled on the source article (docs/domain.md §6): Đảng bộ Trường Chính trị Nguyễn Chí Thanh.

``make run`` calls :func:`load_demo` through ``manage.py load_demo``; it loads only into an empty
database, so running it twice changes nothing and it never mixes demo people into real data.
Everything is written through the services with ``actor=None`` (the system), so the audit log holds
the same history a real set-up would. Dates that must stay "recent" (probationary admissions,
exemptions, temporary attachments) are counted back from the day of loading.

Later features extend the demo by adding a step after :func:`_load_organizations` that receives the
:class:`Demo` it returns.

The people are invented. E-mail addresses use ``example.vn`` domains (RFC 2606 style); phone numbers
are left empty because no Vietnamese range is reserved for fiction and any number could be someone's.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from organizations import services
from organizations.models import Member, OfficerAssignment, Organization, Position, Term

PASSWORD = "chuyende-demo"
SCHOOL = "Đảng bộ Trường Chính trị Nguyễn Chí Thanh"
ARTICLE_CELL = "Chi bộ Khoa Xây dựng Đảng"
OTHER_PARTY = "Đảng bộ Sở Giáo dục và Đào tạo"
PLACE = "Huế"
SCHOOL_DOMAIN = "truongchinhtri.example.vn"
OTHER_DOMAIN = "sogddt.example.vn"
# The Đảng ủy officer's title on their OfficerAssignment.
OFFICER_TITLE = "Phó Bí thư Đảng ủy"
ADMIN_DISPLAY_NAME = "Quản trị viên"

M = Member.Gender.MALE
F = Member.Gender.FEMALE
SECRETARY = Position.Role.SECRETARY
DEPUTY = Position.Role.DEPUTY_SECRETARY
COMMITTEE = Position.Role.COMMITTEE_MEMBER


@dataclass(frozen=True)
class Login:
    """One demo account as the README and ``manage.py demo_logins`` list it."""

    username: str
    role_vi: str
    role_en: str


LOGINS = (
    Login("admin", "Quản trị hệ thống", "administrator (back office at /quan-tri/)"),
    Login("danguy", f"{OFFICER_TITLE} Trường", "Đảng ủy officer: oversees every cell of the school"),
    Login("bithu", f"Bí thư {ARTICLE_CELL}", "secretary of the cell"),
    Login("phobithu", f"Phó Bí thư {ARTICLE_CELL}", "deputy secretary of the cell"),
    Login("dangvien", "Đảng viên chính thức của chi bộ", "full member of the cell"),
    Login("duby", "Đảng viên dự bị của chi bộ", "probationary member of the cell"),
)


@dataclass(frozen=True)
class Exempt:
    """An exemption that began ``since_days`` before loading and lasts ``for_days`` (None: open)."""

    reason: str
    since_days: int
    for_days: int | None = None


@dataclass(frozen=True)
class Person:
    """One member. Full members have ``admitted`` and ``joined`` (the day they joined this cell);
    probationary members were admitted ``probation_days`` before loading, in this cell."""

    name: str
    gender: str
    born: date
    job: str
    strengths: str
    admitted: date | None = None
    joined: date | None = None
    probation_days: int = 0
    login: str = ""
    role: str = ""
    past_role: str = ""
    exemption: Exempt | None = None
    attached_to: str = ""


@dataclass(frozen=True)
class Cell:
    key: str
    name: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Party:
    name: str
    domain: str
    cells: tuple[Cell, ...]


# (past term start, past term end, current term start); the current term stays open until the next
# congress. Cells hold their congresses before the Đảng bộ does.
PARTY_TERMS = (date(2020, 7, 1), date(2025, 6, 30), date(2025, 7, 1))
CELL_TERMS = (date(2020, 5, 1), date(2025, 4, 30), date(2025, 5, 1))
PAST_TERM = "2020–2025"
CURRENT_TERM = "2025–2030"

# fmt: off
SCHOOL_CELLS = (
    Cell(
        "xdd",
        ARTICLE_CELL,
        (
            Person(
                "Hoàng Thị Thu Hương", F, date(1972, 3, 14), "Trưởng khoa",
                "Xây dựng Đảng, công tác kiểm tra giám sát; chỉ đạo sinh hoạt chi bộ",
                admitted=date(1997, 5, 19), joined=date(2001, 9, 1),
                login="bithu", role=SECRETARY, past_role=SECRETARY,
            ),
            Person(
                "Nguyễn Đình Khánh", M, date(1978, 11, 2), "Phó Trưởng khoa",
                "Công tác tổ chức, cán bộ; đánh giá, xếp loại chất lượng đảng viên",
                admitted=date(2003, 2, 3), joined=date(2005, 8, 15),
                login="phobithu", role=DEPUTY, past_role=COMMITTEE,
            ),
            Person(
                "Phan Thị Diệu Linh", F, date(1983, 6, 21), "Giảng viên chính",
                "Tư tưởng Hồ Chí Minh; văn hóa công vụ; học tập và làm theo tư tưởng, đạo đức, "
                "phong cách Hồ Chí Minh",
                admitted=date(2008, 9, 2), joined=date(2008, 9, 2), role=COMMITTEE,
            ),
            Person(
                "Trần Quốc Bảo", M, date(1988, 1, 9), "Giảng viên",
                "Nghiên cứu khoa học, tổng kết thực tiễn; khảo sát xã hội học",
                admitted=date(2012, 5, 19), joined=date(2014, 3, 1), login="dangvien",
            ),
            Person(
                "Tôn Nữ Minh Châu", F, date(1980, 8, 30), "Giảng viên chính",
                "Giảng dạy cho học viên Lào; chương trình trung cấp lý luận chính trị",
                admitted=date(2006, 2, 3), joined=date(2006, 2, 3),
            ),
            Person(
                "Đặng Văn Sơn", M, date(1966, 4, 18), "Giảng viên chính",
                "Lịch sử Đảng; công tác dân vận của Đảng",
                admitted=date(1990, 9, 2), joined=date(1998, 7, 1), past_role=DEPUTY,
                exemption=Exempt("Điều trị bệnh dài ngày", since_days=120, for_days=240),
            ),
            Person(
                "Võ Thị Hồng Nhung", F, date(1990, 10, 5), "Giảng viên",
                "Phương pháp giảng dạy tích cực; mô hình “Phát triển năng lực người học”; giờ giảng mẫu",
                admitted=date(2016, 5, 19), joined=date(2016, 5, 19),
            ),
            Person(
                "Huỳnh Ngọc Tuấn", M, date(1986, 12, 12), "Giảng viên",
                "Chuyển đổi số trong công tác đảng; biên tập tài liệu bồi dưỡng",
                admitted=date(2011, 2, 3), joined=date(2013, 9, 1), attached_to="qldt",
            ),
            Person(
                "Lê Thị Kim Oanh", F, date(1985, 2, 27), "Chuyên viên",
                "Công tác văn phòng khoa; thể thức và kỹ thuật trình bày văn bản của Đảng",
                admitted=date(2010, 9, 2), joined=date(2010, 9, 2),
            ),
            Person(
                "Nguyễn Hữu Phước", M, date(1991, 7, 15), "Giảng viên",
                "Lịch sử Đảng bộ địa phương; giáo dục truyền thống cách mạng",
                admitted=date(2017, 2, 3), joined=date(2018, 3, 1),
            ),
            Person(
                "Trương Thị Ngọc Ánh", F, date(1997, 4, 22), "Giảng viên",
                "Văn hóa Huế, con người Huế; công tác thanh niên",
                probation_days=150, login="duby",
            ),
            Person(
                "Dương Minh Quân", M, date(1998, 9, 9), "Giảng viên",
                "Công tác tuyên giáo; đấu tranh phản bác quan điểm sai trái trên không gian mạng",
                probation_days=300,
            ),
            Person(
                "Hồ Thị Thanh Thủy", F, date(1996, 12, 3), "Chuyên viên",
                "Công tác giáo vụ; quản lý học viên lớp trung cấp lý luận chính trị",
                probation_days=60,
            ),
        ),
    ),
    Cell(
        "llcs",
        "Chi bộ Khoa Lý luận cơ sở",
        (
            Person(
                "Lê Bá Thành", M, date(1970, 5, 25), "Trưởng khoa",
                "Triết học Mác – Lênin; chủ nghĩa duy vật lịch sử",
                admitted=date(1995, 5, 19), joined=date(1999, 9, 1), role=SECRETARY,
            ),
            Person(
                "Nguyễn Thị Thanh Hằng", F, date(1979, 9, 12), "Phó Trưởng khoa",
                "Kinh tế chính trị Mác – Lênin; kinh tế thị trường định hướng xã hội chủ nghĩa",
                admitted=date(2004, 9, 2), joined=date(2004, 9, 2), role=DEPUTY,
            ),
            Person(
                "Trần Văn Lực", M, date(1975, 1, 20), "Giảng viên chính",
                "Chủ nghĩa xã hội khoa học; những vấn đề của thời đại ngày nay",
                admitted=date(2000, 2, 3), joined=date(2002, 3, 1),
            ),
            Person(
                "Phạm Thị Thu Trang", F, date(1984, 11, 28), "Giảng viên chính",
                "Tư tưởng Hồ Chí Minh; đạo đức cách mạng",
                admitted=date(2009, 5, 19), joined=date(2009, 5, 19),
            ),
            Person(
                "Ngô Quang Vinh", M, date(1987, 3, 3), "Giảng viên",
                "Lịch sử Đảng Cộng sản Việt Nam; nghiên cứu khoa học",
                admitted=date(2012, 9, 2), joined=date(2012, 9, 2),
                exemption=Exempt("Đi học tập ở nước ngoài", since_days=400, for_days=700),
            ),
            Person(
                "Bùi Thị Phương Thảo", F, date(1989, 6, 6), "Giảng viên",
                "Triết học; kỹ năng thuyết trình, phương pháp giảng dạy",
                admitted=date(2015, 2, 3), joined=date(2015, 2, 3),
            ),
            Person(
                "Đoàn Văn Trung", M, date(1968, 10, 10), "Giảng viên chính",
                "Kinh tế chính trị; tổng kết thực tiễn ở địa phương",
                admitted=date(1993, 9, 2), joined=date(1996, 8, 1),
            ),
            Person(
                "Hồ Thị Mỹ Duyên", F, date(1992, 2, 14), "Chuyên viên",
                "Công tác giáo vụ khoa; quản lý hồ sơ đảng viên",
                admitted=date(2018, 5, 19), joined=date(2018, 5, 19),
            ),
            Person(
                "Châu Văn Thịnh", M, date(1995, 8, 18), "Giảng viên",
                "Chủ nghĩa xã hội khoa học; công tác thanh niên",
                probation_days=200,
            ),
            Person(
                "Lương Thị Bích Ngọc", F, date(1998, 1, 25), "Giảng viên",
                "Lịch sử Đảng; giáo dục truyền thống cách mạng",
                probation_days=90,
            ),
            Person(
                "Nguyễn Phước Bảo Long", M, date(1996, 5, 30), "Giảng viên",
                "Triết học; văn hóa Huế",
                probation_days=330,
            ),
        ),
    ),
    Cell(
        "nnpl",
        "Chi bộ Khoa Nhà nước và pháp luật",
        (
            Person(
                "Trần Đình Nam", M, date(1971, 7, 7), "Trưởng khoa",
                "Quản lý hành chính nhà nước; cải cách hành chính",
                admitted=date(1996, 9, 2), joined=date(2000, 2, 1), role=SECRETARY,
            ),
            Person(
                "Lê Thị Hoài Thương", F, date(1981, 12, 19), "Phó Trưởng khoa",
                "Pháp luật về phòng, chống tham nhũng, lãng phí, tiêu cực",
                admitted=date(2006, 5, 19), joined=date(2006, 5, 19), role=DEPUTY,
            ),
            Person(
                "Nguyễn Văn Tám", M, date(1965, 9, 15), "Giảng viên chính",
                "Luật hành chính; xây dựng chính quyền cơ sở",
                admitted=date(1988, 5, 19), joined=date(1995, 9, 1),
                exemption=Exempt("Tuổi cao, sức khỏe yếu", since_days=180),
            ),
            Person(
                "Hoàng Minh Đức", M, date(1985, 4, 11), "Giảng viên chính",
                "Quản lý kinh tế; chính sách phát triển kinh tế – xã hội địa phương",
                admitted=date(2010, 2, 3), joined=date(2011, 9, 1),
            ),
            Person(
                "Phan Thị Ngọc Hà", F, date(1988, 8, 8), "Giảng viên",
                "Văn hóa công vụ, đạo đức công vụ; kỹ năng lãnh đạo, quản lý",
                admitted=date(2013, 9, 2), joined=date(2013, 9, 2),
            ),
            Person(
                "Võ Đức Thắng", M, date(1982, 3, 27), "Giảng viên",
                "Pháp luật về đất đai; tiếp công dân, giải quyết khiếu nại, tố cáo",
                admitted=date(2007, 5, 19), joined=date(2009, 3, 1),
            ),
            Person(
                "Nguyễn Thị Tuyết Mai", F, date(1990, 11, 20), "Giảng viên",
                "Quyền con người; pháp luật về bình đẳng giới",
                admitted=date(2016, 9, 2), joined=date(2016, 9, 2),
            ),
            Person(
                "Đặng Thị Hồng Vân", F, date(1986, 6, 16), "Chuyên viên",
                "Công tác giáo vụ; tổ chức hội thảo khoa học",
                admitted=date(2012, 2, 3), joined=date(2014, 8, 1),
            ),
            Person(
                "Trần Nhật Minh", M, date(1997, 10, 2), "Giảng viên",
                "Chuyển đổi số trong quản lý nhà nước",
                probation_days=240,
            ),
            Person(
                "Lê Thị Quỳnh Như", F, date(1999, 3, 8), "Giảng viên",
                "Pháp luật hành chính; cải cách thủ tục hành chính",
                probation_days=45,
            ),
        ),
    ),
    Cell(
        "qldt",
        "Chi bộ Phòng Quản lý đào tạo – Khoa học",
        (
            Person(
                "Nguyễn Văn Lộc", M, date(1974, 9, 9), "Trưởng phòng",
                "Quản lý đào tạo; xây dựng chương trình bồi dưỡng",
                admitted=date(1999, 5, 19), joined=date(2003, 3, 1), role=SECRETARY,
            ),
            Person(
                "Trần Thị Bích Liên", F, date(1980, 1, 30), "Phó Trưởng phòng",
                "Quản lý khoa học; tổng kết thực tiễn, đề tài khoa học cấp tỉnh",
                admitted=date(2005, 9, 2), joined=date(2005, 9, 2), role=DEPUTY,
            ),
            Person(
                "Hồ Văn Dũng", M, date(1976, 6, 25), "Chuyên viên chính",
                "Quản lý học viên; khảo thí và kiểm định chất lượng",
                admitted=date(2001, 2, 3), joined=date(2004, 10, 1),
            ),
            Person(
                "Lê Thị Thanh Xuân", F, date(1983, 3, 18), "Chuyên viên",
                "Biên tập bản tin khoa học của Trường; xuất bản tài liệu",
                admitted=date(2009, 9, 2), joined=date(2009, 9, 2),
            ),
            Person(
                "Phạm Văn Hiếu", M, date(1987, 12, 1), "Chuyên viên",
                "Thống kê đào tạo; cơ sở dữ liệu học viên",
                admitted=date(2013, 5, 19), joined=date(2013, 5, 19),
            ),
            Person(
                "Nguyễn Thị Minh Tâm", F, date(1984, 7, 4), "Chuyên viên",
                "Đào tạo liên kết; lớp trung cấp lý luận chính trị cho học viên Lào",
                admitted=date(2010, 5, 19), joined=date(2012, 2, 1),
            ),
            Person(
                "Đinh Quốc Huy", M, date(1989, 5, 5), "Chuyên viên",
                "Ứng dụng công nghệ thông tin trong đào tạo; học liệu số",
                admitted=date(2015, 9, 2), joined=date(2015, 9, 2),
            ),
            Person(
                "Tôn Thất Hưng", M, date(1966, 1, 12), "Chuyên viên chính",
                "Nghiên cứu khoa học; lịch sử địa phương",
                admitted=date(1991, 2, 3), joined=date(1997, 9, 1),
                exemption=Exempt("Điều trị bệnh dài ngày", since_days=300),
            ),
            Person(
                "Võ Thị Kim Thoa", F, date(1996, 2, 19), "Chuyên viên",
                "Quản lý học viên; công tác đoàn thanh niên",
                probation_days=120,
            ),
            Person(
                "Phan Công Hậu", M, date(1995, 11, 11), "Chuyên viên",
                "Khảo thí; phân tích dữ liệu đào tạo",
                probation_days=270,
            ),
        ),
    ),
    Cell(
        "tchc",
        "Chi bộ Phòng Tổ chức – Hành chính",
        (
            Person(
                "Trần Văn Nghĩa", M, date(1973, 2, 8), "Trưởng phòng",
                "Công tác tổ chức, cán bộ; thi đua, khen thưởng",
                admitted=date(1998, 2, 3), joined=date(2002, 7, 1), role=SECRETARY,
            ),
            Person(
                "Nguyễn Thị Hồng Hạnh", F, date(1979, 5, 17), "Phó Trưởng phòng",
                "Hành chính, văn thư, lưu trữ; văn hóa công sở",
                admitted=date(2004, 5, 19), joined=date(2004, 5, 19), role=DEPUTY,
            ),
            Person(
                "Lê Văn Cường", M, date(1981, 10, 21), "Kế toán trưởng",
                "Quản lý tài chính, tài sản công; thực hành tiết kiệm, chống lãng phí",
                admitted=date(2006, 9, 2), joined=date(2008, 1, 2), role=COMMITTEE,
            ),
            Person(
                "Phan Văn Quang", M, date(1970, 12, 26), "Phó Hiệu trưởng",
                "Lãnh đạo, chỉ đạo công tác xây dựng Đảng; kiểm tra, giám sát",
                admitted=date(1994, 9, 2), joined=date(2015, 10, 1), login="danguy",
            ),
            Person(
                "Hoàng Thị Lan Anh", F, date(1985, 9, 3), "Kế toán",
                "Kế toán, ngân sách; công khai tài chính",
                admitted=date(2011, 5, 19), joined=date(2011, 5, 19),
            ),
            Person(
                "Huỳnh Thị Thu Sương", F, date(1983, 4, 29), "Chuyên viên",
                "Văn thư, lưu trữ; soạn thảo văn bản",
                admitted=date(2009, 2, 3), joined=date(2009, 2, 3),
            ),
            Person(
                "Nguyễn Đức Toàn", M, date(1986, 8, 19), "Chuyên viên",
                "Quản trị mạng, công nghệ thông tin; an toàn thông tin",
                admitted=date(2012, 5, 19), joined=date(2013, 3, 1),
            ),
            Person(
                "Trần Thị Diễm My", F, date(1990, 6, 12), "Chuyên viên",
                "Công tác tổ chức cán bộ; hồ sơ đảng viên",
                admitted=date(2016, 2, 3), joined=date(2016, 2, 3),
                exemption=Exempt("Đi học tập ở nước ngoài", since_days=90, for_days=640),
            ),
            Person(
                "Lê Văn Út", M, date(1966, 3, 30), "Nhân viên",
                "Công tác hậu cần, phục vụ hội nghị",
                admitted=date(1992, 5, 19), joined=date(2000, 5, 1),
                exemption=Exempt("Tuổi cao, sức khỏe yếu", since_days=500),
            ),
            Person(
                "Nguyễn Thị Hoa", F, date(1972, 12, 1), "Chuyên viên chính",
                "Công tác công đoàn; chăm lo đời sống cán bộ",
                admitted=date(1997, 9, 2), joined=date(1999, 10, 1),
            ),
            Person(
                "Võ Văn Hùng", M, date(1975, 7, 27), "Chuyên viên",
                "Quản trị cơ sở vật chất; phòng cháy, chữa cháy",
                admitted=date(2000, 9, 2), joined=date(2005, 3, 1),
            ),
            Person(
                "Đoàn Thị Thanh Bình", F, date(1988, 1, 18), "Chuyên viên",
                "Thi đua, khen thưởng; tuyên truyền gương người tốt, việc tốt",
                admitted=date(2014, 5, 19), joined=date(2014, 5, 19),
            ),
            Person(
                "Nguyễn Thị Thu Hiền", F, date(1997, 7, 7), "Kế toán",
                "Kế toán; công tác đoàn thanh niên",
                probation_days=180,
            ),
            Person(
                "Hồ Đắc Nhật", M, date(1998, 4, 4), "Chuyên viên",
                "Công nghệ thông tin; chuyển đổi số",
                probation_days=100,
            ),
            Person(
                "Mai Thị Kiều Trinh", F, date(1995, 10, 10), "Nhân viên",
                "Thư viện; giới thiệu sách chính trị",
                probation_days=330,
            ),
        ),
    ),
)
# fmt: on

# A second Đảng bộ without demo logins, so that testers can check that nothing of it shows.
# fmt: off
OTHER_CELLS = (
    Cell(
        "vps",
        "Chi bộ Văn phòng Sở",
        (
            Person(
                "Nguyễn Thị Ngọc Diệp", F, date(1976, 4, 9), "Chánh Văn phòng",
                "Tham mưu tổng hợp; cải cách hành chính",
                admitted=date(2001, 5, 19), joined=date(2010, 8, 1), role=SECRETARY,
            ),
            Person(
                "Trần Văn Thông", M, date(1980, 10, 14), "Phó Chánh Văn phòng",
                "Thi đua, khen thưởng ngành giáo dục",
                admitted=date(2005, 2, 3), joined=date(2012, 3, 1), role=DEPUTY,
            ),
            Person(
                "Lê Thị Hải Yến", F, date(1987, 7, 23), "Chuyên viên",
                "Văn thư, lưu trữ",
                admitted=date(2013, 9, 2), joined=date(2013, 9, 2),
            ),
            Person(
                "Phạm Quốc Khải", M, date(1983, 1, 5), "Chuyên viên",
                "Thanh tra giáo dục; tiếp công dân",
                admitted=date(2008, 5, 19), joined=date(2011, 9, 1),
            ),
            Person(
                "Hồ Thị Ái Vân", F, date(1990, 3, 2), "Kế toán",
                "Tài chính, kế toán",
                admitted=date(2017, 9, 2), joined=date(2017, 9, 2),
            ),
            Person(
                "Nguyễn Văn Hậu", M, date(1996, 6, 28), "Chuyên viên",
                "Chuyển đổi số ngành giáo dục",
                probation_days=210,
            ),
        ),
    ),
)
# fmt: on

PARTIES = (Party(SCHOOL, SCHOOL_DOMAIN, SCHOOL_CELLS), Party(OTHER_PARTY, OTHER_DOMAIN, OTHER_CELLS))

# A temporary attachment (sinh hoạt tạm thời) began this many days before loading and lasts a year.
ATTACHED_SINCE_DAYS = 90


@dataclass
class Demo:
    """What the loader created, keyed for the steps that later features add."""

    today: date
    parties: dict[str, Organization] = field(default_factory=dict)
    cells: dict[str, Organization] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    @property
    def party(self) -> Organization:
        return self.parties[SCHOOL]


def demo_present() -> bool:
    """Whether the demo Đảng bộ exists."""
    return Organization.objects.filter(name=SCHOOL, parent__isnull=True).exists()


def database_is_empty() -> bool:
    """No organisation and no account yet: the only state in which the demo may be loaded."""
    return not Organization.objects.exists() and not User.objects.exists()


def load_demo(*steps: Callable[[Demo], None]) -> bool:
    """Load the demo into an empty database; True if it loaded, False if nothing changed.

    ``steps`` are later features' demo builders (e.g. ``planning.demo.add_plans``), run in the same
    transaction on what this one created; the ``load_demo`` command passes all of them."""
    with transaction.atomic():
        if not database_is_empty():
            return False
        demo = _load_organizations(timezone.localdate())
        for step in steps:
            step(demo)
    return True


# --- Building ----------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _email(name: str, domain: str, taken: set[str]) -> str:
    """Vietnamese workplace style: given name then initials (``huonghtt@…``), a digit if taken."""
    parts = _ascii(name).lower().split()
    local = parts[-1] + "".join(part[0] for part in parts[:-1])
    candidate, n = local, 1
    while candidate in taken:
        n += 1
        candidate = f"{local}{n}"
    taken.add(candidate)
    return f"{candidate}@{domain}"


def _card_number(n: int) -> str:
    # 46 is Huế's administrative code; the multiplier is coprime with 10⁶, so numbers never repeat.
    return f"46{(n * 48271 + 104729) % 1_000_000:06d}"


def _member_data(person: Person, today: date, email: str, card: str) -> tuple[dict[str, object], date]:
    """The fields for ``add_member`` and the day the person joined the cell."""
    data: dict[str, object] = {
        "full_name": person.name,
        "date_of_birth": person.born,
        "gender": person.gender,
        "job_title": person.job,
        "strengths": person.strengths,
        "email": email,
    }
    if person.admitted is None:
        admitted = today - timedelta(days=person.probation_days)
        data.update(admission_date=admitted, status=Member.Status.PROBATIONARY, official_date=None)
        return data, admitted
    data.update(
        admission_date=person.admitted,
        # Full membership comes after the 12-month probation (Điều lệ art. 5).
        official_date=person.admitted.replace(year=person.admitted.year + 1),
        status=Member.Status.FULL,
        party_card_number=card,
    )
    return data, person.joined or person.admitted


def _create_user(username: str, member: Member) -> User:
    family, _space, given = member.full_name.rpartition(" ")
    return User.objects.create_user(
        username=username, email=member.email, password=PASSWORD, first_name=given, last_name=family
    )


def _load_organizations(today: date) -> Demo:
    """The two Đảng bộ, their cells, terms, members, positions, exemptions and the demo logins."""
    demo = Demo(today=today)
    emails: set[str] = set()
    cards = (_card_number(n) for n in count(1))
    attachments: list[tuple[Member, str]] = []
    for party_data in PARTIES:
        party = services.create_organization(
            actor=None, name=party_data.name, kind=Organization.Kind.PARTY_COMMITTEE, place=PLACE
        )
        demo.parties[party.name] = party
        _open_terms(party, PARTY_TERMS)
        for cell_data in party_data.cells:
            cell = services.create_organization(
                actor=None, name=cell_data.name, kind=Organization.Kind.CELL, parent=party, place=PLACE
            )
            demo.cells[cell_data.key] = cell
            past, current = _open_terms(cell, CELL_TERMS)
            demo.terms[cell_data.key] = current
            # Members first: a committee member may only be appointed once the cell has enough.
            for person in cell_data.people:
                email = _email(person.name, party_data.domain, emails)
                data, joined = _member_data(person, today, email, next(cards))
                member = services.add_member(actor=None, cell=cell, data=data, joined_on=joined)
                demo.members[person.name] = member
                if person.login:
                    member.user = demo.users[person.login] = _create_user(person.login, member)
                    member.save(update_fields=["user"])
                if person.exemption is not None:
                    _exempt(member, person.exemption, today)
                if person.attached_to:
                    attachments.append((member, person.attached_to))
            _appoint(cell_data, demo.members, past, current)
    since = today - timedelta(days=ATTACHED_SINCE_DAYS)
    until = since + timedelta(days=364)
    for member, key in attachments:
        services.attach_temporarily(
            actor=None, member=member, cell=demo.cells[key], start_date=since, end_date=until
        )
    demo.users["admin"] = User.objects.create_superuser(
        username="admin", email=f"admin@{SCHOOL_DOMAIN}", password=PASSWORD, first_name=ADMIN_DISPLAY_NAME
    )
    OfficerAssignment.objects.create(user=demo.users["danguy"], organization=demo.party, title=OFFICER_TITLE)
    return demo


def _open_terms(org: Organization, dates: tuple[date, date, date]) -> tuple[Term, Term]:
    """The ended term 2020–2025 and the current term 2025–2030."""
    start, end, current = dates
    past = services.create_term(actor=None, organization=org, name=PAST_TERM, start_date=start, end_date=end)
    return past, services.create_term(actor=None, organization=org, name=CURRENT_TERM, start_date=current)


def _exempt(member: Member, exemption: Exempt, today: date) -> None:
    start = today - timedelta(days=exemption.since_days)
    end = None if exemption.for_days is None else start + timedelta(days=exemption.for_days)
    services.grant_exemption(
        actor=None, member=member, reason=exemption.reason, start_date=start, end_date=end
    )


def _appoint(cell_data: Cell, members: dict[str, Member], past: Term, current: Term) -> None:
    """Positions of the past term (ended at its close) and of the current one, secretary first."""
    order: dict[str, int] = {SECRETARY: 0, DEPUTY: 1, COMMITTEE: 2}
    assert past.end_date is not None
    for person in sorted((p for p in cell_data.people if p.past_role), key=lambda p: order[p.past_role]):
        position = services.assign_position(
            actor=None,
            term=past,
            member=members[person.name],
            role=person.past_role,
            start_date=past.start_date,
        )
        services.end_position(actor=None, position=position, end_date=past.end_date)
    for person in sorted((p for p in cell_data.people if p.role), key=lambda p: order[p.role]):
        services.assign_position(
            actor=None,
            term=current,
            member=members[person.name],
            role=person.role,
            start_date=current.start_date,
        )
