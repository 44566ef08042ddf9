"""Descriptions for the parts of the schema whose code gives none, applied when it is built.

Every type, field, argument and enum value of the published schema has a description
(`tests/api/test_schema_docs.py` fails on any without one). Most are written beside the code
(`strawberry.field(description=…)`); this catalogue covers the rest in one place: the Relay
plumbing every connection repeats (`first`, `edges`, `pageInfo`, …), names with one meaning
everywhere (`countryCode`, `civilServantId`, …), enum values (the domain enums are plain
`StrEnum`s), payload and input types (described by the mutation that uses them), and the
remaining fields by `Type.field` / `Type.field(argument)`. A description in the code always wins.

`ERROR_CODES` documents `extensions.code`; `MUTATION_ERRORS` lists, per mutation, the codes it
answers besides `UNAUTHENTICATED`, `LIMIT_EXCEEDED`, `STORE_UNAVAILABLE` and `INTERNAL` (which any
request may meet); they are added to each mutation's description.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import strawberry
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

PERSON = "A civil servant (global id)."
PERSON_ID = "The civil servant (global id)."
INSTITUTION_ID = "The institution (global id)."
COUNTRY_CODE = "ISO 3166-1 alpha-2 code (ISO 3166-2 for the United Kingdom's nations)."
COUNT = "How many."

BY_NAME: Final[dict[str, str]] = {
    # Relay connections (`first` / `last` are capped at EXPECS_MAX_PAGE_SIZE).
    "first": "Page size from the start (or after `after`); capped (EXPECS_MAX_PAGE_SIZE).",
    "after": "A cursor from an earlier page: continue after it.",
    "last": "Page size from the end (or before `before`); capped (EXPECS_MAX_PAGE_SIZE).",
    "before": "A cursor from an earlier page: continue before it.",
    "edges": "The items of this page, in order.",
    "pageInfo": "Cursors and whether more pages exist either way.",
    "cursor": "Opaque keyset cursor of this item, for `after` / `before`.",
    "node": "The item.",
    "totalCount": "All items of the list (computed only when selected).",
    # Ids and references with one meaning everywhere.
    "civilServantId": PERSON_ID,
    "institutionId": INSTITUTION_ID,
    "expertiseId": "The expertise area (global id).",
    "eventId": "The event (global id).",
    "authorId": "The author (global id): yourself, unless you are an admin.",
    "countryCode": COUNTRY_CODE,
    "country": "The country.",
    "civilServant": "The civil servant.",
    "input": "The fields (see the input type).",
    "filter": "Filters; all given must hold.",
    "person": PERSON,
}

ENUM_VALUES: Final[dict[str, dict[str, str]]] = {
    "CivilServantOrderField": {
        "NAME": "Family name, or the single name of people who have one, then given name.",
        "JOINED_AT": "When the profile was created.",
    },
    "SortDirection": {"ASC": "Ascending.", "DESC": "Descending."},
    "ConnectionOutcome": {
        "REQUESTED": "A request is pending.",
        "CONNECTED": "They had asked you: you are connected now.",
    },
    "CountryGroup": {
        "ASEAN_MEMBER": "An ASEAN member state.",
        "PLUS_THREE": "China, Japan or the Republic of Korea (ASEAN Plus Three).",
        "OTHER": "Any other country.",
    },
    "EventKind": {
        "WORKSHOP": "A workshop.",
        "MEETING": "A meeting (e.g. an ACCSM meeting).",
        "PROGRAMME": "A programme running over time.",
        "CONFERENCE": "A conference.",
        "TRAINING": "A training course.",
    },
    "InstitutionKind": {
        "MINISTRY": "A ministry.",
        "AGENCY": "A government agency.",
        "ACADEMY": "A civil-service academy or training institute.",
        "UNIVERSITY": "A university.",
        "INTERNATIONAL_BODY": "An international body (e.g. the ASEAN Secretariat).",
        "COMPANY": "A company (LDBC sample data).",
    },
    "IntroductionStatus": {
        "REQUESTED": "Waiting for the introducer.",
        "FORWARDED": "The introducer sent your connection request on.",
        "DECLINED": "The introducer declined.",
    },
    "GrowthInterval": {"MONTH": "Calendar months.", "QUARTER": "Quarters.", "YEAR": "Years."},
    "LineageDirection": {
        "DESCENDANTS": "Mentees, their mentees, and so on.",
        "ANCESTORS": "Mentors, their mentors, and so on.",
    },
    "MentorshipStatus": {
        "REQUESTED": "Asked by the mentee; waiting for the mentor.",
        "ACTIVE": "Accepted and under way.",
        "COMPLETED": "Finished as agreed.",
        "DECLINED": "The mentor declined.",
        "CANCELLED": "Withdrawn before or ended early during the mentorship.",
    },
    "NetworkRelationship": {
        "CONNECTED_TO": "A connection (undirected).",
        "MENTORS": "An established mentorship, mentor → mentee.",
        "ENDORSED": "An endorsement, endorser → endorsee.",
    },
    "NotificationKind": {
        "CONNECTION_REQUESTED": "Someone asked you to connect.",
        "CONNECTION_ACCEPTED": "Your request was accepted (or crossed with theirs).",
        "ENDORSED": "Someone endorsed you for an area.",
        "MENTORSHIP_REQUESTED": "A mentee asked you to mentor them.",
        "MENTORSHIP_ACCEPTED": "Your mentor accepted.",
        "MENTORSHIP_DECLINED": "The mentor declined.",
        "MENTORSHIP_CANCELLED": "The other party cancelled.",
        "MENTORSHIP_COMPLETED": "The other party marked it completed.",
        "PROFILE_VERIFIED": "An admin verified your profile.",
        "EXPERT_STATUS_CHANGED": "An admin granted or revoked your expert status.",
        "INTRODUCTION_REQUESTED": "A connection asked you to introduce them to someone.",
        "INTRODUCTION_FORWARDED": "An introduction was forwarded (to the requester and the "
        "person they will meet, who has the requester's connection request).",
        "INTRODUCTION_DECLINED": "The introducer declined your introduction.",
        "OFFER_RECEIVED": "Someone offered to help with your expertise request.",
        "OFFER_ACCEPTED": "The author accepted your offer of help.",
        "MATCHING_REQUESTS": "Today's new expertise requests that fit your expertise (one a day; "
        "later requests of the day join it).",
    },
    "ExpertiseRequestKind": {
        "ADVICE": "Advice on a question or a plan.",
        "REVIEW": "A review of a document, policy or design.",
        "CO_AUTHORING": "Writing something together.",
        "SHORT_ASSIGNMENT": "A short piece of work or secondment.",
        "SPEAKING": "Speaking at an event.",
    },
    "RequestVisibility": {
        "EVERYONE": "Every verified member sees it.",
        "NETWORK": "Only the author's connections see it.",
    },
    "ExpertiseRequestStatus": {
        "OPEN": "Takes offers; none accepted yet.",
        "IN_PROGRESS": "At least one offer accepted; still takes offers.",
        "CLOSED": "Fulfilled or withdrawn; takes no offers.",
    },
    "RequestClosure": {
        "FULFILLED": "The help was given (needs an outcome and an accepted offer).",
        "WITHDRAWN": "The author no longer needs it.",
    },
    "OfferStatus": {
        "PENDING": "Not (yet) accepted by the author.",
        "ACCEPTED": "Accepted: the helper collaborates on the request.",
    },
    "PortfolioKind": {
        "PUBLICATION": "A publication.",
        "PROJECT": "A project.",
        "POLICY": "A policy the person shaped.",
        "TRAINING": "A training course given.",
        "TALK": "A talk or presentation.",
    },
    "ProfileVisibility": {
        "PUBLIC": "Every verified member sees the whole profile.",
        "NETWORK": "Members not connected to you see only your names, country and badges.",
    },
    "SearchKind": {
        "CIVIL_SERVANT": "A civil servant.",
        "INSTITUTION": "An institution.",
    },
    "ScoreMetric": {
        "DEGREE": "Number of connections.",
        "PAGERANK": "PageRank over connections.",
        "BETWEENNESS": "Normalised betweenness.",
    },
}


@strawberry.enum(description="The `extensions.code` of every error the API answers.")
class ErrorCode(StrEnum):
    """The `extensions.code` of every error the API answers (each value is described below, in
    `ERROR_CODES`). Requests may also meet UNAUTHENTICATED, LIMIT_EXCEEDED, STORE_UNAVAILABLE and
    INTERNAL; each mutation's description lists the other codes it answers."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
    INTERNAL = "INTERNAL"


