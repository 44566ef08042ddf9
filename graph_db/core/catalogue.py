"""The institution hierarchy and corrections of reference data, written once for both stores
(`graph_db.port.catalogue`).

Admins correct institutions, expertise areas and events (the reference data marks entries it
is unsure of with `check: true`) by updating them, or by merging a duplicate into the record
that stays. A merge moves every relationship of the source onto the target, both directions and
every type (`catalogue_cypher.MOVES`, built from the model's table of types), folds the
duplicates that would arise, renames the properties that name the source by id, deletes the
source and appends the audit entry, all in one transaction: a failure anywhere (a cycle the
merge would make, a store error) leaves everything as it was.

Hierarchies (institutions PART_OF institutions, areas BROADER than areas) stay acyclic and at
most `MAX_HIERARCHY_DEPTH` steps deep: every change to one locks the nodes involved and the
nodes above them, makes the change, then checks, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph_db import properties as P
from graph_db.audit import Change
from graph_db.batching import group_rows, page_rows
from graph_db.core import catalogue_cypher as K
from graph_db.core import cypher as C
from graph_db.core import search_cypher as S
from graph_db.core.base import StoreBase, Transaction, require
from graph_db.core.search import index_documents, index_holders, unindex_documents
from graph_db.errors import InvalidInput, NotFound
from graph_db.paging import Page, PageRequest
from graph_db.records import (
    Event,
    Expertise,
    GraphBatch,
    Institution,
    MergeOutcome,
    ReferenceKind,
)

_WHAT: dict[str, str] = {
    "Institution": "institution",
    "Expertise": "expertise area",
    "Event": "event",
}


async def check_hierarchy(tx: Transaction, label: str, node_id: str) -> None:
    """Refuse (raise `InvalidInput`) if `node_id` is now above itself in its label's hierarchy,
    or on a chain longer than `MAX_HIERARCHY_DEPTH` steps; the transaction then rolls back."""
    if await tx.run(K.IN_CYCLE[label], {"id": node_id}):
        raise InvalidInput(f"this would make the {_WHAT[label]} part of itself")
    depth = 0
    for up in (True, False):
        depth += (await tx.run(K.CHAIN[(label, up)], {"id": node_id}))[0][0] or 0
    if depth > K.MAX_HIERARCHY_DEPTH:
        raise InvalidInput(
            f"this would make a hierarchy deeper than {K.MAX_HIERARCHY_DEPTH} levels"
        )


async def lock_hierarchy(tx: Transaction, label: str, ids: Sequence[str]) -> set[str]:
    """Lock the nodes `ids` and every node above them (sorted by id), so no concurrent change
    to the same chains can make a cycle the checks of either transaction would miss; return
    which of `ids` exist."""
    above: set[str] = set()
    if label in K.HIERARCHY:
        above = {r[0] for r in await tx.run(K.ANCESTORS[label], {"ids": list(ids)})}
    return await tx.lock_nodes(label, sorted(set(ids) | above)) & set(ids)


async def link(tx: Transaction, label: str, node_id: str, ids: Sequence[str]) -> None:
    """Add the label's `LINKS` relationships between `node_id` and each of `ids` (its parent,
    broader areas or organizers), then check the hierarchy where there is one."""
    rel, outgoing = K.LINKS[label]
    pairs = sorted({(node_id, i) if outgoing else (i, node_id) for i in ids})
    if not pairs:
        return
    await tx.run(C.MERGE_EDGES[rel], {"rows": [{"from": a, "to": b} for a, b in pairs]})
    if label in K.HIERARCHY:
        await check_hierarchy(tx, label, node_id)


class Catalogue(StoreBase):
    """`graph_db.port.catalogue.CatalogueStore`."""

    # ---- the hierarchy ----
    async def parents_of(self, institution_ids: Sequence[str]) -> list[str | None]:
        rows = await self._read(K.PARENTS_OF, {"ids": list(institution_ids)})
        return [g[0] if g else None for g in group_rows(institution_ids, rows, lambda r: r[1])]

    async def unit_counts(self, institution_ids: Sequence[str]) -> list[int]:
        counts = {
            r[0]: int(r[1]) for r in await self._read(K.UNIT_COUNTS, {"ids": list(institution_ids)})
        }
        return [counts.get(k, 0) for k in institution_ids]

    async def units_of(
        self, institution_ids: Sequence[str], *, page: PageRequest
    ) -> list[Page[Institution]]:
        rows = await self._read(
            K.UNITS_OF[page.backward], {"ids": list(institution_ids)} | self._after(page)
        )
        return page_rows(
            institution_ids,
            rows,
            page,
            lambda r: P.institution_from_props(r[1]),
            lambda r: (r[2], r[1]["id"]),
        )

    # ---- updates ----
    async def _update(
        self,
        label: str,
        props: dict[str, Any],
        *,
        links: Sequence[str] | None,
        link_label: str,
        change: Change,
    ) -> None:
        """Rewrite a node's properties; replace its `LINKS` relationships when `links` is given."""
        node_id = props["id"]

        same_label = [*(links or [])] if link_label == label else []

        async def work(tx: Transaction) -> None:
            if node_id not in await lock_hierarchy(tx, label, [node_id, *same_label]):
                raise NotFound(f"unknown {_WHAT[label]}: {node_id}")
            if links:
                await require(tx, link_label, links, _WHAT[link_label])
            reindex = label != "Expertise" or (
                dict(await tx.run(S.EXPERTISE_NAMES, {"ids": [node_id]})).get(node_id)
                != props["name"]
            )
            await tx.run(K.UPDATE_NODE[label], props)
            await tx.run(K.RECORD_CORRECTION, {"id": f"{label}:{node_id}", "at": change.audit.at})
            if reindex:
                await self._reindex(tx, label, node_id)
            if links is None:
                return
            await tx.run(K.UNLINK[label], {"id": node_id})
            await link(tx, label, node_id, links)

        await self._write(work, change=change)

    async def update_institution(
        self, institution: Institution, *, part_of: Sequence[str] | None, change: Change
    ) -> Institution:
        if part_of is not None and len(part_of) > 1:
            raise InvalidInput("an institution is part of at most one other")
        props = P.institution_props(institution)
        await self._update(
            "Institution", props, links=part_of, link_label="Institution", change=change
        )
        return institution

    async def update_expertise(
        self, expertise: Expertise, *, broader: Sequence[str] | None, change: Change
    ) -> Expertise:
        props = P.expertise_props(expertise)
        await self._update("Expertise", props, links=broader, link_label="Expertise", change=change)
        return expertise

    async def update_event(
        self, event: Event, *, organizers: Sequence[str] | None, change: Change
    ) -> Event:
        props = P.event_props(event)
        await self._update(
            "Event", props, links=organizers, link_label="Institution", change=change
        )
        return event

    async def _reindex(self, tx: Transaction, label: str, node_id: str) -> None:
        """Keep ranked search in step (`graph_db.core.search`): an institution is a search
        document; an area's name is part of its holders' documents (so an area's holders are
        re-indexed only when its name changes: `_update` checks)."""
        if label == "Institution":
            await index_documents(tx, self.dialect, label, [node_id])
        elif label == "Expertise":
            await index_holders(tx, self.dialect, [node_id])

    # ---- merges ----
    async def merge_reference(
        self, kind: ReferenceKind, *, source_id: str, target_id: str, change: Change
    ) -> MergeOutcome:
        label = kind.value
        if label not in K.MERGEABLE:
            raise InvalidInput(f"{label} records are not merged")
        if source_id == target_id:
            raise InvalidInput(f"cannot merge an {_WHAT[label]} into itself")
        ids = {"source": source_id, "target": target_id}

        async def work(tx: Transaction) -> MergeOutcome:
            found = await lock_hierarchy(tx, label, [source_id, target_id])
            if missing := {source_id, target_id} - found:
                raise NotFound(f"unknown {_WHAT[label]}: {', '.join(sorted(missing))}")
            moved = folded = 0
            if label == "Institution":
                moved += (await tx.run(K.RENAME_REQUEST_INSTITUTION, ids))[0][0]
            if label == "Expertise":
                await _rename_areas(tx, source_id, target_id)
                folded += (await tx.run(K.DROP_DUPLICATE_ENDORSEMENTS, ids))[0][0]
                for rename in (K.RENAME_ENDORSEMENTS, K.RENAME_MENTORSHIPS):
                    moved += (await tx.run(rename, ids))[0][0]
            for move in K.MOVES[label]:
                if move.fold:
                    await tx.run(move.fold, ids)
                copied = (await tx.run(move.copy, ids))[0][0]
                deleted = (await tx.run(move.delete, ids))[0][0]
                moved, folded = moved + copied, folded + deleted - copied
            if label == "Institution":
                await unindex_documents(tx, self.dialect, label, [source_id])
            await tx.run(K.DELETE_NODE[label], {"id": source_id})
            await self._reindex(tx, label, target_id)
            correction = {"id": f"{label}:{source_id}", "at": change.audit.at, "intoId": target_id}
            await tx.run(K.RECORD_MERGE, correction)
            if label in K.HIERARCHY:
                await check_hierarchy(tx, label, target_id)
            return MergeOutcome(moved=moved, folded=folded)

        return await self._write(work, change=change)


