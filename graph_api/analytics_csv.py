"""`GET /analytics/ascc-indicators.csv?from=YYYY-MM-DD&until=YYYY-MM-DD[&country=ID]`: the ASCC
indicator report (`resolvers.indicators`) as CSV, for officials who work in spreadsheets.

Mounted behind the same `Authenticated` wrapper as `/graphql` (bearer token, body cap, rate limit),
and the same policy: verified members only. Errors leave as JSON `{"errors": [{message,
extensions: {code}}]}` with 400 (BAD_USER_INPUT, LIMIT_EXCEEDED), 401, 403 or 404.
"""

from __future__ import annotations

import uuid
from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from graph_api.settings import Settings
from graph_db.errors import StoreError
from resolvers.context import Context
from resolvers.errors import ApiError, BadUserInput
from resolvers.indicators import ascc_indicators, report_csv

STATUS = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "STORE_UNAVAILABLE": 503,
}


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise BadUserInput(f"{name} must be a date, YYYY-MM-DD", {"fields": [name]}) from exc


class IndicatorsCsv:
    """ASGI app of the CSV export; reads the viewer that `Authenticated` put in the scope."""

    def __init__(self, settings: Settings, viewer_key: str) -> None:
        self.settings = settings
        self.viewer_key = viewer_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        ctx = Context(
            store=request.state.store,
            request_id=request.headers.get("x-request-id") or uuid.uuid4().hex,
            viewer=scope[self.viewer_key],
            max_page_size=self.settings.max_page_size,
        )
        try:
            report = await ascc_indicators(
                ctx,
                request.query_params.get("country"),
                _date(request, "from"),
                _date(request, "until"),
            )
        except (ApiError, StoreError) as exc:
            code = exc.code
            body = {"data": None, "errors": [{"message": str(exc), "extensions": {"code": code}}]}
            headers = {"WWW-Authenticate": "Bearer"} if code == "UNAUTHENTICATED" else None
            await JSONResponse(body, status_code=STATUS.get(code, 400), headers=headers)(
                scope, receive, send
            )
            return
        # The country was validated against the graph's countries, so it is safe in a header.
        who = report.by_country[0].country if len(report.by_country) == 1 else "ASEAN"
        name = f"ascc-indicators-{who}-{report.start}-{report.until}.csv"
        await Response(
            report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )(scope, receive, send)
