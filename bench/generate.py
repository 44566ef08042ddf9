"""A deterministic synthetic civil-service graph for benchmarks, as one `ColumnarBatch`.

The connection network is the Holme–Kim power-law clustered graph (networkx's
`powerlaw_cluster_graph(n, m=10, p=0.3)`, here `powerlaw_cluster_edges`, which gives the same
edges for the same seed with a fraction of the memory): about `10 × n` connections, a
heavy-tailed degree distribution and high clustering, as professional networks have. Around it,
drawn from one seeded NumPy generator so that a seed always gives the same graph:

- countries: ACCSM's 11 ASEAN members and the Plus Three (ids and groups from reference data);
- institutions: 40 per country (ministries, agencies, academies, universities);
- expertise: 12 top-level areas with 8 narrower areas each (`BROADER` taxonomy, 108 areas);
- each person works at one institution of their country (skewed: a few big ministries), holds
  1–4 areas at levels 1–5, and a fifth of the people (those past the first 50) are mentored by an
  earlier-joined connection, which makes a forest of mentorship trees.

Names are drawn from short lists per country; in Indonesia and Myanmar a third of the people
have a single name (DESIGN.md: sorting and search never assume a family name).

People, connections, employments, expertise claims and mentorships are built as Arrow columns,
never as records: 1M people and 10M connections take about 1 GB to make (the networkx graph and
pydantic records took 15.6 GB). The draws are the ones the record-building generator made, in
the same order, so every size gives the same graph as before.
"""

from __future__ import annotations

import random
from array import array
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graph_db.records import (
    Broader,
    ColumnarBatch,
    Country,
    CountryGroup,
    Expertise,
    GraphBatch,
    Institution,
    InstitutionKind,
    MentorshipStatus,
    ProfileVisibility,
    search_text,
    sort_name,
)

DEFAULT_SEED = 20_260_101
CONNECTIONS_PER_PERSON = 10  # Holme-Kim m: edges each new person adds
TRIANGLE_PROBABILITY = 0.3  # Holme-Kim p: chance of closing a triangle after each edge
INSTITUTIONS_PER_COUNTRY = 40
TOP_AREAS = 12
NARROWER_PER_AREA = 8
MENTORED_SHARE = 0.2
EPOCH = datetime(2019, 1, 1, tzinfo=UTC)  # A-EXPECS launched in 2019

COUNTRIES = {
    "BN": ("Brunei Darussalam", CountryGroup.ASEAN_MEMBER),
    "KH": ("Cambodia", CountryGroup.ASEAN_MEMBER),
    "ID": ("Indonesia", CountryGroup.ASEAN_MEMBER),
    "LA": ("Lao PDR", CountryGroup.ASEAN_MEMBER),
    "MY": ("Malaysia", CountryGroup.ASEAN_MEMBER),
    "MM": ("Myanmar", CountryGroup.ASEAN_MEMBER),
    "PH": ("Philippines", CountryGroup.ASEAN_MEMBER),
    "SG": ("Singapore", CountryGroup.ASEAN_MEMBER),
    "TH": ("Thailand", CountryGroup.ASEAN_MEMBER),
    "VN": ("Viet Nam", CountryGroup.ASEAN_MEMBER),
    "TL": ("Timor-Leste", CountryGroup.ASEAN_MEMBER),
    "CN": ("China", CountryGroup.PLUS_THREE),
    "JP": ("Japan", CountryGroup.PLUS_THREE),
    "KR": ("Republic of Korea", CountryGroup.PLUS_THREE),
}
# Rough weights: bigger civil services get more members.
COUNTRY_WEIGHTS = [1, 3, 12, 2, 6, 5, 8, 3, 7, 7, 1, 10, 6, 5]
SINGLE_NAME_COUNTRIES = {"ID", "MM"}
GIVEN = [
    "Ayu",
    "Budi",
    "Citra",
    "Dewi",
    "Hiroshi",
    "Jin",
    "Kyaw",
    "Linh",
    "Mai",
    "Min",
    "Nurul",
    "Rizal",
    "Siti",
    "Somchai",
    "Thida",
    "Wei",
    "Yuki",
    "Aung",
    "Maria",
    "José",
    "Ana",
    "Nguyễn",
]
FAMILY = [
    "Santoso",
    "Wijaya",
    "Tan",
    "Lim",
    "Nguyen",
    "Tran",
    "Reyes",
    "Cruz",
    "Sato",
    "Kim",
    "Park",
    "Chen",
    "Wang",
    "Phan",
    "Sokha",
    "Chanthavong",
    "Abdullah",
    "Rahman",
    "Soares",
]
KINDS = [
    InstitutionKind.MINISTRY,
    InstitutionKind.AGENCY,
    InstitutionKind.ACADEMY,
    InstitutionKind.UNIVERSITY,
]
AREAS = [
    "Human resource management",
    "Public sector innovation",
    "Leadership development",
    "Digital government",
    "Performance management",
    "Civil service ethics",
    "Policy analysis",
    "Public finance",
    "Training and learning",
    "Recruitment and selection",
    "Gender mainstreaming",
    "Organisational design",
]


