from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/tien-do/", views.job_progress, name="job_progress"),
    path("<int:pk>/tai-ve/", views.job_file, name="job_file"),
]
