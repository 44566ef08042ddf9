"""Admins' corrections of reference data: update and merge institutions, expertise areas and
events (thin: the rules are in `resolvers/catalogue.py` and `graph_db/core/catalogue.py`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

import strawberry
from strawberry import relay

from graph_db.records import ReferenceKind
from resolvers import catalogue
from schema.enums import EventKind, InstitutionKind
from schema.event import Event
from schema.expertise import Expertise
from schema.ids import decode_id, decode_ids
from schema.info import Info
from schema.inputs import input_data
from schema.institution import Institution
from schema.node import LoadedNode

SOURCE = (
    "The record merged away (global id): its relationships move to the target, then it is deleted."
)
TARGET = "The record that stays (global id), with its own fields."


@strawberry.input(description="Only the fields given change; null clears an optional one.")
class UpdateInstitutionInput:
    id: relay.GlobalID = strawberry.field(description="The institution.")
    name: str | None = strawberry.UNSET
    acronym: str | None = strawberry.UNSET
    kind: InstitutionKind | None = strawberry.UNSET
    country_code: str | None = strawberry.UNSET
    parent: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The institution it is part of (global id); null for none. Not itself or "
        "one of its units (BAD_USER_INPUT); hierarchies are at most 10 levels deep.",
    )


@strawberry.input(description="Only the fields given change; null clears an optional one.")
class UpdateExpertiseAreaInput:
    id: relay.GlobalID = strawberry.field(description="The expertise area (its id stays).")
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    broader: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The broader areas (global ids), replacing the current ones ([] for a top-"
        "level area). Not the area or a narrower one (BAD_USER_INPUT); at most 10 levels.",
    )


@strawberry.input(description="Only the fields given change; null clears an optional one.")
class UpdateEventInput:
    id: relay.GlobalID = strawberry.field(description="The event.")
    title: str | None = strawberry.UNSET
    kind: EventKind | None = strawberry.UNSET
    start_date: date | None = strawberry.UNSET
    end_date: date | None = strawberry.UNSET
    place: str | None = strawberry.UNSET
    country_code: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    organizers: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The organising institutions (global ids), replacing the current ones.",
    )


@strawberry.type
class UpdateInstitutionPayload:
    institution: Institution


@strawberry.type
class UpdateExpertiseAreaPayload:
    expertise: Expertise


@strawberry.type
class UpdateEventPayload:
    event: Event


@strawberry.type(description="What a merge moved.")
class MergeCounts:
    relationships_moved: int = strawberry.field(
        description="Relationships of the source now on the target (and, for areas, "
        "endorsements and mentorships naming it)."
    )
    relationships_folded: int = strawberry.field(
        description="Relationships of the source dropped: duplicates of the target's (their "
        "values folded in), links between the two records, a second parent."
    )


@strawberry.type
class MergeInstitutionsPayload(MergeCounts):
    institution: Institution = strawberry.field(description="The target, as it is now.")


@strawberry.type
class MergeExpertiseAreasPayload(MergeCounts):
    expertise: Expertise = strawberry.field(description="The target, as it is now.")


@strawberry.type
class MergeEventsPayload(MergeCounts):
    event: Event = strawberry.field(description="The target, as it is now.")


MERGE_RULE = (
    " Every relationship of the source, both ways and of every type, moves to the target in one "
    "transaction with the audit entry, then the source is deleted; a duplicate the move would "
    "make (same type, same other end, same start year for careers) keeps the target's values, "
    "filling in what the target's lacks{extra}; relationships between the two are dropped."
)

Source = Annotated[relay.GlobalID, strawberry.argument(description=SOURCE)]
Target = Annotated[relay.GlobalID, strawberry.argument(description=TARGET)]


N = TypeVar("N", bound=LoadedNode)


async def _merge(
    info: Info, kind: ReferenceKind, node: type[N], source: relay.GlobalID, target: relay.GlobalID
) -> tuple[N, dict[str, int]]:
    """Merge; return the target as it is now and the payload's counts."""
    target_id = decode_id(target, kind.value)
    outcome = await catalogue.merge(info.context, kind, decode_id(source, kind.value), target_id)
    found = await node.load(info, target_id)
    assert found is not None
    return found, {"relationships_moved": outcome.moved, "relationships_folded": outcome.folded}


@strawberry.type
class CatalogueMutation:
    @strawberry.mutation(
        description="Admins: correct an institution (e.g. one the reference data marks "
        "`check`); only the fields given change."
    )
    async def update_institution(
        self, info: Info, input: UpdateInstitutionInput
    ) -> UpdateInstitutionPayload | None:
        part_of = None
        if input.parent is not strawberry.UNSET:
            part_of = [decode_id(input.parent, "Institution")] if input.parent else []
        record = await catalogue.update_institution(
            info.context,
            decode_id(input.id, "Institution"),
            input_data(input, exclude=("id", "parent")),
            part_of=part_of,
        )
        return UpdateInstitutionPayload(institution=Institution.from_domain(record))

    @strawberry.mutation(
        description="Admins: correct an expertise area's name, description or broader areas."
    )
    async def update_expertise_area(
        self, info: Info, input: UpdateExpertiseAreaInput
    ) -> UpdateExpertiseAreaPayload | None:
        record = await catalogue.update_expertise(
            info.context,
            decode_id(input.id, "Expertise"),
            input_data(input, exclude=("id", "broader")),
            broader=decode_ids(input.broader, "Expertise"),
        )
        return UpdateExpertiseAreaPayload(expertise=Expertise.from_domain(record))

    @strawberry.mutation(description="Admins: correct an event; only the fields given change.")
    async def update_event(self, info: Info, input: UpdateEventInput) -> UpdateEventPayload | None:
        record = await catalogue.update_event(
            info.context,
            decode_id(input.id, "Event"),
            input_data(input, exclude=("id", "organizers")),
            organizers=decode_ids(input.organizers, "Institution"),
        )
        return UpdateEventPayload(event=Event.from_domain(record))

    @strawberry.mutation(
        description="Admins: merge a duplicate institution into the one that stays."
        + MERGE_RULE.format(extra="; the target keeps its own parent")
    )
    async def merge_institutions(
        self, info: Info, source: Source, target: Target
    ) -> MergeInstitutionsPayload | None:
        found, counts = await _merge(info, ReferenceKind.INSTITUTION, Institution, source, target)
        return MergeInstitutionsPayload(institution=found, **counts)

    @strawberry.mutation(
        description="Admins: merge a duplicate expertise area into the one that stays."
        + MERGE_RULE.format(
            extra=" (a person's level and years: the higher of the two); endorsements, "
            "mentorships and expertise requests naming the source name the target"
        )
    )
    async def merge_expertise_areas(
        self, info: Info, source: Source, target: Target
    ) -> MergeExpertiseAreasPayload | None:
        found, counts = await _merge(info, ReferenceKind.EXPERTISE, Expertise, source, target)
        return MergeExpertiseAreasPayload(expertise=found, **counts)

    @strawberry.mutation(
        description="Admins: merge a duplicate event into the one that stays."
        + MERGE_RULE.format(extra="")
    )
    async def merge_events(
        self, info: Info, source: Source, target: Target
    ) -> MergeEventsPayload | None:
        found, counts = await _merge(info, ReferenceKind.EVENT, Event, source, target)
        return MergeEventsPayload(event=found, **counts)
