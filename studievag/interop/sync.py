"""The sync engine: read what changed in the register, then apply it entity by entity.

A run has two phases. **Fetch** asks the register (through the client) for
what changed since the last run — ``meta.modified.after`` per collection,
every page by ``pageToken`` — and for ``/deletedEntities``; each entity is
checked against the standard's schema, and one that does not follow it is
refused with the reasons. **Apply** then works in short transactions, one per
entity, so one refused entity never stops the others; a dry run applies
everything inside one transaction and rolls it back, so what it shows is
exactly what a real run would do.

What the sync owns and what people own:

- It creates, changes and ends only what it created or linked itself (each
  kept as an ``ExternalRecord``): a role, enrolment, membership or guardian
  link that someone entered by hand is never touched.
- A student's (or guardian's) values are merged three ways: the register's
  new value, the register's value as last applied, and the value in
  Studieväg. A change in the register is applied when nobody has changed the
  field here since; when someone has, the difference becomes a ``Conflict``
  for a person to decide. A protection marking that the register raises is
  applied at once (and the raise listed): hiding a person cannot wait.
- An entity deleted in the register ends what it gave (enrolments,
  memberships, roles, guardian links); the student's record itself stays,
  since the plan and progression written here are Studieväg's own records.

Running the same sync twice changes nothing the second time.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from studievag.access.models import RoleAssignment
from studievag.enrolments.eligibility import latest_im_start, may_start_im
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.organisations.models import Programme, SchoolUnit
from studievag.people.models import Guardian, GuardianLink, Student

from . import access_changes, mapping
from .mapping import Refused
from .models import Conflict, Connection, ExternalRecord, SyncEvent, SyncRun
from .ss12000 import schema
from .ss12000.client import Client

SYNC_USERNAME = "ss12000-sync"
# Deletions carry no time of their own: read them again from a little before the last read.
DELETIONS_OVERLAP = datetime.timedelta(minutes=10)
COLLECTIONS = {
    "/organisations": "Organisation",
    "/programmes": "Programme",
    "/persons": "PersonExpanded",
    "/groups": "GroupExpanded",
    "/duties": "DutyExpanded",
}
DELETED_KINDS = ("Organisation", "Person", "Group", "Duty")
STUDENT_SYNC_FIELDS = (
    "personal_identity_number",
    "date_of_birth",
    "first_name",
    "last_name",
    "gender",
    "security_marking",
)
GUARDIAN_SYNC_FIELDS = ("first_name", "last_name", "personal_identity_number", "email", "phone")
# How protective each marking is: the sync raises protection at once, never lowers it over a person's choice.
MARKING_RANK = {
    Student.SecurityMarking.NONE: 0,
    Student.SecurityMarking.CONFIDENTIALITY: 1,
    Student.SecurityMarking.PROTECTED_REGISTRATION: 2,
}


def sync_user():
    """The system account the sync acts as: it cannot log in, and history shows it as the register."""
    user, created = get_user_model().objects.get_or_create(
        username=SYNC_USERNAME,
        defaults={"first_name": "SS 12000", "last_name": "(elevregistret)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _parse_time(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _wire(value: Any) -> str:
    """A field value as text, for comparing with what the register sent last time."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- Fetch --------------------------------------------------------------------------------------


@dataclass
class Fetched:
    entities: dict[str, list[dict]] = field(default_factory=dict)
    extra_persons: dict[str, dict] = field(default_factory=dict)  # fetched by id: guardians and staff not changed
    deleted: dict[str, list[str]] = field(default_factory=dict)
    newest: dict[str, str] = field(default_factory=dict)
    invalid: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (collection, id, problems)
    started_at: datetime.datetime = field(default_factory=timezone.now)


def fetch(client: Client, connection: Connection, *, full: bool) -> Fetched:
    """Everything changed in the register since the last run (or everything, when ``full``)."""
    out = Fetched()
    for path, schema_name in COLLECTIONS.items():
        # Programmes are few and needed to read every enrolment: always read them all.
        after = None if full or path == "/programmes" else connection.watermarks.get(path)
        modified_after = _parse_time(after) if after else None
        valid = []
        for entity in client.collection(path, modified_after=modified_after):
            problems = schema.errors(schema_name, entity)
            if problems:
                out.invalid.append((path, str(entity.get("id", "")), problems))
                continue
            valid.append(entity)
            modified = entity["meta"]["modified"]
            if path not in out.newest or _parse_time(modified) > _parse_time(out.newest[path]):
                out.newest[path] = modified
        out.entities[path] = valid
    after = connection.deletions_read_at - DELETIONS_OVERLAP if connection.deletions_read_at else None
    out.deleted = client.deleted_entities(after=after, entities=DELETED_KINDS)
    _fetch_referenced_persons(client, connection, out)
    return out


def _fetch_referenced_persons(client: Client, connection: Connection, out: Fetched) -> None:
    """Guardians and staff referred to by changed students and duties, when not read already."""
    have = {p["id"] for p in out.entities["/persons"]}
    linked = set(
        ExternalRecord.objects.filter(
            connection=connection, entity_type="person", local_kind__in=["guardian", "user"], deleted_at__isnull=True
        ).values_list("external_id", flat=True)
    )
    wanted: set[str] = set()
    for person in out.entities["/persons"]:
        wanted |= {ref for ref, _relation in mapping.responsibles(person)}
    wanted |= {d["person"]["id"] for d in out.entities["/duties"] if d.get("person")}
    missing = sorted(wanted - have - linked)
    for start in range(0, len(missing), 100):
        for person in client.lookup("/persons", missing[start : start + 100]):
            problems = schema.errors("Person", person)
            if problems:
                out.invalid.append(("/persons", str(person.get("id", "")), problems))
            else:
                out.extra_persons[person["id"]] = person


