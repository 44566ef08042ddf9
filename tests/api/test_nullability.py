"""One failing field or alias never removes its siblings (README, "Errors and null").

The rule: a field that can fail for reasons of access or existence (`UNAUTHENTICATED`,
`FORBIDDEN`, `NOT_FOUND`) is nullable, so GraphQL stops the error there; lists the caller may not
see in part (hidden profiles) answer empty instead. The tests walk the schema:

- every field with a resolver is either in `CAN_FAIL` (with requests that make it fail) or in
  `CANNOT_FAIL` (with the reason); a new field that is in neither fails the test, so whoever adds
  it decides which it is;
- every field in `CAN_FAIL` is nullable (for `nodes`, its items are);
- for every case of `CAN_FAIL`, one request holds a failing alias (`bad`) and a succeeding one
  (`ok`) as the same caller, on each store: `bad` is null with an error of the expected code at
  its own path, `ok` is there with no error, and the response's `data` is not null.
"""

from __future__ import annotations

import fnmatch
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

from graph_db.audit import system_change
from graph_db.port import GraphStore
from graph_db.records import (
    CivilServantCreate,
    ExpertiseClaim,
    PortfolioItem,
    PortfolioKind,
    new_id,
    utc_now,
)
from schema import build_schema
from schema.ids import encode_id
from tests.conftest import ADMIN_MEMBER, AREA, Api

NOT_FOUND = ("NOT_FOUND",)
FORBIDDEN = ("FORBIDDEN",)
UNAUTHENTICATED = ("UNAUTHENTICATED",)

COMPUTED = "computed from its object: no store read, no check"
REFERENCE = "public reference data; a reference that is gone is left out or null"
DETAIL = (
    "a profile detail: hidden ones answer null or empty (README, Access policy), never an error"
)
MEMBERS_ONLY_PARENT = "its object is served only to verified members (who may see every person): {}"
CANNOT_FAIL: dict[str, str] = {
    "*.id": "the Relay id of its object",
    "*Connection.totalCount": "counts the list whose field already checked access",
    "Query.viewer": "the caller's own profile; null when anonymous",
    "Query.expertiseAreas": "public; fails only on invalid arguments (cursor, page size)",
    "Query.institutions": "public; fails only on invalid arguments (cursor, page size)",
    "Query.countries": "public; fails only on invalid arguments (cursor, page size)",
    "SearchConnection.facets": "counts the hits whose field (`search`) already checked access",
    "CountryFacet.country": REFERENCE,
    "ExpertiseFacet.expertise": REFERENCE,
    "Query.events": "public; fails only on invalid arguments (cursor, page size)",
    "AnalyticsRun.ageSeconds": COMPUTED,
    "AnalyticsRun.communities": COMPUTED,
    "AnalyticsRun.top": "the run was served to a verified member (`analyticsRun` checks)",
    "AnalyticsRun.scoreOf": "null for someone the run did not score; `analyticsRun` checks access",
    "Community.members": "the community number comes from its run, so it exists",
    "CivilServant.city": DETAIL,
    "CivilServant.position": DETAIL,
    "CivilServant.grade": DETAIL,
    "CivilServant.bio": DETAIL,
    "CivilServant.languages": DETAIL,
    "CivilServant.photoUrl": DETAIL,
    "CivilServant.email": "private: null for whoever may not see it",
    "CivilServant.phone": "private: null for whoever may not see it",
    "CivilServant.country": REFERENCE,
    "CivilServant.institution": DETAIL,
    "CivilServant.employments": DETAIL,
    "CivilServant.education": DETAIL,
    "CivilServant.expertise": DETAIL,
    "CivilServant.portfolio": DETAIL,
    "CivilServant.events": DETAIL,
    "CivilServant.connectionCount": "a badge every caller who sees the profile sees",
    "CountryFigures.country": REFERENCE,
    "Event.country": REFERENCE,
    "Event.organizers": REFERENCE,
    "Institution.country": REFERENCE,
    "Institution.parent": REFERENCE,
    "Institution.units": "public; fails only on invalid arguments (cursor, page size)",
    "Expertise.broader": REFERENCE,
    "Expertise.narrower": REFERENCE,
    "PortfolioItem.about": REFERENCE,
    "Mentorship.expertise": REFERENCE,
    "Endorsement.expertise": REFERENCE,
    "Mentorship.mentor": MEMBERS_ONLY_PARENT.format("node, mentees, mentors, mutations"),
    "Mentorship.mentee": MEMBERS_ONLY_PARENT.format("node, mentees, mentors, mutations"),
    "Endorsement.endorser": MEMBERS_ONLY_PARENT.format("the endorse mutation"),
    "Endorsement.endorsee": MEMBERS_ONLY_PARENT.format("the endorse mutation"),
    "EndorsementSummary.endorsers": MEMBERS_ONLY_PARENT.format("CivilServant.endorsements"),
    "Notification.read": COMPUTED,
    "Notification.subjects": "subjects that are gone or that the caller may not see are left out",
    "ExpertiseRequest.author": MEMBERS_ONLY_PARENT.format("requests' fields and mutations"),
    "ExpertiseRequest.expertise": REFERENCE,
    "ExpertiseRequest.country": REFERENCE,
    "ExpertiseRequest.institution": REFERENCE,
    "ExpertiseRequest.offers": "reads of a request the caller was allowed to see",
    "ExpertiseRequest.offerCount": "reads of a request the caller was allowed to see",
    "ExpertiseRequest.collaborations": "reads of a request the caller was allowed to see",
    "ExpertiseRequest.portfolioItem": "null when there is none (or it is gone)",
    "ExpertiseRequest.suggestedExperts": "the request was served to a member who may see it; "
    "fails only on an invalid `first`",
    "Offer.helper": MEMBERS_ONLY_PARENT.format("ExpertiseRequest.offers, offerHelp"),
    "Collaboration.helper": MEMBERS_ONLY_PARENT.format("ExpertiseRequest.collaborations"),
    "Collaboration.expertiseRequest": "reached only from its request (which the caller sees) "
    "or by its author (acceptOffer)",
    "CivilServant.viewerRelationship": "null on your own profile and for a caller who is not a "
    "civil servant; the profile was already served, so no check is left to fail",
    "ViewerRelationship.mutualConnections": "fails only on an invalid argument (first beyond the cap)",
    "Introduction.requester": MEMBERS_ONLY_PARENT.format("introductionRequests, mutations"),
    "Introduction.introducer": MEMBERS_ONLY_PARENT.format("introductionRequests, mutations"),
    "Introduction.to": MEMBERS_ONLY_PARENT.format("introductionRequests, mutations"),
    "Subscription.*": "over WebSocket only, after `connection_init` authenticated the caller; "
    "a stream's errors end that stream alone (tests/api/test_subscriptions.py)",
}


