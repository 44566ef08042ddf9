"""Weights of the connection-recommendation score (see `resolvers.recommendations`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConnectionWeights:
    """Weights of the connection score (settings: `EXPECS_RECOMMENDATIONS__*`)."""

    mutual: float = 1.0
    expertise: float = 0.5
    institution: float = 2.0
    event: float = 1.0
    cross_border: float = 1.5
