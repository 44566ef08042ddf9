"""`GET /analytics/ascc-indicators.csv?from=YYYY-MM-DD&until=YYYY-MM-DD[&country=ID]`: the ASCC
indicator report (`resolvers.indicators`) as CSV, for officials who work in spreadsheets.

Behind the same edge as `/graphql` (request id, bearer token, body cap, rate limit: see
`graph_api.middleware`), with the same per-request context and the same policy: verified members
only. Errors are raised and leave as JSON `{"errors": [{message, extensions: {code, …}}]}` through
`CodedErrorsMiddleware`, with 400 (BAD_USER_INPUT, LIMIT_EXCEEDED), 401, 403, 404 or 503.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from starlette.requests import Request
from starlette.responses import Response

from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.indicators import ascc_indicators, report_csv


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise BadUserInput(f"{name} must be a date, YYYY-MM-DD", {"fields": [name]}) from exc


def indicators_csv(
    build_context: Callable[[Request], Context],
) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint of the CSV export.

    Args:
        build_context: makes a request's `Context` (the one `/graphql` uses).

    Returns:
        An endpoint answering `text/csv` with a `Content-Disposition` file name. It raises
        `ApiError` or `StoreError` for bad dates or country, a caller not signed in or not
        verified, a period over the limit or the store unavailable; `CodedErrorsMiddleware`
        answers those as coded JSON.
    """

    async def endpoint(request: Request) -> Response:
        report = await ascc_indicators(
            build_context(request),
            request.query_params.get("country"),
            _date(request, "from"),
            _date(request, "until"),
        )
        # The country was validated against the graph's countries, so it is safe in a header.
        who = report.by_country[0].country if len(report.by_country) == 1 else "ASEAN"
        name = f"ascc-indicators-{who}-{report.start}-{report.until}.csv"
        return Response(
            report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return endpoint
