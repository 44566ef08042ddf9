"""Network queries around a person: ego networks, network search filters, ranked neighbours."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from graph_db.records.base import Frozen
from graph_db.records.fields import CountryCode


class NetworkRelationship(StrEnum):
    """Relationship kinds an ego network may follow (an allow-list for Cypher relationship types)."""

    CONNECTED_TO = "CONNECTED_TO"
    MENTORS = "MENTORS"
    ENDORSED = "ENDORSED"


class EgoNode(NamedTuple):
    """A person in an ego network and their distance (hops) from the centre.

    A named tuple, not a `Frozen` model, like `EgoEdge`: only the stores make these, from stored
    ids, thousands a request (an ego network of 500 people and up to 5,000 edges), and a tuple
    costs 0.3 µs where a model built without validation (`Frozen.trusted`) costs 2 µs.
    """

    person_id: str
    distance: int


class EgoEdge(NamedTuple):
    """A relationship between two people of an ego network (`source` → `target` as stored); a
    named tuple, as `EgoNode`."""

    source: str
    target: str
    kind: NetworkRelationship


class EgoNetwork(Frozen):
    """People within `depth` hops and the relationships among them; `truncated` if the node cap cut it."""

    center_id: str
    nodes: list[EgoNode]
    edges: list[EgoEdge]
    truncated: bool


class NetworkFilter(Frozen):
    """Filters of a network search around a person (all given must hold).

    `works_in_country` with `works_since_before`: works at an institution in that country since
    before that year (LDBC IC11's "job referral").
    """

    given_name: str | None = None
    expertise_id: str | None = None
    institution_id: str | None = None
    country_code: CountryCode | None = None
    works_in_country: CountryCode | None = None
    works_since_before: int | None = None


class RankedPerson(Frozen):
    """A person found near someone: hops away, and for recommendations a score and its reasons."""

    person_id: str
    distance: int
    score: float = 0.0
    mutual_ids: list[str] = []
    shared_expertise_ids: list[str] = []
    shared_institution_ids: list[str] = []
    shared_event_ids: list[str] = []
    cross_border: bool = False
    level: int | None = None
    endorsements: int = 0


@dataclass(frozen=True, slots=True)
class ConnectionWeights:
    """Weights of the connection-recommendation score (settings: `EXPECS_RECOMMENDATIONS__*`):

        score = mutual connections × mutual + shared areas × expertise
                + shared institutions × institution + shared events × event
                + (cross_border if the candidate is in another country)

    `score` computes it in Python; `graph_db.core.cypher.CONNECTION_SCORE` is the same sum, in
    the same order (so the same floats), where a store ranks in Cypher.
    """

    mutual: float = 1.0
    expertise: float = 0.5
    institution: float = 2.0
    event: float = 1.0
    cross_border: float = 1.5

    def score(
        self, mutual: int, expertise: int, institution: int, event: int, cross_border: bool
    ) -> float:
        """The score of a candidate with these counts of mutual connections and of shared areas,
        institutions and events (distinct ones), in another country or not."""
        return (
            mutual * self.mutual
            + expertise * self.expertise
            + institution * self.institution
            + event * self.event
            + (self.cross_border if cross_border else 0.0)
        )

    def params(self) -> dict[str, float]:
        """The weights as the `$weights` map of `CONNECTION_SCORE`."""
        return {
            "mutual": self.mutual,
            "expertise": self.expertise,
            "institution": self.institution,
            "event": self.event,
            "crossBorder": self.cross_border,
        }
