"""SQLite's SQL as PostgreSQL reads it: the stores' SQL is written once, in SQLite's words.

Each statement is translated once and cached. What is translated: `?` and `:name` placeholders,
`INSERT OR IGNORE`, scalar min()/max(), `IS [NOT] ?`, json_each(?), instr(), `COLLATE NOCASE`,
`LIMIT -1`, randomblob() ids, printf() of hex ids, R*Tree box tests, claims (FOR UPDATE SKIP
LOCKED), db.lock_key's advisory locks and rowid (PostgreSQL's tables carry a `seq` column in its
place). String literals are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A string literal, a quoted identifier, a placeholder or a word: the translator walks these.
_TOKEN = re.compile(
    r"""('(?:[^']|'')*')"""  # 'literal'
    r"""|("(?:[^"]|"")*")"""  # "identifier"
    r"""|(\?\d*)"""  # ? placeholder
    r"""|(?<![:\w]):([A-Za-z_]\w*)"""  # :name placeholder (not ::cast)
    r"""|(%)"""  # a literal percent sign, doubled for psycopg
)
_INSERT_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_IS_PARAM = re.compile(r"\bIS\s+(NOT\s+)?(?=%s|%\(\w+\)s)", re.IGNORECASE)
_JSON_EACH = re.compile(r"\bjson_each\(\s*(%s|%\(\w+\)s)\s*\)", re.IGNORECASE)
_JSON_EACH_AS = re.compile(
    r"\bjson_each\(\s*(%s|%\(\w+\)s)\s*\)\s+(?!(?:WHERE|CROSS|JOIN|ON|AND|OR|GROUP|ORDER|LIMIT)\b)(\w+)",
    re.IGNORECASE,
)
# SQLite's tricks to steer its planner: `CROSS JOIN … ON` fixes the join order, a unary `+`
# keeps a column off an index. PostgreSQL has neither spelling (and plans for itself).
_CROSS_JOIN_ON = re.compile(
    r"\bCROSS\s+JOIN\s+(\w+(?:\s+(?:AS\s+)?\w+)?)(?=\s+ON\b)", re.IGNORECASE
)
_UNARY_PLUS = re.compile(r"(?<=[\s(])\+(?=[A-Za-z_])")
_INSTR = re.compile(r"\binstr\(", re.IGNORECASE)
_NOCASE = re.compile(r"([\w.]+)\s*=\s*(%s|%\(\w+\)s)\s+COLLATE\s+NOCASE", re.IGNORECASE)
_LIMIT_ALL = re.compile(r"\bLIMIT\s+-1\b", re.IGNORECASE)
_RANDOM_ID = re.compile(r"lower\(hex\(randomblob\(16\)\)\)", re.IGNORECASE)
_ROWID = re.compile(r"\browid\b", re.IGNORECASE)
_MINMAX = re.compile(r"\b(min|max)\(", re.IGNORECASE)
_PRINTF_HEX = re.compile(r"%0(\d+)x")
# A claim: UPDATE t … WHERE id IN (SELECT id FROM t … LIMIT n), with positional or named
# parameters (`%(now)s` has brackets of its own). SQLite runs one writer at a time;
# on PostgreSQL two processes would pick the same rows, so the inner SELECT locks what it picks
# and skips what another claim holds.
_CLAIM = re.compile(
    r"^(\s*UPDATE\s+(\w+)\s+SET\b.*?\bIN\s*\(\s*SELECT\s+\w+\s+FROM\s+\2\b(?:[^()]|%\(\w+\)s)*?"
    r"\bLIMIT\s+(?:%s|%\(\w+\)s|\d+))(\s*\))",
    re.IGNORECASE | re.DOTALL,
)
# db.lock_key: a no-op function on SQLite, a transaction-scoped advisory lock here (64-bit keys;
# a space apart from the two-integer locks of db_postgres.ADVISORY_NAMESPACE).
_LOCK_KEY = re.compile(r"\bfotfeste_lock\(\s*(%s|%\(\w+\)s)\s*\)")
# An R*Tree overlap test, as meetings/store.py writes it: the same boxes, `&&` on GiST's index.
_RTREE_BOX = re.compile(
    r"\((\w+)\.max_lat >= (%\(\w+\)s) AND \1\.min_lat <= (%\(\w+\)s)"
    r" AND \1\.max_lon >= (%\(\w+\)s) AND \1\.min_lon <= (%\(\w+\)s)\)"
)
_BOX = (
    r"(box(point(\1.min_lat, \1.min_lon), point(\1.max_lat, \1.max_lon))"
    r" && box(point(\2, \4), point(\3, \5)))"
)


