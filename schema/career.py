"""Mutations that edit employments and education (thin: the rules are in `resolvers/careers.py`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry import relay

from graph_db import records
from resolvers import careers, replay
from resolvers.context import Context
from resolvers.errors import BadUserInput
from schema.civil_servant import CivilServant, Education, Employment
from schema.ids import decode_id
from schema.info import Info
from schema.inputs import CLIENT_MUTATION_ID, ECHOED_CLIENT_MUTATION_ID, input_data
from schema.institution import Institution


@strawberry.input(description="A new employment on a profile.")
class AddEmploymentInput:
    civil_servant_id: relay.GlobalID
    institution_id: relay.GlobalID
    position: str | None = None
    since_year: int = strawberry.field(description="Start year; not in the future.")
    until_year: int | None = strawberry.field(
        default=None, description="End year (not before the start); null while current."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="Only the fields given change; untilYear null makes it current.")
class UpdateEmploymentInput:
    id: strawberry.ID = strawberry.field(description="`Employment.id`.")
    institution_id: relay.GlobalID | None = strawberry.UNSET
    position: str | None = strawberry.UNSET
    since_year: int | None = strawberry.UNSET
    until_year: int | None = strawberry.UNSET


@strawberry.input(description="A new education entry on a profile.")
class AddEducationInput:
    civil_servant_id: relay.GlobalID
    institution_id: relay.GlobalID
    degree: str | None = None
    year: int = strawberry.field(description="Year of the degree; not in the future.")
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.input(description="Only the fields given change.")
class UpdateEducationInput:
    id: strawberry.ID = strawberry.field(description="`Education.id`.")
    institution_id: relay.GlobalID | None = strawberry.UNSET
    degree: str | None = strawberry.UNSET
    year: int | None = strawberry.UNSET


@strawberry.type
class EmploymentPayload:
    civil_servant: CivilServant = strawberry.field(description="The profile, as it is now.")
    employment: Employment
    client_mutation_id: str | None = strawberry.field(
        default=None, description=ECHOED_CLIENT_MUTATION_ID
    )


@strawberry.type
class EducationPayload:
    civil_servant: CivilServant = strawberry.field(description="The profile, as it is now.")
    education: Education
    client_mutation_id: str | None = strawberry.field(
        default=None, description=ECHOED_CLIENT_MUTATION_ID
    )


@strawberry.type
class RemoveCareerEntryPayload:
    civil_servant: CivilServant = strawberry.field(description="The profile, as it is now.")
    removed_id: strawberry.ID


def _key(id: str, type_name: str) -> records.CareerKey:
    try:
        return records.CareerKey.decode(decode_id(id, type_name))
    except ValueError as exc:
        raise BadUserInput(
            f"not an {type_name} id", {"fields": [{"field": "id", "message": "malformed"}]}
        ) from exc


def _replayed(subjects: list[str], type_name: str) -> records.CareerKey:
    return records.CareerKey.decode(replay.subject(subjects, type_name))


CareerInput = AddEmploymentInput | UpdateEmploymentInput | AddEducationInput | UpdateEducationInput


def _data(input: CareerInput, person: relay.GlobalID | None = None) -> dict[str, object]:
    """The fields given, by domain name; `person` (an add's civilServantId) as `person_id`."""
    data = input_data(
        input, exclude=("id", "civil_servant_id", "institution_id", "client_mutation_id")
    )
    if person is not None:
        data["person_id"] = decode_id(person, "CivilServant")
    if input.institution_id is None:  # an update's explicit null (adds require the field)
        raise BadUserInput(
            "institutionId cannot be cleared",
            {"fields": [{"field": "institutionId", "message": "cannot be null"}]},
        )
    if input.institution_id is not strawberry.UNSET:
        data["institution_id"] = decode_id(input.institution_id, "Institution")
    return data


async def _person(info: Info, person_id: str) -> CivilServant:
    info.context.loaders.people.clear(person_id)
    found = await CivilServant.load(info, person_id)
    assert found is not None
    return found


async def _employment_payload(
    info: Info, e: records.Employment, client_mutation_id: str | None = None
) -> EmploymentPayload:
    place = await Institution.load(info, e.institution_id)
    assert place is not None
    return EmploymentPayload(
        civil_servant=await _person(info, e.person_id),
        employment=Employment.from_domain(e, place),
        client_mutation_id=client_mutation_id,
    )


async def _education_payload(
    info: Info, s: records.Study, client_mutation_id: str | None = None
) -> EducationPayload:
    place = await Institution.load(info, s.institution_id)
    assert place is not None
    return EducationPayload(
        civil_servant=await _person(info, s.person_id),
        education=Education.from_domain(s, place),
        client_mutation_id=client_mutation_id,
    )


async def _remove(
    info: Info,
    id: strawberry.ID,
    type_name: str,
    remove: Callable[[Context, records.CareerKey], Awaitable[None]],
) -> RemoveCareerEntryPayload:
    key = _key(id, type_name)
    await remove(info.context, key)
    return RemoveCareerEntryPayload(civil_servant=await _person(info, key.person_id), removed_id=id)


@strawberry.type
class CareerMutation:
    @strawberry.mutation(
        description="Add an employment (yours, or anyone's for admins). The current institution "
        "is the newest one without an end year."
    )
    async def add_employment(
        self, info: Info, input: AddEmploymentInput
    ) -> EmploymentPayload | None:
        data = _data(input, input.civil_servant_id)
        found = await replay.once(
            info.context,
            input.client_mutation_id,
            lambda: careers.add_employment(info.context, data),
            lambda subjects: careers.employment(info.context, _replayed(subjects, "Employment")),
        )
        return await _employment_payload(info, found, input.client_mutation_id)

    @strawberry.mutation(description="Change an employment; only the fields given change.")
    async def update_employment(
        self, info: Info, input: UpdateEmploymentInput
    ) -> EmploymentPayload | None:
        key = _key(input.id, "Employment")
        found = await careers.update_employment(info.context, key, _data(input))
        return await _employment_payload(info, found)

    @strawberry.mutation(description="End an employment: it is no longer current.")
    async def end_employment(
        self,
        info: Info,
        id: strawberry.ID,
        until_year: Annotated[
            int | None, strawberry.argument(description="End year; this year when null.")
        ] = None,
    ) -> EmploymentPayload | None:
        found = await careers.end_employment(info.context, _key(id, "Employment"), until_year)
        return await _employment_payload(info, found)

    @strawberry.mutation(description="Remove an employment from a profile.")
    async def remove_employment(
        self, info: Info, id: strawberry.ID
    ) -> RemoveCareerEntryPayload | None:
        return await _remove(info, id, "Employment", careers.remove_employment)

    @strawberry.mutation(description="Add an education entry (yours, or anyone's for admins).")
    async def add_education(self, info: Info, input: AddEducationInput) -> EducationPayload | None:
        data = _data(input, input.civil_servant_id)
        found = await replay.once(
            info.context,
            input.client_mutation_id,
            lambda: careers.add_study(info.context, data),
            lambda subjects: careers.study(info.context, _replayed(subjects, "Education")),
        )
        return await _education_payload(info, found, input.client_mutation_id)

    @strawberry.mutation(description="Change an education entry; only the fields given change.")
    async def update_education(
        self, info: Info, input: UpdateEducationInput
    ) -> EducationPayload | None:
        key = _key(input.id, "Education")
        found = await careers.update_study(info.context, key, _data(input))
        return await _education_payload(info, found)

    @strawberry.mutation(description="Remove an education entry from a profile.")
    async def remove_education(
        self, info: Info, id: strawberry.ID
    ) -> RemoveCareerEntryPayload | None:
        return await _remove(info, id, "Education", careers.remove_study)
