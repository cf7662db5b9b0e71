from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("chi-bo/<int:cell_pk>/", views.meeting_list, name="list"),
    path("chi-bo/<int:cell_pk>/tao/", views.meeting_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/thong-bao/", views.notice_issue, name="notice_issue"),
    path("<int:pk>/thong-bao.<str:fmt>", views.notice_file, name="notice_file"),
    path("<int:pk>/mo/", views.open_record, name="open"),
    path("<int:pk>/ghi/", views.record, name="record"),
    path("<int:pk>/luu/", views.save_field, name="save_field"),
    path("<int:pk>/diem-danh/", views.attendance, name="attendance"),
    path("<int:pk>/co-mat-tat-ca/", views.all_present, name="all_present"),
    path("<int:pk>/phat-bieu/", views.speech_add, name="speech_add"),
    path("phat-bieu/<int:pk>/xoa/", views.speech_delete, name="speech_delete"),
    path("<int:pk>/bieu-quyet/", views.vote, name="vote"),
    path("<int:pk>/bieu-quyet/xoa/", views.vote_clear, name="vote_clear"),
    path("<int:pk>/chat-luong/", views.quality, name="quality"),
    path("<int:pk>/duyet-bien-ban/", views.minutes_approve, name="minutes_approve"),
    path("<int:pk>/dinh-chinh/", views.minutes_correct, name="minutes_correct"),
    path("<int:pk>/bien-ban.<str:fmt>", views.minutes_file, name="minutes_file"),
    path("<int:pk>/nghi-quyet/", views.resolution, name="resolution"),
    path("<int:pk>/nghi-quyet/ban-hanh/", views.resolution_issue, name="resolution_issue"),
    path("<int:pk>/nghi-quyet.<str:fmt>", views.resolution_file, name="resolution_file"),
    path("nhiem-vu/<int:pk>/xong/", views.task_done, name="task_done"),
]
