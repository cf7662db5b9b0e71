"""The search page: a box, and what the reader may see that holds every word they typed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from search import selectors
from search.models import SearchEntry

PAGE_SIZE = 20


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    query = selectors.parse_query(request.GET.get("q", ""))
    kind = request.GET.get("loai", "")
    if kind not in SearchEntry.Kind.values:
        kind = ""
    context: dict[str, object] = {
        "query": query,
        "kind": kind,
        "max_length": selectors.MAX_QUERY_LENGTH,
    }
    if query.words:
        found = selectors.search(request.user, query)
        # The counts by kind are one scan of the matches, and give the pager its count: the page's
        # rows are the only other query that matches (selectors' docstring).
        counts = selectors.counts_by_kind(selectors.matching(request.user, query))
        total = sum(counts.values())
        page = selectors.CountedPaginator(
            found.filter(kind=kind) if kind else found,
            PAGE_SIZE,
            count=counts.get(kind, 0) if kind else total,
        ).get_page(request.GET.get("page"))
        context.update(
            page=page,
            results=selectors.results(page.object_list, query),
            total=total,
            kinds=[(code, label, counts.get(code, 0)) for code, label in SearchEntry.Kind.choices],
        )
    return render(request, "search/results.html", context)
