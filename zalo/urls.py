from django.urls import path

from zalo import views

app_name = "zalo"

urlpatterns = [
    path("to-chuc/<int:pk>/", views.account, name="account"),
    path("to-chuc/<int:pk>/mau/", views.template_set, name="template_set"),
    path("mau/<int:pk>/xoa/", views.template_delete, name="template_delete"),
]