@dataclass(frozen=True)
class Case:
    """A request with a failing alias (`bad`) and a succeeding one (`ok`), as `caller`.

    `query` holds `%(name)s` placeholders for the global ids of `Cast.ids` (and `%(event)s`,
    `%(mentorship)s` that `setup` adds). `ok` and `bad` are paths into `data`.
    """

    caller: str
    query: str
    codes: tuple[str, ...]
    ok: tuple[str | int, ...] = ("ok",)
    bad: tuple[str | int, ...] = ("bad",)
    setup: Callable[[Cast], Awaitable[None]] | None = None


class Cast:
    """Fresh people for one case: `m` (verified member, holds the area at level 5), `u` (signed
    in, not verified, with a portfolio item, a request from `m` and one to `t0`), `t0`-`t2`
    (verified, hold the area at levels 2-4) and `v` (to delete). Global ids in `ids`."""

    def __init__(self, api: Api, store: GraphStore, token: str) -> None:
        self.api, self.store, self.token = api, store, token
        self.plain = {k: f"{token}-{k}" for k in ("m", "u", "t0", "t1", "t2", "v")}
        self.ids: dict[str, str] = {k: encode_id("CivilServant", v) for k, v in self.plain.items()}
        self.ids |= {
            "admin": encode_id("CivilServant", ADMIN_MEMBER),
            "missing": encode_id("CivilServant", f"{token}-missing"),
            "area": encode_id("Expertise", AREA),
            "missing_area": encode_id("Expertise", f"{token}-missing"),
            "missing_mentorship": encode_id("Mentorship", f"{token}-missing"),
            "country": encode_id("Country", "ID"),
            "institution": encode_id("Institution", "inst-id-bkn"),
            "missing_item": encode_id("PortfolioItem", f"{token}-missing"),
            "t0_job": encode_id("Employment", f"{self.plain['t0']}|inst-id-bkn|2010"),
            "t0_study": encode_id("Education", f"{self.plain['t0']}|inst-id-bkn|2010"),
        }

    def as_(self, who: str) -> Api:
        if who == "anonymous":
            return self.api.anonymous()
        if who == "admin":
            return self.api
        return self.api.as_(self.plain[who])

    async def create(self) -> None:
        s, change = self.store, system_change()
        for key, person in self.plain.items():
            record = CivilServantCreate(given_name=key.upper(), family_name=self.token).to_record(
                id=person, joined_at=utc_now()
            )
            await s.create_civil_servant(
                record.model_copy(update={"verified": key != "u"}), change=change
            )
        for level, key in ((5, "m"), (2, "t0"), (3, "t1"), (4, "t2")):
            claim = ExpertiseClaim(person_id=self.plain[key], expertise_id=AREA, level=level)
            await s.set_expertise(claim, change=change)
        item = PortfolioItem(
            id=new_id(), author_id=self.plain["u"], kind=PortfolioKind.TALK, title="Talk"
        )
        await s.add_portfolio_item(item, about=[], change=change)
        for a, b in (("m", "u"), ("u", "t0")):
            await s.request_connection(
                from_id=self.plain[a],
                to_id=self.plain[b],
                message=None,
                at=utc_now(),
                change=change,
            )

    async def delete(self) -> None:
        for person in self.plain.values():
            if (await self.store.get_people([person]))[0] is not None:
                await self.store.delete_civil_servant(person, change=system_change())

    async def gql(self, who: str, query: str) -> dict[str, Any]:
        """Run `query` (placeholders filled) as `who`; it must succeed."""
        return await self.as_(who).data(query % self.ids)


def _connect_request(frm: str, to: str) -> Callable[[Cast], Awaitable[None]]:
    async def setup(cast: Cast) -> None:
        await cast.gql(frm, 'mutation { requestConnection(to: "%%(%s)s") { outcome } }' % to)

    return setup


