"""The institution hierarchy, and admins' corrections of reference data: updates and merges of
institutions, expertise areas and events, on both stores (issue #13, item 4).

Every expected answer is derived by hand from the records each test sets up (in the comments).
Counts of relationships are read from the store with untyped patterns (`-[r]-`), which see every
relationship type, not only those the merge knows about. Records are fresh and named with the
test's token; expertise areas sit under `negotiation-and-protocol`, institutions and events have
no country, so the lists other tests compare (top-level areas, lists by country) stay the same.
"""

from __future__ import annotations

from typing import Any

from graph_db.audit import system_change
from graph_db.core import cypher as C
from graph_db.core.search import FIELDS_OF
from graph_db.port import GraphStore
from schema.ids import decode_id, encode_id
from tests.conftest import AREA, Api, api_over

UNDER = encode_id("Expertise", "negotiation-and-protocol")

CREATE_INSTITUTION = """mutation ($i: CreateInstitutionInput!) {
  createInstitution(input: $i) { institution { id } } }"""
UPDATE_INSTITUTION = """mutation ($i: UpdateInstitutionInput!) {
  updateInstitution(input: $i) { institution { id name acronym parent { id } } } }"""
MERGE_INSTITUTIONS = """mutation ($s: ID!, $t: ID!) { mergeInstitutions(source: $s, target: $t) {
  relationshipsMoved relationshipsFolded institution { id name } } }"""
HIERARCHY = """query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) { ... on Institution { name parent { id }
    units(first: $first, after: $after, last: $last, before: $before) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { id name parent { id } } } } } } }"""
CREATE_AREA = """mutation ($i: CreateExpertiseAreaInput!) {
  createExpertiseArea(input: $i) { expertise { id } } }"""
UPDATE_AREA = """mutation ($i: UpdateExpertiseAreaInput!) {
  updateExpertiseArea(input: $i) { expertise { id name description broader { id } } } }"""
MERGE_AREAS = """mutation ($s: ID!, $t: ID!) { mergeExpertiseAreas(source: $s, target: $t) {
  relationshipsMoved relationshipsFolded expertise { id } } }"""
CREATE_EVENT = """mutation ($i: CreateEventInput!) { createEvent(input: $i) { event { id } } }"""
UPDATE_EVENT = """mutation ($i: UpdateEventInput!) {
  updateEvent(input: $i) { event { id title startDate endDate organizers { id } } } }"""
MERGE_EVENTS = """mutation ($s: ID!, $t: ID!) { mergeEvents(source: $s, target: $t) {
  relationshipsMoved relationshipsFolded event { id } } }"""
ADD_JOB = (
    """mutation ($i: AddEmploymentInput!) { addEmployment(input: $i) { employment { id } } }"""
)
ADD_STUDY = """mutation ($i: AddEducationInput!) { addEducation(input: $i) { education { id } } }"""
PERSON = """query ($id: ID!) { civilServant(id: $id) {
  employments { position sinceYear untilYear institution { id } }
  education { degree year institution { id } }
  events { role event { id } }
  expertise { level years expertise { id } }
  endorsements { count expertise { id } }
  mentors { expertise { id } } } }"""
TRAIL = """query ($a: String!) { auditTrail(action: $a, first: 20) { edges { node { subjectIds } } } }"""


def gid(type_name: str, node_id: str) -> str:
    return encode_id(type_name, node_id)


async def institution(api: Api, name: str, part_of: str | None = None) -> str:
    data: dict[str, Any] = {"name": name, "kind": "AGENCY"}
    if part_of:
        data["partOf"] = part_of
    return str(
        (await api.data(CREATE_INSTITUTION, {"i": data}))["createInstitution"]["institution"]["id"]
    )


async def area(api: Api, name: str, broader: str = UNDER) -> str:
    found = await api.data(CREATE_AREA, {"i": {"name": name, "broader": broader}})
    return str(found["createExpertiseArea"]["expertise"]["id"])


async def event(api: Api, title: str, organizers: list[str]) -> str:
    data = {"title": title, "kind": "WORKSHOP", "startDate": "2020-03-02", "organizers": organizers}
    return str((await api.data(CREATE_EVENT, {"i": data}))["createEvent"]["event"]["id"])


