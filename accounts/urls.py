from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("2fa/", views.two_factor_index, name="two_factor"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
]
