from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from consult.favicon import favicon
from consult.sign_in import SignInView
from responses.forms import SignInForm
from responses.views.health import healthz

urlpatterns = [
    path(
        "login/",
        SignInView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("responses.urls")),
]
