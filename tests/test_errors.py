import pytest


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-section/no-such-story/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_search_with_an_empty_or_odd_query_never_fails(client):
    for query in ["", "   ", '"unclosed', "a & | ! b", "-", "<script>", "x" * 1000]:
        assert client.get("/search/", {"q": query}).status_code == 200
