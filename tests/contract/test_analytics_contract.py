"""Analytics reads of the GraphStore port on both stores, against the hand-built graph of
`tests/analytics_graph.py` (expected values derived by hand from its docstring, in comments)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from graph_db.analytics.records import (
    AnalyticsRun,
    GrowthKind,
    PairKind,
    PersonScore,
    Scope,
    ScoreMetric,
)
from graph_db.port import GraphStore
from graph_db.records import new_id, utc_now
from tests.analytics_graph import C1, C2, XA, XB, HandGraph, R, hand_fixture  # noqa: F401 (fixture `hand`)

BOTH = Scope(countries=(XA, XB))
YEAR_2031 = Scope(
    countries=(XA, XB),
    start=datetime(2031, 1, 1, tzinfo=UTC),
    end=datetime(2032, 1, 1, tzinfo=UTC),
)


async def test_people_by_country_verified_and_expert(
    ldbc_store: GraphStore, hand: HandGraph
) -> None:
    rows = await ldbc_store.analytics_people(BOTH)
    # a1 (verified expert), a2 (verified), a3; b1 (verified expert), b2.
    assert Counter({(r.country, r.verified, r.expert): r.count for r in rows}) == Counter(
        {
            (XA, True, True): 1,
            (XA, True, False): 1,
            (XA, False, False): 1,
            (XB, True, True): 1,
            (XB, False, False): 1,
        }
    )


async def test_relationship_pairs(ldbc_store: GraphStore, hand: HandGraph) -> None:
    connections = await ldbc_store.analytics_pairs(PairKind.CONNECTIONS, BOTH)
    # a1-a2 (XA XA); a1-b1, a2-b1 (XA XB); b1-b2 (XB XB); stored direction is not asserted.
    assert Counter(
        {tuple(sorted((p.country_a, p.country_b))): p.count for p in connections}
    ) == Counter({(XA, XA): 1, (XA, XB): 2, (XB, XB): 1})
    mentorships = await ldbc_store.analytics_pairs(PairKind.MENTORSHIPS, BOTH)
    expected = {
        (XA, XA, "ACTIVE"): 1,  # m1
        (XA, XA, "COMPLETED"): 1,  # m2
        (XA, XB, "ACTIVE"): 1,  # m3
        (XB, XB, "REQUESTED"): 1,  # m4
        (XB, XA, "DECLINED"): 1,  # m5
    }
    assert {(p.country_a, p.country_b, p.status): p.count for p in mentorships} == expected
    established = await ldbc_store.analytics_pairs(PairKind.MENTORSHIPS, BOTH, established=True)
    assert {(p.country_a, p.country_b, p.status): p.count for p in established} == {
        k: v for k, v in expected.items() if k[2] in ("ACTIVE", "COMPLETED")
    }
    april = Scope(
        countries=(XA, XB),
        start=datetime(2031, 4, 1, tzinfo=UTC),
        end=datetime(2031, 5, 1, tzinfo=UTC),
    )
    # Requested in April: m3 (04-01, the first instant of the period is inside) and m4 (04-20).
    dated = await ldbc_store.analytics_pairs(PairKind.MENTORSHIPS, april)
    assert {(p.country_a, p.country_b, p.status): p.count for p in dated} == {
        (XA, XB, "ACTIVE"): 1,
        (XB, XB, "REQUESTED"): 1,
    }
    endorsements = await ldbc_store.analytics_pairs(PairKind.ENDORSEMENTS, BOTH)
    # a2 → a1, b1 → a1, a1 → b1.
    assert {(p.country_a, p.country_b): p.count for p in endorsements} == {
        (XA, XA): 1,
        (XB, XA): 1,
        (XA, XB): 1,
    }


async def test_growth_per_month(ldbc_store: GraphStore, hand: HandGraph) -> None:
    def months(rows: list) -> dict[tuple[int, int], int]:
        return {(m.year, m.month): m.count for m in rows}

    # joinedAt: a1, a2 in January; a3 in February; b1, b2 in March.
    people = await ldbc_store.analytics_growth(GrowthKind.PEOPLE, YEAR_2031)
    assert months(people) == {(2031, 1): 2, (2031, 2): 1, (2031, 3): 2}
    # since: a1-a2 Feb; a1-b1 Mar; a2-b1, b1-b2 Apr.
    connections = await ldbc_store.analytics_growth(GrowthKind.CONNECTIONS, YEAR_2031)
    assert months(connections) == {(2031, 2): 1, (2031, 3): 1, (2031, 4): 2}
    # established by since: m1 Feb 10, m2 Mar 1, m3 Apr 5 (m4 requested, m5 declined).
    mentorships = await ldbc_store.analytics_growth(GrowthKind.MENTORSHIPS, YEAR_2031)
    assert months(mentorships) == {(2031, 2): 1, (2031, 3): 1, (2031, 4): 1}
    assert [(m.year, m.month) for m in people] == sorted((m.year, m.month) for m in people)


async def test_events_with_participants_per_country(
    ldbc_store: GraphStore, hand: HandGraph
) -> None:
    rows = await ldbc_store.analytics_events(start=date(2031, 1, 1), end=date(2032, 1, 1))
    mine = {hand.events[k]: k for k in hand.events}
    found = {
        (mine[r.event_id], r.event_country, r.participant_country, r.participants)
        for r in rows
        if r.event_id in mine
    }
    # E1 in XA: a1, a2 (XA) and b1 (XB); E2 in XB: b1, b2; E3 in XA: nobody.
    assert found == {
        ("E1", XA, XA, 2),
        ("E1", XA, XB, 1),
        ("E2", XB, XB, 2),
        ("E3", XA, None, 0),
    }
    march = await ldbc_store.analytics_events(start=date(2031, 3, 10), end=date(2031, 3, 11))
    assert {r.event_id for r in march} == {hand.events["E1"]}


async def test_coverage_rolls_up_the_taxonomy(ldbc_store: GraphStore, hand: HandGraph) -> None:
    areas = {R: await ldbc_store.area_and_narrower(R), C1: [C1], C2: [C2]}
    rows = await ldbc_store.analytics_coverage(areas, min_level=1)
    got = {(r.area_id, r.country, r.level): r.count for r in rows if r.country in (XA, XB)}
    assert got == {
        # R over R, C1, C2: best levels a1 4 (C1 beats R's 2), a2 2, a3 1, b1 5, b2 3.
        (R, XA, 4): 1,
        (R, XA, 2): 1,
        (R, XA, 1): 1,
        (R, XB, 5): 1,
        (R, XB, 3): 1,
        (C1, XA, 4): 1,  # a1
        (C1, XA, 2): 1,  # a2
        (C2, XA, 1): 1,  # a3
        (C2, XB, 5): 1,  # b1
        (C2, XB, 3): 1,  # b2
    }
    high = await ldbc_store.analytics_coverage({R: areas[R]}, min_level=3)
    # Level ≥ 3 only: a1 (C1 4), b1 (5), b2 (3).
    assert {(r.country, r.level): r.count for r in high if r.country in (XA, XB)} == {
        (XA, 4): 1,
        (XB, 5): 1,
        (XB, 3): 1,
    }


async def test_items_experts_and_mentors(ldbc_store: GraphStore, hand: HandGraph) -> None:
    items = await ldbc_store.analytics_items(start_year=2031, end_year=2031)
    # a1 and b1 wrote one item each in 2031 (a2's is from 2030); single authors.
    assert {(i.country, i.items, i.collaborative) for i in items if i.country in (XA, XB)} == {
        (XA, 1, 0),
        (XB, 1, 0),
    }
    both_years = await ldbc_store.analytics_items(start_year=2030, end_year=2031)
    assert {i.country: i.items for i in both_years}[XA] == 2
    experts = await ldbc_store.analytics_experts(
        countries=[XA, XB], end=datetime(2032, 1, 1, tzinfo=UTC)
    )
    # Experts a1 (areas R, C1) and b1 (C2): 2 experts, 3 distinct areas; per country 1/2 and 1/1.
    assert (experts[0].country, experts[0].experts, experts[0].areas) == (None, 2, 3)
    assert {(e.country, e.experts, e.areas) for e in experts[1:]} == {(XA, 1, 2), (XB, 1, 1)}
    before = await ldbc_store.analytics_experts(
        countries=[XA, XB], end=datetime(2031, 3, 1, tzinfo=UTC)
    )
    assert (before[0].experts, before[0].areas) == (1, 2)  # b1 joined on March 15
    mentors = await ldbc_store.top_mentors(countries=[XA, XB], limit=5)
    # Established mentees: a1 → a2, b1; a2 → a3. b1's and b2's mentorships are not established.
    assert [(m.person_id, m.mentees) for m in mentors] == [(hand["a1"], 2), (hand["a2"], 1)]


async def test_runs_are_stored_versioned_and_pruned(
    ldbc_store: GraphStore, hand: HandGraph
) -> None:
    def run(modularity: float) -> AnalyticsRun:
        return AnalyticsRun(
            id=new_id(),
            started_at=utc_now(),
            duration_s=0.5,
            parameters='{"test": true}',
            nodes=5,
            edges=4,
            communities=2,
            modularity=modularity,
            community_sizes=(3, 2),
        )

    scores = [
        PersonScore(person_id=hand[p], degree=d, pagerank=pr, betweenness=b, community=c)
        for p, d, pr, b, c in (
            ("a1", 2, 0.3, 0.5, 0),
            ("a2", 2, 0.2, 0.0, 0),
            ("a3", 0, 0.1, 0.0, 0),
            ("b1", 3, 0.25, 0.6, 1),
            ("b2", 1, 0.15, 0.0, 1),
        )
    ]
    first, second = run(0.1), run(0.2)
    await ldbc_store.save_analytics_run(first, scores, keep=5)
    await ldbc_store.save_analytics_run(second, scores, keep=1)
    runs = await ldbc_store.analytics_runs(limit=10)
    assert runs == [second]  # the first one was pruned (keep=1), the second reads back unchanged
    top = await ldbc_store.top_scores(second.id, ScoreMetric.BETWEENNESS, limit=2)
    assert [s.person_id for s in top] == [hand["b1"], hand["a1"]]
    assert await ldbc_store.scores_of(second.id, [hand["b2"], "nobody"]) == [scores[4], None]
    members = await ldbc_store.community_members(second.id, 1, limit=10)
    assert [m.person_id for m in members] == [hand["b1"], hand["b2"]]  # by PageRank
    assert await ldbc_store.top_scores(first.id, ScoreMetric.DEGREE, limit=5) == []
