from django.urls import path

from push import views

app_name = "push"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("thong-bao-day/dang-ky/", views.subscribe, name="subscribe"),
    path("thong-bao-day/huy/", views.unsubscribe, name="unsubscribe"),
]
