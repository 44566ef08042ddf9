"""A static check that both adapters satisfy every role protocol of the port (`graph_db.port`).

Nothing runs here: mypy checks each assignment below structurally (every method present, with
compatible parameter and return types), so an adapter that drifts from a protocol fails type
checking. `tests/unit/test_port_conformance.py` checks the same at run time by comparing parameter
names, kinds and defaults, which mypy does not compare for positional parameters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph_db.embedded import EmbeddedStore
    from graph_db.neo4j import Neo4jStore
    from graph_db.port import (
        AnalyticsStore,
        AuditStore,
        CareerWrites,
        CatalogueStore,
        DataExportStore,
        ExchangeStore,
        ExpertStatusStore,
        GraphStore,
        NetworkStore,
        NotificationStore,
        PeopleStore,
        PortfolioStore,
        ReferenceStore,
        RelationshipStore,
        ReplayStore,
        SearchStore,
        SocialWrites,
        StoreLifecycle,
    )


def _adapters_satisfy_the_port(store: EmbeddedStore | Neo4jStore) -> None:
    lifecycle: StoreLifecycle = store
    people: PeopleStore = store
    reference: ReferenceStore = store
    network: NetworkStore = store
    social: SocialWrites = store
    analytics: AnalyticsStore = store
    audit: AuditStore = store
    notifications: NotificationStore = store
    relationships: RelationshipStore = store
    careers: CareerWrites = store
    replay: ReplayStore = store
    portfolio: PortfolioStore = store
    experts: ExpertStatusStore = store
    export: DataExportStore = store
    search: SearchStore = store
    exchange: ExchangeStore = store
    catalogue: CatalogueStore = store
    whole: GraphStore = store
    del (
        lifecycle,
        people,
        reference,
        network,
        social,
        analytics,
        audit,
        notifications,
        relationships,
        careers,
        replay,
        portfolio,
        experts,
        export,
        search,
        exchange,
        catalogue,
        whole,
    )
