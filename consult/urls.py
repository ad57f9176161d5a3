from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from consult.sign_in import SignInView
from responses.forms import SignInForm

urlpatterns = [
    path(
        "login/",
        SignInView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("responses.urls")),
]
