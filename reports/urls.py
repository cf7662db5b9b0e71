from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("chi-bo/<int:cell_pk>/", views.report_list, name="list"),
    path("chi-bo/<int:cell_pk>/tao/", views.report_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/trinh/", views.submit, name="submit"),
    path("<int:pk>/tiep-nhan/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/tra-lai/", views.return_report, name="return"),
    path("<int:pk>/bao-cao.<str:fmt>", views.report_file, name="file"),
    path("dang-bo/<int:party_pk>/", views.dashboard, name="dashboard"),
    path("dang-bo/<int:party_pk>/bang-theo-doi-xlsx/", views.dashboard_xlsx, name="dashboard_xlsx"),
]
