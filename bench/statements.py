"""Where a mix query's store time goes: every statement each direct store call of the mix runs.

`python -m bench.statements PATH PEOPLE [KEYS]` opens an embedded database that holds the generated
graph of PEOPLE civil servants (e.g. one kept from `python -m bench load`), runs the direct store
calls of each query of the mix (`bench.mix.cases`; KEYS picks some, e.g. `acde`; writes are left
out) three times, and prints the last run's total and its slowest statements: milliseconds, rows,
parameter sizes and the statement. It times `EmbeddedStore._read`, so statements of concurrent
calls overlap as they do under the DataLoaders. This is how the scans behind issue #11 were found.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from bench.huge import subjects
from bench.mix import cases
from graph_db.embedded import EmbeddedStore

SHOWN = 8
"""Statements printed per query (the slowest)."""


async def main(path: Path, people: int, keys: str) -> None:
    """Print the statements of each chosen mix query on the database at `path` (see the module)."""
    store = await EmbeddedStore.open(path)
    log: list[tuple[float, str, int, dict[str, Any]]] = []
    read = store._read

    async def timed(query: Any, params: Any = None) -> Any:
        started = time.perf_counter()
        rows = await read(query, params)
        sizes = {k: len(v) if isinstance(v, list) else v for k, v in (params or {}).items()}
        log.append(((time.perf_counter() - started) * 1000, query, len(rows), sizes))
        return rows

    store._read = timed  # type: ignore[method-assign]
    try:
        for case in cases(store, subjects(people)):
            if case.write or (keys and case.key not in keys):
                continue
            total = 0.0
            for _ in range(3):
                log.clear()
                started = time.perf_counter()
                await case.direct()
                total = (time.perf_counter() - started) * 1000
            print(f"({case.key}) {case.label}: {total:.1f} ms")
            for ms, query, rows, sizes in sorted(log, key=lambda x: -x[0])[:SHOWN]:
                print(f"  {ms:7.1f} ms  rows={rows:<6} {sizes}  {' '.join(query.split())[:160]}")
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else ""))
