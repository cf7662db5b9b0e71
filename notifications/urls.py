from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="list"),
    path("thong-bao/<int:pk>/", views.notification_open, name="open"),
    path("thong-bao/da-doc/", views.notification_read_all, name="read_all"),
    path("thong-bao/cai-dat/", views.channel_settings, name="channels"),
    path("thong-bao/chi-bo/<int:pk>/mac-dinh/", views.cell_channels, name="cell_channels"),
    path("thong-bao/chung/moi/", views.announce, name="announce"),
    path("thong-bao/chung/<int:pk>/", views.announcement, name="announcement"),
    path("lich/", views.calendar_page, name="calendar"),
    path("lich/tao/", views.calendar_renew, name="calendar_renew"),
    path("lich/thu-hoi/", views.calendar_revoke, name="calendar_revoke"),
    path("lich/<str:token>.ics", views.feed, name="feed"),
    path("lich/buoi/<int:pk>.ics", views.session_ics, name="session_ics"),
]

# Webhooks of an organisation (notifications/webhooks.py): its officers and the administrators.
urlpatterns += [
    path("webhook/to-chuc/<int:pk>/", views.webhooks, name="webhooks"),
    path("webhook/to-chuc/<int:pk>/dang-ky/", views.webhook_add, name="webhook_add"),
    path("webhook/<int:pk>/", views.webhook, name="webhook"),
    path("webhook/<int:pk>/doi-khoa/", views.webhook_rotate, name="webhook_rotate"),
    path("webhook/<int:pk>/tat/", views.webhook_deactivate, name="webhook_deactivate"),
    path("webhook/<int:pk>/bat/", views.webhook_activate, name="webhook_activate"),
    path("webhook/lan-gui/<int:pk>/gui-lai/", views.delivery_resend, name="delivery_resend"),
]
