"""The application's URLs plus the bare baseline view the benchmarks compare against."""

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
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


@permission_required("responses.change_answer", raise_exception=True)
@transaction.atomic
def bare_save(request: HttpRequest, response_id: int, number: str) -> HttpResponse:
    """The cheapest save of an answer Django offers: the permission, the answer scoped to
    the user's team, its text set and saved with its history row, then a redirect."""
    answer = get_object_or_404(
        Answer, response_id=response_id, response__team=request.user, question__number=number
    )
    answer.text = request.POST["text"].replace("\r\n", "\n")
    answer.version += 1
    answer._history_user = request.user
    answer.save()
    return redirect(f"/responses/{response_id}/")


urlpatterns = [
    path("bench/bare/<int:response_id>/", bare_rows),
    path("bench/bare-save/<int:response_id>/<str:number>/", bare_save),
    path("", include("consult.urls")),
]
