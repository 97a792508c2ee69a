from django.http import QueryDict


def page_query(params: QueryDict) -> str:
    """The current query string without its page number, for the shared pagination links."""
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()
