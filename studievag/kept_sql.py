"""A ``values_list`` query compiled once and run again with other values.

Building a queryset with subqueries and compiling it to SQL costs a page more Python time
than reading its rows (the team overview's course lines: seven correlated subqueries).
:func:`kept_rows` builds and compiles a query once per shape, kept on the database
connection as the report pages keep theirs (``quality.selectors.compiled_queries``), and
afterwards only puts the values into the SQL's parameters.

The shape is the query's name and the length of each list it is given (a list of ids
becomes one placeholder per id). To know which parameter holds which value, the query is
compiled with stand-in values no real row or constant has (negative ids, dates in the year
1001 and on); each stand-in must reach the SQL as a parameter, never as text, and every
value must reach it, or :func:`kept_rows` refuses the query. Rows are read live every
time and converted as Django converts a ``values_list`` row.
Infrastructure only: no area is imported here.
"""

import datetime
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, router
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

M = TypeVar("M", bound=Model)

KEPT = 64  # compiled shapes kept per connection, the least recently used dropped
# A kept query is prepared on PostgreSQL from its second run on the same connection (Django's
# own queries bind on the client and are never prepared, whatever this number).
PREPARE_AFTER = 1

_INT_BASE = -7_300_000_000_000


@dataclass(frozen=True)
class _Kept:
    sql: str
    # One per parameter: (None, constant, None) or (argument name, index in a list or None,
    # how the value goes in: "text" for a date Django sends as text, an int subclass (the
    # driver's Int4, Int8 … that Django wraps an expression's integer in), or None).
    slots: tuple[tuple[Any, Any, Any], ...]
    converters: tuple[tuple[int, tuple, Any], ...]
    width: int  # the columns values_list asked for (in their order: Django's ``query.selected``)
    alias: str
    # A model query (kept_objects): how Django's ModelIterable makes instances of a row.
    objects: "_Objects | None" = None
    # The SQL with PostgreSQL's own placeholders ($1, $2, …), made once: psycopg would
    # otherwise split a long query at every %s on every run (it caches short ones only).
    native: bytes = b""


