"""The GraphQL schema (Strawberry, code first): thin types over `resolvers`, no query logic."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema._graphql_core import GraphQLExecutionContext
from strawberry.schema.config import StrawberryConfig

from schema.analytics import SCALARS, AnalyticsQuery
from schema.audit import AuditQuery, audit_every_mutation
from schema.career import CareerMutation
from schema.catalogue_mutation import CatalogueMutation
from schema.descriptions import ErrorCode, describe
from schema.exchange import ExchangeMutation, ExchangeQuery
from schema.expert_status import ExpertStatusMutation
from schema.export import ExportQuery
from schema.mutation import ProfileMutation
from schema.network import NetworkQuery
from schema.notification import NotificationMutation, Subscription
from schema.portfolio_mutation import PortfolioMutation
from schema.query import CoreQuery
from schema.relationship import IntroductionMutation
from schema.search import SearchQuery
from schema.social_mutation import SocialMutation


@strawberry.type
class Query(
    CoreQuery, SearchQuery, NetworkQuery, AnalyticsQuery, AuditQuery, ExportQuery, ExchangeQuery
):
    """Every query: reference data and profiles, ranked search, the network, analytics, the audit
    trail, your data export, then expertise exchange."""


@strawberry.type
class Mutation(
    ProfileMutation,
    SocialMutation,
    NotificationMutation,
    IntroductionMutation,
    CareerMutation,
    PortfolioMutation,
    ExpertStatusMutation,
    ExchangeMutation,
    CatalogueMutation,
):
    """Every mutation: profiles and reference data, networking, inbox read marks, introductions,
    careers, portfolio edits, expert status, expertise exchange and reference-data corrections.
    Each is audited."""


audit_every_mutation(Mutation)


def build_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
    execution_context_class: type[GraphQLExecutionContext[Any]] | None = None,
) -> strawberry.Schema:
    """The A-EXPECS schema, with the given extensions (error coding, limits) and graphql-core
    execution context (None: Strawberry's) added by the app.

    Every type, field, argument and enum value is described (`schema.descriptions` fills in what
    the code leaves out), and the `ErrorCode` enum documents `extensions.code`.
    """
    built = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=list(extensions),
        config=StrawberryConfig(scalar_map=SCALARS),
        types=[ErrorCode],
        execution_context_class=execution_context_class,
    )
    describe(built._schema)
    return built
