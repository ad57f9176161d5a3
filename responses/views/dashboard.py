from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses.models import Answer, Response


@permission_required("responses.view_response", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    responses = Response.objects.with_progress()
    return render(
        request,
        "responses/dashboard.html",
        {
            "responses": responses,
            "to_sign": Response.objects.awaiting_signature_of(request.user),
            "assigned_answers": Answer.objects.assigned_to(request.user),
        },
    )
