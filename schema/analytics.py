"""Relationship-analytics dashboards, the latest analytics run and the ASCC indicator report.

Thin views over `resolvers.analytics` and `resolvers.indicators` (where every rule is defined).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated, Any, NewType

import strawberry
from strawberry import relay
from strawberry.types.scalar import ScalarDefinition

from graph_db.analytics import records as AR
from resolvers import analytics as A
from resolvers import indicators as I
from resolvers.network import bounded
from schema.civil_servant import CivilServant
from schema.country import Country
from schema.expertise import Expertise
from schema.ids import decode_id
from schema.info import Info

# The domain enums themselves, marked as GraphQL enums in place (see schema.enums).
ScoreMetric = AR.ScoreMetric
GrowthInterval = A.Interval
strawberry.enum(ScoreMetric, description="Per-person score of an analytics run.")
strawberry.enum(GrowthInterval, name="GrowthInterval", description=GrowthInterval.__doc__)

FromArg = Annotated[
    date | None, strawberry.argument(name="from", description="First day (inclusive, UTC).")
]
UntilArg = Annotated[date | None, strawberry.argument(description="Last day, exclusive (UTC).")]
CountriesArg = Annotated[
    list[str] | None,
    strawberry.argument(description="ISO 3166 codes (at most 50); leave out for all countries."),
]


async def _country(info: Info, code: str | None) -> Country | None:
    return await Country.load(info, code)


@strawberry.type(description="How many mentorships are in one status.")
class MentorshipStatusCount:
    status: str
    count: int


@strawberry.type(
    description="One country's figures (country null: the whole scope, each relationship once)."
)
class CountryFigures:
    country_code: str | None
    people: int
    verified: int
    experts: int
    connections: int
    cross_border_connections: int
    cross_border_connection_share: float | None = strawberry.field(
        description="Cross-border ÷ all connections; null without connections."
    )
    mentorships: list[MentorshipStatusCount] = strawberry.field(
        description="Mentorships by status (every status, zeros included)."
    )
    established_mentorships: int = strawberry.field(description="ACTIVE + COMPLETED.")
    cross_border_mentorships: int = strawberry.field(description="Established, cross-border.")
    cross_border_mentorship_share: float | None = strawberry.field(
        description="Cross-border ÷ established mentorships; null without any."
    )
    endorsements: int
    cross_border_endorsements: int
    events_held: int = strawberry.field(description="Events held in the country (any date).")
    participants: int = strawberry.field(description="Event participations of its people.")

    @strawberry.field(description="The country (null for the totals row).")
    async def country(self, info: Info) -> Country | None:
        return await _country(info, self.country_code)

    @classmethod
    def from_domain(cls, f: A.CountryFigures) -> CountryFigures:
        return cls(
            country_code=f.country,
            people=f.people,
            verified=f.verified,
            experts=f.experts,
            connections=f.connections,
            cross_border_connections=f.cross_border_connections,
            cross_border_connection_share=f.cross_border_connection_share,
            mentorships=[
                MentorshipStatusCount(status=s, count=f.mentorships_by_status[s])
                for s in A.MENTORSHIP_STATUSES
            ],
            established_mentorships=f.established_mentorships,
            cross_border_mentorships=f.cross_border_mentorships,
            cross_border_mentorship_share=f.cross_border_mentorship_share,
            endorsements=f.endorsements,
            cross_border_endorsements=f.cross_border_endorsements,
            events_held=f.events_held,
            participants=f.participants,
        )


@strawberry.type(description="The network in figures: totals and one row per country.")
class NetworkOverview:
    total: CountryFigures
    by_country: list[CountryFigures]


CountVector = NewType("CountVector", list[int])
"""A list of counts (non-negative integers) served as one scalar (see `SCALARS`)."""

SCALARS: dict[object, ScalarDefinition] = {
    CountVector: strawberry.scalar(
        name="CountVector",
        description="A list of counts (non-negative integers), as a JSON array. The matrix's "
        "parallel lists use it: one scalar instead of a GraphQL value per cell keeps a "
        "3,700-cell matrix cheap.",
        serialize=lambda value: [int(v) for v in value],
        parse_value=lambda value: value,
    )
}
"""Custom scalars of the analytics types, for `StrawberryConfig.scalar_map`."""


@strawberry.type(
    description="One row of the country-by-country matrix: relationships from people of "
    "`fromCountry` to people of each of `toCountries` (parallel lists, non-empty cells only). "
    "Connections are undirected (A→B and B→A both hold the A–B connections); established "
    "mentorships go mentor → mentee and endorsements endorser → endorsee."
)
class CountryMatrixRow:
    from_country: str
    to_countries: list[str]
    connections: CountVector
    mentorships: CountVector
    endorsements: CountVector


@strawberry.type(description="People of one country holding an area or a narrower one.")
class CountryCoverage:
    country_code: str
    people: int
    by_level: list[int] = strawberry.field(
        description="People by their best level in the area, levels 1..5."
    )


@strawberry.type(description="An expertise area rolled up over the narrower areas below it.")
class ExpertiseCoverage:
    expertise: Expertise
    people: int
    by_country: list[CountryCoverage]
    lacking_countries: list[str] = strawberry.field(
        description="Countries in scope (given, else ASEAN member states) with nobody in the area."
    )


@strawberry.type(
    description="New people, connections, established mentorships and expertise exchange in one"
    " period."
)
class GrowthPoint:
    period: str = strawberry.field(description="2019-03, 2019-Q1 or 2019.")
    start: date
    new_people: int
    new_connections: int
    new_mentorships: int
    new_expertise_requests: int
    fulfilled_expertise_requests: int
    cross_border_collaborations: int


@strawberry.type(description='"Experts creating experts": a mentor\'s mentees per generation.')
class MentorImpact:
    mentor: CivilServant
    mentees_per_generation: list[int] = strawberry.field(
        description="Generation 1 = direct mentees (established mentorships), each person once."
    )
    reach: int = strawberry.field(description="Everyone in the lineage (sum of the generations).")
    truncated: bool


@strawberry.type(description="A person's scores in an analytics run.")
class PersonScore:
    civil_servant: CivilServant
    degree: int = strawberry.field(description="Connections.")
    pagerank: float = strawberry.field(description="PageRank over connections as stored, d = 0.85.")
    betweenness: float = strawberry.field(description="Normalised betweenness (0..1), undirected.")
    community: int = strawberry.field(description="Community number (0 = the largest).")


async def _scores(info: Info, scores: list[AR.PersonScore]) -> list[PersonScore]:
    people = await CivilServant.load_map(info, [s.person_id for s in scores])
    return [
        PersonScore(
            civil_servant=people[s.person_id],
            degree=s.degree,
            pagerank=s.pagerank,
            betweenness=s.betweenness,
            community=s.community,
        )
        for s in scores
        if s.person_id in people
    ]


@strawberry.type(description="A community of an analytics run.")
class Community:
    number: int = strawberry.field(description="Community number (0 = the largest).")
    size: int
    run: strawberry.Private[AR.AnalyticsRun]

    @strawberry.field(description="Members by PageRank (first ≤ 100).")
    async def members(self, info: Info, first: int = 10) -> list[PersonScore]:
        found = await A.community_members(info.context, self.run, self.number, first)
        return await _scores(info, found)


@strawberry.type(
    description="A stored analytics run (`expecs analytics run`): graph algorithms over the "
    "connection graph, computed offline, served as they were."
)
class AnalyticsRun:
    id: strawberry.ID
    started_at: datetime
    duration_seconds: float = strawberry.field(description="Reading the graph and computing.")
    parameters: str = strawberry.field(description="JSON: library, algorithms and their settings.")
    nodes: int
    edges: int
    community_count: int
    modularity: float
    record: strawberry.Private[AR.AnalyticsRun]

    @strawberry.field(description="Seconds since the run started (how old the figures are).")
    def age_seconds(self) -> float:
        return (datetime.now(UTC) - self.started_at).total_seconds()

    @strawberry.field(description="The people with the highest score (first ≤ 100), ties by id.")
    async def top(self, info: Info, metric: ScoreMetric, first: int = 10) -> list[PersonScore]:
        return await _scores(info, await A.top_scores(info.context, self.record, metric, first))

    @strawberry.field(description="One person's scores (null if they joined after the run).")
    async def score_of(self, info: Info, person: relay.GlobalID) -> PersonScore | None:
        found = await A.score_of(info.context, self.record, decode_id(person, "CivilServant"))
        scored = await _scores(info, [found] if found else [])
        return scored[0] if scored else None

    @strawberry.field(description="Communities, largest first (first ≤ 100).")
    def communities(self, first: int = 10) -> list[Community]:
        bounded("first", first, A.MAX_TOP)
        sizes = self.record.community_sizes[:first]
        return [Community(number=i, size=s, run=self.record) for i, s in enumerate(sizes)]

    @classmethod
    def from_domain(cls, r: AR.AnalyticsRun) -> AnalyticsRun:
        return cls(
            id=strawberry.ID(r.id),
            started_at=r.started_at,
            duration_seconds=r.duration_s,
            parameters=r.parameters,
            nodes=r.nodes,
            edges=r.edges,
            community_count=r.communities,
            modularity=r.modularity,
            record=r,
        )


@strawberry.type(description="ASCC Blueprint indicators of one country (null: all of the report).")
class AsccIndicatorRow:
    country_code: str | None
    cross_border_connections: int
    cross_border_mentorships: int
    events_held: int
    events_attended: int
    participants: int
    collaborative_events: int
    portfolio_items: int
    collaborative_portfolio_items: int
    experts: int
    expertise_areas: int
    expertise_requests_posted: int = strawberry.field(
        description="Expertise requests posted by members from the country."
    )
    expertise_requests_fulfilled: int = strawberry.field(
        description="Their requests closed as fulfilled in the period."
    )
    cross_border_collaborations: int = strawberry.field(
        description="Accepted offers between a requester and a helper of different countries."
    )


@strawberry.type(description="The ASCC indicator report for a period [from, until).")
class AsccIndicators:
    from_: date = strawberry.field(name="from")
    until: date
    total: AsccIndicatorRow
    by_country: list[AsccIndicatorRow]


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="People, connections, mentorships, endorsements and events, per country."
    )
    async def network_overview(
        self, info: Info, countries: CountriesArg = None
    ) -> NetworkOverview | None:
        o = await A.network_overview(info.context, countries)
        return NetworkOverview(
            total=CountryFigures.from_domain(o.total),
            by_country=[CountryFigures.from_domain(f) for f in o.by_country],
        )

    @strawberry.field(description="Who links with whom: the country-by-country matrix.")
    async def country_matrix(
        self,
        info: Info,
        countries: CountriesArg = None,
        from_: FromArg = None,
        until: UntilArg = None,
    ) -> list[CountryMatrixRow] | None:
        rows = await A.country_matrix(info.context, countries, from_, until)
        return [
            CountryMatrixRow(
                from_country=r.country,
                to_countries=r.to,
                connections=CountVector(r.connections),
                mentorships=CountVector(r.mentorships),
                endorsements=CountVector(r.endorsements),
            )
            for r in rows
        ]

    @strawberry.field(
        description="Experts per area (the area and its narrower areas, or the top-level areas), "
        "rolled up the taxonomy, by country and level, with the countries that lack it."
    )
    async def expertise_coverage(
        self,
        info: Info,
        expertise: relay.GlobalID | None = None,
        countries: CountriesArg = None,
        min_level: int = 1,
    ) -> list[ExpertiseCoverage] | None:
        area = decode_id(expertise, "Expertise") if expertise else None
        found = await A.expertise_coverage(info.context, area, countries, min_level)
        areas = await Expertise.load_map(info, [c.area_id for c in found])
        return [
            ExpertiseCoverage(
                expertise=areas[c.area_id],
                people=c.people,
                by_country=[
                    CountryCoverage(country_code=x.country, people=x.people, by_level=x.by_level)
                    for x in c.by_country
                ],
                lacking_countries=c.lacking,
            )
            for c in found
            if c.area_id in areas
        ]

    @strawberry.field(description="Growth per month, quarter or year over a period (≤ 10 years).")
    async def network_growth(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        until: date,
        interval: GrowthInterval = A.Interval.MONTH,
        countries: CountriesArg = None,
    ) -> list[GrowthPoint] | None:
        points = await A.network_growth(info.context, countries, from_, until, interval)
        return [
            GrowthPoint(
                period=p.label,
                start=p.start,
                new_people=p.people,
                new_connections=p.connections,
                new_mentorships=p.mentorships,
                new_expertise_requests=p.expertise_requests,
                fulfilled_expertise_requests=p.fulfilled_requests,
                cross_border_collaborations=p.cross_border_collaborations,
            )
            for p in points
        ]

    @strawberry.field(
        description="Mentors with the most direct mentees and their reach (first ≤ 20)."
    )
    async def top_mentors(
        self,
        info: Info,
        countries: CountriesArg = None,
        first: int = 10,
        max_generations: int = 3,
    ) -> list[MentorImpact] | None:
        found = await A.top_mentor_impact(info.context, countries, first, max_generations)
        return await _impacts(info, found)

    @strawberry.field(
        description="One mentor's mentees per generation and reach (≤ 6 generations)."
    )
    async def mentorship_impact(
        self, info: Info, mentor: relay.GlobalID, max_generations: int = 3
    ) -> MentorImpact | None:
        found = await A.mentor_impact(
            info.context, decode_id(mentor, "CivilServant"), max_generations
        )
        return (await _impacts(info, [found]))[0]

    @strawberry.field(description="The latest analytics run; null before the first one.")
    async def analytics_run(self, info: Info) -> AnalyticsRun | None:
        run = await A.latest_run(info.context)
        return AnalyticsRun.from_domain(run) if run else None

    @strawberry.field(
        description="ASCC Blueprint 2025 indicators for a member state (or all) and a period "
        "[from, until) of at most 10 years. Also as CSV: GET /analytics/ascc-indicators.csv."
    )
    async def ascc_indicators(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        until: date,
        country: str | None = None,
    ) -> AsccIndicators | None:
        r = await I.ascc_indicators(info.context, country, from_, until)
        return AsccIndicators(
            from_=r.start,
            until=r.until,
            total=AsccIndicatorRow(**_row(r.total)),
            by_country=[AsccIndicatorRow(**_row(x)) for x in r.by_country],
        )


def _row(r: I.IndicatorRow) -> dict[str, Any]:
    values = dict(vars(r))
    values["country_code"] = values.pop("country")
    return values


async def _impacts(info: Info, found: list[A.MentorImpact]) -> list[MentorImpact]:
    people = await asyncio.gather(*(CivilServant.load(info, m.mentor_id) for m in found))
    return [
        MentorImpact(
            mentor=p,
            mentees_per_generation=m.per_generation,
            reach=m.reach,
            truncated=m.truncated,
        )
        for m, p in zip(found, people, strict=True)
        if p is not None
    ]
