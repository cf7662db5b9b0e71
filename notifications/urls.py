from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("lich/", views.calendar_page, name="calendar"),
    path("lich/tao/", views.calendar_renew, name="calendar_renew"),
    path("lich/thu-hoi/", views.calendar_revoke, name="calendar_revoke"),
    path("lich/<str:token>.ics", views.feed, name="feed"),
    path("lich/buoi/<int:pk>.ics", views.session_ics, name="session_ics"),
]
