"""Small SQL functions the report queries need on both SQLite and PostgreSQL."""

from django.db.models import DateField, Func, IntegerField

from studievag.plans.rules import TERM_ENDS


class DaysBetween(Func):
    """Whole days from ``earlier`` to ``later`` (dates or timestamps, taken as dates)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL and others
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return f"(CAST({later} AS date) - CAST({earlier} AS date))", [*later_params, *earlier_params]

    def as_sqlite(self, compiler, connection, **extra):
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        return (
            f"CAST(julianday(date({later})) - julianday(date({earlier})) AS INTEGER)",
            [*later_params, *earlier_params],
        )


class TermEnd(Func):
    """The last day of a plan's term written "HT 2026" or "VT 2027" (``plans.rules.term_end``).

    The format is validated when a term is saved; NULL stays NULL.
    """

    output_field = DateField()
    arity = 1

    def _date_text(self, compiler):

        term, params = compiler.compile(self.source_expressions[0])
        whens = " ".join(f"WHEN '{kind}' THEN '-{month:02d}-{day:02d}'" for kind, (month, day) in TERM_ENDS.items())
        # The year (four digits after "HT ") and the month-day of the kind of term.
        return f"(SUBSTR({term}, 4, 4) || CASE SUBSTR({term}, 1, 2) {whens} END)", [*params, *params]

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL and others
        text, params = self._date_text(compiler)
        return f"CAST({text} AS date)", params

    def as_sqlite(self, compiler, connection, **extra):
        text, params = self._date_text(compiler)
        return f"date({text})", params