def _placeholders(sql: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(3) is not None:
            return "%s"
        if match.group(4) is not None:
            return f"%({match.group(4)})s"
        if match.group(5) is not None:
            return "%%"
        return match.group(0)

    return _TOKEN.sub(replace, sql)


def _top_level_commas(sql: str, start: int) -> tuple[int, int]:
    """From just after an opening parenthesis: (commas at depth 0, index of the closing one)."""
    depth, commas, quote = 0, 0, ""
    for i in range(start, len(sql)):
        char = sql[i]
        if quote:
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return commas, i
            depth -= 1
        elif char == "," and depth == 0:
            commas += 1
    return commas, len(sql)


def _scalar_minmax(sql: str) -> str:
    """SQLite's min(a, b) and max(a, b) are PostgreSQL's LEAST and GREATEST (aggregates stay)."""
    out, pos = [], 0
    for match in _MINMAX.finditer(sql):
        commas, _ = _top_level_commas(sql, match.end())
        if commas:
            out.append(sql[pos : match.start()])
            out.append("LEAST(" if match.group(1).lower() == "min" else "GREATEST(")
            pos = match.end()
    out.append(sql[pos:])
    return "".join(out)


def _printf(sql: str) -> str:
    """printf('%s%04x…', a, b, …) of the outbox ids: concatenated lpad(to_hex(…))."""
    start = sql.lower().find("printf(")
    if start < 0:
        return sql
    _, end = _top_level_commas(sql, start + len("printf("))
    inner = sql[start + len("printf(") : end]
    fmt_end = inner.index("'", 1)
    fmt = inner[1:fmt_end].replace("%%", "%")
    args = [a.strip() for a in _split_args(inner[fmt_end + 1 :].lstrip(", "))]
    parts = []
    for arg, piece in enumerate(re.findall(r"%s|%0\d+x", fmt)):
        value = args[arg]
        width = _PRINTF_HEX.match(piece)
        parts.append(
            f"({value})::text" if width is None else f"lpad(to_hex({value}), {width.group(1)}, '0')"
        )
    return sql[:start] + "(" + " || ".join(parts) + ")" + sql[end + 1 :]


def _split_args(text: str) -> list[str]:
    args, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            args.append(current)
            current = ""
            continue
        depth += char == "("
        depth -= char == ")"
        current += char
    if current.strip():
        args.append(current)
    return args


@lru_cache(maxsize=4096)
def to_postgresql(sql: str) -> str:
    """One SQLite statement in PostgreSQL's words (cached: the SQL strings are constants)."""
    ignore = _INSERT_OR_IGNORE.search(sql) is not None
    if ignore:
        sql = _INSERT_OR_IGNORE.sub("INSERT INTO", sql)
    sql = _RANDOM_ID.sub("replace(gen_random_uuid()::text, '-', '')", sql)
    if "printf(" in sql.lower():
        sql = _printf(sql)
    sql = _placeholders(sql)
    sql = _IS_PARAM.sub(
        lambda m: "IS DISTINCT FROM " if m.group(1) else "IS NOT DISTINCT FROM ", sql
    )
    sql = _JSON_EACH_AS.sub(
        r"json_array_elements_text(\1::json) WITH ORDINALITY AS \2(value, key)", sql
    )
    sql = _JSON_EACH.sub(r"json_array_elements_text(\1::json)", sql)
    sql = _CROSS_JOIN_ON.sub(r"JOIN \1", sql)
    sql = _UNARY_PLUS.sub("", sql)
    sql = _INSTR.sub("strpos(", sql)
    sql = _NOCASE.sub(r"lower(\1) = lower(\2)", sql)
    sql = _LIMIT_ALL.sub("LIMIT ALL", sql)
    sql = _ROWID.sub("seq", sql)
    sql = _RTREE_BOX.sub(_BOX, sql)
    sql = _CLAIM.sub(r"\1 FOR UPDATE SKIP LOCKED\3", sql)
    sql = _LOCK_KEY.sub(r"pg_advisory_xact_lock(hashtextextended(\1, 0))", sql)
    sql = _scalar_minmax(sql)
    if ignore:
        returning = _RETURNING.search(sql)
        if returning is None:
            sql = sql.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
        else:
            sql = sql[: returning.start()] + "ON CONFLICT DO NOTHING " + sql[returning.start() :]
    return sql


# --- schema: the numbered migrations, read by PostgreSQL ------------------------------------------
_STRICT = re.compile(r"\)\s*STRICT\s*(,\s*WITHOUT\s+ROWID\s*)?;", re.IGNORECASE)
_ROWID_TABLE = re.compile(r"(CREATE TABLE \w+ \()(.*?\)\s*STRICT\s*;)", re.IGNORECASE | re.DOTALL)
_INTEGER_KEY = re.compile(r"\bINTEGER PRIMARY KEY\b")
# SQLite's rowid: the order rows were made in, which some lists use to break ties.
_SEQ = "\n    seq BIGINT GENERATED BY DEFAULT AS IDENTITY,"
_SEQ_KEY = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
_TYPES = (
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
)


def schema_to_postgresql(script: str) -> str:
    """A migration in the common subset, with SQLite's storage words made PostgreSQL's.

    STRICT and WITHOUT ROWID go; INTEGER is 64-bit in SQLite (BIGINT), REAL is a double. SQL
    that differs in meaning (R*Tree, CHECKs with date() or json_valid()) lives in the migration's
    own `.postgresql.sql` file instead.
    """
    script = _ROWID_TABLE.sub(_with_rowid, script)
    script = _STRICT.sub(");", script)
    for pattern, replacement in _TYPES:
        script = pattern.sub(replacement, script)
    return script


def _with_rowid(match: re.Match[str]) -> str:
    head, body = match.group(1), match.group(2)
    if _INTEGER_KEY.search(body):
        return head + _INTEGER_KEY.sub(_SEQ_KEY, body, count=1)
    return head + _SEQ + body
