"""The application's URLs plus the bare baseline view the benchmarks compare against."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path

from responses.models import Answer, Response

_BARE = engines["django"].from_string(
    "<!doctype html><html lang=en><title>Bare</title><ol>"
    "{% for a in answers %}<li>{{ a.question.number }}. {{ a.question.text }}"
    "<p>{{ a.text }}</p></li>{% endfor %}</ol>"
)


@permission_required("responses.view_response", raise_exception=True)
def bare_rows(request: HttpRequest, response_id: int) -> HttpResponse:
    """The cheapest view of the same rows this application could serve: the login and
    permission check every page must make, the response's team scoping in the same
    query, then each row printed plainly."""
    response = get_object_or_404(Response, pk=response_id, team=request.user)
    answers = Answer.objects.filter(response=response).select_related("question")
    return HttpResponse(_BARE.render({"answers": answers}, request))


urlpatterns = [
    path("bench/bare/<int:response_id>/", bare_rows),
    path("", include("consult.urls")),
]