async def _connected(cast: Cast) -> None:
    await _connect_request("m", "t0")(cast)
    await _connect_request("t0", "m")(cast)


async def _endorsed(cast: Cast) -> None:
    await cast.gql(
        "m", 'mutation { endorse(civilServant: "%(t0)s", expertise: "%(area)s") { __typename } }'
    )


def _mentorship(
    mentee: str, mentor: str, *, accept: bool = False
) -> Callable[[Cast], Awaitable[None]]:
    async def setup(cast: Cast) -> None:
        made = await cast.gql(
            mentee,
            'mutation { requestMentorship(mentor: "%%(%s)s", expertise: "%%(area)s") '
            "{ mentorship { id } } }" % mentor,
        )
        cast.ids["mentorship"] = made["requestMentorship"]["mentorship"]["id"]
        if accept:
            await cast.gql(
                mentor, 'mutation { acceptMentorship(id: "%(mentorship)s") { __typename } }'
            )

    return setup


async def _notified(cast: Cast) -> None:
    """`m` endorses `t0`; `t0`'s newest notification id goes into `ids["notification"]`."""
    await _endorsed(cast)
    inbox = await cast.gql("t0", "{ viewer { notifications(first: 1) { edges { node { id } } } } }")
    cast.ids["notification"] = inbox["viewer"]["notifications"]["edges"][0]["node"]["id"]
    cast.ids["missing_notification"] = new_id()


async def _introduction_via_m(cast: Cast) -> None:
    """`m` is connected to `t0` and `t1`; `t0` asks `m` to introduce them to `t1`
    (`ids["introduction"]`)."""
    for other in ("t0", "t1"):
        await _connect_request("m", other)(cast)
        await _connect_request(other, "m")(cast)
    made = await cast.gql(
        "t0",
        'mutation { requestIntroduction(to: "%(t1)s", via: "%(m)s") { introduction { id } } }',
    )
    cast.ids["introduction"] = made["requestIntroduction"]["introduction"]["id"]


async def _an_event(cast: Cast) -> None:
    events = await cast.gql("anonymous", "{ events(first: 1) { edges { node { id } } } }")
    cast.ids["event"] = events["events"]["edges"][0]["node"]["id"]


def _root(caller: str, ok: str, bad: str, codes: tuple[str, ...], **kw: Any) -> Case:
    return Case(caller, "{ ok: %s bad: %s }" % (ok, bad), codes, **kw)


def _mutation(caller: str, ok: str, bad: str, codes: tuple[str, ...], **kw: Any) -> Case:
    # The failing mutation between a succeeding one and a last field: mutations run one after
    # another, and a failure must neither drop the earlier result nor stop the later fields.
    query = "mutation { ok: %s bad: %s tail: __typename }" % (ok, bad)
    return Case(caller, query, codes, **kw)


def _same(field: str, ok_args: str, bad_args: str, selection: str) -> tuple[str, str]:
    return f"{field}({ok_args}) {selection}", f"{field}({bad_args}) {selection}"


def _viewer(caller: str, bad: str, codes: tuple[str, ...]) -> Case:
    return Case(
        caller,
        "{ viewer { ok: displayName bad: %s } }" % bad,
        codes,
        ok=("viewer", "ok"),
        bad=("viewer", "bad"),
    )


def _first_node(list_field: str, ok: str, bad: str, codes: tuple[str, ...]) -> Case:
    at = (list_field, "edges", 0, "node")
    return Case(
        "anonymous",
        "{ %s(first: 1) { edges { node { ok: %s bad: %s } } } }" % (list_field, ok, bad),
        codes,
        ok=(*at, "ok"),
        bad=(*at, "bad"),
    )


async def _requests(cast: Cast) -> None:
    """`m` and `t0` post requests (`t0` offers on `m`'s), `t1` one for their network only (`m`
    is not in it); ids `request`, `t0_request`, `hidden_request`, `missing_request`."""
    post = (
        'mutation { postExpertiseRequest(input: {title: "Help", kind: ADVICE, '
        'expertise: ["%(area)s"], visibility: VIS}) { expertiseRequest { id } } }'
    )
    for who, key, visibility in (
        ("m", "request", "EVERYONE"),
        ("t0", "t0_request", "EVERYONE"),
        ("t1", "hidden_request", "NETWORK"),
    ):
        made = await cast.gql(who, post.replace("VIS", visibility))
        cast.ids[key] = made["postExpertiseRequest"]["expertiseRequest"]["id"]
    cast.ids["missing_request"] = encode_id("ExpertiseRequest", new_id())
    await cast.gql("t0", 'mutation { offerHelp(request: "%(request)s") { __typename } }')


OWN_CITY = 'updateCivilServant(input: {id: "%(m)s", city: "Bogor"}) { civilServant { city } }'
PERIOD = 'from: "2020-01-01", until: "2021-01-01"'

