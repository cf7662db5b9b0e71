from django.urls import path

from library import views

app_name = "library"

urlpatterns = [
    path("", views.library, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("dang-ky/<int:session_pk>/", views.register, name="register"),
    path("<int:pk>/duyet/", views.approve, name="approve"),
    path("<int:pk>/tu-choi/", views.decline, name="decline"),
    path("<int:pk>/rut/", views.withdraw, name="withdraw"),
    path("<int:pk>/cong-bo/", views.publish, name="publish"),
    path("<int:pk>/ap-dung/", views.adopt, name="adopt"),
    path("dang-bo/<int:pk>/", views.party, name="party"),
    path("dang-bo/<int:pk>/nhan-rong/", views.adoptions, name="adoptions"),
]
