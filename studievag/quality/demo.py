"""Demo reflections: what staff noted in team meetings about groups of students."""

import datetime

from .models import Reflection, ReflectionTag

REFLECTIONS = [
    # days ago, source, text, tags
    (
        12,
        Reflection.Source.TEAM_MEETING,
        (
            "Närvaron i språkintroduktionen sjunker efter lovet. Arbetslaget prövar "
            "morgonsamling och sms-påminnelser till hela gruppen."
        ),
        ["indicator:students", "theme:närvaro"],
    ),
    (
        30,
        Reflection.Source.PLAN_TALK,
        (
            "Många av de nyanlända eleverna har kort skolbakgrund; studiehandledning på "
            "modersmålet behövs i matematik för flera grupper."
        ),
        ["indicator:newly_arrived", "theme:studiehandledning"],
    ),
    (
        45,
        Reflection.Source.DEVELOPMENT,
        (
            "Övergångarna till nationellt program fungerar bättre när mottagande skola har en "
            "namngiven kontaktperson. Vi följer upp vid nästa utvecklingsmöte."
        ),
        ["indicator:transfer_1y", "indicator:exit_national_programme", "theme:övergångar"],
    ),
    (
        70,
        Reflection.Source.STUDENT_HEALTH,
        (
            "Elevhälsan ser fler avhopp bland elever över 18 i yrkesintroduktionen; vi vill "
            "pröva tätare mentorssamtal för den gruppen."
        ),
        ["indicator:exit_dropped_out", "theme:avhopp"],
    ),
]


def seed(*, today: datetime.date, units, authors) -> int:
    created = 0
    for k, (days, source, text, tags) in enumerate(REFLECTIONS):
        reflection = Reflection.objects.create(
            text=text,
            written_on=today - datetime.timedelta(days=days),
            source=source,
            author=authors[k % len(authors)],
            school_unit=units[k % len(units)],
        )
        ReflectionTag.objects.bulk_create(ReflectionTag(reflection=reflection, tag=t) for t in tags)
        created += 1
    return created
