from django.urls import path

from drafts import views

app_name = "drafts"

urlpatterns = [
    path("<int:pk>/", views.workspace, name="workspace"),
    path("<int:pk>/doc/", views.read, name="read"),
    path("<int:pk>/tai-len/", views.upload, name="upload"),
    path("<int:pk>/soan/", views.write, name="write"),
    path("<int:pk>/trinh/", views.submit, name="submit"),
    path("<int:pk>/trinh-ban-hoan-chinh/", views.submit_final, name="submit_final"),
    path("<int:pk>/duyet/", views.approve, name="approve"),
    path("<int:pk>/tra-lai/", views.return_, name="return"),
    path("<int:pk>/nhac/", views.remind, name="remind"),
    path("<int:pk>/so-sanh/", views.compare, name="compare"),
    path("<int:pk>/phien-ban/<int:number>/tep/", views.version_file, name="version_file"),
    path("<int:pk>/gop-y/", views.comment_add, name="comment_add"),
    path("<int:pk>/tiep-thu/", views.responses, name="responses"),
    path("<int:pk>/tiep-thu.<str:fmt>", views.responses_export, name="responses_export"),
    path("<int:pk>/ban-giay/", views.paper, name="paper"),
    path("<int:pk>/ban-giay/<int:member_pk>.pdf", views.pack, name="pack"),
    path("<int:pk>/ban-giay/ca-chi-bo/", views.pack_cell, name="pack_cell"),
    path("gop-y/<int:pk>/sua/", views.comment_edit, name="comment_edit"),
    path("gop-y/<int:pk>/xoa/", views.comment_delete, name="comment_delete"),
    path("gop-y/<int:pk>/tra-loi/", views.respond, name="respond"),
]
