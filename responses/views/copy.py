from django.http import HttpRequest, HttpResponse


def copy_answers(request: HttpRequest, response_id: int) -> HttpResponse:
    raise NotImplementedError