# --- Apply --------------------------------------------------------------------------------------


@dataclass
class Event:
    kind: str
    entity_type: str
    entity_id: str
    text: str
    student_id: int | None = None


class _DryRunRollback(Exception):
    pass


class Applier:
    def __init__(self, connection: Connection, *, acting_user, run: SyncRun | None, today: datetime.date):
        self.connection = connection
        self.organiser = connection.organiser
        self.acting_user = acting_user
        self.run = run
        self.today = today
        self.yesterday = today - datetime.timedelta(days=1)
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.events: list[Event] = []
        self.records: dict[tuple[str, str, str], ExternalRecord] = {}
        # The parts of one entity (its enrolments, memberships, roles …) by the entity's id: the key's first part.
        self.by_parent: dict[tuple[str, str, str], list[ExternalRecord]] = defaultdict(list)
        self._units: dict[str, int] = {}
        self._touched: list[tuple[ExternalRecord, bool]] | None = None
        for r in connection.records.all():
            self._index(r)
        self.open_conflicts: set[tuple[int, str]] = set(
            Conflict.objects.filter(connection=connection, status=Conflict.Status.OPEN).values_list(
                "record_id", "field"
            )
        )
        self.programmes: dict[str, Programme | None] = {}
        self.persons: dict[str, dict] = {}
        self.referenced: set[str] = set()

    # --- bookkeeping -----------------------------------------------------------------------

    def event(self, kind: str, entity_type: str, entity_id: str, text: str, student_id: int | None = None) -> None:
        self.events.append(Event(kind, entity_type, entity_id, text, student_id))

    def change(self, entity_type: str, entity_id: str, action: str, text: str, student_id: int | None = None):
        self.counts[entity_type][action] += 1
        self.event(SyncEvent.Kind.CHANGE, entity_type, entity_id, text, student_id)

    def refuse(self, entity_type: str, entity_id: str, reason: str) -> None:
        self.counts[entity_type]["refused"] += 1
        self.event(SyncEvent.Kind.REFUSED, entity_type, entity_id, reason)

    def record(self, entity_type: str, external_id: str, local_kind: str) -> ExternalRecord | None:
        return self.records.get((entity_type, external_id, local_kind))

    def _touch(self, record: ExternalRecord, *, added: bool) -> None:
        if self._touched is not None:
            self._touched.append((record, added))

    def _forget(self, touched: list[tuple[ExternalRecord, bool]]) -> None:
        """After a rolled-back entity: drop the records it added, reread the ones it changed."""
        for record, added in touched:
            if added:
                key = (record.entity_type, record.external_id, record.local_kind)
                self.records.pop(key, None)
                siblings = self.by_parent.get(
                    (record.entity_type, record.local_kind, record.external_id.split(":", 1)[0])
                )
                if siblings and record in siblings:
                    siblings.remove(record)
                if record.entity_type == "organisation" and record.local_kind == "school_unit":
                    self._units.pop(record.external_id, None)
            else:
                record.refresh_from_db()

    def _index(self, r: ExternalRecord) -> None:
        self.records[(r.entity_type, r.external_id, r.local_kind)] = r
        self.by_parent[(r.entity_type, r.local_kind, r.external_id.split(":", 1)[0])].append(r)
        if r.entity_type == "organisation" and r.local_kind == "school_unit" and r.deleted_at is None:
            self._units[r.external_id] = r.local_id

    def records_of(self, entity_type: str, local_kind: str, prefix: str) -> list[ExternalRecord]:
        """Live records of a kind whose key starts with ``prefix`` (``"<parent id>:"``, or ``""`` for all)."""
        if prefix.endswith(":") and prefix.count(":") == 1:
            candidates = self.by_parent.get((entity_type, local_kind, prefix[:-1]), [])
        else:
            candidates = [r for (t, _e, k), r in self.records.items() if t == entity_type and k == local_kind]
        return [r for r in candidates if r.external_id.startswith(prefix) and r.deleted_at is None]

    def remember(
        self, entity_type: str, external_id: str, local_kind: str, local_id: int, received: dict | None = None
    ) -> ExternalRecord:
        record = self.record(entity_type, external_id, local_kind)
        if record is None:
            record = ExternalRecord.objects.create(
                connection=self.connection,
                entity_type=entity_type,
                external_id=external_id,
                local_kind=local_kind,
                local_id=local_id,
                received=received or {},
            )
            self._index(record)
            self._touch(record, added=True)
        elif (
            record.local_id != local_id
            or (received is not None and record.received != received)
            or record.deleted_at is not None
        ):
            record.local_id = local_id
            if received is not None:
                record.received = received
            record.deleted_at = None
            record.save(update_fields=["local_id", "received", "deleted_at"])
            self._touch(record, added=False)
            if entity_type == "organisation" and local_kind == "school_unit":
                self._units[external_id] = local_id
        return record

    def _each(self, entity_type: str, entity: dict, work) -> None:
        """Apply one entity in its own transaction; a refusal or error touches nothing of it."""
        outer, self._touched = self._touched, []
        try:
            with transaction.atomic():
                work(entity)
        except Refused as refusal:
            self._forget(self._touched)
            self.refuse(entity_type, entity.get("id", ""), str(refusal))
        except ValidationError as error:
            self._forget(self._touched)
            self.refuse(entity_type, entity.get("id", ""), " ".join(error.messages))
        finally:
            if outer is not None:
                outer.extend(self._touched)
            self._touched = outer

    # --- the run ---------------------------------------------------------------------------

    def apply(self, fetched: Fetched) -> None:
        for path, entity_id, problems in fetched.invalid:
            entity_type = path.strip("/")
            self.refuse(
                entity_type,
                entity_id,
                _("Does not follow SS 12000: %(problems)s") % {"problems": "; ".join(problems[:3])},
            )
        self.persons = {p["id"]: p for p in fetched.entities["/persons"]} | fetched.extra_persons
        # Guardians and staff are counted where they are used (guardians, duties), not as persons left out.
        self.referenced = {ref for p in fetched.entities["/persons"] for ref, _relation in mapping.responsibles(p)}
        self.referenced |= {d["person"]["id"] for d in fetched.entities["/duties"] if d.get("person")}
        for organisation in fetched.entities["/organisations"]:
            self._each("organisations", organisation, self.organisation)
        for programme in fetched.entities["/programmes"]:
            self.programmes[programme["id"]] = self.programme(programme)
        for person in fetched.entities["/persons"]:
            self._each("persons", person, self.person)
        for person_id, person in fetched.extra_persons.items():
            if self.record("person", person_id, "guardian"):
                self._each("persons", person, self.guardian_update)
        for group in fetched.entities["/groups"]:
            self._each("groups", group, self.group)
        for duty in fetched.entities["/duties"]:
            self._each("duties", duty, self.duty)
        self.deletions(fetched.deleted)

    # --- organisations and programmes ------------------------------------------------------

    def units(self) -> dict[str, int]:
        """The register's school unit ids and the Studieväg units they became."""
        return self._units

    def organisation(self, organisation: dict) -> None:
        kind = organisation["organisationType"]
        if kind == "Huvudman":
            number = mapping.organisation_number(organisation)
            if number and number.replace("-", "") != self.organiser.organisation_number.replace("-", ""):
                raise Refused(_("The organisation number is not the organiser's own."))
            self.counts["organisations"]["unchanged"] += 1
            return
        if kind != "Skolenhet":
            self.counts["organisations"]["skipped"] += 1
            return
        facts = mapping.school_unit_facts(organisation)
        record = self.record("organisation", organisation["id"], "school_unit")
        unit = SchoolUnit.objects.filter(pk=record.local_id).first() if record else None
        unit = unit or SchoolUnit.objects.filter(code=facts.code).first()
        if unit is not None and unit.organiser_id != self.organiser.pk:
            raise Refused(
                _("The school unit code %(code)s belongs to another organiser's unit.") % {"code": facts.code}
            )
        received = {"name": facts.name, "code": facts.code}
        if unit is None:
            unit = SchoolUnit(code=facts.code, name=facts.name, organiser=self.organiser, school_type=facts.school_type)
            unit.full_clean()
            unit.save()
            self.change("organisations", organisation["id"], "created", _("School unit %(code)s added") % received)
        elif unit.name != facts.name:
            last = record.received.get("name") if record else None
            if last is not None and unit.name == last:
                unit.name = facts.name
                unit.save(update_fields=["name"])
                self.change(
                    "organisations", organisation["id"], "updated", _("School unit %(code)s renamed") % received
                )
            elif last != facts.name:
                self.event(
                    SyncEvent.Kind.NOTICE,
                    "organisations",
                    organisation["id"],
                    _("School unit %(code)s keeps the name given in Studieväg.") % received,
                )
                self.counts["organisations"]["unchanged"] += 1
            else:
                self.counts["organisations"]["unchanged"] += 1
        else:
            self.counts["organisations"]["unchanged"] += 1
        self.remember("organisation", organisation["id"], "school_unit", unit.pk, received)

    def programme(self, programme: dict) -> Programme | None:
        code = mapping.programme_code(programme)
        if code is None:
            return None
        return Programme.objects.filter(code=code).first()

    # --- persons: students, their enrolments and guardians -----------------------------------

    def person(self, person: dict) -> None:
        units = self.units()
        facts = mapping.enrolments(person)
        ours = [
            f
            for f in facts
            if f.school_unit_ref in units and f.programme_ref and self.programmes.get(f.programme_ref) is not None
        ]
        student_record = self.record("person", person["id"], "student")
        if student_record is None and not [f for f in ours if not f.cancelled]:
            if self.record("person", person["id"], "guardian"):
                self.guardian_update(person)
            elif person["id"] not in self.referenced:
                self.counts["persons"]["skipped"] += 1
            return
        student = self.student(person, student_record, ours)
        self.enrolments(person, student, ours, facts, units)
        self.guardians(person, student)
        if self.record("person", person["id"], "guardian"):
            self.guardian_update(person)

    def student(self, person: dict, record: ExternalRecord | None, ours: list[mapping.EnrolmentFacts]) -> Student:
        fields = mapping.student_fields(person)
        student = Student.objects.filter(pk=record.local_id).first() if record else None
        if student is None:
            student = Student.objects.filter(personal_identity_number=fields["personal_identity_number"]).first()
        received = {k: _wire(v) for k, v in fields.items()}
        if student is None:
            first_start = min(f.start for f in ours)
            if not may_start_im(fields["date_of_birth"], first_start):
                raise Refused(
                    _(
                        "An introduction programme must start by %(date)s for this student (the first half "
                        "of the year they turn 20); the enrolment starts later."
                    )
                    % {"date": latest_im_start(fields["date_of_birth"])}
                )
            student = Student(**fields)
            student._history_user = self.acting_user
            student._change_reason = _("From the student register")
            student.full_clean()
            student.save()
            self.change("persons", person["id"], "created", _("Student added"), student.pk)
            self.remember("person", person["id"], "student", student.pk, received)
            return student
        new_record = self.remember("person", person["id"], "student", student.pk, record.received if record else {})
        applied = self.merge(
            new_record, student, fields, received, STUDENT_SYNC_FIELDS, entity_type="persons", student_id=student.pk
        )
        if applied:
            student._history_user = self.acting_user
            student._change_reason = _("From the student register")
            student.full_clean()
            student.save()
            self.change(
                "persons",
                person["id"],
                "updated",
                _("Student changed: %(fields)s") % {"fields": ", ".join(_field_label(Student, f) for f in applied)},
                student.pk,
            )
        else:
            self.counts["persons"]["unchanged"] += 1
        return student

    def merge(
        self,
        record: ExternalRecord,
        target,
        fields: dict,
        received: dict,
        names: Iterable[str],
        *,
        entity_type: str,
        student_id: int,
        prefix: str = "",
    ) -> list[str]:
        """Three-way merge of ``fields`` into ``target``; returns the names applied, opens conflicts for the rest."""
        applied = []
        last = dict(record.received)
        for name in names:
            new = received[name]
            local = _wire(getattr(target, name))
            before = last.get(name)
            if new == local:
                last[name] = new
                self._close_conflict(record, prefix + name)
                continue
            if before is not None and new == before:
                continue  # the register has not changed it; what was entered here stands
            raises_protection = name == "security_marking" and MARKING_RANK.get(new, 0) > MARKING_RANK.get(local, 0)
            if (before is not None and local == before) or raises_protection:
                setattr(target, name, fields[name])
                last[name] = new
                applied.append(name)
                self._close_conflict(record, prefix + name)
                continue
            self.conflict(record, prefix + name, local, new, entity_type=entity_type, student_id=student_id)
        if last != record.received:
            record.received = last
            record.save(update_fields=["received"])
        return applied

    def conflict(self, record: ExternalRecord, name: str, local: str, new: str, *, entity_type: str, student_id: int):
        existing = Conflict.objects.filter(record=record, field=name, status=Conflict.Status.OPEN).first()
        if existing is not None and existing.register_value == new and existing.local_value == local:
            self.counts[entity_type]["unchanged"] += 1
            return
        self.open_conflicts.add((record.pk, name))
        if existing is not None:
            existing.register_value, existing.local_value, existing.found_in = new, local, self.run
            existing.save(update_fields=["register_value", "local_value", "found_in"])
        else:
            Conflict.objects.create(
                connection=self.connection,
                record=record,
                student_id=student_id,
                field=name,
                local_value=local,
                register_value=new,
                found_in=self.run,
            )
        self.counts[entity_type]["conflicts"] += 1
        self.event(
            SyncEvent.Kind.CONFLICT,
            entity_type,
            record.external_id,
            _("%(field)s differs from the register and was changed in Studieväg: left for someone to decide")
            % {"field": capfirst(Conflict(field=name).field_label)},
            student_id,
        )

    def _close_conflict(self, record: ExternalRecord, name: str) -> None:
        # The two sides agree again (someone corrected one of them): nothing is left to decide.
        if (record.pk, name) in self.open_conflicts:
            Conflict.objects.filter(record=record, field=name, status=Conflict.Status.OPEN).delete()
            self.open_conflicts.discard((record.pk, name))

    def enrolments(
        self,
        person: dict,
        student: Student,
        ours: list[mapping.EnrolmentFacts],
        every: list[mapping.EnrolmentFacts],
        units: dict[str, int],
    ) -> None:
        seen = set()
        for facts in ours:
            seen.add(facts.key)
            programme = self.programmes[facts.programme_ref]
            end = facts.start if facts.cancelled else facts.end
            reason = _exit_reason(facts, every, self.programmes) if end else ""
            record = self.record("enrolment", facts.key, "enrolment")
            enrolment = Enrolment.objects.filter(pk=record.local_id).first() if record else None
            if enrolment is None:
                enrolment = (
                    Enrolment.objects.filter(
                        student=student, school_unit_id=units[facts.school_unit_ref], programme=programme
                    )
                    .filter(Q(start_date=facts.start) | Q(end_date__isnull=True))
                    .first()
                )
            if enrolment is None:
                if facts.cancelled:
                    continue
                enrolment = access_changes.enrolment_start(
                    acting_user=self.acting_user,
                    student=student,
                    programme=programme,
                    school_unit=SchoolUnit.objects.get(pk=units[facts.school_unit_ref]),
                    start_date=facts.start,
                    end_date=end,
                    exit_reason=reason,
                    reason=_("From the student register"),
                )
                self.change(
                    "enrolments",
                    facts.key,
                    "created",
                    _("Enrolment in %(programme)s from %(start)s")
                    % {"programme": programme.code, "start": facts.start},
                    student.pk,
                )
            elif enrolment.start_date != facts.start or enrolment.end_date != end:
                if enrolment.end_date and end is None and enrolment.exit_reason != Enrolment.ExitReason.OTHER:
                    # Someone recorded why the student left; the register has not caught up. Keep it.
                    self.event(
                        SyncEvent.Kind.NOTICE,
                        "enrolments",
                        facts.key,
                        _("The enrolment was ended in Studieväg but is open in the register; kept as ended."),
                        student.pk,
                    )
                else:
                    access_changes.enrolment_change(
                        acting_user=self.acting_user,
                        enrolment=enrolment,
                        start_date=facts.start,
                        end_date=end,
                        exit_reason=enrolment.exit_reason or reason if end else "",
                        reason=_("From the student register"),
                    )
                    text = (
                        _("Enrolment in %(programme)s ended %(end)s") % {"programme": programme.code, "end": end}
                        if end
                        else _("Enrolment in %(programme)s changed") % {"programme": programme.code}
                    )
                    self.change("enrolments", facts.key, "ended" if end else "updated", text, student.pk)
            else:
                self.counts["enrolments"]["unchanged"] += 1
            self.remember("enrolment", facts.key, "enrolment", enrolment.pk)
        for record in self.records_of("enrolment", "enrolment", f"{person['id']}:"):
            if record.external_id not in seen:
                self._end_enrolment(record, student.pk, _("The enrolment is no longer in the register."))

    def _end_enrolment(self, record: ExternalRecord, student_id: int | None, why: str) -> None:
        enrolment = Enrolment.objects.filter(pk=record.local_id).first()
        if enrolment is not None and enrolment.end_date is None:
            access_changes.enrolment_change(
                acting_user=self.acting_user,
                enrolment=enrolment,
                start_date=enrolment.start_date,
                end_date=max(self.yesterday, enrolment.start_date),
                exit_reason=Enrolment.ExitReason.OTHER,
                reason=why,
            )
            self.change("enrolments", record.external_id, "ended", why, student_id)
        record.deleted_at = timezone.now()
        record.save(update_fields=["deleted_at"])

    def guardians(self, person: dict, student: Student) -> None:
        seen = set()
        for guardian_ref, relation in mapping.responsibles(person):
            key = f"{person['id']}:{guardian_ref}"
            seen.add(key)
            guardian = self.guardian(guardian_ref, student)
            if guardian is None:
                continue
            record = self.record("responsible", key, "guardian_link")
            link = GuardianLink.objects.filter(pk=record.local_id).first() if record else None
            link = link or GuardianLink.objects.filter(student=student, guardian=guardian).first()
            if link is None:
                link = access_changes.guardian_link_add(
                    acting_user=self.acting_user,
                    student=student,
                    guardian=guardian,
                    relation=relation,
                    valid_from=self.today,
                    reason=_("From the student register"),
                )
                self.change("guardians", key, "created", _("Guardian linked"), student.pk)
            elif link.valid_to is not None or link.relation != relation:
                access_changes.guardian_link_change(
                    acting_user=self.acting_user,
                    link=link,
                    relation=relation,
                    valid_to=None,
                    reason=_("From the student register"),
                )
                self.change("guardians", key, "updated", _("Guardian link changed"), student.pk)
            else:
                self.counts["guardians"]["unchanged"] += 1
            self.remember("responsible", key, "guardian_link", link.pk)
        for record in self.records_of("responsible", "guardian_link", f"{person['id']}:"):
            if record.external_id not in seen:
                self._end_guardian_link(record, student.pk, _("No longer a guardian in the register."))

    def _end_guardian_link(self, record: ExternalRecord, student_id: int | None, why: str) -> None:
        link = GuardianLink.objects.filter(pk=record.local_id).first()
        if link is not None and (link.valid_to is None or link.valid_to >= self.today):
            access_changes.guardian_link_change(
                acting_user=self.acting_user,
                link=link,
                relation=link.relation,
                valid_to=max(self.yesterday, link.valid_from),
                reason=why,
            )
            self.change("guardians", record.external_id, "ended", why, student_id)
        record.deleted_at = timezone.now()
        record.save(update_fields=["deleted_at"])

    def guardian(self, person_id: str, student: Student) -> Guardian | None:
        record = self.record("person", person_id, "guardian")
        guardian = Guardian.objects.filter(pk=record.local_id).first() if record else None
        if guardian is not None:
            return guardian
        person = self.persons.get(person_id)
        if person is None:
            self.refuse("guardians", person_id, _("The guardian is not in the register."))
            return None
        fields = mapping.guardian_fields(person)
        if fields["personal_identity_number"]:
            guardian = Guardian.objects.filter(personal_identity_number=fields["personal_identity_number"]).first()
        if guardian is None:
            # Entered by hand without an identity number: the student's own guardian of the same name.
            guardian = Guardian.objects.filter(
                links__student=student,
                first_name__iexact=fields["first_name"],
                last_name__iexact=fields["last_name"],
            ).first()
        if guardian is None:
            guardian = Guardian(**fields)
            guardian.full_clean()
            guardian.save()
            self.change("guardians", person_id, "created", _("Guardian added"), student.pk)
            self.remember("person", person_id, "guardian", guardian.pk, fields)
        else:
            self.remember("person", person_id, "guardian", guardian.pk, {})
            self.guardian_update(person, student_id=student.pk)
        return guardian

    def guardian_update(self, person: dict, student_id: int | None = None) -> None:
        record = self.record("person", person["id"], "guardian")
        guardian = Guardian.objects.filter(pk=record.local_id).first() if record else None
        if guardian is None:
            return
        if student_id is None:
            link = GuardianLink.objects.filter(guardian=guardian).order_by("-valid_from").first()
            student_id = link.student_id if link else None
        if student_id is None:
            return
        fields = mapping.guardian_fields(person)
        applied = self.merge(
            record,
            guardian,
            fields,
            {k: _wire(v) for k, v in fields.items()},
            GUARDIAN_SYNC_FIELDS,
            entity_type="guardians",
            student_id=student_id,
            prefix="guardian.",
        )
        if applied:
            guardian.full_clean()
            guardian.save()
            self.change("guardians", person["id"], "updated", _("Guardian's details changed"), student_id)

    # --- groups and memberships -------------------------------------------------------------------

    def group(self, group: dict) -> None:
        facts = mapping.group_facts(group)
        units = self.units()
        if facts is None or facts.school_unit_ref not in units:
            self.counts["groups"]["skipped"] += 1
            return
        unit_id = units[facts.school_unit_ref]
        record = self.record("group", group["id"], "group")
        local = StudentGroup.objects.filter(pk=record.local_id).first() if record else None
        if local is None:
            taken = set(
                ExternalRecord.objects.filter(
                    connection=self.connection, local_kind="group", deleted_at__isnull=True
                ).values_list("local_id", flat=True)
            )
            local = StudentGroup.objects.filter(school_unit_id=unit_id, name=facts.name).exclude(pk__in=taken).first()
        received = {"name": facts.name}
        if local is None:
            if StudentGroup.objects.filter(school_unit_id=unit_id, name=facts.name).exists():
                raise Refused(_("Another group at the school unit already has this name."))
            local = StudentGroup.objects.create(school_unit_id=unit_id, name=facts.name, kind=facts.kind)
            self.change("groups", group["id"], "created", _("Group %(name)s added") % received)
        elif local.name != facts.name and record is not None and record.received.get("name") == local.name:
            if StudentGroup.objects.filter(school_unit_id=unit_id, name=facts.name).exclude(pk=local.pk).exists():
                raise Refused(_("Another group at the school unit already has this name."))
            local.name = facts.name
            local.save(update_fields=["name"])
            self.change("groups", group["id"], "updated", _("Group renamed to %(name)s") % received)
        else:
            self.counts["groups"]["unchanged"] += 1
        self.remember("group", group["id"], "group", local.pk, received)
        self.memberships(group, local, facts)

    def memberships(self, group: dict, local: StudentGroup, facts: mapping.GroupFacts) -> None:
        seen = set()
        for m in mapping.memberships(group):
            student_record = self.record("person", m.person_ref, "student")
            if student_record is None or student_record.deleted_at is not None:
                continue  # not one of the organiser's introduction-programme students
            seen.add(m.key)
            self._each(
                "memberships", {"id": m.key}, lambda _m, m=m, sr=student_record: self.membership(m, sr, local, facts)
            )
        for record in self.records_of("membership", "membership", f"{group['id']}:"):
            if record.external_id not in seen:
                self._end_membership(record, _("No longer a member in the register."))

    def membership(self, m, student_record: ExternalRecord, local: StudentGroup, facts: mapping.GroupFacts) -> None:
        start = m.start or max(facts.start, datetime.date(2000, 1, 1))
        end = min(d for d in (m.end, facts.end) if d) if (m.end or facts.end) else None
        if end is not None and end < start:
            end = start
        record = self.record("membership", m.key, "membership")
        membership = GroupMembership.objects.filter(pk=record.local_id).first() if record else None
        membership = (
            membership
            or GroupMembership.objects.filter(group=local, student_id=student_record.local_id, start_date=start)
            .order_by("pk")
            .first()
        )
        if membership is None:
            membership = access_changes.membership_add(
                acting_user=self.acting_user,
                group=local,
                student=Student.objects.get(pk=student_record.local_id),
                start_date=start,
                end_date=end,
                reason=_("From the student register"),
            )
            self.change(
                "memberships",
                m.key,
                "created",
                _("Member of %(group)s from %(start)s") % {"group": local.name, "start": start},
                student_record.local_id,
            )
        elif membership.start_date != start or membership.end_date != end:
            access_changes.membership_change(
                acting_user=self.acting_user,
                membership=membership,
                start_date=start,
                end_date=end,
                reason=_("From the student register"),
            )
            self.change(
                "memberships",
                m.key,
                "ended" if end else "updated",
                _("Membership of %(group)s changed") % {"group": local.name},
                student_record.local_id,
            )
        else:
            self.counts["memberships"]["unchanged"] += 1
        self.remember("membership", m.key, "membership", membership.pk)

    def _end_membership(self, record: ExternalRecord, why: str) -> None:
        membership = GroupMembership.objects.filter(pk=record.local_id).select_related("group").first()
        if membership is not None and (membership.end_date is None or membership.end_date >= self.today):
            access_changes.membership_change(
                acting_user=self.acting_user,
                membership=membership,
                start_date=membership.start_date,
                end_date=max(self.yesterday, membership.start_date),
                reason=why,
            )
            self.change("memberships", record.external_id, "ended", why, membership.student_id)
        record.deleted_at = timezone.now()
        record.save(update_fields=["deleted_at"])

    # --- duties: the staff's scoped roles -----------------------------------------------------------

    def staff_user(self, person_id: str):
        record = self.record("person", person_id, "user")
        User = get_user_model()
        if record is not None:
            user = User.objects.filter(pk=record.local_id, is_active=True).first()
            if user is not None:
                return user
        person = self.persons.get(person_id)
        keys = mapping.staff_login_keys(person) if person else set()
        if not keys:
            raise Refused(_("The staff member has no e-mail address or login name to find their account by."))
        matches = list(
            User.objects.filter(Q(email__in=keys) | Q(username__in=keys), is_active=True).exclude(
                username=SYNC_USERNAME
            )[:2]
        )
        matches = [u for u in matches if u.email.lower() in keys or u.username.lower() in keys]
        if not matches:
            raise Refused(
                _(
                    "No Studieväg account has the staff member's e-mail address or login name; an administrator "
                    "creates accounts, the sync gives roles to existing ones."
                )
            )
        if len(matches) > 1:
            raise Refused(_("More than one account matches the staff member; an administrator has to choose."))
        self.remember("person", person_id, "user", matches[0].pk)
        return matches[0]

    def duty(self, duty: dict) -> None:
        roles = mapping.duty_roles(duty)
        units = self.units()
        ours = [r for r in roles if (r.scope_kind == "school_unit" and r.scope_ref in units) or r.scope_kind == "group"]
        if duty["dutyAt"]["id"] not in units or not ours:
            self.counts["duties"]["skipped"] += 1
            return
        user = self.staff_user(duty["person"]["id"])
        seen = set()
        for facts in ours:
            if facts.scope_kind == "group":
                group_record = self.record("group", facts.scope_ref, "group")
                if group_record is None or group_record.deleted_at is not None:
                    self.event(
                        SyncEvent.Kind.NOTICE,
                        "duties",
                        duty["id"],
                        _("A mentor group of the duty is not in Studieväg."),
                    )
                    continue
                group = StudentGroup.objects.filter(pk=group_record.local_id).first()
                if group is None:
                    continue
                scope = {"group": group}
            else:
                scope = {"school_unit": SchoolUnit.objects.get(pk=units[facts.scope_ref])}
            seen.add(facts.key)
            record = self.record("duty", facts.key, "role_assignment")
            assignment = RoleAssignment.objects.filter(pk=record.local_id).first() if record else None
            if assignment is None:
                assignment = (
                    RoleAssignment.objects.filter(user=user, role=facts.role, valid_from=facts.start, **scope)
                    .order_by("pk")
                    .first()
                )
            if assignment is None:
                assignment = access_changes.role_grant(
                    acting_user=self.acting_user,
                    user=user,
                    role=facts.role,
                    scope=scope,
                    valid_from=facts.start,
                    valid_to=facts.end,
                    reason=_("From the student register"),
                )
                self.change(
                    "duties",
                    facts.key,
                    "created",
                    _("%(role)s role for %(scope)s given")
                    % {"role": assignment.get_role_display(), "scope": _scope_text(scope)},
                )
            elif assignment.valid_from != facts.start or assignment.valid_to != facts.end:
                access_changes.role_change(
                    acting_user=self.acting_user,
                    assignment=assignment,
                    valid_from=facts.start,
                    valid_to=facts.end,
                    reason=_("From the student register"),
                )
                self.change(
                    "duties",
                    facts.key,
                    "ended" if facts.end else "updated",
                    _("%(role)s role for %(scope)s changed")
                    % {"role": assignment.get_role_display(), "scope": _scope_text(scope)},
                )
            else:
                self.counts["duties"]["unchanged"] += 1
            self.remember("duty", facts.key, "role_assignment", assignment.pk)
        for record in self.records_of("duty", "role_assignment", f"{duty['id']}:"):
            if record.external_id not in seen:
                self._end_role(record, _("The role is no longer in the register."))

    def _end_role(self, record: ExternalRecord, why: str) -> None:
        assignment = RoleAssignment.objects.filter(pk=record.local_id).first()
        if assignment is not None and (assignment.valid_to is None or assignment.valid_to >= self.today):
            access_changes.role_change(
                acting_user=self.acting_user,
                assignment=assignment,
                valid_from=assignment.valid_from,
                valid_to=max(self.yesterday, assignment.valid_from),
                reason=why,
            )
            self.change("duties", record.external_id, "ended", why)
        record.deleted_at = timezone.now()
        record.save(update_fields=["deleted_at"])

    # --- deletions -----------------------------------------------------------------------------------

    def deletions(self, deleted: dict[str, list[str]]) -> None:
        why = _("Deleted in the register.")
        for person_id in deleted.get("persons", []):
            with transaction.atomic():
                self._delete_person(person_id, why)
        for group_id in deleted.get("groups", []):
            with transaction.atomic():
                for record in self.records_of("membership", "membership", f"{group_id}:"):
                    self._end_membership(record, why)
                for record in [
                    r for r in self.records_of("duty", "role_assignment", "") if r.external_id.endswith(f":{group_id}")
                ]:
                    self._end_role(record, why)
                self._mark_deleted("group", group_id)
        for duty_id in deleted.get("duties", []):
            with transaction.atomic():
                for record in self.records_of("duty", "role_assignment", f"{duty_id}:"):
                    self._end_role(record, why)
        for organisation_id in deleted.get("organisations", []):
            if self.record("organisation", organisation_id, "school_unit"):
                self.event(
                    SyncEvent.Kind.NOTICE,
                    "organisations",
                    organisation_id,
                    _("The school unit was deleted in the register; it stays in Studieväg with its history."),
                )

    def _delete_person(self, person_id: str, why: str) -> None:
        student_record = self.record("person", person_id, "student")
        if student_record is not None and student_record.deleted_at is None:
            student_id = student_record.local_id
            for record in self.records_of("enrolment", "enrolment", f"{person_id}:"):
                self._end_enrolment(record, student_id, why)
            for record in self.records_of("membership", "membership", ""):
                if record.external_id.split(":")[1] == person_id:
                    self._end_membership(record, why)
            for record in self.records_of("responsible", "guardian_link", f"{person_id}:"):
                self._end_guardian_link(record, student_id, why)
            self.change("persons", person_id, "ended", _("Deleted in the register: enrolments ended"), student_id)
            self._mark_deleted("person", person_id, "student")
        if self.record("person", person_id, "guardian"):
            for record in self.records_of("responsible", "guardian_link", ""):
                if record.external_id.endswith(f":{person_id}"):
                    link = GuardianLink.objects.filter(pk=record.local_id).first()
                    self._end_guardian_link(record, link.student_id if link else None, why)
            self._mark_deleted("person", person_id, "guardian")
        if self.record("person", person_id, "user"):
            self._mark_deleted("person", person_id, "user")

    def _mark_deleted(self, entity_type: str, external_id: str, local_kind: str | None = None) -> None:
        for (t, ext, kind), record in self.records.items():
            if t == entity_type and ext == external_id and (local_kind is None or kind == local_kind):
                if record.deleted_at is None:
                    record.deleted_at = timezone.now()
                    record.save(update_fields=["deleted_at"])


