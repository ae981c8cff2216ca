"""Marshmallow fields shared by the API schemas of every area: text that the databases
can store (no NUL, no lone surrogate), and a unit code."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate


def storable(value: str) -> None:
    """Refuse what PostgreSQL (NUL) or any encoder (a lone surrogate) cannot store."""
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValidationError("contains characters that cannot be stored")


def Text(max_len: int, min_len: int = 0, **kwargs) -> fields.String:  # noqa: N802
    """A string of ``min_len``..``max_len`` storable characters."""
    return fields.String(validate=[validate.Length(min=min_len, max=max_len), storable],
                         **kwargs)


def Code(**kwargs) -> fields.String:  # noqa: N802
    """A unit code: six digits."""
    return fields.String(validate=validate.Regexp(r"\A[0-9]{6}\Z",
                                                  error="a six-digit unit code"), **kwargs)
