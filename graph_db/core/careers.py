"""Employment and education edits, written once for both stores (`graph_db.port.careers`).

Each write locks the person first (`Transaction.lock_people`), so two concurrent edits of one
profile serialise and the key check before a create holds until commit. A replacement deletes
the old relationship and creates the new one in the same transaction.
"""

from __future__ import annotations

from typing import Any

from graph_db.audit import Change
from graph_db.core import cypher as C
from graph_db.core.base import StoreBase, Transaction, require, require_people
from graph_db.errors import Conflict, NotFound
from graph_db.records import CareerKey, Employment, EmploymentChange, Study, StudyChange


def _key_params(key: CareerKey) -> dict[str, Any]:
    return {"personId": key.person_id, "institutionId": key.institution_id, "year": key.year}


class Careers(StoreBase):
    """`graph_db.port.careers.CareerWrites` over the adapter's write transactions."""

    async def _save(
        self,
        rel: str,
        old: CareerKey | None,
        new: CareerKey,
        props: dict[str, Any],
        *,
        change: Change,
    ) -> None:
        """Create `rel` under `new` with `props`, first deleting `old` when given."""
        what = "employment" if rel == "WORKS_AT" else "study"

        async def work(tx: Transaction) -> None:
            await require_people(tx, [new.person_id])
            await require(tx, "Institution", [new.institution_id], "institution")
            if old is not None and not (await tx.run(C.DELETE_CAREER[rel], _key_params(old)))[0][0]:
                raise NotFound(f"no such {what}")
            if (await tx.run(C.CAREER_EXISTS[rel], _key_params(new)))[0][0]:
                raise Conflict(f"this {what} is already on the profile (same institution and year)")
            ends = {"personId": new.person_id, "institutionId": new.institution_id}
            await tx.run(C.CREATE_CAREER[rel], ends | props)

        await self._write(work, change=change)

    async def _remove(self, rel: str, key: CareerKey, *, change: Change) -> None:
        async def work(tx: Transaction) -> None:
            await require_people(tx, [key.person_id])
            if not (await tx.run(C.DELETE_CAREER[rel], _key_params(key)))[0][0]:
                raise NotFound(f"no such {'employment' if rel == 'WORKS_AT' else 'study'}")

        await self._write(work, change=change)

    async def _employment(
        self, old: CareerKey | None, e: EmploymentChange, *, change: Change
    ) -> Employment:
        props = {"position": e.position, "since": e.since_year, "until": e.until_year}
        await self._save("WORKS_AT", old, e.key, props, change=change)
        return Employment(
            person_id=e.person_id,
            institution_id=e.institution_id,
            position=e.position,
            since_year=e.since_year,
            until_year=e.until_year,
        )

    async def add_employment(self, employment: EmploymentChange, *, change: Change) -> Employment:
        return await self._employment(None, employment, change=change)

    async def replace_employment(
        self, key: CareerKey, employment: EmploymentChange, *, change: Change
    ) -> Employment:
        return await self._employment(key, employment, change=change)

    async def remove_employment(self, key: CareerKey, *, change: Change) -> None:
        await self._remove("WORKS_AT", key, change=change)

    async def _study(self, old: CareerKey | None, s: StudyChange, *, change: Change) -> Study:
        await self._save(
            "STUDIED_AT", old, s.key, {"degree": s.degree, "year": s.year}, change=change
        )
        return Study(
            person_id=s.person_id, institution_id=s.institution_id, year=s.year, degree=s.degree
        )

    async def add_study(self, study: StudyChange, *, change: Change) -> Study:
        return await self._study(None, study, change=change)

    async def replace_study(self, key: CareerKey, study: StudyChange, *, change: Change) -> Study:
        return await self._study(key, study, change=change)

    async def remove_study(self, key: CareerKey, *, change: Change) -> None:
        await self._remove("STUDIED_AT", key, change=change)