async def hierarchy(api: Api, node: str, **page: Any) -> dict[str, Any]:
    return dict((await api.data(HIERARCHY, {"id": node, **page}))["node"])


async def relationship_count(store: GraphStore, label: str, global_id: str) -> int:
    """Relationships of every type of the model, either direction, at the node (untyped: every
    type counts), less the embedded search index's postings (`C.INDEX_RELATIONSHIPS`), which a
    merge rebuilds rather than moves."""
    node_id = decode_id(global_id, label)
    query = f"MATCH (n:{label} {{id: $id}})-[r]-() RETURN count(r)"
    every = int((await store._read(query, {"id": node_id}))[0][0])  # type: ignore[attr-defined]
    if label not in FIELDS_OF or store.backend != "embedded":  # type: ignore[attr-defined]
        return every
    (index,) = C.INDEX_RELATIONSHIPS
    postings = f"MATCH (n:{label} {{id: $id}})-[r:{index}]->() RETURN count(r)"
    return every - int((await store._read(postings, {"id": node_id}))[0][0])  # type: ignore[attr-defined]


async def exists(store: GraphStore, label: str, global_id: str) -> bool:
    node_id = decode_id(global_id, label)
    query = f"MATCH (n:{label} {{id: $id}}) RETURN count(n)"
    return bool((await store._read(query, {"id": node_id}))[0][0])  # type: ignore[attr-defined]


async def audited(api: Api, action: str, *subjects: str) -> bool:
    """Whether the audit trail holds an entry of `action` naming every one of `subjects`."""
    edges = (await api.data(TRAIL, {"a": action}))["auditTrail"]["edges"]
    return any(set(subjects) <= set(e["node"]["subjectIds"]) for e in edges)


def subject(type_name: str, global_id: str) -> str:
    return f"{type_name}:{decode_id(global_id, type_name)}"


def fields(error: dict[str, Any]) -> list[str]:
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return [f["field"] for f in error["extensions"]["fields"]]


# ---- the hierarchy ----
async def test_units_page_by_name_then_id_both_ways(api: Api, token: str) -> None:
    parent = await institution(api, f"{token} Ministry")
    names = [
        "Zebra Unit",
        "bureau of Budget",
        "Archive Office",
        "Bureau of Budget",
        "Civil Registry",
    ]
    names.append("Bureau of Audit")
    made = {}
    for name in names:
        made[await institution(api, f"{token} {name}", parent)] = name
    # By name ignoring case (sortName is the case-folded name), then by id for the two names
    # that fold alike: archive, audit, the two budgets (by id), civil, zebra.
    budgets = sorted(
        (gid_ for gid_, n in made.items() if n.lower() == "bureau of budget"),
        key=lambda g: decode_id(g, "Institution"),
    )
    by_name = {n: g for g, n in made.items()}
    expected = [
        by_name["Archive Office"],
        by_name["Bureau of Audit"],
        *budgets,
        by_name["Civil Registry"],
        by_name["Zebra Unit"],
    ]

    anonymous = api.anonymous()  # reference data is public
    seen: list[str] = []
    after = None
    for more in (True, True, False):
        found = await hierarchy(anonymous, parent, first=2, after=after)
        units = found["units"]
        assert units["totalCount"] == 6 and units["pageInfo"]["hasNextPage"] is more
        assert all(e["node"]["parent"] == {"id": parent} for e in units["edges"])
        seen += [e["node"]["id"] for e in units["edges"]]
        after = units["pageInfo"]["endCursor"]
    assert seen == expected

    last = (await hierarchy(anonymous, parent, last=2))["units"]
    assert [e["node"]["id"] for e in last["edges"]] == expected[4:]
    assert last["pageInfo"]["hasPreviousPage"] is True
    before = await hierarchy(anonymous, parent, last=2, before=last["pageInfo"]["startCursor"])
    assert [e["node"]["id"] for e in before["units"]["edges"]] == expected[2:4]

    top = await hierarchy(anonymous, parent, first=1)
    assert top["parent"] is None
    leaf = await hierarchy(anonymous, expected[0], first=5)
    assert leaf["units"]["totalCount"] == 0 and leaf["units"]["edges"] == []


