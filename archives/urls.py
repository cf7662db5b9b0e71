"""The term archives (mounted under /luu-tru/)."""

from django.urls import path

from archives import views

app_name = "archives"

urlpatterns = [
    path("to-chuc/<int:pk>/", views.archive_list, name="list"),
    path("to-chuc/<int:pk>/lap/", views.make, name="make"),
    path("to-chuc/<int:pk>/khoi-phuc/", views.restore, name="restore"),
    path("<int:pk>/tai-ve/", views.download, name="download"),
    path("khoi-phuc/<int:pk>/", views.restored, name="restored"),
    path("khoi-phuc/<int:pk>/tep/<int:index>/", views.restored_file, name="restored_file"),
]
