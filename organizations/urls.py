from django.urls import path

from organizations import views, views_import

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/them-dang-vien/", views.member_add, name="member_add"),
    path("<int:pk>/nhiem-ky/", views.term_add, name="term_add"),
    path("<int:pk>/chuc-vu/", views.position_add, name="position_add"),
    path("<int:pk>/nhap-danh-sach/", views_import.member_import, name="import"),
    path("nhap-danh-sach/mau.<str:fmt>", views_import.import_template, name="import_template"),
    path("dang-vien/<int:pk>/", views.member_detail, name="member"),
    path("dang-vien/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("dang-vien/<int:pk>/mien-sinh-hoat/", views.exemption_add, name="exemption_add"),
    path("mien-sinh-hoat/<int:pk>/ket-thuc/", views.exemption_end, name="exemption_end"),
    path("sinh-hoat/<int:pk>/ket-thuc/", views.membership_end, name="membership_end"),
    path("chuc-vu/<int:pk>/ket-thuc/", views.position_end, name="position_end"),
]