async def test_a_parent_never_makes_a_cycle_and_chains_stay_within_ten_levels(
    api: Api, token: str
) -> None:
    a = await institution(api, f"{token} A")
    b = await institution(api, f"{token} B", a)
    c = await institution(api, f"{token} C", b)  # c → b → a

    for parent in (c, b, a):  # a unit of a (directly or not), or a itself
        error = await api.error(UPDATE_INSTITUTION, {"i": {"id": a, "parent": parent}})
        assert fields(error) == ["parent"]
    missing = gid("Institution", f"{token}-missing")
    error = await api.error(UPDATE_INSTITUTION, {"i": {"id": a, "parent": missing}})
    assert error["extensions"]["code"] == "NOT_FOUND"
    # Nothing was written: a has no parent, c is still under b, and no update was audited.
    assert (await hierarchy(api, a, first=5))["parent"] is None
    assert (await hierarchy(api, c, first=5))["parent"] == {"id": b}
    assert not await audited(api, "updateInstitution", subject("Institution", a))

    moved = await api.data(
        UPDATE_INSTITUTION, {"i": {"id": c, "parent": a, "name": f"{token} C renamed"}}
    )
    assert moved["updateInstitution"]["institution"] == {
        "id": c,
        "name": f"{token} C renamed",
        "acronym": None,
        "parent": {"id": a},
    }
    assert (await hierarchy(api, b, first=5))["units"]["totalCount"] == 0
    assert [e["node"]["id"] for e in (await hierarchy(api, a, first=5))["units"]["edges"]] == [b, c]
    assert await audited(
        api, "updateInstitution", subject("Institution", c), subject("Institution", a)
    )
    cleared = await api.data(UPDATE_INSTITUTION, {"i": {"id": c, "parent": None}})
    assert cleared["updateInstitution"]["institution"]["parent"] is None

    # A chain of 10 steps (d0 ← d1 ← … ← d10) takes no 11th, on create or on update.
    chain = [await institution(api, f"{token} D0")]
    for depth in range(1, 11):
        chain.append(await institution(api, f"{token} D{depth}", chain[-1]))
    error = await api.error(
        CREATE_INSTITUTION, {"i": {"name": f"{token} D11", "kind": "AGENCY", "partOf": chain[-1]}}
    )
    assert fields(error) == ["partOf"]
    x = await institution(api, f"{token} X")
    await institution(api, f"{token} Y", x)  # x has a unit: x under d9 would be 9 + 1 + 1 = 11
    error = await api.error(UPDATE_INSTITUTION, {"i": {"id": x, "parent": chain[9]}})
    assert fields(error) == ["parent"]
    assert (await hierarchy(api, x, first=1))["parent"] is None
    fits = await api.data(UPDATE_INSTITUTION, {"i": {"id": x, "parent": chain[8]}})  # 8 + 1 + 1
    assert fits["updateInstitution"]["institution"]["parent"] == {"id": chain[8]}