def _native(sql: str) -> bytes:
    """Django's ``%s`` placeholders as ``$1``, ``$2``, … and ``%%`` as ``%``."""
    count = 0

    def place(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    native = re.sub(r"%%|%s", place, sql)
    if re.search(r"%[^%s]", sql.replace("%%", "")):
        raise ValueError("a kept query's SQL holds a placeholder other than %s")
    return native.encode()


@dataclass(frozen=True)
class _Objects:
    model: type[Model]
    init_list: tuple[str, ...]
    start: int
    end: int
    related: tuple[Any, ...]  # Django's RelatedPopulators (select_related); they keep no row state
    annotations: tuple[tuple[str, int], ...]


def _stand_ins(args: dict[str, Any]) -> tuple[dict[str, Any], dict[tuple[type, Any], tuple[str, int | None]]]:
    """Stand-in arguments, and which argument (and list index) each stand-in's value is."""
    made: dict[str, Any] = {}
    known: dict[tuple[type, Any], tuple[str, int | None]] = {}
    for n, (name, value) in enumerate(sorted(args.items())):
        if isinstance(value, list):
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise TypeError(f"{name}: a kept query's lists hold integers only")
            made[name] = [_INT_BASE - 1_000_000 * n - i for i in range(len(value))]
            for i, v in enumerate(made[name]):
                known[(int, v)] = (name, i)
        elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            made[name] = datetime.date(1001 + n, 2, 3)
            known[(datetime.date, made[name])] = (name, None)
            known[(str, made[name].isoformat())] = (name, None)
        elif isinstance(value, int) and not isinstance(value, bool):
            made[name] = _INT_BASE + 1_000_000 * (n + 1)
            known[(int, made[name])] = (name, None)
        else:
            raise TypeError(f"{name}: a kept query takes integers, lists of integers and dates")
    return made, known


def _derived_from_a_stand_in(param: Any) -> bool:
    """A parameter near a stand-in (an id far below any real one, a date before 1100)."""
    if isinstance(param, int) and not isinstance(param, bool):
        return param <= _INT_BASE // 2
    if isinstance(param, datetime.date):
        return param.year < 1100
    if isinstance(param, str) and len(param) >= 10 and param[4] == "-":
        try:
            return datetime.date.fromisoformat(param[:10]).year < 1100
        except ValueError:
            return False
    return False


def _compile(build: Callable[..., QuerySet], args: dict[str, Any]) -> _Kept:
    made, known = _stand_ins(args)
    qs = build(**made)
    if qs._iterable_class not in (ValuesListIterable, ModelIterable):
        raise TypeError("a kept query is a values_list() query (not flat, not named) or a model query")
    if qs._prefetch_related_lookups or qs._known_related_objects or qs.query.combinator:
        raise TypeError("a kept query cannot prefetch, come from a related manager or combine queries")
    query = qs.query
    compiler = query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    slots = []
    seen = set()
    for param in params:
        wrapped = isinstance(param, int) and not isinstance(param, bool) and type(param) is not int
        place = known.get((int, int(param)) if wrapped else (type(param), param))
        if place is None:
            if _derived_from_a_stand_in(param):
                # e.g. ``day - timedelta(days=28)`` inside build(): kept, it would stay
                # the stand-in's value for every later call.
                raise ValueError(f"{param!r}: a value computed from an argument cannot be kept (pass it in)")
            slots.append((None, param, None))
        else:
            slots.append((place[0], place[1], "text" if isinstance(param, str) else type(param) if wrapped else None))
            seen.add(place)
    for (kind, value), place in known.items():
        if kind is not str and str(value) in sql:
            raise ValueError(f"{place[0]}: a value written into the SQL text cannot be kept")
    if set(known.values()) - seen:
        raise ValueError("every value of a kept query must reach its SQL as a parameter")
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = tuple(
        (pos, tuple(convs), expression) for pos, (convs, expression) in compiler.get_converters(fields).items()
    )
    objects = None
    if qs._iterable_class is ModelIterable:
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        objects = _Objects(
            model=klass_info["model"],
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            start=start,
            end=end,
            related=tuple(get_related_populators(klass_info, select, qs.db)),
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )
    return _Kept(sql, tuple(slots), converters, compiler.col_count, qs.db, objects, _native(sql))


def _cursor(connection):
    """A cursor for a kept query: on PostgreSQL one that binds its values on the server, so
    that the statement is prepared once per connection and later calls skip parsing and
    planning it (``STUDIEVAG_PG_PREPARE``); elsewhere Django's own. Django's wrapper keeps
    counting and logging the query either way."""
    if connection.vendor != "postgresql" or not getattr(settings, "STUDIEVAG_PG_PREPARE", False):
        return connection.cursor()
    from psycopg import RawCursor  # noqa: PLC0415 (PostgreSQL only)

    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = PREPARE_AFTER
    return _NativeCursor(RawCursor(raw), connection)


class _NativeCursor(CursorDebugWrapper):
    """Runs a kept query's native SQL ($1, $2, …) on psycopg's RawCursor, which binds on the
    server and so can prepare it, through Django's wrappers (``execute_wrapper``, the query
    count); logged, when Django logs queries, with its values as Django logs its own (it
    reads them off the cursor, which a prepared statement leaves empty)."""

    def execute(self, sql, params=None, *, native: bytes = b""):
        def run(_sql, params, many, context):  # Django's CursorWrapper._execute, on the native SQL
            self.db.validate_no_broken_transaction()
            with self.db.wrap_database_errors:
                return self.cursor.execute(native, params)

        if not self.db.queries_logged:
            return self._execute_with_wrappers(sql, params, many=False, executor=run)
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return self._execute_with_wrappers(sql, params, many=False, executor=run)


def kept_rows(model: type[Model], name: str, build: Callable[..., QuerySet], **args: Any) -> list[tuple]:
    """The rows of ``build(**args)`` (a ``values_list()`` queryset of ``model``), its SQL
    compiled once per ``name`` and list lengths. ``build`` must depend on nothing but its
    arguments: integers, lists of integers (none empty) and dates."""
    found, rows = _kept(model, name, build, args, objects=False)
    return rows if found is None else [tuple(row) for row in rows]


def kept_objects(model: type[M], name: str, build: Callable[..., QuerySet[M]], **args: Any) -> list[M]:
    """The instances ``build(**args)`` gives (a model queryset, with ``select_related``,
    ``only`` and annotations as Django makes them), its SQL compiled once per ``name`` and
    list lengths, as :func:`kept_rows`. No ``prefetch_related``."""
    found, rows = _kept(model, name, build, args, objects=True)
    if found is None:
        return rows
    how = found.objects
    assert how is not None
    db = found.alias
    result = []
    for row in rows:
        obj = how.model.from_db(db, how.init_list, row[how.start : how.end])
        for populator in how.related:
            populator.populate(row, obj)
        for attr_name, pos in how.annotations:
            setattr(obj, attr_name, row[pos])
        result.append(obj)
    return result


def _kept(model, name: str, build, args: dict[str, Any], *, objects: bool) -> tuple[_Kept | None, list]:
    """The kept query for ``name`` and these arguments' shape (compiled now if new) and its
    rows with Django's conversions; (None, Django's own result) for an empty list."""
    args = {k: list(v) if isinstance(v, set | frozenset | tuple) else v for k, v in args.items()}
    if any(isinstance(v, list) and not v for v in args.values()):
        return None, list(build(**args))  # an empty list has no stand-ins: Django's own evaluation
    key = (name, tuple(sorted((k, len(v) if isinstance(v, list) else None) for k, v in args.items())))
    connection = connections[router.db_for_read(model)]
    kept: OrderedDict | None = getattr(connection, "_studievag_kept_sql", None)
    if kept is None:
        kept = OrderedDict()
        connection._studievag_kept_sql = kept  # type: ignore[attr-defined]
    found: _Kept | None = kept.get(key)
    if found is None:
        found = _compile(build, args)
        kept[key] = found
        while len(kept) > KEPT:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    if (found.objects is not None) != objects:
        raise TypeError(f"{name}: kept_objects takes a model query, kept_rows a values_list() query")
    params = []
    for arg, index, how in found.slots:
        if arg is None:
            params.append(index)
            continue
        value = args[arg] if index is None else args[arg][index]
        params.append(value if how is None else value.isoformat() if how == "text" else how(value))
    if found.alias != connection.alias:
        raise ValueError(f"{name}: the query reads another database than its model's")
    with _cursor(connection) as cursor:
        if isinstance(cursor, _NativeCursor):
            cursor.execute(found.sql, params, native=found.native)
        else:
            cursor.execute(found.sql, params)
        fetched = cursor.fetchall()
    rows = []
    for raw in fetched:
        row = list(raw[: found.width])
        for pos, convs, expression in found.converters:
            value = row[pos]
            for convert in convs:
                value = convert(value, expression, connection)
            row[pos] = value
        rows.append(row)
    return found, rows
