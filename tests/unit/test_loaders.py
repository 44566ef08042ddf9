"""The DataLoader the resolvers use answers a primed list from its cache, and otherwise loads as
aiodataloader does (batching the keys it lacks, raising a key's failure)."""

from __future__ import annotations

import pytest

from resolvers.loaders import PENDING, SettledFirstLoader


def loader(asked: list[list[str]]) -> SettledFirstLoader[str, str]:
    async def batch(keys: list[str]) -> list[str]:
        asked.append(list(keys))
        return [k.upper() for k in keys]

    return SettledFirstLoader(batch_load_fn=batch)


async def test_a_primed_list_is_answered_without_a_batch() -> None:
    asked: list[list[str]] = []
    people = loader(asked)
    for key in ("b", "a", "c"):
        people.prime(key, f"primed {key}")
    assert await people.load_many(["c", "a", "b", "a"]) == [
        "primed c",
        "primed a",
        "primed b",
        "primed a",
    ]
    assert asked == []


async def test_keys_not_yet_settled_are_batched_with_the_settled_ones_in_order() -> None:
    asked: list[list[str]] = []
    people = loader(asked)
    people.prime("a", "primed a")
    assert await people.load_many(["x", "a", "y"]) == ["X", "primed a", "Y"]
    assert asked == [["x", "y"]]
    assert await people.load_many(["y", "x"]) == ["Y", "X"]  # settled now: no second batch
    assert asked == [["x", "y"]]


async def test_a_primed_failure_is_raised() -> None:
    people = loader([])
    people.prime("a", "primed a")
    people.prime("bad", LookupError("no such person"))
    with pytest.raises(LookupError, match="no such person"):
        await people.load_many(["a", "bad"])


async def test_settled_answers_only_what_the_cache_holds_settled_and_successful() -> None:
    asked: list[list[str]] = []
    people = loader(asked)
    people.prime("a", "primed a")
    people.prime("bad", LookupError("no such person"))
    assert people.settled("a") == "primed a"
    assert people.settled("x") is PENDING  # never asked
    assert people.settled("bad") is PENDING  # failed: `load` raises it
    in_flight = people.load("y")
    assert people.settled("y") is PENDING  # asked, not yet batched
    assert await in_flight == "Y"
    assert people.settled("y") == "Y"
    assert people.settled_many(["a", "y"]) == ["primed a", "Y"]
    assert people.settled_many(["a", "x"]) is PENDING
    assert asked == [["y"]]
