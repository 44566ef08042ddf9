"""The GraphStore contract: both adapters, the same data, the same answers.

Expected values are computed here from the LDBC CSV files with networkx and plain Python (not by
the stores), so a store bug cannot hide behind its own output.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest

from graph_db.audit import system_change
from graph_db.core.base import Transaction
from graph_db.errors import Conflict, NotFound
from graph_db.importers.ldbc import DATASET_NAME
from graph_db.paging import PageRequest, PersonOrderField, SortDirection
from graph_db.port import GraphStore
from graph_db.records import (
    CivilServantCreate,
    CivilServantUpdate,
    ExpertiseClaim,
    GraphBatch,
    PersonFilter,
    ProfileVisibility,
    ReferenceFilter,
    ReferenceKind,
    utc_now,
)


@pytest.fixture(scope="module")
def knows(ldbc_batch: GraphBatch) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(p.id for p in ldbc_batch.people)
    graph.add_edges_from((c.person_a, c.person_b) for c in ldbc_batch.connections)
    return graph


@pytest.fixture(scope="module")
def sample(ldbc_batch: GraphBatch) -> list[str]:
    return random.Random(11).sample([p.id for p in ldbc_batch.people], 40)


async def test_batch_reads_align_to_keys(ldbc_store: GraphStore) -> None:
    people = await ldbc_store.get_people(["933", "no-such-person", "933"])
    assert people[0] is not None and people[0].given_name == "Mahinda"
    assert people[1] is None and people[2] == people[0]
    assert await ldbc_store.expertise_of(["no-such-person"]) == [[]]
    countries = await ldbc_store.get_countries(["ID", "XX", "GB-ENG"])
    assert [c.name if c else None for c in countries] == ["Indonesia", None, "England"]


async def test_degrees_and_neighbours_match_networkx(
    ldbc_store: GraphStore, knows: nx.Graph, sample: list[str]
) -> None:
    assert await ldbc_store.connection_counts(sample) == [knows.degree(p) for p in sample]
    pages = await ldbc_store.connections_of(sample, page=PageRequest(limit=400))
    for person, page in zip(sample, pages, strict=True):
        assert {e.person_id for e in page.items} == set(knows[person])
        since = [e.since for e in page.items]
        assert since == sorted(since, reverse=True)


async def test_connection_pages_walk_both_ways(ldbc_store: GraphStore, knows: nx.Graph) -> None:
    hub = max(knows.degree, key=lambda d: d[1])[0]
    forward, after = [], None
    while True:
        (page,) = await ldbc_store.connections_of([hub], page=PageRequest(limit=13, after=after))
        forward += [e.person_id for e in page.items]
        if not page.has_next:
            break
        after = page.keys[-1]
    backward, before = [], None
    while True:
        (page,) = await ldbc_store.connections_of(
            [hub], page=PageRequest(limit=13, after=before, backward=True)
        )
        backward = [e.person_id for e in page.items] + backward
        if not page.has_previous:
            break
        before = page.keys[0]
    assert forward == backward and sorted(forward) == sorted(knows[hub]) and len(forward) == 340


async def test_person_filters_match_the_csv(ldbc_store: GraphStore, ldbc_batch: GraphBatch) -> None:
    by_country = defaultdict(int)
    for p in ldbc_batch.people:
        by_country[p.country_code] += 1
    for code in ("IN", "CN", "DE", "GB-ENG"):
        assert (
            await ldbc_store.count_people(filter=PersonFilter(country_code=code))
            == by_country[code]
        )

    # Expertise including narrower areas: tag class "Person" (LDBC) and everything under it.
    parents = defaultdict(set)
    for b in ldbc_batch.broader:
        parents[b.narrower_id].add(b.broader_id)

    def under(area: str, root: str) -> bool:
        seen, todo = set(), [area]
        while todo:
            a = todo.pop()
            if a == root:
                return True
            todo += [p for p in parents[a] if p not in seen]
            seen.add(a)
        return False

    root = next(
        e.id for e in ldbc_batch.expertise if e.id.startswith("tagclass-") and e.name == "Person"
    )
    holders = {c.person_id for c in ldbc_batch.expertise_claims if under(c.expertise_id, root)}
    assert await ldbc_store.count_people(filter=PersonFilter(expertise_id=root)) == len(holders)

    company = next(e.institution_id for e in ldbc_batch.employments)
    workers = {e.person_id for e in ldbc_batch.employments if e.institution_id == company}
    assert await ldbc_store.count_people(filter=PersonFilter(institution_id=company)) == len(
        workers
    )
    assert await ldbc_store.member_counts([company]) == [
        len([e for e in ldbc_batch.employments if e.institution_id == company])
    ]


@pytest.mark.parametrize("order", list(PersonOrderField))
@pytest.mark.parametrize("direction", list(SortDirection))
async def test_people_pages_follow_the_sort_order(
    ldbc_store: GraphStore, order: PersonOrderField, direction: SortDirection
) -> None:
    page = await ldbc_store.list_people(
        filter=PersonFilter(country_code="IN"),
        order=order,
        direction=direction,
        page=PageRequest(limit=60),
    )
    keys = page.keys
    assert keys == sorted(keys, reverse=direction is SortDirection.DESC)
    assert (
        len({k[1] for k in keys})
        == len(keys)
        == min(60, await ldbc_store.count_people(filter=PersonFilter(country_code="IN")))
    )


@pytest.mark.parametrize("kind", list(ReferenceKind))
async def test_reference_lists_walk_completely(ldbc_store: GraphStore, kind: ReferenceKind) -> None:
    f = ReferenceFilter(name_contains="an")
    total = await ldbc_store.count_reference(kind=kind, filter=f)
    seen, after = [], None
    while True:
        page = await ldbc_store.list_reference(
            kind=kind, filter=f, page=PageRequest(limit=100, after=after)
        )
        seen += [r.id for r in page.items]
        if not page.has_next:
            break
        after = page.keys[-1]
    assert len(seen) == len(set(seen)) == total


async def test_write_errors(ldbc_store: GraphStore) -> None:
    existing = (await ldbc_store.get_people(["933"]))[0]
    assert existing is not None
    with pytest.raises(Conflict):
        await ldbc_store.create_civil_servant(existing, change=system_change())
    with pytest.raises(NotFound):
        await ldbc_store.update_civil_servant(
            "no-such-person", CivilServantUpdate(city="X"), change=system_change()
        )
    with pytest.raises(NotFound):
        await ldbc_store.set_expertise(
            ExpertiseClaim(person_id="933", expertise_id="no-such-area", level=2),
            change=system_change(),
        )
    with pytest.raises(NotFound):
        await ldbc_store.remove_expertise("933", "talent-management", change=system_change())
    with pytest.raises(Conflict):
        await ldbc_store.bulk_load(GraphBatch(), dataset=DATASET_NAME)
    assert (await ldbc_store.get_people(["933"]))[0] == existing


async def test_an_edit_of_standalone_fields_answers_the_whole_profile_as_stored(
    ldbc_store: GraphStore, token: str
) -> None:
    """Such an edit (`STANDALONE_FIELDS`) skips the read of the stored profile; what it answers
    must still be the whole profile, the same as a read after it, with nothing else changed."""
    created = await ldbc_store.create_civil_servant(
        CivilServantCreate(
            given_name="Standalone", family_name=token, email=f"{token}@example.org", city="Hue"
        ).to_record(id=token, joined_at=utc_now()),
        change=system_change(),
    )
    try:
        update = CivilServantUpdate(
            bio=f"Edits {token} alone",
            languages=["vi", "en"],
            profile_visibility=ProfileVisibility.NETWORK,
            city=None,
        )
        answered = await ldbc_store.update_civil_servant(token, update, change=system_change())
        assert answered == (await ldbc_store.get_people([token]))[0]
        assert answered == created.model_copy(
            update={
                "bio": f"Edits {token} alone",
                "languages": ("vi", "en"),
                "profile_visibility": ProfileVisibility.NETWORK,
                "city": None,
            }
        )
        bios = [f"Edit {i} of {token}" for i in range(16)]
        edits = await asyncio.gather(
            *(
                ldbc_store.update_civil_servant(
                    token, CivilServantUpdate(bio=bio), change=system_change()
                )
                for bio in bios
            )
        )
        assert sorted(e.bio or "" for e in edits) == sorted(bios)
        final = (await ldbc_store.get_people([token]))[0]
        assert final is not None and final.bio in bios
        assert final.model_copy(update={"bio": None}) == answered.model_copy(update={"bio": None})
    finally:
        await ldbc_store.delete_civil_servant(token, change=system_change())


async def test_concurrent_identical_writes_make_one_relationship(
    ldbc_store: GraphStore, token: str
) -> None:
    person = await ldbc_store.create_civil_servant(
        CivilServantCreate(given_name="Concurrent", family_name=token).to_record(
            id=token, joined_at=utc_now()
        ),
        change=system_change(),
    )
    try:
        claim = ExpertiseClaim(person_id=person.id, expertise_id="talent-management", level=4)
        results = await asyncio.gather(
            *(ldbc_store.set_expertise(claim, change=system_change()) for _ in range(50)),
            return_exceptions=True,
        )
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert await ldbc_store.expertise_of([person.id]) == [[claim]]
        assert await ldbc_store.expert_counts(["talent-management"]) >= [1]

        async def register(i: int) -> object:
            record = CivilServantCreate(
                given_name=f"Twin{i}", email=f"{token}@example.org"
            ).to_record(id=f"{token}-{i}", joined_at=utc_now())
            return await ldbc_store.create_civil_servant(record, change=system_change())

        outcomes = await asyncio.gather(*(register(i) for i in range(20)), return_exceptions=True)
        created = [o for o in outcomes if not isinstance(o, BaseException)]
        assert len(created) == 1
        assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, BaseException))
        await ldbc_store.delete_civil_servant(created[0].id, change=system_change())  # type: ignore[attr-defined]
    finally:
        await ldbc_store.delete_civil_servant(person.id, change=system_change())


async def test_events_without_an_end_date(ldbc_store: GraphStore, token: str) -> None:
    """An open-ended event (no `end_date`) is stored with a null end on both stores (dated 1901,
    outside every period the analytics tests ask about: events cannot be deleted)."""
    from datetime import date

    from graph_db.records import Event, EventKind

    event = Event(
        id=token,
        title="Open-ended programme",
        kind=EventKind.PROGRAMME,
        start_date=date(1901, 1, 5),
    )
    assert await ldbc_store.create_event(event, organizers=[], change=system_change()) == event
    assert await ldbc_store.get_events([token]) == [event]


async def test_a_neighbourhood_is_what_the_batched_reads_give(
    ldbc_store: GraphStore, knows: nx.Graph, sample: list[str]
) -> None:
    """`neighbourhood` (one statement on Neo4j) against the batched reads it stands in for, and
    the degree and neighbours against networkx; forward pages past a cursor and a backward page."""
    hub = max(knows.degree, key=lambda d: d[1])[0]
    shown = {"institutions": 0, "areas": 0, "countries": 0}
    for person in [hub, *sample[:8]]:
        requests = [PageRequest(limit=13), PageRequest(limit=5, backward=True)]
        (first,) = await ldbc_store.connections_of([person], page=requests[0])
        if first.has_next:
            requests.append(PageRequest(limit=13, after=first.keys[-1]))
            requests.append(PageRequest(limit=4, after=first.keys[-1], backward=True))
        for request in requests:
            found = await ldbc_store.neighbourhood(person, page=request)
            (page,) = await ldbc_store.connections_of([person], page=request)
            ids = [person, *[e.person_id for e in page.items]]
            assert found.connections == page
            assert {e.person_id for e in page.items} <= set(knows[person])
            assert found.connection_count == knows.degree(person)
            people = await ldbc_store.get_people(ids)
            assert found.person == people[0]
            assert found.people == {p.id: p for p in people if p is not None}
            jobs = await ldbc_store.employments_of(ids)
            claims = await ldbc_store.expertise_of(ids)
            assert found.employments == dict(zip(ids, jobs, strict=True))
            assert found.expertise == dict(zip(ids, claims, strict=True))
            places = sorted({j.institution_id for js in jobs for j in js})
            areas = sorted({c.expertise_id for cs in claims for c in cs})
            codes = sorted({p.country_code for p in people if p and p.country_code})
            assert found.institutions == {
                i.id: i for i in await ldbc_store.get_institutions(places) if i
            }
            assert found.areas == {a.id: a for a in await ldbc_store.get_expertise(areas) if a}
            assert found.countries == {c.id: c for c in await ldbc_store.get_countries(codes) if c}
            for kind in shown:
                shown[kind] += len(getattr(found, kind))
    assert all(shown.values()), shown  # the cards had something of each kind to show
    nobody = await ldbc_store.neighbourhood("no-such-person", page=PageRequest(limit=5))
    assert nobody.person is None and nobody.connections.items == [] and nobody.people == {}


async def test_a_write_whose_caller_is_cancelled_leaves_nothing(
    ldbc_store: GraphStore, token: str
) -> None:
    """A request stopped mid-transaction (its store time limit, a client gone) rolls back what
    the transaction wrote so far; the store then takes the next write. On the embedded store the
    transaction runs on the writer's own loop, so the cancellation crosses threads."""
    from graph_db import properties as P
    from graph_db.core import cypher as C
    from graph_db.core.store import StoreCore

    assert isinstance(ldbc_store, StoreCore)
    record = CivilServantCreate(given_name="Cancelled", family_name=token).to_record(
        id=token, joined_at=utc_now()
    )
    wrote = threading.Event()

    async def work(tx: Transaction) -> None:
        await tx.run(C.CREATE_PERSON, P.person_props(record))
        wrote.set()
        await asyncio.sleep(60)

    write = asyncio.ensure_future(ldbc_store._write(work, change=system_change()))
    assert await asyncio.to_thread(wrote.wait, 30)
    write.cancel()
    with pytest.raises(asyncio.CancelledError):
        await write
    assert await ldbc_store.get_people([token]) == [None]
    created = await ldbc_store.create_civil_servant(record, change=system_change())
    try:
        assert await ldbc_store.get_people([token]) == [created]
    finally:
        await ldbc_store.delete_civil_servant(token, change=system_change())


async def test_closing_the_embedded_store_finishes_the_writes_handed_over(
    tmp_path: Path, token: str
) -> None:
    """A write handed to the writer just before `close()` (a request in flight at shutdown)
    commits, and its caller gets its answer, before the writer stops."""
    from graph_db.embedded import EmbeddedStore

    path = tmp_path / "closing.lbdb"
    record = CivilServantCreate(given_name="Late", family_name=token).to_record(
        id=token, joined_at=utc_now()
    )
    store = await EmbeddedStore.open(path)
    write = asyncio.ensure_future(store.create_civil_servant(record, change=system_change()))
    await asyncio.sleep(0)  # handed over to the writer loop
    await store.close()
    assert await asyncio.wait_for(write, 30) == record
    reopened = await EmbeddedStore.open(path)
    try:
        assert await reopened.get_people([token]) == [record]
    finally:
        await reopened.close()
