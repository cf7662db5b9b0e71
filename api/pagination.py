"""Pages of at most 100 items in a stable order (issue 14, item 3).

``?page=2&page_size=50`` (50 by default, 100 at most); the answer holds ``items`` and ``count``. The
order is the operation's own with the primary key last, so that two rows equal in every other key keep
their places from one page to the next and no row is served twice or skipped.
"""

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, overload

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100
# Far beyond any list (a province's five years hold about two million comments): a larger page number
# would overflow the database's OFFSET.
MAX_PAGE = 1_000_000
PAGE_SIZE = 50


def stable(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``queryset`` ordered as it is, then by primary key (unless the key already decides)."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering or [])
    if not any(isinstance(key, str) and key.lstrip("-") in ("pk", "id") for key in order):
        order.append("pk")
    return queryset.order_by(*order)


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Trang, từ 1.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description="Số mục mỗi trang (mặc định 50, tối đa 100)."
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        if isinstance(queryset, QuerySet):
            queryset = stable(queryset)
        return super().paginate_queryset(queryset, pagination, request, **params)


M = TypeVar("M", bound=Model)
Out = TypeVar("Out")


class Mapped(Sequence[Out], Generic[M, Out]):
    """A list operation's queryset in its stable order, each row of the page served turned into its
    answer by ``to_out``: the pagination slices it in SQL (one query for the page) and counts it. For
    lists whose items need more than the model's own fields."""

    def __init__(self, queryset: QuerySet[M], to_out: Callable[[M], Out]) -> None:
        self.queryset, self.to_out = stable(queryset), to_out

    def __len__(self) -> int:
        return self.queryset.count()

    @overload
    def __getitem__(self, index: int) -> Out: ...
    @overload
    def __getitem__(self, index: slice) -> list[Out]: ...
    def __getitem__(self, index: int | slice) -> Out | list[Out]:
        if isinstance(index, slice):
            return [self.to_out(row) for row in self.queryset[index]]
        return self.to_out(self.queryset[index])
