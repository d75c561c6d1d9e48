from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
]