def _exit_reason(
    facts: mapping.EnrolmentFacts, every: list[mapping.EnrolmentFacts], programmes: dict[str, Programme | None]
) -> str:
    """Why an enrolment ended, as far as the register tells: a later enrolment in another programme."""
    if facts.cancelled:
        return Enrolment.ExitReason.OTHER
    later = [f for f in every if f.key != facts.key and f.start >= (facts.end or facts.start)]
    if any(f.programme_ref and programmes.get(f.programme_ref) is not None for f in later):
        return Enrolment.ExitReason.OTHER_IM_PROGRAMME
    if any(f.programme_ref and f.programme_ref in programmes for f in later):
        return Enrolment.ExitReason.NATIONAL_PROGRAMME
    return Enrolment.ExitReason.OTHER


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _scope_text(scope: dict) -> str:
    (obj,) = scope.values()
    return obj.name if isinstance(obj, StudentGroup) else f"{obj.name} ({obj.code})"


# --- One run, start to end -------------------------------------------------------------------------


def run_sync(run: SyncRun, client: Client, *, today: datetime.date | None = None) -> SyncRun:
    """Carry out ``run``: fetch, apply (or, for a dry run, apply and roll back), save counts and events."""
    connection = run.connection
    acting_user = sync_user()
    run.status, run.started_at = SyncRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    applier = Applier(
        connection, acting_user=acting_user, run=None if run.dry_run else run, today=today or timezone.localdate()
    )
    try:
        fetched = fetch(client, connection, full=run.full)
        if run.dry_run:
            try:
                with transaction.atomic():
                    applier.apply(fetched)
                    raise _DryRunRollback
            except _DryRunRollback:
                pass
        else:
            applier.apply(fetched)
            connection.watermarks = {**connection.watermarks, **fetched.newest}
            connection.deletions_read_at = fetched.started_at
            connection.save(update_fields=["watermarks", "deletions_read_at"])
    except Exception as error:  # noqa: BLE001 - a failed run is recorded, whatever failed
        run.status, run.message = SyncRun.Status.FAILED, str(error)[:2000]
    else:
        run.status = SyncRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.counts = {entity: dict(counter) for entity, counter in sorted(applier.counts.items())}
    run.requests_made = client.requests_made
    run.save(update_fields=["status", "message", "finished_at", "counts", "requests_made"])
    existing = set(
        Student.objects.filter(pk__in={e.student_id for e in applier.events if e.student_id}).values_list(
            "pk", flat=True
        )
    )
    SyncEvent.objects.bulk_create(
        SyncEvent(
            run=run,
            kind=e.kind,
            entity_type=e.entity_type,
            entity_id=e.entity_id[:200],
            text=e.text,
            student_id=e.student_id if e.student_id in existing else None,
        )
        for e in applier.events
    )
    return run