def person_id(index: int, prefix: str = "gen") -> str:
    """Id of the generated person number `index` (0-based): `gen-p-000042`-style, sortable."""
    return f"{prefix}-p-{index:06d}"


class _Open:
    """The neighbours of a node not yet linked to the new node, in insertion order: the list that
    networkx builds for its triangle step, as a lazy sequence (`random.choice` needs only `len`
    and indexing), so the same draw picks the same neighbour without copying a hub's list.

    Args:
        row: the node's neighbours in the order their edges were made.
        skip: sorted positions in `row` of the neighbours to leave out.
    """

    __slots__ = ("row", "skip")

    def __init__(self, row: array[int], skip: list[int]) -> None:
        self.row = row
        self.skip = skip

    def __len__(self) -> int:
        return len(self.row) - len(self.skip)

    def __getitem__(self, index: int) -> int:
        for position in self.skip:
            if position > index:
                break
            index += 1
        return self.row[index]


def powerlaw_cluster_edges(n: int, m: int, p: float, *, seed: int) -> np.ndarray:
    """The edges of networkx's `powerlaw_cluster_graph(n, m, p, seed=seed)` (Holme and Kim,
    "Growing scale-free networks with tunable clustering", Phys. Rev. E 65, 026107, 2002).

    The same algorithm and the same draws from the same `random.Random(seed)`, so the same edges
    in the same order as that graph's `edges()`; adjacency is kept in int32 arrays instead of
    networkx's dicts: about 0.8 GB at n = 1M, m = 10 (networkx: over 10 GB).

    Args:
        n: nodes, numbered 0 … n-1 (n > m).
        m: edges each new node adds (fewer when a preferential target is already linked by a
            triangle step, as in networkx).
        p: probability of closing a triangle after each edge.
        seed: seed of Python's `random.Random`.

    Returns:
        An `(edges, 2)` int64 array of `(u, v)` with `u < v`, sorted by `u` then `v`.
    """
    rng = random.Random(seed)
    choice, draw = rng.choice, rng.random
    adjacency = [array("i") for _ in range(n)]
    repeated = array("i", range(m))  # each node once per edge end: preferential attachment
    ends = array("i")  # (earlier node, new node) pairs, flattened
    for source in range(m, n):
        targets: set[int] = set()
        while len(targets) < m:
            targets.add(choice(repeated))
        linked: list[int] = []  # the new node's neighbours so far
        target = node = targets.pop()
        for count in range(1, m + 1):
            if node not in linked:  # networkx's add_edge of an existing edge changes nothing
                adjacency[source].append(node)
                adjacency[node].append(source)
                linked.append(node)
            repeated.append(node)
            if count == m:
                break
            if draw() < p:  # triangle step: a neighbour of the last target not yet linked
                row = adjacency[target]
                skip = sorted(row.index(x) for x in (*linked, source) if x in row)
                if len(row) > len(skip):
                    node = choice(_Open(row, skip))
                    continue
            target = node = targets.pop()
        repeated.extend(array("i", [source]) * m)
        for node in linked:
            ends.extend((node, source))
    edges = np.frombuffer(ends, dtype=np.int32).reshape(-1, 2).astype(np.int64)
    del adjacency, repeated, ends
    return edges[np.lexsort((edges[:, 1], edges[:, 0]))]


def _days(days: np.ndarray) -> pa.Array:
    """Days after `EPOCH` as UTC timestamps (microseconds, as records' datetimes)."""
    start = np.datetime64(EPOCH.replace(tzinfo=None), "us")
    return pa.array(start + days.astype("timedelta64[D]"), pa.timestamp("us", tz="UTC"))


def _pick(values: list[str | None], index: np.ndarray) -> pa.Array:
    """`values[index[i]]` for each i, as an Arrow string column."""
    return pa.array(values, pa.string()).take(pa.array(index))


