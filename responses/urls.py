from django.urls import path

from responses import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
