"""The maths of logic.haversine_km as SQL: Python's operators on Sql build the expression text."""

from __future__ import annotations

from fotfeste.meetings.logic import Maths


class Sql:
    """A piece of SQL built by Python's operators, so logic.haversine_km writes SQL too."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def _join(self, op: str, other: object, *, reverse: bool = False) -> Sql:
        left, right = (_text(other), self.text) if reverse else (self.text, _text(other))
        return Sql(f"({left} {op} {right})")

    def __add__(self, other: object) -> Sql:
        return self._join("+", other)

    def __sub__(self, other: object) -> Sql:
        return self._join("-", other)

    def __mul__(self, other: object) -> Sql:
        return self._join("*", other)

    def __rmul__(self, other: object) -> Sql:
        return self._join("*", other, reverse=True)

    def __truediv__(self, other: object) -> Sql:
        return self._join("/", other)


def _text(value: object) -> str:
    return value.text if isinstance(value, Sql) else repr(value)


def _call(name: str, *args: object) -> Sql:
    return Sql(f"{name}({', '.join(_text(a) for a in args)})")


class SqliteMaths:
    """SQLite's math functions (3.35+); a PostgreSQL variant would subclass it for `least`."""

    def radians(self, x: object) -> Sql:
        return _call("radians", x)

    def sin(self, x: object) -> Sql:
        return _call("sin", x)

    def cos(self, x: object) -> Sql:
        return _call("cos", x)

    def asin(self, x: object) -> Sql:
        return _call("asin", x)

    def sqrt(self, x: object) -> Sql:
        return _call("sqrt", x)

    def square(self, x: object) -> Sql:
        return _call("power", x, 2)

    def least(self, x: object, y: object) -> Sql:
        return _call("min", x, y)


SQLITE_MATHS: Maths = SqliteMaths()