ERROR_CODES: Final[dict[str, str]] = {
    "BAD_USER_INPUT": "The request is malformed or a value is invalid; `extensions.fields` "
    "lists the fields (`{field, message}`) where it applies. Nothing was written.",
    "UNAUTHENTICATED": "No (valid) bearer token, for something that needs one.",
    "FORBIDDEN": "Signed in, but not allowed (someone else's record, not verified, not an admin).",
    "NOT_FOUND": "An id names nothing (or nothing the caller may see).",
    "CONFLICT": "The change clashes with what is stored (already connected, already decided, a "
    "taken key). Nothing was written.",
    "LIMIT_EXCEEDED": "The request asks for more than a documented limit (page size, hops, "
    "depth, cost, rate); `extensions.limit` names it.",
    "STORE_UNAVAILABLE": "The graph store did not answer in time; retry later.",
    "INTERNAL": "An unexpected error, masked; `extensions.requestId` finds it in the log.",
}

_OWN = ("BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND")
MUTATION_ERRORS: Final[dict[str, tuple[str, ...]]] = {
    "registerCivilServant": ("BAD_USER_INPUT", "CONFLICT"),
    "updateCivilServant": (*_OWN, "CONFLICT"),
    "verifyCivilServant": ("FORBIDDEN", "NOT_FOUND"),
    "deleteCivilServant": ("FORBIDDEN", "NOT_FOUND"),
    "setExpertise": _OWN,
    "removeExpertise": _OWN,
    "addPortfolioItem": _OWN,
    "createInstitution": ("BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "createExpertiseArea": ("BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "createEvent": ("BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "recordParticipation": _OWN,
    "requestConnection": (*_OWN, "CONFLICT"),
    "acceptConnection": ("FORBIDDEN", "NOT_FOUND"),
    "declineConnection": ("FORBIDDEN", "NOT_FOUND"),
    "withdrawConnectionRequest": ("FORBIDDEN", "NOT_FOUND"),
    "removeConnection": ("FORBIDDEN", "NOT_FOUND"),
    "endorse": _OWN,
    "withdrawEndorsement": ("FORBIDDEN", "NOT_FOUND"),
    "requestMentorship": _OWN,
    "acceptMentorship": ("FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "declineMentorship": ("FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "cancelMentorship": ("FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "completeMentorship": ("FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "markNotificationsRead": ("BAD_USER_INPUT", "NOT_FOUND"),
    "markAllNotificationsRead": (),
    "requestIntroduction": (*_OWN, "CONFLICT"),
    "forwardIntroduction": ("FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "declineIntroduction": ("FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "addEmployment": (*_OWN, "CONFLICT"),
    "updateEmployment": (*_OWN, "CONFLICT"),
    "endEmployment": (*_OWN, "CONFLICT"),
    "removeEmployment": _OWN,
    "addEducation": (*_OWN, "CONFLICT"),
    "updateEducation": (*_OWN, "CONFLICT"),
    "removeEducation": _OWN,
    "updatePortfolioItem": _OWN,
    "removePortfolioItem": ("FORBIDDEN", "NOT_FOUND"),
    "setExpertStatus": ("BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND"),
    "postExpertiseRequest": ("BAD_USER_INPUT", "FORBIDDEN"),
    "offerHelp": ("BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "acceptOffer": ("FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "closeExpertiseRequest": ("BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "CONFLICT"),
    "updateInstitution": _OWN,
    "updateExpertiseArea": _OWN,
    "updateEvent": _OWN,
    "mergeInstitutions": _OWN,
    "mergeExpertiseAreas": _OWN,
    "mergeEvents": _OWN,
}

BY_PATH: Final[dict[str, str]] = {
    "Query": "Every query: reference data and profiles, the network, analytics, the audit trail.",
    "Mutation": "Every mutation; each runs as one store transaction and is audited.",
    "Subscription": "Live notifications over WebSocket (graphql-transport-ws).",
    # ---- Query arguments ----
    "Query.node(id)": "A global id.",
    "Query.nodes(ids)": "Global ids (at most the page-size cap).",
    "Query.civilServant(id)": PERSON,
    "Query.expertiseRequest(id)": "The request's global id.",
    "ExpertiseRequest.title": "What help is needed, in a line.",
    "ExpertiseRequest.description": "The details.",
    "ExpertiseRequest.kind": "What kind of help.",
    "ExpertiseRequest.visibility": "Who sees it.",
    "ExpertiseRequest.status": "Where it is in its lifecycle.",
    "ExpertiseRequest.deadline": "When the help is needed by (null: no deadline).",
    "ExpertiseRequest.createdAt": "When it was posted (UTC).",
    "ExpertiseRequest.closedAt": "When it was closed (UTC); null while open.",
    "Offer.message": "What the helper wrote.",
    "Offer.at": "When the offer was made (UTC).",
    "Offer.status": "Pending or accepted.",
    "ExpertiseRequestFilter.kind": "Only requests of this kind.",
    "RecommendedRequest.expertiseRequest": "The request.",
    "Mutation.offerHelp(request)": "The request's global id.",
    "Mutation.offerHelp(message)": "A note to the author (optional).",
    "Mutation.acceptOffer(request)": "The request's global id.",
    "Mutation.acceptOffer(helper)": "The global id of the civil servant who offered.",
    "PostExpertiseRequestInput.title": "What help is needed, in a line.",
    "PostExpertiseRequestInput.kind": "What kind of help.",
    "PostExpertiseRequestInput.description": "The details.",
    "PostExpertiseRequestInput.visibility": "Who sees it (default: everyone).",
    "CloseExpertiseRequestInput.request": "The request's global id.",
    "CloseExpertiseRequestInput.closure": "Fulfilled or withdrawn.",
    "CollaborationPortfolioInput.kind": "What kind of work.",
    "CollaborationPortfolioInput.title": "Its title.",
    "CollaborationPortfolioInput.year": "Year of publication or completion (1900–2100).",
    "CollaborationPortfolioInput.url": "Where to read or see it.",
    "CollaborationPortfolioInput.summary": "A short summary.",
    "Query.civilServants(orderBy)": "Sort order; by name ascending when left out.",
    "Query.search(query)": "What the user typed: 1–200 characters, 1–12 words; every word must "
    "match, in any field, ignoring case and accents.",
    "Query.search(filter)": "Narrow the hits (the facets then count the narrowed hits).",
    "Query.egoNetwork(depth)": "Hops from the person, 1 to 3.",
    "Query.egoNetwork(kinds)": "Relationship kinds to follow.",
    "Query.egoNetwork(limit)": "Most people returned (up to 500).",
    "Query.connectionPath(from)": "Where the path starts (a civil servant's global id).",
    "Query.connectionPath(to)": "Where the path ends (a civil servant's global id).",
    "Query.connectionPath(maxHops)": "Longest path searched, 1 to 6.",
    "Query.mentorshipPath(from)": "The mentor at the top of the chain (global id).",
    "Query.mentorshipPath(to)": "The mentee at the end of the chain (global id).",
    "Query.mentorshipPath(maxHops)": "Longest chain searched, 1 to 6.",
    "Query.mentorshipLineage(direction)": "Down to mentees or up to mentors.",
    "Query.mentorshipLineage(maxGenerations)": "Generations followed, 1 to 6.",
    "Query.networkSearch(maxHops)": "Hops searched from the person, 1 to 3.",
    "Query.recommendedMentors(expertise)": "The expertise area (global id).",
    "Query.expertiseCoverage(expertise)": "The area (global id); the top-level areas when left out.",
    "Query.expertiseCoverage(minLevel)": "Lowest level counted, 1 to 5.",
    "Query.networkGrowth(from)": "First day (inclusive, UTC).",
    "Query.networkGrowth(until)": "Last day, exclusive (UTC).",
    "Query.networkGrowth(interval)": "Length of each period.",
    "Query.topMentors(maxGenerations)": "Generations counted in each mentor's reach, 1 to 6.",
    "Query.mentorshipImpact(mentor)": "The mentor (global id).",
    "Query.mentorshipImpact(maxGenerations)": "Generations followed, 1 to 6.",
    "Query.asccIndicators(from)": "First day (inclusive, UTC).",
    "Query.asccIndicators(until)": "Last day, exclusive (UTC).",
    "Query.asccIndicators(country)": "A member state's ISO code; all of the report when left out.",
    "Query.auditTrail(actor)": "Only entries made by this civil servant (global id).",
    "Query.auditTrail(action)": "Only entries of this mutation, e.g. `updateCivilServant`.",
    # ---- Mutation arguments ----
    "Mutation.verifyCivilServant(id)": PERSON,
    "Mutation.verifyCivilServant(verified)": "True to verify, false to withdraw verification.",
    "Mutation.deleteCivilServant(id)": PERSON,
    "Mutation.requestConnection(to)": "Whom you ask (global id).",
    "Mutation.requestConnection(message)": "A note for them (up to 1,000 characters).",
    "Mutation.acceptConnection(from)": "Who asked you (global id).",
    "Mutation.declineConnection(from)": "Who asked you (global id).",
    "Mutation.withdrawConnectionRequest(to)": "Whom you had asked (global id).",
    "Mutation.removeConnection(with)": "The person you are connected to (global id).",
    "Mutation.endorse(civilServant)": "Whom you endorse (global id).",
    "Mutation.endorse(expertise)": "An area they hold (global id).",
    "Mutation.withdrawEndorsement(civilServant)": "Whom you had endorsed (global id).",
    "Mutation.withdrawEndorsement(expertise)": "The area of the endorsement (global id).",
    "Mutation.requestMentorship(mentor)": "The mentor you ask (global id).",
    "Mutation.requestMentorship(expertise)": "The area (global id); they must hold it or a "
    "narrower one.",
    "Mutation.requestMentorship(goal)": "What you hope to learn (up to 2,000 characters).",
    "Mutation.acceptMentorship(id)": "The mentorship (global id).",
    "Mutation.declineMentorship(id)": "The mentorship (global id).",
    "Mutation.cancelMentorship(id)": "The mentorship (global id).",
    "Mutation.completeMentorship(id)": "The mentorship (global id).",
    "Mutation.markNotificationsRead(ids)": "Your notifications' ids (1 to 100).",
    "Mutation.requestIntroduction(to)": "Whom you want to meet (global id).",
    "Mutation.requestIntroduction(via)": "The mutual connection asked to introduce you (global id).",
    "Mutation.requestIntroduction(message)": "A note for the introducer (up to 1,000 characters).",
    "Mutation.forwardIntroduction(id)": "`Introduction.id`.",
    "Mutation.declineIntroduction(id)": "`Introduction.id`.",
    "Mutation.endEmployment(id)": "`Employment.id`.",
    "Mutation.removeEmployment(id)": "`Employment.id`.",
    "Mutation.removeEducation(id)": "`Education.id`.",
    "Mutation.removePortfolioItem(id)": "The portfolio item (global id).",
    # ---- people ----
    "CivilServant.givenName": "Given name, or the single name of people who have one.",
    "CivilServant.displayName": "How the person is shown (given, then family name, unless chosen).",
    "CivilServant.joinedAt": "When the profile was created (UTC).",
    "CivilServant.verified": "An admin verified this civil servant.",
    "CivilServant.isExpert": "Recognised as an expert of the pool: granted or revoked by an admin "
    "with a reason (`setExpertStatus`, `expertStatusHistory`).",
    "CivilServant.profileVisibility": "Who sees the profile's details.",
    "CivilServant.mentees(status)": "Only these statuses; all when left out.",
    "CivilServant.mentors(status)": "Only these statuses; all when left out.",
    "CivilServant.connectionRequests(incoming)": "True: asked of you; false: asked by you.",
    "CivilServant.notifications(unreadOnly)": "Only those not yet marked read.",
    "CivilServantFilter.verified": "Only verified (true) or unverified (false) people.",
    "CivilServantOrder.field": "What to sort by.",
    "CivilServantOrder.direction": "Ascending or descending.",
    "ReferenceFilter.nameContains": "Part of the name, ignoring case and Unicode form.",
    "Employment.position": "The position held there.",
    "Employment.sinceYear": "Start year.",
    "Employment.institution": "Where.",
    "Education.year": "Year of the degree.",
    "Education.degree": "The degree, e.g. MPA.",
    "Education.institution": "Where.",
    "ExpertiseLevel.expertise": "The area.",
    "EventParticipation.role": "The person's role, e.g. speaker.",
    "EventParticipation.event": "The event.",
    "MemberEdge.position": "The position held there.",
    "MemberEdge.sinceYear": "Start year.",
    "PortfolioItem.kind": "What kind of work.",
    "PortfolioItem.title": "Its title.",
    "PortfolioItem.year": "Year of publication or completion.",
    "PortfolioItem.url": "Where to read or see it.",
    "PortfolioItem.summary": "A short summary.",
    "PortfolioItem.author": "Who made it (null with FORBIDDEN for callers who may not see people).",
    "RegisterCivilServantInput.givenName": "Given name, or the single name.",
    "UpdateCivilServantInput.id": PERSON,
    "UpdateCivilServantInput.givenName": "Given name, or the single name; never null.",
    "ProfileFieldsInput": "Profile fields a civil servant fills in.",
    # Profile input fields shared by registration and update.
    **{
        f"{kind}CivilServantInput.{name}": text
        for kind in ("Register", "Update")
        for name, text in {
            "familyName": "Family name; empty or null for people with a single name.",
            "displayName": "How to be shown; derived from the names when null.",
            "email": "Private contact email (unique, kept in lower case).",
            "city": "City.",
            "position": "Current position.",
            "grade": "Civil-service grade.",
            "bio": "About the person (free text, up to 10,000 characters).",
            "languages": "Languages as BCP 47 tags, e.g. `id`, `en-GB` (up to 20).",
            "photoUrl": "An http(s) URL of a photo.",
            "phone": "Private phone number.",
            "profileVisibility": "Who sees the profile's details.",
        }.items()
    },
    "SetExpertiseInput.years": "Years of experience in the area.",
    "AddPortfolioItemInput.kind": "What kind of work.",
    "AddPortfolioItemInput.title": "Its title.",
    "AddPortfolioItemInput.year": "Year of publication or completion (1900–2100).",
    "AddPortfolioItemInput.url": "Where to read or see it.",
    "AddPortfolioItemInput.summary": "A short summary.",
    "AddEmploymentInput.position": "The position held there.",
    "AddEducationInput.degree": "The degree, e.g. MPA.",
    "UpdateEmploymentInput.institutionId": "Another institution (global id).",
    "UpdateEmploymentInput.position": "The position; null clears it.",
    "UpdateEmploymentInput.sinceYear": "Start year (the entry's id changes with it).",
    "UpdateEmploymentInput.untilYear": "End year; null makes the employment current again.",
    "UpdateEducationInput.institutionId": "Another institution (global id).",
    "UpdateEducationInput.degree": "The degree; null clears it.",
    "UpdateEducationInput.year": "Year of the degree (the entry's id changes with it).",
    "RecordParticipationInput.role": "The person's role, e.g. speaker.",
    # ---- reference data ----
    "Country.name": "English short name.",
    "Country.group": "Its place in ACCSM.",
    "Institution.name": "Full name.",
    "Institution.acronym": "Acronym, e.g. BKN.",
    "Institution.kind": "What kind of institution.",
    "Expertise.name": "Name of the area.",
    "Expertise.description": "What the area covers.",
    "Event.title": "Title.",
    "Event.kind": "What kind of event.",
    "Event.startDate": "First day.",
    "Event.endDate": "Last day; null for one-day events.",
    "Event.place": "Where it was held.",
    "Event.description": "What it was about.",
    "Participant.role": "The person's role, e.g. speaker.",
    "Participant.civilServant": "Who took part.",
    "CreateInstitutionInput.name": "Full name.",
    "CreateInstitutionInput.kind": "What kind of institution.",
    "CreateInstitutionInput.acronym": "Acronym.",
    "CreateInstitutionInput.partOf": "The institution it belongs to (global id).",
    "CreateExpertiseAreaInput.name": "Name of the area.",
    "CreateExpertiseAreaInput.description": "What the area covers.",
    "CreateExpertiseAreaInput.broader": "The broader area it belongs under (global id).",
    "CreateEventInput.title": "Title.",
    "CreateEventInput.kind": "What kind of event.",
    "CreateEventInput.startDate": "First day.",
    "CreateEventInput.endDate": "Last day.",
    "CreateEventInput.place": "Where it is held.",
    "CreateEventInput.description": "What it is about.",
    "UpdateInstitutionInput.name": "Full name.",
    "UpdateInstitutionInput.acronym": "Acronym; null clears it.",
    "UpdateInstitutionInput.kind": "What kind of institution.",
    "UpdateExpertiseAreaInput.name": "Name of the area.",
    "UpdateExpertiseAreaInput.description": "What the area covers; null clears it.",
    "UpdateEventInput.title": "Title.",
    "UpdateEventInput.kind": "What kind of event.",
    "UpdateEventInput.startDate": "First day.",
    "UpdateEventInput.endDate": "Last day (not before the first); null for a one-day event.",
    "UpdateEventInput.place": "Where it is held; null clears it.",
    "UpdateEventInput.description": "What it is about; null clears it.",
    # ---- networking ----
    "ConnectionRequest.at": "When it was asked (UTC).",
    "ConnectionRequest.message": "The requester's note.",
    "Endorsement.at": "When (UTC).",
    "Endorsement.endorser": "Who endorsed.",
    "Endorsement.endorsee": "Who was endorsed.",
    "Endorsement.expertise": "For which area.",
    "EndorsementSummary.expertise": "The area.",
    "EndorsementSummary.count": "How many people endorsed the person for it.",
    "Mentorship.status": "Where it stands.",
    "Mentorship.goal": "What the mentee hopes to learn.",
    "Mentorship.requestedAt": "When the mentee asked (UTC).",
    "Mentorship.mentor": "The mentor.",
    "Mentorship.mentee": "The mentee.",
    "Mentorship.expertise": "The area.",
    "Introduction.id": "Its id, for `forwardIntroduction` / `declineIntroduction`.",
    "Introduction.status": "Where it stands.",
    "Notification.kind": "What happened.",
    "EgoNetwork.center": "The person at the centre.",
    "EgoNetwork.nodes": "The people, by distance then id.",
    "EgoNetworkEdge.kind": "Relationship kind.",
    "EgoNetworkEdge.source": "`EgoNetworkNode.id` of the start.",
    "EgoNetworkEdge.target": "`EgoNetworkNode.id` of the end.",
    "EgoNetworkNode.civilServant": "The person.",
    "Path.people": "From the start to the end.",
    "Generation.count": "People in this generation.",
    "Generation.people": "The people, by id.",
    "MentorshipLineage.direction": "Mentees or mentors.",
    "MentorshipLineage.generations": "Nearest first.",
    "MentorshipLineage.total": "Everyone in the lineage, each once.",
    "MentorshipLineage.truncated": "True when the cap of 1,000 people cut it off.",
    "NetworkSearchResult.distance": "Connection hops from the person.",
    "NetworkSearchResult.civilServant": "Who was found.",
    "NetworkSearchFilter.givenName": "Exactly this given name (ignoring case).",
    "NetworkSearchFilter.institution": "Works or worked there (global id).",
    "ConnectionRecommendation.civilServant": "Whom to connect with.",
    "ConnectionRecommendation.mutualConnectionCount": "People connected to both of you.",
    "ConnectionRecommendation.mutualConnections": "Those people.",
    "ConnectionRecommendation.sharedExpertise": "Areas both of you hold.",
    "ConnectionRecommendation.sharedInstitutions": "Institutions both of you worked or studied at.",
    "ConnectionRecommendation.sharedEvents": "Events both of you took part in.",
    "MentorRecommendation.civilServant": "The suggested mentor.",
    # ---- analytics ----
    "MentorshipStatusCount.status": "A mentorship status.",
    "MentorshipStatusCount.count": COUNT,
    "CountryFigures.people": "Civil servants.",
    "CountryFigures.verified": "Verified civil servants.",
    "CountryFigures.experts": "Recognised experts.",
    "CountryFigures.connections": "Connections with at least one end here.",
    "CountryFigures.crossBorderConnections": "Connections to people of another country.",
    "CountryFigures.endorsements": "Endorsements given or received.",
    "CountryFigures.crossBorderEndorsements": "Endorsements across a border.",
    "NetworkOverview.total": "The whole scope, each relationship once.",
    "NetworkOverview.byCountry": "One row per country.",
    "CountryMatrixRow.fromCountry": "Where the relationships start (ISO code).",
    "CountryMatrixRow.toCountries": "The columns (ISO codes), in the order of the counts.",
    "CountryMatrixRow.connections": "Connections to each column's country.",
    "CountryMatrixRow.mentorships": "Established mentorships to each column's country.",
    "CountryMatrixRow.endorsements": "Endorsements to each column's country.",
    "CountryCoverage.people": "People holding the area (at least the minimum level).",
    "ExpertiseCoverage.expertise": "The area.",
    "ExpertiseCoverage.people": "People holding it or a narrower area.",
    "ExpertiseCoverage.byCountry": "Per country.",
    "GrowthPoint.start": "First day of the period.",
    "GrowthPoint.newPeople": "Profiles created.",
    "GrowthPoint.newConnections": "Connections made.",
    "GrowthPoint.newMentorships": "Mentorships that became active.",
    "GrowthPoint.newExpertiseRequests": "Expertise requests posted by people of the countries.",
    "GrowthPoint.fulfilledExpertiseRequests": (
        "Expertise requests of people of the countries closed as fulfilled in the period."
    ),
    "GrowthPoint.crossBorderCollaborations": (
        "Collaborations on expertise requests started in the period between a helper and an"
        " author of different countries, at least one of them in the countries."
    ),
    "MentorImpact.mentor": "The mentor.",
    "MentorImpact.truncated": "True when the lineage cap cut it off.",
    "PersonScore.civilServant": "The person.",
    "Community.size": "Members.",
    "Community.members(first)": "How many, up to 100.",
    "AnalyticsRun.id": "The run's id.",
    "AnalyticsRun.startedAt": "When it started (UTC).",
    "AnalyticsRun.nodes": "People in the graph read.",
    "AnalyticsRun.edges": "Connections in the graph read.",
    "AnalyticsRun.communityCount": "Communities found.",
    "AnalyticsRun.modularity": "Modularity of the communities found.",
    "AnalyticsRun.top(metric)": "Which score.",
    "AnalyticsRun.top(first)": "How many, up to 100.",
    "AnalyticsRun.scoreOf(person)": PERSON,
    "AnalyticsRun.communities(first)": "How many, up to 100.",
    "AsccIndicatorRow.crossBorderConnections": "Connections made across a border in the period.",
    "AsccIndicatorRow.crossBorderMentorships": "Cross-border mentorships active in the period.",
    "AsccIndicatorRow.eventsHeld": "Events held in the period.",
    "AsccIndicatorRow.eventsAttended": "Events its people attended in the period.",
    "AsccIndicatorRow.participants": "People who took part in events in the period.",
    "AsccIndicatorRow.collaborativeEvents": "Events organised by institutions of several countries.",
    "AsccIndicatorRow.portfolioItems": "Portfolio items of the period.",
    "AsccIndicatorRow.collaborativePortfolioItems": "Items about areas held across countries.",
    "AsccIndicatorRow.experts": "Recognised experts.",
    "AsccIndicatorRow.expertiseAreas": "Expertise areas held.",
    "AsccIndicators.from": "First day (inclusive).",
    "AsccIndicators.until": "Last day, exclusive.",
    "AsccIndicators.total": "All of the report.",
    "AsccIndicators.byCountry": "One row per member state.",
    "AuditEvent.id": "The entry's id.",
    # ---- payloads ----
    "MarkAllNotificationsReadPayload.unreadCount": "Your unread notifications now.",
    "MarkNotificationsReadPayload.unreadCount": "Your unread notifications now.",
    "DeletePayload.deletedId": "The global id of what was deleted.",
    "RemoveCareerEntryPayload.removedId": "The id of the entry removed.",
}


def _mutation_uses(schema: GraphQLSchema) -> dict[str, str]:
    """Payload and input type name → the mutation that returns or takes it (first found)."""
    uses: dict[str, str] = {}
    mutation = schema.mutation_type
    for name, field in (mutation.fields if mutation else {}).items():
        uses.setdefault(get_named_type(field.type).name, name)
        for arg in field.args.values():
            uses.setdefault(get_named_type(arg.type).name, name)
    return uses


def _fill(path: str, name: str, item: GraphQLField | GraphQLInputField | GraphQLArgument) -> None:
    if not item.description:
        item.description = BY_PATH.get(path) or BY_NAME.get(name)
    if not item.description and path.split(".")[0].endswith("Payload"):
        item.description = "What the mutation created or changed, as stored now."


def describe(schema: GraphQLSchema) -> None:
    """Add the catalogue's descriptions where the code gave none, and each mutation's error
    codes to its description (in place).

    Args:
        schema: the built GraphQL schema (`strawberry.Schema._schema`).
    """
    uses = _mutation_uses(schema)
    for type_name, type_ in schema.type_map.items():
        if type_name.startswith("__"):
            continue
        named: GraphQLNamedType = type_
        if not named.description:
            if type_name in BY_PATH:
                named.description = BY_PATH[type_name]
            elif type_name in uses and type_name.endswith("Payload"):
                named.description = f"What `{uses[type_name]}` returns."
            elif type_name in uses and type_name.endswith("Input"):
                named.description = f"The arguments of `{uses[type_name]}`."
        if isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                if not value.description:
                    described = (
                        ERROR_CODES if type_name == "ErrorCode" else ENUM_VALUES.get(type_name, {})
                    )
                    value.description = described.get(value_name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                _fill(f"{type_name}.{field_name}", field_name, field)
                for arg_name, arg in getattr(field, "args", {}).items():
                    _fill(f"{type_name}.{field_name}({arg_name})", arg_name, arg)
    if schema.mutation_type is not None:
        for name, field in schema.mutation_type.fields.items():
            codes = MUTATION_ERRORS.get(name)
            if codes is not None:
                listed = ", ".join(codes) if codes else "none of its own"
                field.description = f"{field.description or ''} Errors: {listed}.".strip()