def generate(people: int, *, seed: int = DEFAULT_SEED, prefix: str = "gen") -> ColumnarBatch:
    """A synthetic graph of `people` civil servants and about `10 × people` connections.

    Args:
        people: number of civil servants (≥ 100).
        seed: seed of the NumPy generator and of the Holme–Kim graph; the same seed gives the
            same batch.
        prefix: first part of every generated id (`gen-p-000042`, `gen-i-id-03`, `gen-area-01`,
            `gen-m-000077`), so that tests can load a graph beside other data.

    Returns:
        A `ColumnarBatch` for `GraphStore.bulk_load`: countries, institutions, expertise and
        BROADER as records; people, connections, employments, expertise claims and mentorships
        as columns. 1M people take about 2 minutes and 1 GB of memory.
    """
    rng = np.random.default_rng(seed)
    codes = list(COUNTRIES)
    countries = [Country(id=c, name=n, group=g) for c, (n, g) in COUNTRIES.items()]
    institution_ids = [
        f"{prefix}-i-{c.lower()}-{k:02d}" for c in codes for k in range(INSTITUTIONS_PER_COUNTRY)
    ]
    institutions = [
        Institution.model_construct(
            id=institution_ids[ci * INSTITUTIONS_PER_COUNTRY + k],
            name=f"{AREAS[k % len(AREAS)].split()[0]} {KINDS[k % 4].value.title()} {k} ({c})",
            acronym=None,
            kind=KINDS[k % 4],
            country_code=c,
        )
        for ci, c in enumerate(codes)
        for k in range(INSTITUTIONS_PER_COUNTRY)
    ]
    top = [f"{prefix}-area-{t:02d}" for t in range(TOP_AREAS)]
    narrow = [(t, k) for t in range(TOP_AREAS) for k in range(NARROWER_PER_AREA)]
    expertise = [
        Expertise.model_construct(id=a, name=AREAS[t], description=None) for t, a in enumerate(top)
    ] + [
        Expertise.model_construct(
            id=f"{top[t]}-{k}", name=f"{AREAS[t]}: topic {k}", description=None
        )
        for t, k in narrow
    ]
    broader = [Broader(narrower_id=f"{top[t]}-{k}", broader_id=top[t]) for t, k in narrow]
    areas = [e.id for e in expertise]

    weights = np.array(COUNTRY_WEIGHTS, dtype=float) / sum(COUNTRY_WEIGHTS)
    country_ix = rng.choice(len(codes), size=people, p=weights)
    given_ix = rng.integers(len(GIVEN), size=people)
    family_ix = rng.integers(len(FAMILY), size=people)
    single = rng.random(people) < 1 / 3
    joined_days = np.sort(rng.integers(0, 6 * 365, size=people))  # earlier index joined earlier
    ids = pa.array([person_id(i, prefix) for i in range(people)], pa.string())
    people_table = _people(people, ids, codes, country_ix, given_ix, family_ix, single, joined_days)

    edges = powerlaw_cluster_edges(people, CONNECTIONS_PER_PERSON, TRIANGLE_PROBABILITY, seed=seed)
    later = np.maximum(joined_days[edges[:, 0]], joined_days[edges[:, 1]])
    since_days = later + rng.integers(0, 365, size=len(edges))
    connections = pa.table(
        {
            "from": ids.take(pa.array(edges[:, 0])),
            "to": ids.take(pa.array(edges[:, 1])),
            "since": _days(since_days),
        }
    )
    del later, since_days

    # Employment: a Zipf-like skew, so a few ministries have thousands of members.
    inst_rank = np.minimum(rng.zipf(1.3, size=people) - 1, INSTITUTIONS_PER_COUNTRY - 1)
    years = rng.integers(0, 25, size=people)
    employments = pa.table(
        {
            "from": ids,
            "to": _pick(institution_ids, country_ix * INSTITUTIONS_PER_COUNTRY + inst_rank),
            "position": pa.repeat("Officer", people),
            "since": pa.array(2000 + years, pa.int64()),
            "until": pa.nulls(people, pa.int64()),
        }
    )

    claim_counts = rng.integers(1, 5, size=people)
    claim_area = np.empty(int(claim_counts.sum()), dtype=np.int64)
    claim_level = np.empty_like(claim_area)
    at = 0
    for count in claim_counts.tolist():  # the draws of the record generator, one person at a time
        claim_area[at : at + count] = rng.choice(len(areas), size=count, replace=False)
        claim_level[at : at + count] = rng.integers(1, 6, size=count)
        at += count
    claims = pa.table(
        {
            "from": ids.take(pa.array(np.repeat(np.arange(people), claim_counts))),
            "to": _pick(areas, claim_area),
            "level": pa.array(claim_level, pa.int64()),
            "years": pa.nulls(len(claim_area), pa.int64()),
        }
    )

    # Mentorship forest: mentee i's mentor is the earliest-joined of the connections who joined
    # before them (the smallest smaller index), if any.
    earliest = np.full(people, people, dtype=np.int64)
    np.minimum.at(earliest, edges[:, 1], edges[:, 0])
    del edges
    mentored = np.flatnonzero(rng.random(people) < MENTORED_SHARE)
    status_ix = rng.choice(3, size=len(mentored), p=[0.6, 0.3, 0.1])
    keep = (earliest[mentored] < people) & (mentored >= 50)
    mentees, status_ix = mentored[keep], status_ix[keep]
    return ColumnarBatch(
        records=GraphBatch.model_construct(
            countries=countries,
            institutions=institutions,
            expertise=expertise,
            broader=broader,
            events=[],
            organized=[],
            people=[],
            connections=[],
            employments=[],
            studies=[],
            expertise_claims=[],
            participations=[],
            mentorships=[],
        ),
        columns={
            "people": people_table,
            "connections": connections,
            "employments": employments,
            "expertise_claims": claims,
            "mentorships": _mentorships(
                ids, mentees, earliest[mentees], status_ix, joined_days, areas, prefix
            ),
        },
    )


