"""The GraphQL schema (Strawberry, code first): thin types over `resolvers`, no query logic."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.extensions import SchemaExtension

from schema.mutation import Mutation
from schema.query import Query


def build_schema(extensions: Sequence[type[SchemaExtension] | SchemaExtension] = ()) -> strawberry.Schema:
    """The A-EXPECS schema, with the given extensions (error coding, limits) added by the app."""
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=list(extensions))
