"""The per-request context every resolver receives (as `info.context`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_db.audit import Change
from graph_db.port import GraphStore
from resolvers.loaders import Loaders, create_loaders
from resolvers.pagination import PageSizes
from resolvers.viewer import ANONYMOUS, Viewer
from resolvers.weights import ConnectionWeights


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
    """

    store: GraphStore
    request_id: str
    page_sizes: PageSizes
    viewer: Viewer = ANONYMOUS
    weights: ConnectionWeights = field(default_factory=ConnectionWeights)
    loaders: Loaders = field(init=False)
    mutation: Change | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.loaders = create_loaders(self.store)

    @property
    def change(self) -> Change:
        """The current mutation's `Change`, which every store write takes (`change=`).

        Raises:
            RuntimeError: outside a mutation field (a programming error: writes happen only there).
        """
        if self.mutation is None:
            raise RuntimeError("a store write outside a mutation field")
        return self.mutation
