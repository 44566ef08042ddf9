"""The LDBC reader produces the row counts SOURCE.md §2 lists for SF0.1."""

from __future__ import annotations

from datetime import UTC, datetime

from graph_db.importers.ldbc import country_code, ldbc_datetime
from graph_db.records import GraphBatch


def test_counts_match_source_md(ldbc_batch: GraphBatch) -> None:
    counts = ldbc_batch.counts()
    assert counts["people"] == 1528
    assert counts["connections"] == 14073
    assert counts["institutions"] == 7955
    assert counts["studies"] == 1209
    assert counts["employments"] == 3313
    assert counts["expertise_claims"] == 35475
    assert counts["expertise"] == 16080 + 71
    assert counts["countries"] == 111


def test_kinds_of_institutions(ldbc_batch: GraphBatch) -> None:
    kinds = [i.kind.value for i in ldbc_batch.institutions]
    assert (kinds.count("UNIVERSITY"), kinds.count("COMPANY")) == (6380, 1575)


def test_dates_are_utc_instants() -> None:
    # SOURCE.md: 20100214153210447 here is 1266161530447 ms in the validation file.
    assert ldbc_datetime("20100214153210447") == datetime.fromtimestamp(
        1266161530447 / 1000, tz=UTC
    )


def test_country_codes() -> None:
    assert country_code("Republic_of_Macedonia") == "MK"
    assert country_code("Burma") == "MM"
    assert country_code("England") == "GB-ENG"
    assert country_code("Indonesia") == "ID"
