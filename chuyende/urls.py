"""Root URLs: each app mounts its own urls.py under a Vietnamese path."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from home.health import healthz

urlpatterns = [
    path("", include("home.urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("to-chuc/", include("organizations.urls")),
    path("ke-hoach/", include("planning.urls")),
    path("du-thao/", include("drafts.urls")),
    path("hop/", include("meetings.urls")),
    path("hop/", include("room.urls")),
    path("danh-gia/", include("evaluations.urls")),
    path("bao-cao/", include("reports.urls")),
    path("mau/", include("library.urls")),
    path("tim-kiem/", include("search.urls")),
    path("luu-tru/", include("archives.urls")),
    path("", include("notifications.urls")),
    path("", include("documents.urls")),
    path("", include("push.urls")),
    path("viec-nen/", include("core.urls")),
    path("zalo/", include("zalo.urls")),
    path("api/v1/", include("api.urls")),
    path("ngon-ngu/", login_not_required(set_language), name="set_language"),
    path("quan-tri/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler500 = "core.views.server_error"

admin.site.site_header = "chuyende"
admin.site.site_title = "chuyende"

# Uploaded files (drafts, versions, evidence) are never served from MEDIA_URL, in development as in
# production: only the apps' own views send them, after their permission checks.
