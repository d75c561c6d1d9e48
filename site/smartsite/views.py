from django.shortcuts import render


def home(request):
    """Landing page: where workers, verifiers and bureaus go next."""
    return render(request, "smartsite/home.html")
