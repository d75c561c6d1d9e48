"""GET /api/coverage/?round=CODE: the coverage roll-up as the contract JSON, for bureau staff and administrators."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from communities import policy

from .actions import CoverageAction
from .rollup import coverage_for_round
from .selectors import coverage_scope, round_by_code


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
def coverage(request):
    """Return the round's coverage (the newest open round by default) within the user's bureau scope."""
    # A data platform calls this: answer 403 rather than redirecting to the login page.
    scope = coverage_scope(request.user, CoverageAction.COVERAGE_API)
    if scope is None:
        return _error(policy.refusal(CoverageAction.COVERAGE_API), 403)
    round_ = round_by_code(request.GET.get("round"))
    if round_ is None:
        return _error("找不到该轮次" if request.GET.get("round") else "当前没有进行中的轮次", 404)
    return JsonResponse(coverage_for_round(round_, scope), json_dumps_params={"ensure_ascii": False})


urlpatterns = [path("coverage/", coverage, name="api_coverage")]
