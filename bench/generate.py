"""A deterministic synthetic civil-service graph for benchmarks, as one `GraphBatch`.

The connection network is networkx's Holme–Kim power-law clustered graph
(`powerlaw_cluster_graph(n, m=10, p=0.3)`): about `10 × n` connections, a heavy-tailed degree
distribution and high clustering, as professional networks have. Around it, drawn from one seeded
NumPy generator so that a seed always gives the same graph:

- countries: ACCSM's 11 ASEAN members and the Plus Three (ids and groups from reference data);
- institutions: 40 per country (ministries, agencies, academies, universities);
- expertise: 12 top-level areas with 8 narrower areas each (`BROADER` taxonomy, 108 areas);
- each person works at one institution of their country (skewed: a few big ministries), holds
  1–4 areas at levels 1–5, and a fifth of the people (those past the first 50) are mentored by an
  earlier-joined connection, which makes a forest of mentorship trees.

Names are drawn from short lists per country; in Indonesia and Myanmar a third of the people
have a single name (DESIGN.md: sorting and search never assume a family name).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import networkx as nx
import numpy as np

from graph_db.records import (
    Broader,
    CivilServant,
    Connection,
    Country,
    CountryGroup,
    Employment,
    Expertise,
    ExpertiseClaim,
    GraphBatch,
    Institution,
    InstitutionKind,
    Mentorship,
    MentorshipStatus,
    ProfileVisibility,
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


def person_id(index: int) -> str:
    """Id of the generated person number `index` (0-based): `gen-p-000042`-style, sortable."""
    return f"gen-p-{index:06d}"


def generate(people: int, *, seed: int = DEFAULT_SEED) -> GraphBatch:
    """A synthetic graph of `people` civil servants and about `10 × people` connections.

    Args:
        people: number of civil servants (≥ 100).
        seed: seed of the NumPy generator and of networkx; the same seed gives the same batch.

    Returns:
        A `GraphBatch` for `GraphStore.bulk_load`: countries, institutions, expertise + BROADER,
        people, connections, employments, expertise claims and mentorships. Records are built with
        `model_construct` (values are valid by construction) to keep 1M connections fast to make.
    """
    rng = np.random.default_rng(seed)
    codes = list(COUNTRIES)
    countries = [Country(id=c, name=n, group=g) for c, (n, g) in COUNTRIES.items()]
    institutions = [
        Institution.model_construct(
            id=f"gen-i-{c.lower()}-{k:02d}",
            name=f"{AREAS[k % len(AREAS)].split()[0]} {KINDS[k % 4].value.title()} {k} ({c})",
            acronym=None,
            kind=KINDS[k % 4],
            country_code=c,
        )
        for c in codes
        for k in range(INSTITUTIONS_PER_COUNTRY)
    ]
    top = [f"gen-area-{t:02d}" for t in range(TOP_AREAS)]
    narrow = [f"gen-area-{t:02d}-{k}" for t in range(TOP_AREAS) for k in range(NARROWER_PER_AREA)]
    expertise = [
        Expertise.model_construct(id=a, name=AREAS[t], description=None) for t, a in enumerate(top)
    ] + [
        Expertise.model_construct(
            id=a, name=f"{AREAS[int(a[9:11])]}: topic {a[-1]}", description=None
        )
        for a in narrow
    ]
    broader = [Broader(narrower_id=a, broader_id=a[:11]) for a in narrow]
    areas = top + narrow

    weights = np.array(COUNTRY_WEIGHTS, dtype=float) / sum(COUNTRY_WEIGHTS)
    country_ix = rng.choice(len(codes), size=people, p=weights)
    given_ix = rng.integers(len(GIVEN), size=people)
    family_ix = rng.integers(len(FAMILY), size=people)
    single = rng.random(people) < 1 / 3
    joined_days = np.sort(rng.integers(0, 6 * 365, size=people))  # earlier index joined earlier
    ids = [person_id(i) for i in range(people)]
    persons = []
    for i in range(people):
        code = codes[country_ix[i]]
        given = GIVEN[given_ix[i]]
        family = None if code in SINGLE_NAME_COUNTRIES and single[i] else FAMILY[family_ix[i]]
        persons.append(
            CivilServant.model_construct(
                id=ids[i],
                given_name=given,
                family_name=family,
                display_name=f"{given} {family}" if family else given,
                email=None,
                country_code=code,
                city=None,
                position="Officer",
                grade=None,
                bio=None,
                languages=(),
                photo_url=None,
                joined_at=EPOCH + timedelta(days=int(joined_days[i])),
                verified=True,
                is_expert=False,
                phone=None,
                profile_visibility=ProfileVisibility.PUBLIC,
            )
        )

    graph = nx.powerlaw_cluster_graph(
        people, CONNECTIONS_PER_PERSON, TRIANGLE_PROBABILITY, seed=seed
    )
    edges = np.array(graph.edges(), dtype=np.int64)
    del graph
    later = np.maximum(joined_days[edges[:, 0]], joined_days[edges[:, 1]])
    since_days = later + rng.integers(0, 365, size=len(edges))
    connections = [
        Connection.model_construct(
            person_a=ids[a], person_b=ids[b], since=EPOCH + timedelta(days=int(d))
        )
        for (a, b), d in zip(edges.tolist(), since_days.tolist(), strict=True)
    ]

    # Employment: a Zipf-like skew, so a few ministries have thousands of members.
    inst_rank = np.minimum(rng.zipf(1.3, size=people) - 1, INSTITUTIONS_PER_COUNTRY - 1)
    employments = [
        Employment.model_construct(
            person_id=ids[i],
            institution_id=f"gen-i-{codes[country_ix[i]].lower()}-{int(inst_rank[i]):02d}",
            position="Officer",
            since_year=2000 + int(rng_year),
            until_year=None,
        )
        for i, rng_year in enumerate(rng.integers(0, 25, size=people).tolist())
    ]

    claim_counts = rng.integers(1, 5, size=people)
    claims = []
    for i, count in enumerate(claim_counts.tolist()):
        picked = rng.choice(len(areas), size=count, replace=False)
        levels = rng.integers(1, 6, size=count)
        claims += [
            ExpertiseClaim.model_construct(
                person_id=ids[i], expertise_id=areas[a], level=int(lv), years=None
            )
            for a, lv in zip(picked.tolist(), levels.tolist(), strict=True)
        ]

    # Mentorship forest: mentee i's mentor is a connection who joined earlier (smaller index).
    earlier: dict[int, int] = {}
    for a, b in edges.tolist():
        hi, lo = (a, b) if a > b else (b, a)
        earlier.setdefault(hi, lo)
    mentored = np.flatnonzero(rng.random(people) < MENTORED_SHARE)
    kinds = [MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED, MentorshipStatus.REQUESTED]
    statuses = [kinds[k] for k in rng.choice(3, size=len(mentored), p=[0.6, 0.3, 0.1])]
    mentorships = []
    for mentee, status in zip(mentored.tolist(), statuses, strict=True):
        mentor = earlier.get(mentee)
        if mentor is None or mentee < 50:
            continue
        at = EPOCH + timedelta(days=int(joined_days[mentee]) + 30)
        mentorships.append(
            Mentorship.model_construct(
                id=f"gen-m-{mentee:06d}",
                mentor_id=ids[mentor],
                mentee_id=ids[mentee],
                expertise_id=areas[mentee % len(areas)],
                goal=None,
                status=status,
                requested_at=at,
                since=None if status is MentorshipStatus.REQUESTED else at + timedelta(days=7),
                until=(at + timedelta(days=200)) if status is MentorshipStatus.COMPLETED else None,
            )
        )

    return GraphBatch.model_construct(
        countries=countries,
        institutions=institutions,
        expertise=expertise,
        broader=broader,
        events=[],
        organized=[],
        people=persons,
        connections=connections,
        employments=employments,
        studies=[],
        expertise_claims=claims,
        participations=[],
        mentorships=mentorships,
    )
