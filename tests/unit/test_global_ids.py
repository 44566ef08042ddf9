"""Global ids: base64 `Type:id`, decoded only for the expected type."""

from __future__ import annotations

import base64

import pytest
from strawberry import relay

from resolvers.errors import BadUserInput
from schema.ids import decode_id, encode_id


def test_round_trip_keeps_64_bit_ldbc_ids() -> None:
    gid = encode_id("CivilServant", "35184372090183")
    assert base64.b64decode(gid).decode() == "CivilServant:35184372090183"
    assert decode_id(gid, "CivilServant") == "35184372090183"


@pytest.mark.parametrize("value", ["", "garbage", "!!!", base64.b64encode(b"no-colon").decode()])
def test_malformed(value: str) -> None:
    with pytest.raises(BadUserInput, match="malformed"):
        decode_id(value, "CivilServant")


def test_id_of_another_type_is_refused() -> None:
    with pytest.raises(BadUserInput, match="expected the id of a CivilServant"):
        decode_id(encode_id("Institution", "1"), "CivilServant")


@pytest.mark.parametrize(
    "type_name, node_id", [("CivilServant", "933"), ("Institution", "a:b/c"), ("Expertise", "ñ")]
)
def test_encoded_ids_are_strawberrys_own(type_name: str, node_id: str) -> None:
    """What Relay's `Node.id` answers for the node (ids made here and there must match)."""
    assert encode_id(type_name, node_id) == str(relay.GlobalID(type_name, node_id))
