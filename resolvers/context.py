"""The per-request context every resolver receives (as `info.context`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph_db.audit import Change
from graph_db.port import GraphStore
from graph_db.records import ConnectionWeights
from resolvers.loaders import UNCACHED_REFERENCE, Loaders, ReferenceRecords, create_loaders
from resolvers.pagination import PageSizes
from resolvers.viewer import ANONYMOUS, UNCACHED, VerifiedMembers, Viewer

if TYPE_CHECKING:
    from resolvers.feed import LiveSocket, NotificationFeed


@dataclass
class Context:
    """What one GraphQL request may use.

    Attributes:
        store: the process-wide `GraphStore` (opened in the app lifespan).
        loaders: fresh DataLoaders for this request.
        request_id: correlates the request's log lines and masked errors.
        viewer: the authenticated caller (anonymous without a token).
        page_sizes: default page size and cap on `first` / `last` (settings).
        weights: connection-recommendation weights (settings).
        mutation: the `Change` of the mutation field being resolved (set by the schema's
            `Audited` extension; mutation fields run one at a time), else None.
        feed: the process's live notification feed (None where the app runs none).
        socket: for a WebSocket connection (one context for all its operations), its state;
            None for HTTP requests.
        connection_params: the `connection_init` payload of a WebSocket connection.
        members: the process's verified members seen lately (`policy.require_member`).
        reference: the process's reference records read lately (`loaders.ReferenceRecords`).
    """

    store: GraphStore
    request_id: str
    page_sizes: PageSizes
    viewer: Viewer = ANONYMOUS
    weights: ConnectionWeights = field(default_factory=ConnectionWeights)
    loaders: Loaders = field(init=False)
    mutation: Change | None = field(default=None, init=False)
    feed: NotificationFeed | None = None
    socket: LiveSocket | None = None
    connection_params: object = None
    members: VerifiedMembers = UNCACHED
    reference: ReferenceRecords = UNCACHED_REFERENCE

    def __post_init__(self) -> None:
        self.loaders = create_loaders(self.store, self.reference)

    def fresh_loaders(self) -> None:
        """Start new DataLoaders (a WebSocket context lives for the whole connection: each event
        of a subscription resolves with fresh loaders, so nothing stale is served and the caches
        do not grow with the connection's age)."""
        self.loaders = create_loaders(self.store, self.reference)

    @property
    def change(self) -> Change:
        """The current mutation's `Change`, which every store write takes (`change=`).

        Raises:
            RuntimeError: outside a mutation field (a programming error: writes happen only there).
        """
        if self.mutation is None:
            raise RuntimeError("a store write outside a mutation field")
        return self.mutation
