"""A schema a frontend can read: descriptions everywhere, error codes as an enum and per
mutation, the SDL published at `GET /schema.graphql` (issue #13, item 7)."""

from __future__ import annotations

from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    specified_scalar_types,
)

import graph_api.errors
from graph_api.app import create_app
from graph_db.errors import StoreError
from resolvers.errors import ApiError
from schema import build_schema
from schema.descriptions import MUTATION_ERRORS, ErrorCode
from tests.api.test_cors import settings
from tests.api.test_http import SNAPSHOT


def undescribed() -> list[str]:
    """Every type, field, argument and enum value of the schema without a description."""
    schema = build_schema()._schema
    missing = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types:
            continue
        if not (type_.description or "").strip():
            missing.append(f"type {name}")
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"field {name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not (arg.description or "").strip():
                        missing.append(f"argument {name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType):
            missing += [
                f"enum value {name}.{v}"
                for v, value in type_.values.items()
                if not (value.description or "").strip()
            ]
        assert not isinstance(type_, GraphQLScalarType) or type_.description, name
    return missing


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    assert undescribed() == [], (
        "describe these in the code (strawberry.field / argument description) or in "
        "schema/descriptions.py"
    )


def _subclasses(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_error_codes_are_an_enum_and_each_mutation_lists_its_own() -> None:
    codes = {c.value for c in ErrorCode}
    raised = {cls.code for cls in [*_subclasses(ApiError), *_subclasses(StoreError)]}  # type: ignore[attr-defined]
    answered = set(graph_api.errors.HTTP_STATUS)
    assert raised | answered <= codes, (raised | answered) - codes
    schema = build_schema()._schema
    assert schema.mutation_type is not None
    mutations = schema.mutation_type.fields
    assert set(MUTATION_ERRORS) == set(mutations), set(mutations) ^ set(MUTATION_ERRORS)
    for name, field in mutations.items():
        listed = (field.description or "").rpartition("Errors: ")[2]
        assert listed, name
        assert set(MUTATION_ERRORS[name]) <= codes, name
    assert isinstance(schema.type_map["ErrorCode"], GraphQLEnumType)


async def test_sdl_is_published_also_where_introspection_is_off(tmp_path: Path) -> None:
    async with LifespanManager(create_app(settings(tmp_path, "production"))) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            published = await client.get("/schema.graphql")
            introspection = await client.post(
                "/graphql", json={"query": "{ __schema { types { name } } }"}
            )
    assert published.status_code == 200
    assert published.headers["content-type"].startswith("text/plain")
    assert published.text == SNAPSHOT.read_text("utf-8")
    assert "enum ErrorCode" in published.text
    assert "errors" in introspection.json()