# ---- merges ----
async def test_merging_institutions_moves_every_relationship(
    api: Api, ldbc_store: GraphStore, token: str, trio: list[str]
) -> None:
    p = await institution(api, f"{token} P")
    q = await institution(api, f"{token} Q")
    source = await institution(api, f"{token} Source", q)
    target = await institution(api, f"{token} Target", p)
    u1 = await institution(api, f"{token} U1", source)
    u2 = await institution(api, f"{token} U2", target)
    one, two = (gid("CivilServant", t) for t in trio[:2])

    async def job(person: str, where: str, since: int, until: int | None, position: str) -> None:
        data = {
            "civilServantId": person,
            "institutionId": where,
            "sinceYear": since,
            "untilYear": until,
            "position": position,
        }
        await api.data(ADD_JOB, {"i": data})

    async def study(person: str, where: str, year: int, degree: str | None) -> None:
        data = {"civilServantId": person, "institutionId": where, "year": year, "degree": degree}
        await api.data(ADD_STUDY, {"i": data})

    await job(one, source, 2010, 2012, "Analyst")  # the same start year as at the target: folds
    await job(one, target, 2010, None, "Senior analyst")
    await job(one, source, 2015, None, "Head")
    await job(two, source, 2012, None, "Clerk")
    await study(one, source, 2001, "MPA")  # folds into the target's, whose degree is null
    await study(one, target, 2001, None)
    await study(two, source, 2000, "BA")
    both = await event(api, f"{token} Both", [source, target])
    alone = await event(api, f"{token} Alone", [source])
    posted = await api.as_(trio[2]).data(
        """mutation ($i: PostExpertiseRequestInput!) { postExpertiseRequest(input: $i) {
             expertiseRequest { id } } }""",
        {
            "i": {
                "title": "Help",
                "kind": "ADVICE",
                "expertise": [gid("Expertise", AREA)],
                "institution": source,
            }
        },
    )
    request = posted["postExpertiseRequest"]["expertiseRequest"]["id"]

    # The source: parent q, unit u1, 3 jobs, 2 studies, 2 events = 9; the target: parent p,
    # unit u2, 1 job, 1 study, 1 event = 5.
    assert await relationship_count(ldbc_store, "Institution", source) == 9
    assert await relationship_count(ldbc_store, "Institution", target) == 5
    merged = (await api.data(MERGE_INSTITUTIONS, {"s": source, "t": target}))["mergeInstitutions"]
    # Moved: u1, one's 2015 job, two's job and study, the "Alone" event, the request's
    # institution = 6. Folded: the parent q (the target keeps p), one's 2010 job and 2001 study,
    # the "Both" event = 4.
    assert (merged["relationshipsMoved"], merged["relationshipsFolded"]) == (6, 4)
    assert merged["institution"] == {"id": target, "name": f"{token} Target"}
    assert not await exists(ldbc_store, "Institution", source)
    assert await relationship_count(ldbc_store, "Institution", target) == 5 + 5

    after = await hierarchy(api, target, first=5)
    assert after["parent"] == {"id": p}
    assert [e["node"]["id"] for e in after["units"]["edges"]] == [u1, u2]
    assert (await hierarchy(api, q, first=5))["units"]["totalCount"] == 0
    first = (await api.data(PERSON, {"id": one}))["civilServant"]
    assert sorted(
        (j["institution"]["id"], j["sinceYear"], j["untilYear"], j["position"])
        for j in first["employments"]
    ) == [(target, 2010, 2012, "Senior analyst"), (target, 2015, None, "Head")]
    assert [(s["institution"]["id"], s["year"], s["degree"]) for s in first["education"]] == [
        (target, 2001, "MPA")
    ]
    second = (await api.data(PERSON, {"id": two}))["civilServant"]
    assert [(j["institution"]["id"], j["position"]) for j in second["employments"]] == [
        (target, "Clerk")
    ]
    assert [(s["institution"]["id"], s["degree"]) for s in second["education"]] == [(target, "BA")]
    members = await api.data(
        "query ($id: ID!) { node(id: $id) { ... on Institution { members { totalCount } } } }",
        {"id": target},
    )
    assert members["node"]["members"]["totalCount"] == 3
    for e in (both, alone):
        found = await api.data(
            "query ($id: ID!) { node(id: $id) { ... on Event { organizers { id } } } }", {"id": e}
        )
        assert found["node"]["organizers"] == [{"id": target}]
    found = await api.data(
        "query ($id: ID!) { expertiseRequest(id: $id) { institution { id } } }", {"id": request}
    )
    assert found["expertiseRequest"]["institution"] == {"id": target}
    assert await audited(
        api, "mergeInstitutions", subject("Institution", source), subject("Institution", target)
    )


