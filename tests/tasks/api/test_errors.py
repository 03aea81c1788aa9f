"""The API's refusals: a rate limit per user with Retry-After, and bad parameters answered in Chinese."""

import pytest

from tests.helpers import make_plan, make_task


@pytest.mark.django_db
class TestTheRateLimit:
    def test_past_the_limit_a_user_gets_429_in_chinese_with_retry_after(self, api, personas, settings):
        settings.API_RATE_LIMIT = "3/m"
        staff = api("staff")
        assert [staff.get("/plans").status_code for _ in range(3)] == [200, 200, 200]
        response = staff.get("/tasks")
        assert response.status_code == 429
        assert "请求过于频繁" in response.json()["detail"] and "3/m" in response.json()["detail"]
        assert 0 < int(response["Retry-After"]) <= 60
        assert api("leader").get("/plans").status_code == 200  # counted per user

    def test_the_limit_counts_a_users_tokens_together(self, api, personas, settings):
        settings.API_RATE_LIMIT = "2/m"
        assert api("staff").get("/plans").status_code == 200
        assert api("staff").get("/plans").status_code == 200
        assert api("staff").get("/plans").status_code == 429  # a third token of the same user


@pytest.mark.django_db
class TestBadParameters:
    @pytest.mark.parametrize(
        ("path", "field"),
        [
            ("/tasks?plan=abc", "plan"),
            ("/tasks?status=later", "status.0"),
            ("/tasks?overdue=perhaps", "overdue"),
            ("/tasks?year=1066", "year"),
            ("/tasks?limit=10000", "limit"),
            ("/tasks?offset=-1", "offset"),
            ("/plans/abc", "plan_id"),
            ("/plans/0", "plan_id"),
            ("/tasks/99999999999999999999999", "task_id"),
            ("/bureaus/1/figures?year=abc", "year"),
        ],
    )
    def test_a_malformed_parameter_is_422_naming_it_in_chinese(self, api, personas, path, field):
        response = api("leader").get(path)
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["detail"].startswith("参数不正确：")
        assert field in [e["field"] for e in body["errors"]]

    def test_a_search_of_too_many_words_is_refused_as_the_list_refuses_it(self, api, personas):
        make_task(make_plan(personas.bureau), lead=[personas.division])
        response = api("leader").get("/tasks", {"q": " ".join(["词"] * 21)})
        assert response.status_code == 422
        assert "搜索词最多 20 个" in response.json()["detail"]

    def test_a_nul_in_a_parameter_is_400_not_a_server_error(self, api, personas):
        assert api("leader").get("/tasks", {"q": "a\x00b"}).status_code == 400

    def test_an_unknown_address_under_the_api_is_404(self, api, personas):
        assert api("leader").get("/nothing-here").status_code == 404

    def test_a_read_only_route_refuses_other_methods(self, api, personas):
        assert api("leader").post("/plans", {}).status_code == 405

    def test_the_schema_is_served_and_the_docs_page_is_not(self, client):
        schema = client.get("/api/v1/openapi.json").json()
        assert schema["info"]["version"] == "1"
        assert "/api/v1/tasks/{task_id}/reports" in schema["paths"]
        assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
        assert client.get("/api/v1/docs").status_code == 404  # it would load Swagger UI from a CDN
