"""Analytics dashboards and the ASCC indicator report through the API, on both stores, against the
hand-built graph of `tests/analytics_graph.py`; every expected figure is derived by hand from its
docstring (in the comments). Also access, bad input and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from schema.ids import encode_id
from tests.analytics_graph import XA, XB, HandGraph, R, hand_fixture  # noqa: F401 (fixture `hand`)
from tests.conftest import Api

BOTH = '["XA", "XB"]'
STATUSES = ("REQUESTED", "ACTIVE", "COMPLETED", "DECLINED", "CANCELLED")

OVERVIEW = (
    "{ networkOverview(countries: %s) { total { ...F } byCountry { ...F } } }"
    " fragment F on CountryFigures { countryCode people verified experts connections"
    " crossBorderConnections crossBorderConnectionShare mentorships { status count }"
    " establishedMentorships crossBorderMentorships crossBorderMentorshipShare endorsements"
    " crossBorderEndorsements eventsHeld participants }" % BOTH
)


def figures(
    country,
    people,
    verified,
    experts,
    conn,
    cross_conn,
    statuses,
    est,
    cross_m,
    endo,
    cross_e,
    held,
    part,
):
    return {
        "countryCode": country,
        "people": people,
        "verified": verified,
        "experts": experts,
        "connections": conn,
        "crossBorderConnections": cross_conn,
        "crossBorderConnectionShare": pytest.approx(cross_conn / conn),
        "mentorships": [{"status": s, "count": n} for s, n in zip(STATUSES, statuses, strict=True)],
        "establishedMentorships": est,
        "crossBorderMentorships": cross_m,
        "crossBorderMentorshipShare": pytest.approx(cross_m / est),
        "endorsements": endo,
        "crossBorderEndorsements": cross_e,
        "eventsHeld": held,
        "participants": part,
    }


async def test_overview_by_country(api: Api, hand: HandGraph) -> None:
    data = (await api.data(OVERVIEW))["networkOverview"]
    # Totals: 5 people (a1 a2 b1 verified; a1 b1 experts); 4 connections, 2 cross-border
    # (a1-b1, a2-b1); mentorships m4 REQUESTED, m1 m3 ACTIVE, m2 COMPLETED, m5 DECLINED, of the
    # 3 established only m3 is cross-border; endorsements a2>a1, b1>a1, a1>b1 (2 cross-border);
    # events E1 E2 E3; participants a1 a2 b1 at E1 and b1 b2 at E2 = 5.
    assert data["total"] == figures(None, 5, 3, 2, 4, 2, (1, 2, 1, 1, 0), 3, 1, 3, 2, 3, 5)
    # XA (a1 a2 a3): connections a1-a2, a1-b1, a2-b1; mentorships m1 m2 m3 m5; all 3 endorsements
    # involve a1; events held E1 E3; participants a1 a2.
    xa = figures(XA, 3, 2, 1, 3, 2, (0, 2, 1, 1, 0), 3, 1, 3, 2, 2, 2)
    # XB (b1 b2): connections a1-b1, a2-b1, b1-b2; mentorships m3 m4 m5 (established: m3, which
    # is cross-border); endorsements b1>a1, a1>b1; event held E2; participants b1 (E1), b1 b2 (E2).
    xb = figures(XB, 2, 1, 1, 3, 2, (1, 1, 0, 1, 0), 1, 1, 2, 2, 1, 3)
    assert data["byCountry"] == [xa, xb]  # most people first


async def test_country_matrix(api: Api, hand: HandGraph) -> None:
    query = (
        "query($from: Date, $until: Date) { countryMatrix(countries: %s, from: $from, until: $until)"
        " { fromCountry toCountries connections mentorships endorsements } }" % BOTH
    )

    def cells(rows):
        found = {}
        for r in rows:
            for i, to in enumerate(r["toCountries"]):
                found[(r["fromCountry"], to)] = (
                    r["connections"][i],
                    r["mentorships"][i],
                    r["endorsements"][i],
                )
        return found

    everything = cells((await api.data(query))["countryMatrix"])
    # connections (undirected, both cells): XA-XA a1-a2; XA-XB a1-b1, a2-b1; XB-XB b1-b2.
    # established mentorships m1 m2 XA>XA, m3 XA>XB; endorsements a2>a1, a1>b1, b1>a1.
    assert everything == {
        (XA, XA): (1, 2, 1),
        (XA, XB): (2, 1, 1),
        (XB, XA): (2, 0, 1),
        (XB, XB): (1, 0, 0),
    }
    april = cells(
        (await api.data(query, {"from": "2031-04-01", "until": "2031-05-01"}))["countryMatrix"]
    )
    # April: connections a2-b1 (04-02), b1-b2 (04-10); m3 requested 04-01; b1>a1 04-03, a1>b1 04-04.
    assert april == {(XA, XB): (1, 1, 1), (XB, XA): (1, 0, 1), (XB, XB): (1, 0, 0)}


async def test_expertise_coverage(api: Api, hand: HandGraph) -> None:
    query = (
        "query($a: ID, $min: Int!) { expertiseCoverage(expertise: $a, countries: %s, minLevel: $min)"
        " { expertise { slug } people byCountry { countryCode people byLevel } lackingCountries } }"
        % BOTH
    )
    rows = (await api.data(query, {"a": encode_id("Expertise", R), "min": 1}))["expertiseCoverage"]
    by_area = {r["expertise"]["slug"]: r for r in rows}
    assert rows[0]["expertise"]["slug"] == R and len(rows) == 9  # R and its 8 narrower areas
    # R rolled up: best levels a1 4, a2 2, a3 1 (XA); b1 5, b2 3 (XB).
    assert by_area[R]["people"] == 5 and by_area[R]["lackingCountries"] == []
    assert by_area[R]["byCountry"] == [
        {"countryCode": XA, "people": 3, "byLevel": [1, 1, 0, 1, 0]},
        {"countryCode": XB, "people": 2, "byLevel": [0, 0, 1, 0, 1]},
    ]
    # Talent management: a1 (4) and a2 (2), nobody in XB.
    talent = by_area["talent-management"]
    assert (talent["people"], talent["lackingCountries"]) == (2, [XB])
    assert talent["byCountry"] == [{"countryCode": XA, "people": 2, "byLevel": [0, 1, 0, 1, 0]}]
    # Competency management: b1 (5), b2 (3) in XB; a3 (1) in XA.
    assert by_area["competency-management"]["byCountry"] == [
        {"countryCode": XB, "people": 2, "byLevel": [0, 0, 1, 0, 1]},
        {"countryCode": XA, "people": 1, "byLevel": [1, 0, 0, 0, 0]},
    ]
    assert by_area["performance-management"]["lackingCountries"] == [XA, XB]
    high = (await api.data(query, {"a": encode_id("Expertise", R), "min": 3}))["expertiseCoverage"][
        0
    ]
    # Level 3 or more: a1 (XA); b1, b2 (XB).
    assert [(c["countryCode"], c["people"]) for c in high["byCountry"]] == [(XB, 2), (XA, 1)]


async def test_growth_by_month_quarter_and_year(api: Api, hand: HandGraph) -> None:
    query = (
        "query($from: Date!, $until: Date!, $i: GrowthInterval!) { networkGrowth(from: $from,"
        " until: $until, interval: $i, countries: %s)"
        " { period start newPeople newConnections newMentorships } }" % BOTH
    )

    async def growth(start, until, interval):
        data = await api.data(query, {"from": start, "until": until, "i": interval})
        return [
            (p["period"], p["newPeople"], p["newConnections"], p["newMentorships"])
            for p in data["networkGrowth"]
        ]

    # joined: a1 a2 Jan, a3 Feb, b1 b2 Mar; connections Feb 1, Mar 1, Apr 2; established
    # mentorships by since: m1 Feb, m2 Mar, m3 Apr.
    assert await growth("2031-01-01", "2031-07-01", "MONTH") == [
        ("2031-01", 2, 0, 0),
        ("2031-02", 1, 1, 1),
        ("2031-03", 2, 1, 1),
        ("2031-04", 0, 2, 1),
        ("2031-05", 0, 0, 0),
        ("2031-06", 0, 0, 0),
    ]
    assert await growth("2031-01-01", "2031-07-01", "QUARTER") == [
        ("2031-Q1", 5, 2, 2),
        ("2031-Q2", 0, 2, 1),
    ]
    assert await growth("2031-01-01", "2033-01-01", "YEAR") == [
        ("2031", 5, 4, 3),
        ("2032", 0, 0, 0),
    ]
    # From Feb 5 to Mar 16 (exclusive): a3 joins Feb 5 (inside), b1 Mar 15, b2 Mar 20 (outside);
    # a1-a2 (Feb 1) and a1-b1 (Mar 16) fall outside; m1 (since Feb 10) and m2 (Mar 1) inside.
    assert await growth("2031-02-05", "2031-03-16", "MONTH") == [
        ("2031-02", 1, 0, 1),
        ("2031-03", 1, 0, 1),
    ]


async def test_mentorship_impact(api: Api, hand: HandGraph) -> None:
    top = await api.data(
        "{ topMentors(countries: %s, first: 5, maxGenerations: 3)"
        " { mentor { id } menteesPerGeneration reach truncated } }" % BOTH
    )
    # a1: direct mentees a2 and b1 (established), then a3 through a2 (b1 > b2 is only requested).
    # a2: a3. Nobody else has an established mentee.
    assert top["topMentors"] == [
        {
            "mentor": {"id": encode_id("CivilServant", hand["a1"])},
            "menteesPerGeneration": [2, 1],
            "reach": 3,
            "truncated": False,
        },
        {
            "mentor": {"id": encode_id("CivilServant", hand["a2"])},
            "menteesPerGeneration": [1],
            "reach": 1,
            "truncated": False,
        },
    ]
    one = await api.data(
        "query($m: ID!) { mentorshipImpact(mentor: $m, maxGenerations: 1) { menteesPerGeneration reach } }",
        {"m": encode_id("CivilServant", hand["a1"])},
    )
    assert one["mentorshipImpact"] == {"menteesPerGeneration": [2], "reach": 2}


INDICATORS = (
    "query($c: String, $from: Date!, $until: Date!) { asccIndicators(country: $c, from: $from,"
    " until: $until) { from until total { ...R } byCountry { ...R } } }"
    " fragment R on AsccIndicatorRow { countryCode crossBorderConnections crossBorderMentorships"
    " eventsHeld eventsAttended participants collaborativeEvents portfolioItems"
    " collaborativePortfolioItems experts expertiseAreas expertiseRequestsPosted"
    " expertiseRequestsFulfilled crossBorderCollaborations }"
)
COLUMNS = (
    "crossBorderConnections crossBorderMentorships eventsHeld eventsAttended participants"
    " collaborativeEvents portfolioItems collaborativePortfolioItems experts expertiseAreas"
    " expertiseRequestsPosted expertiseRequestsFulfilled crossBorderCollaborations"
).split()
# XA in 2031: cross-border connections a1-b1, a2-b1; mentorship m3; held E1, E3; attended E1
# (a1, a2: 2 participants); collaborative E1 (XA and XB); a1's 2031 item; expert a1 with R, C1.
XA_2031 = [2, 1, 2, 1, 2, 1, 1, 0, 1, 2]
# XB in 2031: the same 2 connections and m3; held E2; attended E1 (b1) and E2 (b1, b2): 3
# participants; collaborative E1; b1's item; expert b1 with C2.
XB_2031 = [2, 1, 1, 2, 3, 1, 1, 0, 1, 1]
# No expertise requests in this graph (tests/api/test_exchange.py counts those): three zeros.
XA_2031 += [0, 0, 0]
XB_2031 += [0, 0, 0]


async def test_ascc_indicators(api: Api, hand: HandGraph) -> None:
    for country, expected in ((XA, XA_2031), (XB, XB_2031)):
        data = (
            await api.data(INDICATORS, {"c": country, "from": "2031-01-01", "until": "2032-01-01"})
        )["asccIndicators"]
        assert (data["from"], data["until"]) == ("2031-01-01", "2032-01-01")
        assert [data["byCountry"][0][c] for c in COLUMNS] == expected
        assert data["byCountry"][0]["countryCode"] == country
        assert [data["total"][c] for c in COLUMNS] == expected  # one country: total = its row
    # The first quarter only: a1-b1 (Mar 16) and E1 (Mar 10); m3 was requested in April.
    q1 = (await api.data(INDICATORS, {"c": XA, "from": "2031-01-01", "until": "2031-04-01"}))[
        "asccIndicators"
    ]["byCountry"][0]
    assert [q1[c] for c in COLUMNS] == [1, 0, 1, 1, 2, 1, 1, 0, 1, 2, 0, 0, 0]


async def test_indicators_csv_export(api: Api, hand: HandGraph) -> None:
    response = await api.client.get(
        "/analytics/ascc-indicators.csv",
        params={"country": XB, "from": "2031-01-01", "until": "2032-01-01"},
        headers=api.headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "ascc-indicators-XB-2031-01-01-2032-01-01.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:4] == ["country", "from", "until", "cross_border_connections"]
    assert len(rows[0]) == 3 + len(COLUMNS)
    assert rows[1] == ["ALL", "2031-01-01", "2032-01-01", *map(str, XB_2031)]
    assert rows[2] == [XB, "2031-01-01", "2032-01-01", *map(str, XB_2031)]


async def test_access_is_for_verified_members(api: Api, hand: HandGraph) -> None:
    for client, code in ((api.anonymous(), "UNAUTHENTICATED"), (api.as_(hand["a3"]), "FORBIDDEN")):
        for query in (
            OVERVIEW,
            "{ analyticsRun { id } }",
            '{ asccIndicators(from: "2031-01-01", until: "2032-01-01") { total { experts } } }',
        ):
            error = await client.error(query)
            assert error["extensions"]["code"] == code, query
    params = {"from": "2031-01-01", "until": "2032-01-01"}
    anonymous = await api.client.get("/analytics/ascc-indicators.csv", params=params)
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    unverified = await api.client.get(
        "/analytics/ascc-indicators.csv", params=params, headers=api.as_(hand["a3"]).headers
    )
    assert unverified.status_code == 403
    bad_token = await api.client.get(
        "/analytics/ascc-indicators.csv", params=params, headers={"authorization": "Bearer nope"}
    )
    assert bad_token.status_code == 401
    member = await api.client.get(
        "/analytics/ascc-indicators.csv", params=params, headers=api.as_(hand["a1"]).headers
    )
    assert member.status_code == 200


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('{ networkOverview(countries: ["QQ"]) { total { people } } }', "NOT_FOUND"),
        ('{ networkOverview(countries: ["xa"]) { total { people } } }', "BAD_USER_INPUT"),
        ("{ networkOverview(countries: []) { total { people } } }", "BAD_USER_INPUT"),
        (
            '{ expertiseCoverage(expertise: "%s") { people } }' % encode_id("Expertise", "no-such"),
            "NOT_FOUND",
        ),
        ("{ expertiseCoverage(minLevel: 6) { people } }", "LIMIT_EXCEEDED"),
        (
            '{ networkGrowth(from: "2031-01-01", until: "2031-01-01") { period } }',
            "BAD_USER_INPUT",
        ),
        (
            '{ networkGrowth(from: "2031-02-01", until: "2031-01-01") { period } }',
            "BAD_USER_INPUT",
        ),
        (
            '{ networkGrowth(from: "2000-01-01", until: "2031-01-01") { period } }',
            "LIMIT_EXCEEDED",
        ),
        ('{ countryMatrix(from: "2031-01-01") { connections } }', "BAD_USER_INPUT"),
        (
            '{ asccIndicators(country: "QQ", from: "2031-01-01", until: "2032-01-01") { total { experts } } }',
            "NOT_FOUND",
        ),
        (
            '{ asccIndicators(from: "2032-01-01", until: "2031-01-01") { total { experts } } }',
            "BAD_USER_INPUT",
        ),
        ("{ topMentors(first: 21) { reach } }", "LIMIT_EXCEEDED"),
        ("{ topMentors(maxGenerations: 0) { reach } }", "BAD_USER_INPUT"),
        (
            '{ mentorshipImpact(mentor: "%s") { reach } }' % encode_id("CivilServant", "nobody"),
            "NOT_FOUND",
        ),
    ],
)
async def test_bad_input_has_codes(api: Api, query: str, code: str) -> None:
    error = await api.error(query)
    assert error["extensions"]["code"] == code, error


async def test_csv_bad_input(api: Api) -> None:
    for params, status, code in (
        ({"from": "2031-13-01", "until": "2032-01-01"}, 400, "BAD_USER_INPUT"),
        ({"from": "2031-01-01"}, 400, "BAD_USER_INPUT"),
        ({"from": "2000-01-01", "until": "2032-01-01"}, 400, "LIMIT_EXCEEDED"),
        ({"country": "QQ", "from": "2031-01-01", "until": "2032-01-01"}, 404, "NOT_FOUND"),
    ):
        response = await api.client.get(
            "/analytics/ascc-indicators.csv", params=params, headers=api.headers
        )
        assert response.status_code == status, (params, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == code
