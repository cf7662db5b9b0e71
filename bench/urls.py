"""The site's URLs plus `/bench/bare/`: a view that does nothing, served through the same middleware."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from chuyende.urls import handler500
from chuyende.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