CAN_FAIL: dict[str, list[Case]] = {
    # ---- Query ----
    "Query.node": [
        _root("m", 'node(id: "%(country)s") { id }', 'node(id: "%(missing)s") { id }', NOT_FOUND)
    ],
    "Query.nodes": [
        Case(
            "anonymous",
            '{ nodes(ids: ["%(country)s", "%(m)s"]) { id } }',
            UNAUTHENTICATED,
            ok=("nodes", 0),
            bad=("nodes", 1),
        )
    ],
    "Query.civilServant": [
        _root(
            "m", *_same("civilServant", 'id: "%(t0)s"', 'id: "%(missing)s"', "{ id }"), NOT_FOUND
        ),
        _root("u", *_same("civilServant", 'id: "%(u)s"', 'id: "%(t0)s"', "{ id }"), FORBIDDEN),
    ],
    "Query.civilServants": [
        _root("u", "viewer { id }", "civilServants(first: 1) { totalCount }", FORBIDDEN),
        _root(
            "anonymous",
            "countries(first: 1) { totalCount }",
            "civilServants { totalCount }",
            UNAUTHENTICATED,
        ),
    ],
    "Query.search": [
        _root("u", "viewer { id }", 'search(query: "perera") { totalCount }', FORBIDDEN),
        _root(
            "anonymous",
            "countries(first: 1) { totalCount }",
            'search(query: "perera") { totalCount }',
            UNAUTHENTICATED,
        ),
        _root(
            "m",
            'search(query: "perera", first: 1) { totalCount }',
            'search(query: "") { totalCount }',
            ("BAD_USER_INPUT",),
        ),
    ],
    "Query.egoNetwork": [
        _root(
            "m",
            *_same("egoNetwork", 'person: "%(m)s"', 'person: "%(missing)s"', "{ truncated }"),
            NOT_FOUND,
        )
    ],
    "Query.connectionPath": [
        _root(
            "m",
            *_same(
                "connectionPath",
                'from: "%(m)s", to: "%(m)s"',
                'from: "%(m)s", to: "%(missing)s"',
                "{ length }",
            ),
            NOT_FOUND,
        )
    ],
    "Query.mentorshipPath": [
        _root(
            "m",
            *_same(
                "mentorshipPath",
                'from: "%(m)s", to: "%(m)s"',
                'from: "%(missing)s", to: "%(m)s"',
                "{ length }",
            ),
            NOT_FOUND,
        )
    ],
    "Query.mentorshipLineage": [
        _root(
            "m",
            *_same("mentorshipLineage", 'person: "%(m)s"', 'person: "%(missing)s"', "{ total }"),
            NOT_FOUND,
        )
    ],
    "Query.networkSearch": [
        _root(
            "m",
            *_same("networkSearch", 'person: "%(m)s"', 'person: "%(missing)s"', "{ distance }"),
            NOT_FOUND,
        )
    ],
    "Query.recommendedConnections": [
        _root(
            "m",
            *_same(
                "recommendedConnections", 'person: "%(m)s"', 'person: "%(missing)s"', "{ score }"
            ),
            NOT_FOUND,
        )
    ],
    "Query.recommendedMentors": [
        _root(
            "m",
            *_same(
                "recommendedMentors",
                'person: "%(t0)s", expertise: "%(area)s"',
                'person: "%(missing)s", expertise: "%(area)s"',
                "{ level }",
            ),
            NOT_FOUND,
        )
    ],
    "Query.networkOverview": [
        _root(
            "m",
            *_same(
                "networkOverview", 'countries: ["ID"]', 'countries: ["ZZ"]', "{ total { people } }"
            ),
            NOT_FOUND,
        ),
        _root("u", "viewer { id }", "networkOverview { total { people } }", FORBIDDEN),
    ],
    "Query.countryMatrix": [
        _root(
            "m",
            *_same("countryMatrix", 'countries: ["ID"]', 'countries: ["ZZ"]', "{ fromCountry }"),
            NOT_FOUND,
        )
    ],
    "Query.expertiseCoverage": [
        _root(
            "m",
            *_same(
                "expertiseCoverage",
                'expertise: "%(area)s"',
                'expertise: "%(missing_area)s"',
                "{ people }",
            ),
            NOT_FOUND,
        )
    ],
    "Query.networkGrowth": [
        _root(
            "m",
            *_same(
                "networkGrowth",
                PERIOD + ', countries: ["ID"]',
                PERIOD + ', countries: ["ZZ"]',
                "{ period }",
            ),
            NOT_FOUND,
        )
    ],
    "Query.topMentors": [
        _root(
            "m",
            *_same("topMentors", 'countries: ["ID"]', 'countries: ["ZZ"]', "{ reach }"),
            NOT_FOUND,
        )
    ],
    "Query.mentorshipImpact": [
        _root(
            "m",
            *_same("mentorshipImpact", 'mentor: "%(m)s"', 'mentor: "%(missing)s"', "{ reach }"),
            NOT_FOUND,
        )
    ],
    "Query.analyticsRun": [
        _root(
            "anonymous",
            "countries(first: 1) { totalCount }",
            "analyticsRun { id }",
            UNAUTHENTICATED,
        )
    ],
    "Query.asccIndicators": [
        _root(
            "m",
            *_same(
                "asccIndicators",
                PERIOD + ', country: "ID"',
                PERIOD + ', country: "ZZ"',
                "{ total { experts } }",
            ),
            NOT_FOUND,
        )
    ],
    "Query.exportMyData": [
        _root(
            "anonymous",
            "countries(first: 1) { totalCount }",
            "exportMyData",
            UNAUTHENTICATED,
        )
    ],
    "Query.auditTrail": [
        _root("m", "viewer { id }", "auditTrail(first: 1) { totalCount }", FORBIDDEN)
    ],
    "Query.expertiseRequest": [
        _root(
            "m",
            *_same("expertiseRequest", 'id: "%(request)s"', 'id: "%(missing_request)s"', "{ id }"),
            NOT_FOUND,
            setup=_requests,
        ),
        _root(
            "m",
            *_same("expertiseRequest", 'id: "%(request)s"', 'id: "%(hidden_request)s"', "{ id }"),
            FORBIDDEN,
            setup=_requests,
        ),
    ],
    "Query.expertiseRequests": [
        _root("u", "viewer { id }", "expertiseRequests(first: 1) { totalCount }", FORBIDDEN)
    ],
    "Query.recommendedRequests": [
        _root(
            "m",
            *_same("recommendedRequests", 'person: "%(m)s"', 'person: "%(t0)s"', "{ crossBorder }"),
            FORBIDDEN,
        )
    ],
    # ---- object fields ----
    "CivilServant.connections": [_viewer("u", "connections(first: 1) { totalCount }", FORBIDDEN)],
    "CivilServant.endorsements": [_viewer("u", "endorsements { count }", FORBIDDEN)],
    "CivilServant.mentees": [_viewer("u", "mentees { id }", FORBIDDEN)],
    "CivilServant.mentors": [_viewer("u", "mentors { id }", FORBIDDEN)],
    "CivilServant.connectionRequests": [
        Case(
            "m",
            '{ civilServant(id: "%(t0)s") { ok: displayName bad: connectionRequests { at } } }',
            FORBIDDEN,
            ok=("civilServant", "ok"),
            bad=("civilServant", "bad"),
        )
    ],
    "ConnectionRequest.from": [
        Case(
            "u",
            "{ viewer { connectionRequests { ok: at bad: from { id } } } }",
            FORBIDDEN,
            ok=("viewer", "connectionRequests", 0, "ok"),
            bad=("viewer", "connectionRequests", 0, "bad"),
        )
    ],
    "ConnectionRequest.to": [
        Case(
            "u",
            "{ viewer { connectionRequests(incoming: false) { ok: at bad: to { id } } } }",
            FORBIDDEN,
            ok=("viewer", "connectionRequests", 0, "ok"),
            bad=("viewer", "connectionRequests", 0, "bad"),
        )
    ],
    "PortfolioItem.author": [
        Case(
            "u",
            "{ viewer { portfolio { ok: title bad: author { id } } } }",
            FORBIDDEN,
            ok=("viewer", "portfolio", 0, "ok"),
            bad=("viewer", "portfolio", 0, "bad"),
        )
    ],
    "CivilServant.expertStatusHistory": [
        Case(
            "m",
            '{ civilServant(id: "%(t0)s") { ok: displayName bad: expertStatusHistory { at } } }',
            FORBIDDEN,
            ok=("civilServant", "ok"),
            bad=("civilServant", "bad"),
        )
    ],
    "Mutation.setExpertStatus": [
        _mutation(
            "admin",
            *_same(
                "setExpertStatus",
                'id: "%(t0)s", isExpert: true, reason: "Led the ACCSM workshop"',
                'id: "%(missing)s", isExpert: true, reason: "Led the ACCSM workshop"',
                "{ civilServant { isExpert } }",
            ),
            NOT_FOUND,
        ),
        _mutation(
            "m",
            OWN_CITY,
            'setExpertStatus(id: "%(t0)s", isExpert: true, reason: "x") { __typename }',
            FORBIDDEN,
        ),
    ],
    "PortfolioItem.coAuthors": [
        Case(
            "u",
            "{ viewer { portfolio { ok: title bad: coAuthors { id } } } }",
            FORBIDDEN,
            ok=("viewer", "portfolio", 0, "ok"),
            bad=("viewer", "portfolio", 0, "bad"),
        )
    ],
    "Mutation.updatePortfolioItem": [
        _mutation(
            "m",
            OWN_CITY,
            'updatePortfolioItem(input: {id: "%(missing_item)s", title: "x"}) { __typename }',
            NOT_FOUND,
        )
    ],
    "Mutation.removePortfolioItem": [
        _mutation(
            "m", OWN_CITY, 'removePortfolioItem(id: "%(missing_item)s") { removedId }', NOT_FOUND
        )
    ],
    "CivilServant.notifications": [
        Case(
            "m",
            '{ civilServant(id: "%(t0)s") { ok: displayName bad: notifications { totalCount } } }',
            FORBIDDEN,
            ok=("civilServant", "ok"),
            bad=("civilServant", "bad"),
        )
    ],
    "CivilServant.unreadNotificationCount": [
        Case(
            "m",
            '{ civilServant(id: "%(t0)s") { ok: displayName bad: unreadNotificationCount } }',
            FORBIDDEN,
            ok=("civilServant", "ok"),
            bad=("civilServant", "bad"),
        )
    ],
    "CivilServant.introductionRequests": [
        Case(
            "m",
            '{ civilServant(id: "%(t0)s") { ok: displayName bad: introductionRequests { id } } }',
            FORBIDDEN,
            ok=("civilServant", "ok"),
            bad=("civilServant", "bad"),
        )
    ],
    "Notification.actor": [
        Case(  # `u` (not verified) gets `t1`'s connection request
            "u",
            "{ viewer { notifications(first: 1) { edges { node { ok: kind bad: actor { id } } } } } }",
            FORBIDDEN,
            ok=("viewer", "notifications", "edges", 0, "node", "ok"),
            bad=("viewer", "notifications", "edges", 0, "node", "bad"),
            setup=_connect_request("t1", "u"),
        )
    ],
    "Event.participants": [
        _first_node("events", "title", "participants { role }", UNAUTHENTICATED)
    ],
    "Institution.members": [
        _first_node("institutions", "name", "members(first: 1) { totalCount }", UNAUTHENTICATED)
    ],
    "Expertise.experts": [
        _first_node("expertiseAreas", "name", "experts(first: 1) { totalCount }", UNAUTHENTICATED)
    ],
    # ---- Mutation ----
    "Mutation.registerCivilServant": [
        _mutation(
            "anonymous",
            "__typename",
            'registerCivilServant(input: {givenName: "Nobody"}) { civilServant { id } }',
            UNAUTHENTICATED,
        )
    ],
    "Mutation.updateCivilServant": [
        _mutation(
            "m",
            OWN_CITY,
            'updateCivilServant(input: {id: "%(t0)s", city: "Bogor"}) { civilServant { city } }',
            FORBIDDEN,
        )
    ],
    "Mutation.verifyCivilServant": [
        _mutation(
            "admin",
            *_same(
                "verifyCivilServant",
                'id: "%(u)s", verified: false',
                'id: "%(missing)s"',
                "{ civilServant { id } }",
            ),
            NOT_FOUND,
        ),
        _mutation(
            "m", OWN_CITY, 'verifyCivilServant(id: "%(u)s") { civilServant { id } }', FORBIDDEN
        ),
    ],
    "Mutation.deleteCivilServant": [
        _mutation(
            "admin",
            *_same("deleteCivilServant", 'id: "%(v)s"', 'id: "%(missing)s"', "{ deletedId }"),
            NOT_FOUND,
        )
    ],
    "Mutation.setExpertise": [
        _mutation(
            "m",
            *_same(
                "setExpertise",
                'input: {civilServantId: "%(m)s", expertiseId: "%(area)s", level: 4}',
                'input: {civilServantId: "%(t0)s", expertiseId: "%(area)s", level: 4}',
                "{ expertise { level } }",
            ),
            FORBIDDEN,
        )
    ],
    "Mutation.removeExpertise": [
        _mutation(
            "m",
            *_same(
                "removeExpertise",
                'input: {civilServantId: "%(m)s", expertiseId: "%(area)s"}',
                'input: {civilServantId: "%(t0)s", expertiseId: "%(area)s"}',
                "{ civilServant { id } }",
            ),
            FORBIDDEN,
        )
    ],
    "Mutation.addPortfolioItem": [
        _mutation(
            "m",
            *_same(
                "addPortfolioItem",
                'input: {authorId: "%(m)s", kind: TALK, title: "On tenure"}',
                'input: {authorId: "%(t0)s", kind: TALK, title: "On tenure"}',
                "{ portfolioItem { id } }",
            ),
            FORBIDDEN,
        )
    ],
    "Mutation.createInstitution": [
        _mutation(
            "m",
            OWN_CITY,
            'createInstitution(input: {name: "Nope", kind: AGENCY}) { institution { id } }',
            FORBIDDEN,
        )
    ],
    "Mutation.createExpertiseArea": [
        _mutation(
            "m",
            OWN_CITY,
            'createExpertiseArea(input: {name: "Nope"}) { expertise { id } }',
            FORBIDDEN,
        )
    ],
    "Mutation.createEvent": [
        _mutation(
            "m",
            OWN_CITY,
            'createEvent(input: {title: "Nope", kind: MEETING, startDate: "2020-01-01"}) { event { id } }',
            FORBIDDEN,
        )
    ],
    "Mutation.updateInstitution": [
        _mutation(
            "m",
            OWN_CITY,
            'updateInstitution(input: {id: "%(institution)s", name: "x"}) { institution { id } }',
            FORBIDDEN,
        )
    ],
    "Mutation.mergeInstitutions": [
        _mutation(
            "m",
            OWN_CITY,
            'mergeInstitutions(source: "%(institution)s", target: "%(institution)s")'
            " { relationshipsMoved }",
            FORBIDDEN,
        )
    ],
    "Mutation.updateExpertiseArea": [
        _mutation(
            "m",
            OWN_CITY,
            'updateExpertiseArea(input: {id: "%(area)s", name: "x"}) { expertise { id } }',
            FORBIDDEN,
        )
    ],
    "Mutation.mergeExpertiseAreas": [
        _mutation(
            "m",
            OWN_CITY,
            'mergeExpertiseAreas(source: "%(area)s", target: "%(area)s") { relationshipsMoved }',
            FORBIDDEN,
        )
    ],
    "Mutation.updateEvent": [
        _mutation(
            "m",
            OWN_CITY,
            'updateEvent(input: {id: "%(event)s", title: "x"}) { event { id } }',
            FORBIDDEN,
            setup=_an_event,
        )
    ],
    "Mutation.mergeEvents": [
        _mutation(
            "m",
            OWN_CITY,
            'mergeEvents(source: "%(event)s", target: "%(event)s") { relationshipsMoved }',
            FORBIDDEN,
            setup=_an_event,
        )
    ],
    "Mutation.recordParticipation": [
        _mutation(
            "m",
            *_same(
                "recordParticipation",
                'input: {civilServantId: "%(m)s", eventId: "%(event)s"}',
                'input: {civilServantId: "%(t0)s", eventId: "%(event)s"}',
                "{ event { id } }",
            ),
            FORBIDDEN,
            setup=_an_event,
        )
    ],
    "Mutation.requestConnection": [
        _mutation(
            "m",
            *_same("requestConnection", 'to: "%(t0)s"', 'to: "%(missing)s"', "{ outcome }"),
            NOT_FOUND,
        )
    ],
    "Mutation.acceptConnection": [
        _mutation(
            "m",
            *_same("acceptConnection", 'from: "%(t0)s"', 'from: "%(t1)s"', "{ since }"),
            NOT_FOUND,
            setup=_connect_request("t0", "m"),
        )
    ],
    "Mutation.declineConnection": [
        _mutation(
            "m",
            *_same(
                "declineConnection", 'from: "%(t0)s"', 'from: "%(t1)s"', "{ civilServant { id } }"
            ),
            NOT_FOUND,
            setup=_connect_request("t0", "m"),
        )
    ],
    "Mutation.withdrawConnectionRequest": [
        _mutation(
            "m",
            *_same(
                "withdrawConnectionRequest",
                'to: "%(t0)s"',
                'to: "%(t1)s"',
                "{ civilServant { id } }",
            ),
            NOT_FOUND,
            setup=_connect_request("m", "t0"),
        )
    ],
    "Mutation.removeConnection": [
        _mutation(
            "m",
            *_same(
                "removeConnection", 'with: "%(t0)s"', 'with: "%(t1)s"', "{ civilServant { id } }"
            ),
            NOT_FOUND,
            setup=_connected,
        )
    ],
    "Mutation.endorse": [
        _mutation(
            "m",
            *_same(
                "endorse",
                'civilServant: "%(t0)s", expertise: "%(area)s"',
                'civilServant: "%(missing)s", expertise: "%(area)s"',
                "{ endorsement { at } }",
            ),
            NOT_FOUND,
        )
    ],
    "Mutation.withdrawEndorsement": [
        _mutation(
            "m",
            *_same(
                "withdrawEndorsement",
                'civilServant: "%(t0)s", expertise: "%(area)s"',
                'civilServant: "%(t1)s", expertise: "%(area)s"',
                "{ civilServant { id } }",
            ),
            NOT_FOUND,
            setup=_endorsed,
        )
    ],
    "Mutation.requestMentorship": [
        _mutation(
            "m",
            *_same(
                "requestMentorship",
                'mentor: "%(t2)s", expertise: "%(area)s"',
                'mentor: "%(missing)s", expertise: "%(area)s"',
                "{ mentorship { status } }",
            ),
            NOT_FOUND,
        )
    ],
    "Mutation.postExpertiseRequest": [
        _mutation(
            "m",
            *_same(
                "postExpertiseRequest",
                'input: {title: "Help", kind: ADVICE, expertise: ["%(area)s"]}',
                'input: {title: "Help", kind: ADVICE, expertise: ["%(missing_area)s"]}',
                "{ expertiseRequest { id } }",
            ),
            ("BAD_USER_INPUT",),
        )
    ],
    "Mutation.offerHelp": [
        _mutation(
            "m",
            *_same(
                "offerHelp",
                'request: "%(t0_request)s"',
                'request: "%(missing_request)s"',
                "{ offer { status } }",
            ),
            NOT_FOUND,
            setup=_requests,
        )
    ],
    "Mutation.acceptOffer": [
        _mutation(
            "m",
            *_same(
                "acceptOffer",
                'request: "%(request)s", helper: "%(t0)s"',
                'request: "%(request)s", helper: "%(t1)s"',
                "{ collaboration { since } }",
            ),
            NOT_FOUND,
            setup=_requests,
        )
    ],
    "Mutation.closeExpertiseRequest": [
        _mutation(
            "m",
            *_same(
                "closeExpertiseRequest",
                'input: {request: "%(request)s", closure: WITHDRAWN}',
                'input: {request: "%(t0_request)s", closure: WITHDRAWN}',
                "{ expertiseRequest { status } }",
            ),
            FORBIDDEN,
            setup=_requests,
        )
    ],
    **{
        f"Mutation.{field}": [
            _mutation("m", OWN_CITY, f"{field}({args}) {{ __typename }}", FORBIDDEN)
        ]
        for field, args in (
            (
                "addEmployment",
                'input: {civilServantId: "%(t0)s", institutionId: "%(institution)s",'
                " sinceYear: 2010}",
            ),
            ("updateEmployment", 'input: {id: "%(t0_job)s", position: "Head"}'),
            ("endEmployment", 'id: "%(t0_job)s"'),
            ("removeEmployment", 'id: "%(t0_job)s"'),
            (
                "addEducation",
                'input: {civilServantId: "%(t0)s", institutionId: "%(institution)s", year: 2010}',
            ),
            ("updateEducation", 'input: {id: "%(t0_study)s", degree: "MPA"}'),
            ("removeEducation", 'id: "%(t0_study)s"'),
        )
    },
    "Mutation.requestIntroduction": [
        _mutation(
            "t0",
            *_same(
                "requestIntroduction",
                'to: "%(t1)s", via: "%(m)s"',
                'to: "%(t2)s", via: "%(m)s"',
                "{ introduction { status } }",
            ),
            NOT_FOUND,
            setup=_introduction_via_m,
        )
    ],
    **{
        f"Mutation.{action}Introduction": [
            _mutation(
                "m",
                *_same(
                    f"{action}Introduction",
                    'id: "%(introduction)s"',
                    'id: "%(missing)s"',
                    "{ introduction { status } }",
                ),
                NOT_FOUND,
                setup=_introduction_via_m,
            )
        ]
        for action in ("forward", "decline")
    },
    "Mutation.markNotificationsRead": [
        _mutation(
            "t0",
            *_same(
                "markNotificationsRead",
                'ids: ["%(notification)s"]',
                'ids: ["%(missing_notification)s"]',
                "{ unreadCount }",
            ),
            NOT_FOUND,
            setup=_notified,
        )
    ],
    "Mutation.markAllNotificationsRead": [
        _mutation(
            "anonymous", "__typename", "markAllNotificationsRead { unreadCount }", UNAUTHENTICATED
        )
    ],
    **{
        f"Mutation.{action}Mentorship": [
            _mutation(
                "m",
                *_same(
                    f"{action}Mentorship",
                    'id: "%(mentorship)s"',
                    'id: "%(missing_mentorship)s"',
                    "{ mentorship { status } }",
                ),
                NOT_FOUND,
                setup=setup,
            )
        ]
        for action, setup in (
            ("accept", _mentorship("t0", "m")),
            ("decline", _mentorship("t0", "m")),
            ("cancel", _mentorship("m", "t2")),
            ("complete", _mentorship("m", "t2", accept=True)),
        )
    },
}


