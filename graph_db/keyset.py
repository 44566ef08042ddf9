"""Builds the WHERE and ORDER BY fragments of keyset pagination for both Cypher dialects.

Only identifiers from the adapters' own constants go in here (never user input); the cursor values
travel as the parameters `$afterKey` and `$afterId`. The typed comparison comes before
`$afterKey IS NULL` because LadybugDB types a parameter at its first use.
"""

from __future__ import annotations

from typing import Final


def keyset_fragments(key: str, id_: str, *, key_desc: bool, id_desc: bool) -> tuple[str, str]:
    """Return `(where, order_by)` that walk `(key, id_)` in the given directions past the cursor.

    Args:
        key: Cypher expression of the sort key, e.g. `n.sortName`.
        id_: Cypher expression of the tie-breaker id, e.g. `n.id`.
        key_desc: walk the key descending.
        id_desc: walk the id descending.

    Returns:
        A boolean expression (true for every row after `($afterKey, $afterId)`, or for all rows
        when `$afterKey` is null) and an ORDER BY list.
    """
    k_op = "<" if key_desc else ">"
    i_op = "<" if id_desc else ">"
    where = (
        f"({key} {k_op} $afterKey OR ({key} = $afterKey AND {id_} {i_op} $afterId)"
        " OR $afterKey IS NULL)"
    )
    order = f"{key} {'DESC' if key_desc else 'ASC'}, {id_} {'DESC' if id_desc else 'ASC'}"
    return where, order


WALKS: Final = (False, True)
"""The two walk directions, `backward` = False / True, used to pre-build query variants."""
