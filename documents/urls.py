"""The register of issued documents and the public verification pages (mounted at the root)."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("to-chuc/<int:pk>/so-van-ban-di/", views.register, name="register"),
    path("to-chuc/<int:pk>/so-van-ban-di.xlsx", views.register_xlsx, name="register_xlsx"),
    path("van-ban/<int:pk>/", views.detail, name="detail"),
    path("van-ban/<int:pk>/tai-ve.<str:fmt>", views.download, name="download"),
    path("van-ban/<int:pk>/ky-so/", views.sign, name="sign"),
    path("xac-thuc/", views.verify, name="verify"),
    path("xac-thuc/<str:code>/", views.verify_code, name="verify_code"),
]
