"""The home page: what the signed-in person belongs to and what awaits them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organizations import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", selectors.home_context(request.user))