def _people(
    people: int,
    ids: pa.Array,
    codes: list[str],
    country_ix: np.ndarray,
    given_ix: np.ndarray,
    family_ix: np.ndarray,
    single: np.ndarray,
    joined_days: np.ndarray,
) -> pa.Table:
    """The people's columns, as `graph_db.properties.person_props` makes them from records."""
    single_name = np.isin(country_ix, [codes.index(c) for c in SINGLE_NAME_COUNTRIES]) & single
    # Derived names are computed once per distinct (given, family) pair: a few hundred.
    pair = given_ix * (len(FAMILY) + 1) + np.where(single_name, 0, family_ix + 1)
    pairs, which = np.unique(pair, return_inverse=True)
    given = [GIVEN[int(c) // (len(FAMILY) + 1)] for c in pairs]
    family = [
        FAMILY[int(c) % (len(FAMILY) + 1) - 1] if c % (len(FAMILY) + 1) else None for c in pairs
    ]
    display = [f"{g} {f}" if f else g for g, f in zip(given, family, strict=True)]
    none = pa.nulls(people, pa.string())
    return pa.table(
        {
            "id": ids,
            "givenName": _pick(given, which),
            "familyName": _pick(family, which),
            "displayName": _pick(display, which),
            "email": none,
            "countryCode": _pick(codes, country_ix),
            "city": none,
            "position": pa.repeat("Officer", people),
            "grade": none,
            "bio": none,
            "languages": pa.ListArray.from_arrays(
                pa.array(np.zeros(people + 1, dtype=np.int32)), pa.array([], pa.string())
            ),
            "photoUrl": none,
            "joinedAt": _days(joined_days),
            "verified": pa.repeat(True, people),
            "isExpert": pa.repeat(False, people),
            "sortName": _pick([sort_name(g, f) for g, f in zip(given, family, strict=True)], which),
            "searchText": _pick(
                [search_text(d, g, f) for d, g, f in zip(display, given, family, strict=True)],
                which,
            ),
            "phone": none,
            "profileVisibility": pa.repeat(ProfileVisibility.PUBLIC.value, people),
        }
    )


def _mentorships(
    ids: pa.Array,
    mentees: np.ndarray,
    mentors: np.ndarray,
    status_ix: np.ndarray,
    joined_days: np.ndarray,
    areas: list[str],
    prefix: str,
) -> pa.Table:
    """MENTORS columns, as `graph_db.properties.mentors_row` makes them from records: requested
    30 days after the mentee joined, accepted 7 days later unless still requested, completed 200
    days after the request."""
    kinds = [MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED, MentorshipStatus.REQUESTED]
    requested = joined_days[mentees] + 30
    since = _days(requested + 7)
    until = _days(requested + 200)
    is_requested = pa.array(status_ix == kinds.index(MentorshipStatus.REQUESTED))
    is_completed = pa.array(status_ix == kinds.index(MentorshipStatus.COMPLETED))
    nulls = pa.nulls(len(mentees), since.type)
    return pa.table(
        {
            "from": ids.take(pa.array(mentors)),
            "to": ids.take(pa.array(mentees)),
            "id": pa.array([f"{prefix}-m-{m:06d}" for m in mentees.tolist()], pa.string()),
            "expertiseId": _pick(areas, mentees % len(areas)),
            "goal": pa.nulls(len(mentees), pa.string()),
            "status": _pick([k.value for k in kinds], status_ix),
            "requestedAt": _days(requested),
            "since": pc.if_else(is_requested, nulls, since),
            "until": pc.if_else(is_completed, until, nulls),
        }
    )
