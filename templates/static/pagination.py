"""Cursor pagination: pages of a list operation that fetch the pages after them on demand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    from typing import Self

    from ._base_client import AsyncAPIClient, RequestParams, SyncAPIClient

__all__ = ["AsyncCursorIDPage", "AsyncPaginator", "PageRequest", "SyncCursorIDPage"]

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT", bound="AsyncCursorIDPage[Any]")

CURSOR_PARAM = "starting_after"
"""The query parameter that requests the items after a cursor."""

CURSOR_FIELD = "id"
"""The item field whose value, on a page's last item, is the cursor of the next page."""

HAS_MORE_FIELD = "has_more"
"""The response field that states whether more items follow this page."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    """The request of one page, kept so that the next page is requested with the same arguments."""

    method: str
    path: str
    params: RequestParams
    cast: Callable[[Any], object]
    items: str
    """The Python name of the response model's field that contains the page's items."""

    def after(self, cursor: str) -> PageRequest:
        """Return the request for the items after `cursor`, with every other argument kept."""
        query: Mapping[str, object] = self.params.get("query") or {}
        params: RequestParams = {
            **self.params,
            "query": {**query, CURSOR_PARAM: cursor},
        }
        return replace(self, params=params)


class _CursorIDPage(Generic[ItemT]):
    """What the sync and async pages share: the parsed response and the next cursor.

    Attributes of the response model (`has_more`, `total_count` and the items
    field by its own name) are readable on the page too.
    """

    def __init__(self, *, request: PageRequest, model: object) -> None:
        self._request = request
        self._model = model
        items = getattr(model, request.items, None)
        self.items: list[ItemT] = list(items) if items else []

    @property
    def model(self) -> object:
        """The whole parsed response of this page."""
        return self._model

    def __getattr__(self, name: str) -> Any:
        # Only called for names the page itself lacks; private names never reach the model.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._model, name)

    def _next_cursor(self) -> str | None:
        if not self.items:
            return None
        cursor = getattr(self.items[-1], CURSOR_FIELD, None)
        return cursor if isinstance(cursor, str) and cursor else None

    def has_next_page(self) -> bool:
        """Tell whether another page follows: the server reports more and this page ends with an id."""
        if getattr(self._model, HAS_MORE_FIELD, None) is False:
            return False
        return self._next_cursor() is not None

    def _next_request(self) -> PageRequest:
        cursor = self._next_cursor()
        if cursor is None or not self.has_next_page():
            raise RuntimeError(
                "No next page: check `has_next_page()` before calling `get_next_page()`"
            )
        return self._request.after(cursor)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.items)} has_more={self.has_next_page()}>"


# NOTE: Stainless SDKs define one page class per list (`SyncDevboxesCursorIDPage`); this SDK has
# one generic class per client kind, so code that imports those per-list names finds none.
class SyncCursorIDPage(_CursorIDPage[ItemT]):
    """One page of a list; iterating over it yields every item of this page and the pages after it."""

    def __init__(
        self, *, client: SyncAPIClient, request: PageRequest, model: object
    ) -> None:
        super().__init__(request=request, model=model)
        self._client = client

    def get_next_page(self) -> Self:
        """Request the page after this one.

        Raises:
            RuntimeError: there is no next page.
        """
        return self._client.fetch_page(type(self), self._next_request())

    def iter_pages(self) -> Iterator[Self]:
        """Yield this page, then each following page as it is requested."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.items


class AsyncCursorIDPage(_CursorIDPage[ItemT]):
    """One page of a list for the async client; `async for` yields the items of every page."""

    def __init__(
        self, *, client: AsyncAPIClient, request: PageRequest, model: object
    ) -> None:
        super().__init__(request=request, model=model)
        self._client = client

    async def get_next_page(self) -> Self:
        """Request the page after this one.

        Raises:
            RuntimeError: there is no next page.
        """
        return await self._client.fetch_page(type(self), self._next_request())

    async def iter_pages(self) -> AsyncIterator[Self]:
        """Yield this page, then each following page as it is requested."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Generic[ItemT, PageT]):
    """What an async list method returns: await it for the first page, or `async for` every item."""

    def __init__(
        self, client: AsyncAPIClient, page_class: type[PageT], request: PageRequest
    ) -> None:
        self._client = client
        self._page_class = page_class
        self._request = request

    def __await__(self) -> Generator[Any, None, PageT]:
        return self._client.fetch_page(self._page_class, self._request).__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self
        async for item in page:
            yield cast(ItemT, item)
