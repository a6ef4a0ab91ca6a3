from urllib.parse import urlencode

from django import template

from ipcity.search.queries import FACET_LABELS

register = template.Library()


@register.filter
def facet_label(name: str) -> str:
    return FACET_LABELS.get(name, name)


@register.simple_tag
def querystring_for(query: str, sort: str = "relevance") -> str:
    """The query string that runs a saved search on the search page."""
    return urlencode({"q": query, "sort": sort})
