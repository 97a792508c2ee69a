from django.http import QueryDict

from core.pagination import page_query


def test_page_query_keeps_the_filters_and_drops_the_page():
    assert (
        page_query(QueryDict("q=boulanger&page=3&contract=CDI&contract=CDD"))
        == "q=boulanger&contract=CDI&contract=CDD"
    )
    assert page_query(QueryDict("page=2")) == ""
