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
        matches = selectors.matching(request.user, query)
        # Counted up to selectors.MAX_COUNTED, in one scan that stops there; the counts by kind give
        # the pager its count, but for one kind, counted on its own (the capped counts hold only the
        # kinds of the first matches). The page's rows are the only other query that matches.
        counts = selectors.counts_by_kind(matches)
        found = selectors.search(request.user, query)
        if kind:
            found = found.filter(kind=kind)
        counted = selectors.count_of_kind(matches, kind) if kind else counts.counted
        page = selectors.CountedPaginator(
            selectors.Ranked(found, query), PAGE_SIZE, count=min(counted, selectors.MAX_COUNTED)
        ).get_page(request.GET.get("page"))
        context.update(
            page=page,
            results=selectors.results(page.object_list, query),
            total=counts.total,
            capped=counts.capped,
            more=counted > selectors.MAX_COUNTED,
            max_counted=selectors.MAX_COUNTED,
            kinds=[(code, label, counts.by_kind.get(code, 0)) for code, label in SearchEntry.Kind.choices],
        )
    return render(request, "search/results.html", context)
