"""Passwords too common to allow, whatever their length (ASVS: check new passwords
against a list of breached or common ones).

Two checks: the password itself is on a short list of the most used passwords that
would pass the length and mixing rules (Chinese favourites included), or, with the
digits and symbols at either end stripped and the usual look-alikes read back as
letters (``P@ssw0rd2026!`` → ``password``), what is left is a common word.
"""
from __future__ import annotations

import re

COMMON = frozenset({
    "1qaz2wsx3edc", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "qwer1234qwer",
    "qwerty123456", "qwertyuiop123", "1234qwerasdf", "zaq12wsxcde3", "!qaz2wsx3edc",
    "a123456789", "aa123456789", "abc1234567", "abc123456789", "abcd123456", "abcd1234567",
    "qq123456789", "qq1234567890", "woaini1314", "woaini520", "5201314woaini",
    "1314520woaini", "iloveyou123", "password123", "password1234", "passw0rd123",
    "p@ssw0rd123", "p@ssword123", "admin123456", "admin@123456", "admin1234567",
    "root123456", "test123456", "welcome123", "letmein123", "changeme123", "zxcvbnm123",
    "asdfghjkl123", "1a2b3c4d5e", "a1b2c3d4e5", "123456789a", "1234567890a",
    "123456789abc", "1234567890q", "123qweasdzxc", "qweasdzxc123", "1qazxsw23edc",
})

COMMON_WORDS = frozenset({
    "a", "aa", "ab", "abc", "abcd", "abcde", "abcdef", "q", "qq", "qwe", "qwer", "qwert",
    "qwerty", "qwertyuiop", "asd", "asdf", "asdfgh", "asdfghjkl", "zxc", "zxcv", "zxcvbnm",
    "qaz", "qazwsx", "qweasd", "qweasdzxc", "password", "passwd", "pass", "pwd", "admin",
    "administrator", "root", "test", "user", "guest", "welcome", "letmein", "changeme",
    "iloveyou", "woaini", "love", "dragon", "monkey", "master", "sunshine", "princess",
    "football", "baseball", "superman", "batman", "login", "secret", "default",
    "procuracy", "jiancha", "jianchayuan", "jcy", "jianchaguan", "fayuan",
})

_LOOK_ALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                              "@": "a", "$": "s", "!": "i"})
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in COMMON:
        return True
    core = _ENDS.sub("", lowered).translate(_LOOK_ALIKES)
    letters = "".join(ch for ch in core if ch.isalpha())
    return letters in COMMON_WORDS
