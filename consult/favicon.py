"""/favicon.ico: browsers ask every site for it, whatever its pages link."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Temporary: the file's collected name changes with its content.
    return HttpResponseRedirect(static("favicon.ico"))