def _resolver_fields() -> dict[str, Any]:
    """`Type.field` → its GraphQL field, for every field of an object type that has a resolver
    (plain attributes cannot fail)."""
    schema = build_schema()
    found = {}
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            definition = schema.get_field_for_type(name, type_.name)
            if definition is not None and definition.base_resolver is not None:
                found[f"{type_.name}.{name}"] = field
    return found


def test_every_field_that_can_fail_is_classified_and_nullable() -> None:
    fields = _resolver_fields()
    unclassified = [
        f
        for f in fields
        if f not in CAN_FAIL and not any(fnmatch.fnmatchcase(f, p) for p in CANNOT_FAIL)
    ]
    assert not unclassified, (
        "new fields: add each to CAN_FAIL (with a failing request) or CANNOT_FAIL (with the reason)",
        unclassified,
    )
    stale = [
        f for f in [*CAN_FAIL, *CANNOT_FAIL] if not any(fnmatch.fnmatchcase(g, f) for g in fields)
    ]
    assert not stale, ("no such field (renamed or removed?)", stale)
    both = [f for f in CAN_FAIL if any(fnmatch.fnmatchcase(f, p) for p in CANNOT_FAIL)]
    assert not both, both
    assert all(CAN_FAIL.values())
    non_null = []
    for name in CAN_FAIL:
        type_ = fields[name].type
        if name == "Query.nodes":  # fails per item: the list is there, its items are nullable
            assert isinstance(type_, GraphQLNonNull) and isinstance(type_.of_type, GraphQLList)
            type_ = type_.of_type.of_type
        if isinstance(type_, GraphQLNonNull):
            non_null.append(f"{name}: {type_}")
    assert not non_null, ("fields that can fail must be nullable", non_null)


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


