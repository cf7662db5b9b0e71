from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("chi-bo/<int:cell_pk>/tao/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/them-buoi/", views.session_add, name="session_add"),
    path("<int:pk>/trinh/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/tiep-nhan/", views.plan_acknowledge, name="plan_acknowledge"),
    path("<int:pk>/tra-lai/", views.plan_return, name="plan_return"),
    path("<int:pk>/xuat.<str:fmt>", views.plan_export, name="plan_export"),
    path("buoi/<int:pk>/", views.session_detail, name="session"),
    path("buoi/<int:pk>/sua/", views.session_edit, name="session_edit"),
    path("buoi/<int:pk>/xoa/", views.session_remove, name="session_remove"),
    path("<int:pk>/hoan-tac/<int:entry_pk>/", views.session_restore, name="session_restore"),
    path("buoi/<int:pk>/bao-cao-vien/", views.session_presenters, name="session_presenters"),
    path("buoi/<int:pk>/dang-ky/", views.session_register, name="session_register"),
    path("buoi/<int:pk>/hoan/", views.session_postpone, name="session_postpone"),
    path("buoi/<int:pk>/huy/", views.session_cancel, name="session_cancel"),
    path("dang-ky/<int:pk>/chap-nhan/", views.registration_accept, name="registration_accept"),
    path("dang-ky/<int:pk>/tu-choi/", views.registration_decline, name="registration_decline"),
    path("chuyen-de/", views.topics, name="topics"),
    path("chuyen-de/<int:pk>/dang-ky/", views.topic_register, name="topic_register"),
    path("chuyen-de/chi-bo/<int:cell_pk>/de-xuat/", views.topic_propose, name="topic_propose"),
    path("chuyen-de/dang-bo/<int:party_pk>/them/", views.catalogue_topic_add, name="catalogue_topic_add"),
    path("nhom-chuyen-de/<int:pk>/sua/", views.topic_group_edit, name="topic_group_edit"),
    path("dinh-huong/<int:party_pk>/<int:year>/", views.orientation_edit, name="orientation"),
    path("giam-sat/<int:party_pk>/", views.oversight, name="oversight"),
]
