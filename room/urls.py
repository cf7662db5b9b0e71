from django.urls import path

from room import views

app_name = "room"

urlpatterns = [
    path("<int:pk>/diem-danh-ma/", views.check_in, name="checkin"),
    path("<int:pk>/ma-diem-danh/", views.checkin_code, name="checkin_code"),
    path("<int:pk>/man-hinh/", views.screen, name="screen"),
    path("<int:pk>/man-hinh/trang-thai/", views.screen_state, name="screen_state"),
    path("<int:pk>/trang-thai/", views.state, name="state"),
    path("<int:pk>/song/", views.stream, name="stream"),
    path("<int:pk>/xin-phat-bieu/", views.speakers_page, name="speakers"),
    path("<int:pk>/xin-phat-bieu/gui/", views.speak_request, name="speak_request"),
    path("luot-phat-bieu/<int:pk>/rut/", views.speak_withdraw, name="speak_withdraw"),
    path("luot-phat-bieu/<int:pk>/moi/", views.speak_give, name="speak_give"),
    path("luot-phat-bieu/<int:pk>/xong/", views.speak_end, name="speak_end"),
    path("<int:pk>/bieu-quyet-dien-tu/", views.vote_page, name="vote"),
    path("<int:pk>/bieu-quyet-dien-tu/mo/", views.vote_open, name="vote_open"),
    path("phieu/<int:pk>/bo-phieu/", views.vote_cast, name="vote_cast"),
    path("phieu/<int:pk>/ket-thuc/", views.vote_close, name="vote_close"),
    path("phieu/<int:pk>/huy/", views.vote_withdraw, name="vote_withdraw"),
]
