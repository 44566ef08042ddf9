"""The `Mutation` root: profile and reference-data writes. Each runs as one store transaction."""

from __future__ import annotations

import strawberry

from resolvers import catalogue, profile, replay
from schema.civil_servant import CivilServant, ExpertiseLevel
from schema.event import Event
from schema.expertise import Expertise
from schema.ids import decode_id
from schema.info import Info
from schema.inputs import (
    ECHOED_CLIENT_MUTATION_ID,
    AddPortfolioItemInput,
    CreateEventInput,
    CreateExpertiseAreaInput,
    CreateInstitutionInput,
    RecordParticipationInput,
    RegisterCivilServantInput,
    RemoveExpertiseInput,
    SetExpertiseInput,
    UpdateCivilServantInput,
    input_data,
)
from schema.institution import Institution
from schema.portfolio import PortfolioItem


@strawberry.type
class CivilServantPayload:
    civil_servant: CivilServant


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID


@strawberry.type
class SetExpertisePayload:
    civil_servant: CivilServant
    expertise: ExpertiseLevel


@strawberry.type
class AddPortfolioItemPayload:
    portfolio_item: PortfolioItem
    client_mutation_id: str | None = strawberry.field(
        default=None, description=ECHOED_CLIENT_MUTATION_ID
    )


@strawberry.type
class CreateInstitutionPayload:
    institution: Institution
    client_mutation_id: str | None = strawberry.field(
        default=None, description=ECHOED_CLIENT_MUTATION_ID
    )


@strawberry.type
class CreateExpertiseAreaPayload:
    expertise: Expertise


@strawberry.type
class CreateEventPayload:
    event: Event
    client_mutation_id: str | None = strawberry.field(
        default=None, description=ECHOED_CLIENT_MUTATION_ID
    )


@strawberry.type
class RecordParticipationPayload:
    civil_servant: CivilServant
    event: Event


