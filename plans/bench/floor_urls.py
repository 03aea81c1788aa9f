"""The site's URLs and one more, the floor: a view behind the same login and session that returns bytes
given to it, so that a page's time can be read against the least any logged-in page costs here."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bureau.urls import urlpatterns as site_urlpatterns

# The bytes the floor returns: set to a measured page's, so both send the same amount.
FLOOR_BODY = {"content": b""}


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR_BODY["content"])


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
