"""The register of issued documents and the public verification pages (mounted at the root)."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("to-chuc/<int:pk>/so-van-ban-di/", views.register, name="register"),
    path("to-chuc/<int:pk>/so-van-ban-di.xlsx", views.register_xlsx, name="register_xlsx"),
    path("xac-thuc/", views.verify, name="verify"),
    path("xac-thuc/<str:code>/", views.verify_code, name="verify_code"),
]
