"""The pairing code carries a relay's URL and an organizer key, and says when it is mistyped."""

from __future__ import annotations

import pytest

from inviteonce_desktop.core.errors import ValidationError
from inviteonce_desktop.core.pairing import PREFIX, Pairing

KEY = "io_k_3fA9-xY_Zq0"


def test_a_code_decodes_to_what_was_encoded() -> None:
    code = Pairing("https://book.example.com", KEY).encode()
    assert code.startswith(PREFIX) and KEY not in code and "=" not in code
    assert Pairing.decode(code) == Pairing("https://book.example.com", KEY)


def test_white_space_from_a_wrapped_paste_and_a_trailing_slash_are_ignored() -> None:
    code = Pairing("https://book.example.com/", KEY).encode()
    wrapped = f"  {code[:20]}\n  {code[20:]}\n"
    assert Pairing.decode(wrapped).url == "https://book.example.com"


@pytest.mark.parametrize(
    "code",
    [
        "",
        "https://book.example.com",
        PREFIX,
        PREFIX + "!!!",
        PREFIX + "bm90IGpzb24",
        PREFIX + "WzFd",
    ],
)
def test_a_mistyped_code_is_one_sentence(code: str) -> None:
    with pytest.raises(ValidationError, match=r"^The pairing code is incomplete or mistyped"):
        Pairing.decode(code)


def test_a_truncated_code_is_refused() -> None:
    code = Pairing("https://book.example.com", KEY).encode()
    with pytest.raises(ValidationError):
        Pairing.decode(code[:-6])


@pytest.mark.parametrize("url", ["ftp://book.example.com", "book.example.com", "https://"])
def test_a_code_must_name_a_web_address(url: str) -> None:
    with pytest.raises(ValidationError, match="public URL"):
        Pairing(url, KEY)
