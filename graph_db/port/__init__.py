"""The `GraphStore` port: every use case the API needs from a graph store, as async methods.

The port is split into role protocols, one module each; `GraphStore` combines them all:

- `StoreLifecycle` (`lifecycle`): migrations, ping, close, bulk loads and merges of batches.
- `PeopleStore` (`people`): profiles and what hangs off them, read and written.
- `ReferenceStore` (`reference`): countries, institutions, expertise areas, events, read and written.
- `NetworkStore` (`network`): connection, request, endorsement and mentorship reads; traversals.
- `SocialWrites` (`social`): connection requests, endorsements and mentorships, written.
- `AnalyticsStore` (`analytics`): grouped counts for dashboards, stored analytics runs.
- `AuditStore` (`audit`): the append-only audit trail, read.
- `NotificationStore` (`notifications`): inbox notifications and the outbox tail.
- `ExchangeStore` (`exchange`): expertise requests, offers, collaborations, matching facts.
- `RelationshipStore` (`relationships`): the viewer's relationship to people, introductions.
- `CareerWrites` (`careers`): employments and education, edited.
- `ReplayStore` (`replay`): what a retried mutation (`clientMutationId`) made the first time.
- `PortfolioStore` (`portfolio`): portfolio edits and co-authors.
- `ExpertStatusStore` (`expert_status`): expert status granted and revoked, with its history.
- `DataExportStore` (`export`): what only a member's data export reads.
- `CatalogueStore` (`catalogue`): the institution hierarchy; admins' updates and merges of
  reference data.
- `SearchStore` (`search`): ranked search over people and institutions, with facet counts.

Code that needs only one role may ask for that protocol; code that needs several asks for
`GraphStore`. Both adapters (`graph_db.embedded.store.EmbeddedStore`,
`graph_db.neo4j.store.Neo4jStore`) implement all of it through one `graph_db.core.store.StoreCore`: `graph_db.conformance` has mypy check that
each adapter satisfies every role, `tests/unit/test_port_conformance.py` compares their signatures,
and `tests/contract/` proves they give the same answers. Batch methods take many keys and return a
list aligned to the keys (one entry per key, in key order, `None` or `[]` where nothing was found),
which is what per-request DataLoaders need. Every write made on a caller's behalf takes
`change: graph_db.audit.Change` (keyword-only, required): its audit entry is appended in the
write's own transaction, so no write can skip the audit trail.

Errors: methods raise only `graph_db.errors` exceptions (`NotFound`, `Conflict`, `InvalidInput`,
`StoreUnavailable`); driver exceptions never cross the port.
"""

from __future__ import annotations

from typing import Protocol

from graph_db.port.analytics import AnalyticsStore
from graph_db.port.audit import AuditStore
from graph_db.port.careers import CareerWrites
from graph_db.port.catalogue import CatalogueStore
from graph_db.port.exchange import ExchangeStore
from graph_db.port.expert_status import ExpertStatusStore
from graph_db.port.export import DataExportStore
from graph_db.port.lifecycle import StoreLifecycle
from graph_db.port.network import EgoNetworkRead, Neighbourhood, NetworkStore, ReachedRead
from graph_db.port.notifications import NotificationStore
from graph_db.port.people import PeopleStore
from graph_db.port.portfolio import PortfolioStore
from graph_db.port.reference import ReferenceStore
from graph_db.port.relationships import RelationshipStore
from graph_db.port.replay import ReplayStore
from graph_db.port.search import SearchStore
from graph_db.port.social import SocialWrites
from graph_db.records import Reference


class GraphStore(
    StoreLifecycle,
    PeopleStore,
    ReferenceStore,
    NetworkStore,
    SocialWrites,
    AnalyticsStore,
    AuditStore,
    NotificationStore,
    ExchangeStore,
    RelationshipStore,
    CareerWrites,
    ReplayStore,
    PortfolioStore,
    ExpertStatusStore,
    DataExportStore,
    CatalogueStore,
    SearchStore,
    Protocol,
):
    """Async port to the graph. One instance per process, shared by all requests."""


ROLES: tuple[type, ...] = (
    StoreLifecycle,
    PeopleStore,
    ReferenceStore,
    NetworkStore,
    SocialWrites,
    AnalyticsStore,
    AuditStore,
    NotificationStore,
    ExchangeStore,
    RelationshipStore,
    CareerWrites,
    ReplayStore,
    PortfolioStore,
    ExpertStatusStore,
    DataExportStore,
    CatalogueStore,
    SearchStore,
)
"""The role protocols `GraphStore` combines; each method of the port belongs to exactly one."""

__all__ = [
    "ROLES",
    "AnalyticsStore",
    "AuditStore",
    "CareerWrites",
    "CatalogueStore",
    "DataExportStore",
    "EgoNetworkRead",
    "ExchangeStore",
    "ExpertStatusStore",
    "GraphStore",
    "Neighbourhood",
    "NetworkStore",
    "NotificationStore",
    "PeopleStore",
    "PortfolioStore",
    "ReachedRead",
    "Reference",
    "ReferenceStore",
    "RelationshipStore",
    "ReplayStore",
    "SearchStore",
    "SocialWrites",
    "StoreLifecycle",
]