CASES = [
    pytest.param(case, id=f"{field}-{i}")
    for field, cases in CAN_FAIL.items()
    for i, case in enumerate(cases)
]


@pytest_asyncio.fixture(loop_scope="session")
async def cast(api: Api, ldbc_store: GraphStore, token: str) -> AsyncIterator[Cast]:
    people = Cast(api, ldbc_store, token)
    await people.create()
    try:
        yield people
    finally:
        await people.delete()


@pytest.mark.parametrize("case", CASES)
async def test_a_failing_alias_leaves_its_siblings(cast: Cast, case: Case) -> None:
    if case.setup is not None:
        await case.setup(cast)
    body = await cast.as_(case.caller).post(case.query % cast.ids)
    data = body.get("data")
    assert data is not None, body
    errors = body.get("errors") or []
    bad_errors = [e for e in errors if tuple(e.get("path") or ())[: len(case.bad)] == case.bad]
    assert bad_errors, ("no error at the failing alias", body)
    assert {e["extensions"]["code"] for e in bad_errors} <= set(case.codes), body
    assert _at(data, case.bad) is None, body
    assert _at(data, case.ok) is not None, body
    assert all(tuple(e.get("path") or ())[: len(case.ok)] != case.ok for e in errors), body
    assert len(errors) == len(bad_errors), ("errors elsewhere", body)
    if case.query.startswith("mutation"):
        assert data["tail"] == "Mutation", body
