"""The lockout backend for the test settings only (smartsite.settings.test)."""

from axes.backends import AxesStandaloneBackend


class RequestOptionalLockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, except that a call without a request (the test client's `login()`) is not checked.

    Production keeps Axes' own backend, which refuses such calls outright, so no login path there can skip the
    lockout by forgetting the request; both of our login views pass it (tests/accounts/test_lockout.py).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
