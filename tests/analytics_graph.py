"""A small hand-built graph for the analytics tests: two countries, five people, mentorship chains.

Countries XA and XB are user-assigned ISO codes, so no real data falls in them; every figure the
tests expect is derived by hand in the test modules from the facts listed here.

People (joinedAt, verified, expert) and expertise (ACCSM taxonomy: R = public-sector-hrm with the
narrower C1 = talent-management and C2 = competency-management):
    XA  a1  2031-01-10  verified  expert   R level 2, C1 level 4
    XA  a2  2031-01-20  verified           C1 level 2
    XA  a3  2031-02-05                     C2 level 1
    XB  b1  2031-03-15  verified  expert   C2 level 5
    XB  b2  2031-03-20                     C2 level 3
Connections (since): a1–a2 02-01, a1–b1 03-16, a2–b1 04-02, b1–b2 04-10 (all 2031).
Mentorships (mentor → mentee, area, requested, status, since):
    m1 a1 → a2  C1  02-02  ACTIVE     02-10
    m2 a2 → a3  C1  02-20  COMPLETED  03-01 (until 05-01)
    m3 a1 → b1  C1  04-01  ACTIVE     04-05
    m4 b1 → b2  C2  04-20  REQUESTED
    m5 b2 → a3  C2  05-01  DECLINED
Endorsements (endorser → endorsee, area, at): a2 → a1 C1 03-01, b1 → a1 C1 04-03, a1 → b1 C2 04-04.
Events: E1 in XA 2031-03-10 (a1, a2, b1), E2 in XB 2031-06-01 (b1, b2), E3 in XA 2031-08-01 (none).
Portfolio items: a1 2031, b1 2031, a2 2030.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest_asyncio

from graph_db.audit import system_change
from graph_db.errors import Conflict
from graph_db.port import GraphStore
from graph_db.records import (
    CivilServant,
    Country,
    Endorsement,
    Event,
    EventKind,
    ExpertiseClaim,
    GraphBatch,
    Mentorship,
    MentorshipStatus,
    Participation,
    PortfolioItem,
    PortfolioKind,
    new_id,
)

R, C1, C2 = "public-sector-hrm", "talent-management", "competency-management"
XA, XB = "XA", "XB"


def at(month: int, day: int, year: int = 2031) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


@dataclass
class HandGraph:
    """Ids of the built graph (people ids are unique per build)."""

    people: dict[str, str]
    events: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.people[name]


async def build(store: GraphStore) -> HandGraph:
    """Create the graph described in the module docstring in `store`."""
    await store.upsert_batch(
        GraphBatch(countries=[Country(id=XA, name="Xanadu A"), Country(id=XB, name="Xanadu B")])
    )
    tag = new_id().lower()[-8:]
    specs = {
        "a1": (XA, at(1, 10), True, True),
        "a2": (XA, at(1, 20), True, False),
        "a3": (XA, at(2, 5), False, False),
        "b1": (XB, at(3, 15), True, True),
        "b2": (XB, at(3, 20), False, False),
    }
    ids = {name: f"an-{tag}-{name}" for name in specs}
    for name, (country, joined, verified, expert) in specs.items():
        await store.create_civil_servant(
            CivilServant(
                id=ids[name],
                given_name=name.upper(),
                display_name=f"{name.upper()} {tag}",
                country_code=country,
                joined_at=joined,
                verified=verified,
                is_expert=expert,
            ),
            change=system_change(),
        )
    for name, area, level in (
        ("a1", R, 2),
        ("a1", C1, 4),
        ("a2", C1, 2),
        ("a3", C2, 1),
        ("b1", C2, 5),
        ("b2", C2, 3),
    ):
        await store.set_expertise(
            ExpertiseClaim(person_id=ids[name], expertise_id=area, level=level),
            change=system_change(),
        )
    for a, b, when in (
        ("a1", "a2", at(2, 1)),
        ("a1", "b1", at(3, 16)),
        ("a2", "b1", at(4, 2)),
        ("b1", "b2", at(4, 10)),
    ):
        await store.request_connection(
            from_id=ids[a], to_id=ids[b], message=None, at=when, change=system_change()
        )
        await store.accept_connection(
            person_id=ids[b], requester_id=ids[a], at=when, change=system_change()
        )
    active, completed, declined = (
        [MentorshipStatus.ACTIVE],
        [MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED],
        [MentorshipStatus.DECLINED],
    )
    for mentor, mentee, area, requested, steps, since in (
        ("a1", "a2", C1, at(2, 2), active, at(2, 10)),
        ("a2", "a3", C1, at(2, 20), completed, at(3, 1)),
        ("a1", "b1", C1, at(4, 1), active, at(4, 5)),
        ("b1", "b2", C2, at(4, 20), [], None),
        ("b2", "a3", C2, at(5, 1), declined, at(5, 2)),
    ):
        m = await store.request_mentorship(
            Mentorship(
                id=new_id(),
                mentor_id=ids[mentor],
                mentee_id=ids[mentee],
                expertise_id=area,
                status=MentorshipStatus.REQUESTED,
                requested_at=requested,
            ),
            change=system_change(),
        )
        state = MentorshipStatus.REQUESTED
        for status in steps:
            when = at(5, 1) if status is MentorshipStatus.COMPLETED else since
            assert when is not None
            await store.set_mentorship_status(
                m.id, expected=[state], status=status, at=when, change=system_change()
            )
            state = status
    for endorser, endorsee, area, when in (
        ("a2", "a1", C1, at(3, 1)),
        ("b1", "a1", C1, at(4, 3)),
        ("a1", "b1", C2, at(4, 4)),
    ):
        await store.endorse(
            Endorsement(
                endorser_id=ids[endorser], endorsee_id=ids[endorsee], expertise_id=area, at=when
            ),
            change=system_change(),
        )
    # Events cannot be deleted through the port, so their ids are fixed and a second build (the
    # contract and the API modules each build the graph) reuses them.
    events = {name: f"analytics-test-{name.lower()}" for name in ("E1", "E2", "E3")}
    for name, country, day, people in (
        ("E1", XA, date(2031, 3, 10), ["a1", "a2", "b1"]),
        ("E2", XB, date(2031, 6, 1), ["b1", "b2"]),
        ("E3", XA, date(2031, 8, 1), []),
    ):
        with contextlib.suppress(Conflict):
            await store.create_event(
                Event(
                    id=events[name],
                    title=f"Analytics test {name}",
                    kind=EventKind.WORKSHOP,
                    start_date=day,
                    end_date=day,
                    country_code=country,
                ),
                organizers=[],
                change=system_change(),
            )
        for person in people:
            await store.record_participation(
                Participation(person_id=ids[person], event_id=events[name], role="participant"),
                change=system_change(),
            )
    for name, year in (("a1", 2031), ("b1", 2031), ("a2", 2030)):
        await store.add_portfolio_item(
            PortfolioItem(
                id=new_id(),
                author_id=ids[name],
                kind=PortfolioKind.PROJECT,
                title=f"Project of {name}",
                year=year,
            ),
            about=[],
            change=system_change(),
        )
    return HandGraph(people=ids, events=events)


async def tear_down(store: GraphStore, graph: HandGraph) -> None:
    """Delete the people (with their relationships and portfolio items); countries and events stay
    (the port has no deletes for them), dated 2031 in XA/XB, where no other test looks."""
    for person_id in graph.people.values():
        await store.delete_civil_servant(person_id, change=system_change())


@pytest_asyncio.fixture(name="hand", scope="module", loop_scope="session")
async def hand_fixture(ldbc_store: GraphStore) -> AsyncIterator[HandGraph]:
    """The hand-built graph in the current backend's store, for one test module (import it)."""
    graph = await build(ldbc_store)
    yield graph
    await tear_down(ldbc_store, graph)
