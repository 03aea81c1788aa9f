"""The API, version 1: mounted by the root urls as include("tasks.api.urls") at /api/v1/."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import figures, plans, reports, tasks
from .auth import TokenAuth, UserRate, install_error_handlers
from .schemas import MAX_LIMIT


class ChineseJSON(JSONRenderer):
    """Chinese as itself rather than \\u escapes: readable in a terminal, and half the bytes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="督办 API",
    version="1",
    description=(
        "工作计划、任务、看板数字的只读接口，以及报送进展。"
        "以个人访问令牌认证（Authorization: Bearer <令牌>），范围与令牌所有者在网页上相同；"
        f"列表分页（limit/offset，每页最多 {MAX_LIMIT} 条）；每个用户的请求频率受 API_RATE_LIMIT 限制。"
    ),
    urls_namespace="api-1",
    auth=TokenAuth(),
    throttle=[UserRate()],
    # No docs page: ninja's loads Swagger UI from a CDN, which the site's CSP and offline servers refuse.
    # The schema itself is at /api/v1/openapi.json.
    docs_url=None,
    renderer=ChineseJSON(),
)
install_error_handlers(api)
for module in (plans, tasks, figures, reports):
    api.add_router("", module.router)

urlpatterns, _, app_name = api.urls
