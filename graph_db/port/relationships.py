"""The viewer's relationship to people (person cards) and introductions through mutual connections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from graph_db.audit import Change
from graph_db.records import Introduction, ViewerRelationship


class RelationshipStore(Protocol):
    """How people stand to one viewer, in constant store round trips per batch, and introductions."""

    async def relationships_to(
        self, viewer_id: str, person_ids: Sequence[str]
    ) -> list[ViewerRelationship]:
        """How each of `person_ids` stands to `viewer_id`, aligned to `person_ids`.

        At most five reads whatever the number of people: the viewer's connections, the viewer's
        requests both ways, the people's connections, and (for those not within two hops) one
        read of the connections between the two neighbourhoods for distance 3. An unknown id, and
        the viewer themselves, get a relationship with nothing set.
        """
        ...

    async def get_introductions(self, ids: Sequence[str]) -> list[Introduction | None]:
        """Introductions by id, aligned."""
        ...

    async def introductions_of(
        self, person_ids: Sequence[str], *, as_introducer: bool
    ) -> list[list[Introduction]]:
        """Each person's introductions as the introducer (`as_introducer`) or as the requester,
        newest first, then by id."""
        ...

    async def request_introduction(
        self, introduction: Introduction, *, change: Change
    ) -> Introduction:
        """Ask `via_id` to introduce `requester_id` to `to_id`; an open (REQUESTED) one for the same
        three people is returned instead of a second.

        Raises:
            InvalidInput: two of the three people are the same.
            NotFound: one of them does not exist, or `via_id` is not connected to both others.
            Conflict: the requester and `to_id` are already connected.
        """
        ...

    async def decide_introduction(
        self, introduction_id: str, *, forward: bool, at: datetime, change: Change
    ) -> Introduction:
        """The introducer forwards (`forward`) or declines a REQUESTED introduction.

        Forwarding asks `to_id` to connect with the requester on the requester's behalf (a
        connection request with the introduction's message, unless one is pending either way or
        they are connected by now).

        Raises:
            NotFound: no such introduction. Conflict: it is no longer REQUESTED.
        """
        ...
