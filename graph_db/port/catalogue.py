"""The institution hierarchy, and admins' corrections of reference data (updates and merges)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_db.audit import Change
from graph_db.paging import Page, PageRequest
from graph_db.records import Event, Expertise, Institution, MergeOutcome, ReferenceKind


class CatalogueStore(Protocol):
    """Institutions' parents and units; updates and merges of institutions, expertise areas and
    events (`graph_db.core.catalogue`). Hierarchies stay acyclic and at most
    `catalogue_cypher.MAX_HIERARCHY_DEPTH` (10) steps deep."""

    # ---- the hierarchy (batch, aligned) ----
    async def parents_of(self, institution_ids: Sequence[str]) -> list[str | None]:
        """The id of the institution each one is PART_OF, or None."""
        ...

    async def unit_counts(self, institution_ids: Sequence[str]) -> list[int]:
        """How many institutions are directly PART_OF each one."""
        ...

    async def units_of(
        self, institution_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[Institution]]:
        """The institutions directly PART_OF each one, by folded name then id.

        Keys: (folded name, id).
        """
        ...

    # ---- corrections (each one transaction: all or nothing) ----
    async def update_institution(
        self, institution: Institution, *, part_of: Sequence[str] | None, change: Change
    ) -> Institution:
        """Rewrite an institution's fields; with `part_of`, replace its parent (`[]`: none).

        Raises:
            NotFound: an unknown institution or parent.
            InvalidInput: more than one parent; the parent is the institution or one of its
                units (a cycle); the hierarchy would be deeper than the cap.
        """
        ...

    async def update_expertise(
        self, expertise: Expertise, *, broader: Sequence[str] | None, change: Change
    ) -> Expertise:
        """Rewrite an area's name and description; with `broader`, replace its broader areas.

        Raises:
            NotFound: an unknown area. InvalidInput: a cycle, or deeper than the cap.
        """
        ...

    async def update_event(
        self, event: Event, *, organizers: Sequence[str] | None, change: Change
    ) -> Event:
        """Rewrite an event's fields; with `organizers`, replace its organising institutions.

        Raises:
            NotFound: an unknown event or institution.
        """
        ...

    async def merge_reference(
        self, kind: ReferenceKind, *, source_id: str, target_id: str, change: Change
    ) -> MergeOutcome:
        """Move every relationship of the source onto the target and delete the source, in one
        transaction. The target keeps its own fields. Relationships that would be duplicates on
        the target fold into the target's (`catalogue_cypher.KEYS`, `GREATEST`, `ONE_PER_NODE`);
        one between the two nodes is dropped; endorsements', mentorships' and expertise
        requests' references to the source by id are renamed to the target.

        Raises:
            InvalidInput: a country (not merged), the same node twice, or a merge that would make
                a hierarchy cyclic or deeper than the cap.
            NotFound: an unknown source or target.
        """
        ...
