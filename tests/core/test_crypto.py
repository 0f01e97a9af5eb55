import re

import pytest

from zhaoshang.core.crypto import sm3_hex, sm4_decrypt, sm4_encrypt


def test_sm3_matches_the_standard_test_vector():
    # GB/T 32905-2016, example 1: SM3("abc")
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_gcm_round_trip_hides_the_plaintext():
    token = sm4_encrypt("13812345678")
    assert not re.search(r"1\d{10}", token)
    assert token != sm4_encrypt("13812345678")  # fresh nonce each time
    assert sm4_decrypt(token) == "13812345678"


def test_sm4_gcm_detects_an_altered_value():
    token = sm4_encrypt("13812345678")
    altered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(ValueError, match="authentication failed"):
        sm4_decrypt(altered)


def test_sm4_gcm_refuses_a_wrong_key(settings):
    token = sm4_encrypt("13812345678")
    settings.ZHAOSHANG_FIELD_KEY = "ffeeddccbbaa99887766554433221100"
    with pytest.raises(ValueError):
        sm4_decrypt(token)
