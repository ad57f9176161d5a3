"""/healthz: for a load balancer or monitor, without signing in."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from responses import health


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every check is ok, else 503 naming the ones that are not."""
    found = health.checks()
    healthy = all(result == health.OK for result in found.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": found},
        status=200 if healthy else 503,
    )