async def _person(info: Info, person_id: str) -> CivilServant:
    """Re-read a person after a write (the request's cache entry is dropped first)."""
    info.context.loaders.people.clear(person_id)
    found = await CivilServant.load(info, person_id)
    assert found is not None
    return found


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(
        description="Register a civil servant (unverified until an admin verifies)."
    )
    async def register_civil_servant(
        self, info: Info, input: RegisterCivilServantInput
    ) -> CivilServantPayload | None:
        record = await profile.register_civil_servant(info.context, input_data(input))
        return CivilServantPayload(civil_servant=CivilServant.from_domain(record))

    @strawberry.mutation(description="Update a profile; only the fields given change.")
    async def update_civil_servant(
        self, info: Info, input: UpdateCivilServantInput
    ) -> CivilServantPayload | None:
        person_id = decode_id(input.id, "CivilServant")
        record = await profile.update_civil_servant(
            info.context, person_id, input_data(input, exclude=("id",))
        )
        info.context.loaders.people.clear(person_id)
        return CivilServantPayload(civil_servant=CivilServant.from_domain(record))

    @strawberry.mutation(description="Admins: mark a civil servant verified (or not).")
    async def verify_civil_servant(
        self, info: Info, id: strawberry.relay.GlobalID, verified: bool = True
    ) -> CivilServantPayload | None:
        person_id = decode_id(id, "CivilServant")
        record = await profile.verify_civil_servant(info.context, person_id, verified)
        info.context.loaders.people.clear(person_id)
        return CivilServantPayload(civil_servant=CivilServant.from_domain(record))

    @strawberry.mutation(
        description="Delete a civil servant with their relationships and portfolio."
    )
    async def delete_civil_servant(
        self, info: Info, id: strawberry.relay.GlobalID
    ) -> DeletePayload | None:
        person_id = decode_id(id, "CivilServant")
        await profile.delete_civil_servant(info.context, person_id)
        info.context.loaders.people.clear(person_id)
        return DeletePayload(deleted_id=strawberry.ID(str(id)))

    @strawberry.mutation(description="Add an expertise area to a profile, or change its level.")
    async def set_expertise(
        self, info: Info, input: SetExpertiseInput
    ) -> SetExpertisePayload | None:
        person_id = decode_id(input.civil_servant_id, "CivilServant")
        claim = await profile.set_expertise(
            info.context,
            {
                "person_id": person_id,
                "expertise_id": decode_id(input.expertise_id, "Expertise"),
                "level": input.level,
                "years": input.years,
            },
        )
        area = await Expertise.load(info, claim.expertise_id)
        assert area is not None
        return SetExpertisePayload(
            civil_servant=await _person(info, person_id),
            expertise=ExpertiseLevel(level=claim.level, years=claim.years, expertise=area),
        )

    @strawberry.mutation(description="Remove an expertise area from a profile.")
    async def remove_expertise(
        self, info: Info, input: RemoveExpertiseInput
    ) -> CivilServantPayload | None:
        person_id = decode_id(input.civil_servant_id, "CivilServant")
        await profile.remove_expertise(
            info.context, person_id, decode_id(input.expertise_id, "Expertise")
        )
        return CivilServantPayload(civil_servant=await _person(info, person_id))

    @strawberry.mutation(description="Add a portfolio item to a profile.")
    async def add_portfolio_item(
        self, info: Info, input: AddPortfolioItemInput
    ) -> AddPortfolioItemPayload | None:
        data = input_data(input, exclude=("author_id", "about", "client_mutation_id"))
        data["author_id"] = decode_id(input.author_id, "CivilServant")
        about = [decode_id(a, "Expertise") for a in input.about]
        item = await replay.once(
            info.context,
            input.client_mutation_id,
            lambda: profile.add_portfolio_item(info.context, data, about),
            replay.loaded(info.context.loaders.portfolio_items.load, "PortfolioItem"),
        )
        return AddPortfolioItemPayload(
            portfolio_item=PortfolioItem.from_domain(item),
            client_mutation_id=input.client_mutation_id,
        )

    @strawberry.mutation(description="Create an institution.")
    async def create_institution(
        self, info: Info, input: CreateInstitutionInput
    ) -> CreateInstitutionPayload | None:
        part_of = decode_id(input.part_of, "Institution") if input.part_of else None
        data = input_data(input, exclude=("part_of", "client_mutation_id"))
        record = await replay.once(
            info.context,
            input.client_mutation_id,
            lambda: catalogue.create_institution(info.context, data, part_of),
            replay.loaded(info.context.loaders.institutions.load, "Institution"),
        )
        return CreateInstitutionPayload(
            institution=Institution.from_domain(record), client_mutation_id=input.client_mutation_id
        )

    @strawberry.mutation(description="Create an expertise area, optionally under a broader one.")
    async def create_expertise_area(
        self, info: Info, input: CreateExpertiseAreaInput
    ) -> CreateExpertiseAreaPayload | None:
        broader = decode_id(input.broader, "Expertise") if input.broader else None
        record = await catalogue.create_expertise(
            info.context, input_data(input, exclude=("broader",)), broader
        )
        return CreateExpertiseAreaPayload(expertise=Expertise.from_domain(record))

    @strawberry.mutation(description="Create an event.")
    async def create_event(self, info: Info, input: CreateEventInput) -> CreateEventPayload | None:
        organizers = [decode_id(o, "Institution") for o in input.organizers]
        data = input_data(input, exclude=("organizers", "client_mutation_id"))
        record = await replay.once(
            info.context,
            input.client_mutation_id,
            lambda: catalogue.create_event(info.context, data, organizers),
            replay.loaded(info.context.loaders.events.load, "Event"),
        )
        return CreateEventPayload(
            event=Event.from_domain(record), client_mutation_id=input.client_mutation_id
        )

    @strawberry.mutation(description="Record that a civil servant took part in an event.")
    async def record_participation(
        self, info: Info, input: RecordParticipationInput
    ) -> RecordParticipationPayload | None:
        person_id = decode_id(input.civil_servant_id, "CivilServant")
        event_id = decode_id(input.event_id, "Event")
        await profile.record_participation(
            info.context, {"person_id": person_id, "event_id": event_id, "role": input.role}
        )
        event = await Event.load(info, event_id)
        assert event is not None
        return RecordParticipationPayload(civil_servant=await _person(info, person_id), event=event)
