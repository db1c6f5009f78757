"""The one place where the web UI turns a `MonitorgenError` into a page.

Views call services and selectors and let their errors rise; `shows_errors` renders the error's
message with the error's HTTP status: a full page for ordinary requests, and for htmx requests a
message box retargeted into the page's alert region (`#flash`), so the form the user typed into
stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from monitorgen.core.errors import MonitorgenError
from monitorgen.web.http import is_htmx

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def error_response(request: HttpRequest, exc: MonitorgenError) -> HttpResponse:
    if not is_htmx(request):
        return render(request, "web/error.html", {"error": exc}, status=exc.http_status)
    response = render(request, "web/partials/error.html", {"error": exc}, status=exc.http_status)
    response["HX-Retarget"] = "#flash"
    response["HX-Reswap"] = "innerHTML"
    return response


def shows_errors(view: View[P]) -> View[P]:
    """Render any `MonitorgenError` raised by `view` as its message, with its HTTP status."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except MonitorgenError as exc:
            return error_response(request, exc)

    return wrapper
