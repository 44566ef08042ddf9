"""Data protection: `exportMyData`, everything stored about the signed-in civil servant as one
JSON document (issue #13, item 10).

Sections: the profile (private fields included), employments, education, expertise, portfolio
(authored, with areas and co-authors, and co-authored), events, connections, pending connection
requests both ways, endorsements received and given, mentorships as mentor and mentee,
introductions asked and asked of them, expert status history, notifications, and the audit
entries of which they are the actor. Lists are read whole, page by page (`MAX_ROWS` per list).
Keys are camelCase; timestamps ISO 8601 UTC.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from graph_db.errors import NotFound
from graph_db.paging import Page, PageRequest
from graph_db.records import utc_now
from resolvers.context import Context

T = TypeVar("T")
PAGE = 1_000
MAX_ROWS = 100_000
"""Most rows exported per list (a safety cap far above any real profile)."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _json(value: Any) -> Any:
    """Records and containers as JSON-able values with camelCase keys."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, dict):
        return {_camel(str(k)): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


async def _all(fetch: Callable[[PageRequest], Awaitable[Page[T]]]) -> list[T]:
    """Every item of a keyset-paged list, up to `MAX_ROWS`."""
    items: list[T] = []
    page = await fetch(PageRequest(limit=PAGE))
    items += page.items
    while page.has_next and len(items) < MAX_ROWS:
        page = await fetch(PageRequest(limit=PAGE, after=page.keys[-1]))
        items += page.items
    return items[:MAX_ROWS]


async def export_my_data(ctx: Context) -> dict[str, Any]:
    """Everything stored about the caller, as one JSON-able document.

    Raises:
        Unauthenticated: anonymous. NotFound: the caller has no profile.
    """
    me = ctx.viewer.require_person()
    s = ctx.store
    ids = [me]
    person = (await s.get_people(ids))[0]
    if person is None:
        raise NotFound("you have no profile to export")
    # One read each (a few dozen in all, once per export); sequential keeps them typed.
    employments = await s.employments_of(ids)
    studies = await s.studies_of(ids)
    expertise = await s.expertise_of(ids)
    authored = await s.portfolio_of(ids)
    coauthored = await s.coauthored_by(ids)
    events = await s.participations_of(ids)
    received_requests = await s.connection_requests(ids, incoming=True)
    sent_requests = await s.connection_requests(ids, incoming=False)
    endorsed_by = await s.endorsements_of(ids)
    endorsed = await s.endorsements_given(ids)
    mentoring = await s.mentorships_of(ids, as_mentor=True)
    mentored = await s.mentorships_of(ids, as_mentor=False)
    asked = await s.introductions_of(ids, as_introducer=False)
    introducing = await s.introductions_of(ids, as_introducer=True)
    expert_history = await s.expert_history(ids)
    items = authored[0]
    about = await s.about_of([i.id for i in items])
    coauthors = await s.coauthors_of([i.id for i in items])
    connections = await _all(lambda page: _first(s.connections_of(ids, page=page)))
    notifications = await _all(lambda page: s.notifications(me, unread_only=False, page=page))
    audit = await _all(lambda page: s.audit_trail(actor_id=me, action=None, page=page))
    document: dict[str, Any] = _json(
        {
            "exported_at": utc_now(),
            "profile": person,
            "employments": employments[0],
            "education": studies[0],
            "expertise": expertise[0],
            "portfolio": {
                "authored": [
                    _json(item) | {"about": a, "coAuthorIds": c}
                    for item, a, c in zip(items, about, coauthors, strict=True)
                ],
                "co_authored": coauthored[0],
            },
            "events": events[0],
            "connections": connections,
            "connection_requests": {"received": received_requests[0], "sent": sent_requests[0]},
            "endorsements": {"received": endorsed_by[0], "given": endorsed[0]},
            "mentorships": {"as_mentor": mentoring[0], "as_mentee": mentored[0]},
            "introductions": {"asked": asked[0], "asked_of_me": introducing[0]},
            "expert_status_history": expert_history[0],
            "notifications": notifications,
            "audit_entries": audit,
        }
    )
    return document


async def _first(pages: Awaitable[list[Page[T]]]) -> Page[T]:
    return (await pages)[0]