async def test_merging_areas_moves_claims_taxonomy_items_endorsements_and_requests(
    api: Api, ldbc_store: GraphStore, token: str, trio: list[str], member: str
) -> None:
    source = await area(api, f"{token} Treaty drafting")
    target = await area(api, f"{token} Treaty writing")
    narrower = await area(api, f"{token} Bilateral treaties", source)
    m, t0 = gid("CivilServant", member), gid("CivilServant", trio[0])

    async def claim(person: str, where: str, level: int, years: int | None) -> None:
        await api.data(
            """mutation ($i: SetExpertiseInput!) { setExpertise(input: $i) { __typename } }""",
            {"i": {"civilServantId": person, "expertiseId": where, "level": level, "years": years}},
        )

    await claim(m, source, 4, 3)  # folds into m's claim of the target: the higher level and years
    await claim(m, target, 2, None)
    await claim(t0, source, 2, 1)
    await api.data(
        """mutation ($i: AddPortfolioItemInput!) { addPortfolioItem(input: $i) { __typename } }""",
        {"i": {"authorId": t0, "kind": "TALK", "title": "On treaties", "about": [source]}},
    )
    endorse = """mutation ($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) {
      __typename } }"""
    for person, where in ((m, source), (m, target), (t0, source)):
        await api.as_(trio[1]).data(endorse, {"p": person, "e": where})
    await api.as_(trio[0]).data(
        """mutation ($m: ID!, $e: ID!) { requestMentorship(mentor: $m, expertise: $e) {
             __typename } }""",
        {"m": m, "e": source},
    )
    post = """mutation ($i: PostExpertiseRequestInput!) { postExpertiseRequest(input: $i) {
      expertiseRequest { id } } }"""
    requests = []
    for areas in ([source, target], [source]):
        data = {"title": "Help", "kind": "REVIEW", "expertise": areas}
        posted = await api.as_(trio[2]).data(post, {"i": data})
        requests.append(posted["postExpertiseRequest"]["expertiseRequest"]["id"])

    # The source: broader, narrower, 2 claims, the item, 2 requests = 7; the target: broader,
    # m's claim, the first request = 3.
    assert await relationship_count(ldbc_store, "Expertise", source) == 7
    assert await relationship_count(ldbc_store, "Expertise", target) == 3
    merged = (await api.data(MERGE_AREAS, {"s": source, "t": target}))["mergeExpertiseAreas"]
    # Moved: the narrower area, t0's claim, the item, the second request, t1's endorsement of t0
    # and t0's mentorship (they name the area) = 6. Folded: the broader area (the target has
    # it), m's claim, the first request's need, t1's second endorsement of m = 4.
    assert (merged["relationshipsMoved"], merged["relationshipsFolded"]) == (6, 4)
    assert not await exists(ldbc_store, "Expertise", source)
    assert await relationship_count(ldbc_store, "Expertise", target) == 3 + 4

    experts = await api.data(
        """query ($id: ID!) { node(id: $id) { ... on Expertise { broader { id } narrower { id }
             experts { edges { level years node { id } } } } } }""",
        {"id": target},
    )
    node = experts["node"]
    assert node["broader"] == [{"id": UNDER}] and node["narrower"] == [{"id": narrower}]
    assert [(e["node"]["id"], e["level"], e["years"]) for e in node["experts"]["edges"]] == [
        (m, 4, 3),
        (t0, 2, 1),
    ]
    mine = (await api.data(PERSON, {"id": m}))["civilServant"]
    assert [(e["expertise"]["id"], e["count"]) for e in mine["endorsements"]] == [(target, 1)]
    theirs = (await api.data(PERSON, {"id": t0}))["civilServant"]
    assert [(e["expertise"]["id"], e["count"]) for e in theirs["endorsements"]] == [(target, 1)]
    assert [x["expertise"]["id"] for x in theirs["mentors"]] == [target]
    item = await api.data(
        "query ($id: ID!) { civilServant(id: $id) { portfolio { about { id } } } }", {"id": t0}
    )
    assert item["civilServant"]["portfolio"][0]["about"] == [{"id": target}]
    for r in requests:
        found = await api.data(
            "query ($id: ID!) { expertiseRequest(id: $id) { expertise { id } } }", {"id": r}
        )
        assert found["expertiseRequest"]["expertise"] == [{"id": target}]
    assert await audited(
        api, "mergeExpertiseAreas", subject("Expertise", source), subject("Expertise", target)
    )

    # The taxonomy refuses a cycle: the target under its own narrower area.
    error = await api.error(UPDATE_AREA, {"i": {"id": target, "broader": [narrower]}})
    assert fields(error) == ["broader"]
    renamed = await api.data(
        UPDATE_AREA, {"i": {"id": target, "name": f"{token} Treaties", "description": "All"}}
    )
    assert renamed["updateExpertiseArea"]["expertise"] == {
        "id": target,
        "name": f"{token} Treaties",
        "description": "All",
        "broader": [{"id": UNDER}],
    }