async def uncorrected(tx: Transaction, batch: GraphBatch) -> GraphBatch:
    """`batch` without what admins have corrected since it was first loaded: the records they
    updated or merged away, the broader areas of areas and the organizers of events they updated
    (theirs now), and links to records merged away."""
    keys = [
        f"{label}:{r.id}"
        for label, rows in (
            ("Institution", batch.institutions),
            ("Expertise", batch.expertise),
            ("Event", batch.events),
        )
        for r in rows
    ]
    rows = await tx.run(K.CORRECTED, {"ids": keys})
    if not rows:
        return batch
    held = {r[0] for r in rows}
    merged = {r[0] for r in rows if r[1] is not None}
    return batch.model_copy(
        update={
            "institutions": [i for i in batch.institutions if f"Institution:{i.id}" not in held],
            "expertise": [e for e in batch.expertise if f"Expertise:{e.id}" not in held],
            "events": [e for e in batch.events if f"Event:{e.id}" not in held],
            "broader": [
                b
                for b in batch.broader
                if f"Expertise:{b.narrower_id}" not in held
                and f"Expertise:{b.broader_id}" not in merged
            ],
            "organized": [
                o
                for o in batch.organized
                if f"Event:{o.event_id}" not in held
                and f"Institution:{o.institution_id}" not in merged
            ],
        }
    )


async def _rename_areas(tx: Transaction, source_id: str, target_id: str) -> None:
    """Rename the source area in the `areaIds` of the expertise requests that need it (the
    target once, in the source's place; their NEEDS relationships move with the others)."""
    rows = []
    for request_id, area_ids in await tx.run(K.REQUESTS_NEEDING, {"source": source_id}):
        renamed = [target_id if a == source_id else a for a in area_ids or []]
        rows.append({"id": request_id, "areaIds": list(dict.fromkeys(renamed))})
    if rows:
        await tx.run(K.SET_REQUEST_AREAS, {"rows": rows})