async def test_merging_events_and_updating_one(
    api: Api, ldbc_store: GraphStore, token: str, trio: list[str]
) -> None:
    i1 = await institution(api, f"{token} I1")
    i2 = await institution(api, f"{token} I2")
    source = await event(api, f"{token} Source", [i1, i2])
    target = await event(api, f"{token} Target", [i1])
    t0, t1 = (gid("CivilServant", p) for p in trio[:2])
    record = """mutation ($p: ID!, $e: ID!, $r: String) { recordParticipation(input:
      {civilServantId: $p, eventId: $e, role: $r}) { __typename } }"""
    for person, where, role in ((t0, source, "speaker"), (t0, target, None), (t1, source, "chair")):
        await api.data(record, {"p": person, "e": where, "r": role})

    # The source: 2 organizers, 2 participants = 4; the target: 1 + 1 = 2.
    assert await relationship_count(ldbc_store, "Event", source) == 4
    merged = (await api.data(MERGE_EVENTS, {"s": source, "t": target}))["mergeEvents"]
    # Moved: i2, t1 = 2. Folded: i1, t0 (the target's role was null: it takes "speaker") = 2.
    assert (merged["relationshipsMoved"], merged["relationshipsFolded"]) == (2, 2)
    assert await relationship_count(ldbc_store, "Event", target) == 2 + 2
    for person, role in ((t0, "speaker"), (t1, "chair")):
        events = (await api.data(PERSON, {"id": person}))["civilServant"]["events"]
        assert [(e["event"]["id"], e["role"]) for e in events] == [(target, role)]

    wrong = await api.error(UPDATE_EVENT, {"i": {"id": target, "endDate": "2020-03-01"}})
    assert fields(wrong) == ["endDate"]
    changed = await api.data(
        UPDATE_EVENT,
        {
            "i": {
                "id": target,
                "title": f"{token} Renamed",
                "endDate": "2020-03-05",
                "organizers": [i2],
            }
        },
    )
    assert changed["updateEvent"]["event"] == {
        "id": target,
        "title": f"{token} Renamed",
        "startDate": "2020-03-02",
        "endDate": "2020-03-05",
        "organizers": [{"id": i2}],
    }


async def test_a_refused_merge_writes_nothing(
    api: Api, ldbc_store: GraphStore, token: str, trio: list[str]
) -> None:
    target = await institution(api, f"{token} Target")
    unit = await institution(api, f"{token} Unit", target)
    source = await institution(api, f"{token} Source", unit)  # source → unit → target
    below = await institution(api, f"{token} Below", source)
    person = gid("CivilServant", trio[0])
    await api.data(
        ADD_JOB, {"i": {"civilServantId": person, "institutionId": source, "sinceYear": 2011}}
    )
    organized = await event(api, f"{token} Event", [source])
    before = await relationship_count(ldbc_store, "Institution", source)
    assert before == 4  # unit (parent), below, the job, the event

    # The target has no parent, so it would take the source's, its own unit: a cycle. The
    # statements before the check (the job, the event, `below`) are rolled back with it.
    error = await api.error(MERGE_INSTITUTIONS, {"s": source, "t": target})
    assert fields(error) == ["source"]
    assert await exists(ldbc_store, "Institution", source)
    assert await relationship_count(ldbc_store, "Institution", source) == before
    assert await relationship_count(ldbc_store, "Institution", target) == 1
    kept = await hierarchy(api, source, first=5)
    assert kept["parent"] == {"id": unit}
    assert [e["node"]["id"] for e in kept["units"]["edges"]] == [below]
    jobs = (await api.data(PERSON, {"id": person}))["civilServant"]["employments"]
    assert [j["institution"]["id"] for j in jobs] == [source]
    found = await api.data(
        "query ($id: ID!) { node(id: $id) { ... on Event { organizers { id } } } }",
        {"id": organized},
    )
    assert found["node"]["organizers"] == [{"id": source}]
    assert not await audited(api, "mergeInstitutions", subject("Institution", source))

    assert fields(await api.error(MERGE_INSTITUTIONS, {"s": target, "t": target})) == ["target"]
    missing = gid("Institution", f"{token}-missing")
    for s, t in ((missing, target), (target, missing)):
        error = await api.error(MERGE_INSTITUTIONS, {"s": s, "t": t})
        assert error["extensions"]["code"] == "NOT_FOUND"
    error = await api.error(MERGE_INSTITUTIONS, {"s": organized, "t": target})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"

    # A unit merged into its parent: the link between them is dropped, the unit's unit moves up.
    merged = (await api.data(MERGE_INSTITUTIONS, {"s": unit, "t": target}))["mergeInstitutions"]
    assert (merged["relationshipsMoved"], merged["relationshipsFolded"]) == (1, 1)
    assert (await hierarchy(api, source, first=1))["parent"] == {"id": target}


async def test_only_admins_correct_reference_data(api: Api, token: str, member: str) -> None:
    one = await institution(api, f"{token} One")
    two = await institution(api, f"{token} Two")
    a1 = await area(api, f"{token} Area one")
    a2 = await area(api, f"{token} Area two")
    e1 = await event(api, f"{token} Event one", [])
    e2 = await event(api, f"{token} Event two", [])
    attempts = [
        (UPDATE_INSTITUTION, {"i": {"id": one, "name": "Taken over"}}),
        (MERGE_INSTITUTIONS, {"s": one, "t": two}),
        (UPDATE_AREA, {"i": {"id": a1, "name": "Taken over"}}),
        (MERGE_AREAS, {"s": a1, "t": a2}),
        (UPDATE_EVENT, {"i": {"id": e1, "title": "Taken over"}}),
        (MERGE_EVENTS, {"s": e1, "t": e2}),
    ]
    for who, code in ((api.as_(member), "FORBIDDEN"), (api.anonymous(), "UNAUTHENTICATED")):
        for query, variables in attempts:
            assert (await who.error(query, variables))["extensions"]["code"] == code
    names = await api.data(
        """query ($a: ID!, $b: ID!, $c: ID!) { a: node(id: $a) { ... on Institution { name } }
             b: node(id: $b) { ... on Expertise { name } } c: node(id: $c) { ... on Event { title } } }""",
        {"a": one, "b": a1, "c": e1},
    )
    assert names == {
        "a": {"name": f"{token} One"},
        "b": {"name": f"{token} Area one"},
        "c": {"title": f"{token} Event one"},
    }
    error = await api.error(UPDATE_INSTITUTION, {"i": {"id": one, "name": "  "}})
    assert fields(error) == ["name"]


async def test_a_renamed_institution_shows_at_once_here_and_within_the_ttl_elsewhere(
    ldbc_store: GraphStore, token: str
) -> None:
    """Reference records are remembered by the process (`ReferenceRecords`): a mutation through
    it forgets them at once; a change written elsewhere (here: straight to the store, as another
    process would) shows after `reference_ttl_s`, and at once with 0."""
    read = "query ($id: ID!) { node(id: $id) { ... on Institution { name } } }"
    for ttl_s in (60, 0):
        async with api_over(ldbc_store, reference_ttl_s=ttl_s) as api:
            made = await institution(api, f"{token} Office {ttl_s}")
            assert (await api.data(read, {"id": made}))["node"]["name"] == f"{token} Office {ttl_s}"
            renamed = {"i": {"id": made, "name": f"{token} Bureau {ttl_s}"}}
            await api.data(UPDATE_INSTITUTION, renamed)
            assert (await api.data(read, {"id": made}))["node"]["name"] == f"{token} Bureau {ttl_s}"
            (record,) = await ldbc_store.get_institutions([decode_id(made, "Institution")])
            assert record is not None
            await ldbc_store.update_institution(
                record.model_copy(update={"name": f"{token} Agency {ttl_s}"}),
                part_of=None,
                change=system_change(),
            )
            seen = (await api.data(read, {"id": made}))["node"]["name"]
            assert seen == (f"{token} Bureau {ttl_s}" if ttl_s else f"{token} Agency {ttl_s}")
