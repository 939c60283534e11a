"""Student pages for staff, and the student's and guardian's own pages."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from studievag.access.decorators import require_action
from studievag.access.policy import (
    Part,
    label_students,
    may,
    may_edit_student,
    may_view,
    names_visible_students,
    part_labels,
    student_for_view,
    units_for_action,
    visible_students,
)
from studievag.access.reads import log_reads
from studievag.enrolments import services as enrolment_services
from studievag.enrolments.models import StudentGroup
from studievag.form_errors import errors_to_form
from studievag.limits import SEARCH_MAX_CHARS, search_words
from studievag.organisations.models import Programme
from studievag.people import services
from studievag.people.forms import (
    GuardianConsentForm,
    IdentityNumberLinkForm,
    LegalRepresentativeForm,
    StudentChangeForm,
    StudentCreateForm,
)
from studievag.people.models import Guardian, GuardianConsent, Student

from .list_rows import fill_rows
from .selectors import reads_of, reads_visible_to, student_search, with_current_enrolment

STAFF_PARTS = [Part.RECORD, Part.BACKGROUND, Part.ENROLMENTS]


def _int_or_none(value):
    return int(value) if value and str(value).isdigit() else None


@require_action("student.list")
def student_list(request):
    params = request.GET
    query, search_error = params.get("q", ""), None
    try:
        search_words(query)
    except ValidationError as error:
        query, search_error = "", error.messages[0]
    students = student_search(
        request.user,
        query=query,
        school_unit_id=_int_or_none(params.get("unit")),
        group_id=_int_or_none(params.get("group")),
        programme_code=params.get("programme", ""),
        include_former=params.get("former") == "1",
    )
    page = Paginator(students, 50).get_page(params.get("page"))
    label_students(request.user, page.object_list)
    fill_rows(page.object_list)
    log_reads(request, page.object_list, [Part.RECORD])
    visible = visible_students(request.user).values("pk")
    return render(
        request,
        "people/student_list.html",
        {
            "page": page,
            "params": params,
            "search_error": search_error,
            "search_max_chars": SEARCH_MAX_CHARS,
            "programmes": Programme.objects.filter(is_active=True),
            "groups": StudentGroup.objects.filter(members__in=visible).distinct().select_related("school_unit"),
            "units": units_for_action(request.user, "student.list"),
            "may_create": units_for_action(request.user, "student.create").exists(),
        },
    )


@require_action("student.list")
def student_detail(request, pk: int):
    student = student_for_view(request, pk, STAFF_PARTS, also=[Part.GUARDIANS])
    label_students(request.user, [student])
    show_guardians = may_view(request.user, student, Part.GUARDIANS)
    today = timezone.localdate()
    may_edit = may_edit_student(request.user, student)
    return render(
        request,
        "people/student_detail.html",
        {
            "student": student,
            "enrolments": student.enrolments.select_related("programme", "school_unit"),
            "groups": student.memberships.select_related("group__school_unit"),
            "guardian_links": _guardian_links(student, today) if show_guardians else None,
            "may_edit": may_edit,
            "may_record_consent": may_edit and may(request.user, "student.guardian_consent"),
            "age": student.age_on(today),
            "adult": student.is_adult_on(today),
            "newly_arrived": student.is_newly_arrived_on(today),
            "history": _history(student),
        },
    )


HISTORY_LABELS = {"+": _lazy("Registered"), "~": _lazy("Changed"), "-": _lazy("Removed")}


def _history(student, limit: int = 20):
    """The latest changes to the record, each with who and why (or what kind of change)."""
    entries = list(student.history.select_related("history_user")[:limit])
    for h in entries:
        h.label = h.history_change_reason or HISTORY_LABELS.get(h.history_type, h.history_type)
    return entries


def _guardian_links(student, today):
    """The student's guardian links, each with its consents and whether it gives access today."""
    links = list(
        student.guardian_links.select_related("guardian").prefetch_related(
            Prefetch(
                "consents",
                queryset=GuardianConsent.objects.select_related("recorded_by", "withdrawal_recorded_by"),
            )
        )
    )
    adult = student.is_adult_on(today)
    for link in links:
        consents = list(link.consents.all())
        link.consent_list = consents
        link.open_consent = next((c for c in consents if c.withdrawn_on is None), None)
        link.ended = link.valid_to is not None and link.valid_to < today
        link.follows = (
            not link.ended
            and today >= link.valid_from
            and (not adult or (not link.is_legal_representative and any(c.is_active_on(today) for c in consents)))
        )
    return links


@require_POST
@require_action("student.guardian_consent")
def guardian_consent(request, pk: int, link_pk: int):
    """Record an adult student's consent to a guardian's access, or its withdrawal."""
    student = student_for_view(request, pk, [Part.RECORD, Part.GUARDIANS])
    if not may_edit_student(request.user, student):
        raise PermissionDenied
    link = get_object_or_404(student.guardian_links.select_related("guardian"), pk=link_pk)
    form = GuardianConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: enter a valid date."))
        return redirect(_guardians_url(student))
    day = form.cleaned_data["date"]
    try:
        if form.cleaned_data["action"] == GuardianConsentForm.GIVE:
            services.guardian_consent_give(acting_user=request.user, link=link, given_on=day)
            messages.success(
                request,
                _("Consent recorded: %(guardian)s follows the studies from %(date)s.")
                % {"guardian": link.guardian, "date": day},
            )
        else:
            consent = link.consents.filter(withdrawn_on__isnull=True).first()
            if consent is None:
                raise ValidationError({"date": _("There is no consent to withdraw.")})
            services.guardian_consent_withdraw(acting_user=request.user, consent=consent, withdrawn_on=day)
            messages.success(
                request,
                _("Consent withdrawn: %(guardian)s no longer follows the studies from %(date)s.")
                % {"guardian": link.guardian, "date": day},
            )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": text})
    return redirect(_guardians_url(student))


def _guardians_url(student) -> str:

    return reverse("people:student_detail", kwargs={"pk": student.pk}) + "#guardians"


@require_action("student.create")
def student_create(request):
    units = units_for_action(request.user, "student.create")
    form = StudentCreateForm(request.POST or None, school_units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            student = enrolment_services.student_create(acting_user=request.user, **data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The student was registered."))
            return redirect("people:student_detail", pk=student.pk)
    return render(request, "people/student_form.html", {"form": form, "creating": True})


@require_action("student.list")
def student_identity_link(request, pk: int):
    """Link a record registered with an interim, reserve or coordination number to the
    number from Skatteverket when it comes."""
    student = student_for_view(request, pk, STAFF_PARTS)
    if not may_edit_student(request.user, student) or student.identity_kind == "personnummer":
        raise PermissionDenied
    form = IdentityNumberLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_identity_number_link(
                acting_user=request.user,
                student=student,
                new_number=form.cleaned_data["new_number"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The record is now linked to the new number; its history is kept."))
            return redirect("people:student_detail", pk=student.pk)
    label_students(request.user, [student])
    return render(request, "people/identity_link.html", {"form": form, "student": student})


@require_action("student.list")
def legal_representative(request, pk: int):
    """Record the appointment of a god man: access follows the appointment and ends at 18."""
    student = student_for_view(request, pk, STAFF_PARTS)
    if not may_edit_student(request.user, student):
        raise PermissionDenied
    form = LegalRepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                guardian = Guardian.objects.create(
                    first_name=data["first_name"], last_name=data["last_name"], phone=data["phone"]
                )
                services.legal_representative_appoint(
                    acting_user=request.user,
                    student=student,
                    guardian=guardian,
                    appointed_on=data["appointed_on"],
                    ends_on=data["ends_on"],
                    decision_reference=data["decision_reference"],
                )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The legal representative is recorded."))
            return redirect(_guardians_url(student))
    label_students(request.user, [student])
    return render(request, "people/legal_representative.html", {"form": form, "student": student})


@require_action("student.list")
def student_edit(request, pk: int):
    student = student_for_view(request, pk, STAFF_PARTS)
    if not may_edit_student(request.user, student):
        raise PermissionDenied
    form = StudentChangeForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f != "reason"}
        if changes:
            # Reload: the form has already written its values onto `student`.
            fresh = type(student).objects.get(pk=student.pk)
            services.student_update(
                acting_user=request.user,
                student=fresh,
                reason=form.cleaned_data["reason"],
                **changes,
            )
            messages.success(request, _("The changes were saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("people:student_detail", pk=student.pk)
    label_students(request.user, [student])
    return render(request, "people/student_form.html", {"form": form, "student": student, "creating": False})


# --- The student's and guardian's own pages ---------------------------------


@require_action("family.view")
def family_home(request):
    students = list(with_current_enrolment(visible_students(request.user, Part.RECORD)).order_by("first_name"))
    if len(students) == 1:
        return redirect("people:family_student", pk=students[0].pk)
    return render(request, "people/family_home.html", {"students": students})


@require_action("family.view")
def family_student(request, pk: int):
    student = student_for_view(request, pk, [Part.RECORD, Part.BACKGROUND, Part.ENROLMENTS])
    today = timezone.localdate()
    return render(
        request,
        "people/family_student.html",
        {
            "student": student,
            "enrolments": student.enrolments.select_related("programme", "school_unit"),
            "today": today,
            "is_self": getattr(request.user, "student", None) == student,
        },
    )


@require_action("family.own_reads")
def family_reads(request):
    student = request.user.student
    if not may_view(request.user, student, Part.AUDIT_LOG):
        raise Http404
    # Other people's reads: the student's own visits are logged but not listed back to them.
    reads = reads_of(student).exclude(user=request.user)
    page = Paginator(reads, 50).get_page(request.GET.get("page"))
    return render(request, "people/family_reads.html", {"student": student, "page": page})


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_action("audit.school_log")
def read_log(request):
    """The principal's view of who read which student's record, at own units."""
    reads = reads_visible_to(request.user)
    if username := request.GET.get("user", "").strip():
        reads = reads.filter(username__icontains=username)
    if part := request.GET.get("part", ""):
        reads = reads.filter(part=part)
    since, until = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if since:
        reads = reads.filter(at__date__gte=since)
    if until:
        reads = reads.filter(at__date__lte=until)
    if name := request.GET.get("name", "").strip()[:100]:
        # The student by name, among the students whose log this user may see.
        for word in name.split()[:3]:
            reads = reads.filter(Q(student__first_name__icontains=word) | Q(student__last_name__icontains=word))
        reads = reads.exclude(
            ~Q(student__security_marking=Student.SecurityMarking.NONE)
            & ~Q(student__in=names_visible_students(request.user).values("pk"))
        )
    shown_student = None
    if (student := request.GET.get("student", "")) and student.isdigit():
        reads = reads.filter(student_id=int(student))
        shown_student = visible_students(request.user, Part.AUDIT_LOG).filter(pk=int(student)).first()
        if shown_student:
            label_students(request.user, [shown_student])
    page = Paginator(reads, 100).get_page(request.GET.get("page"))
    # One instance per student, so each is labelled once for all its rows.
    by_pk = {}
    for r in page.object_list:
        r.student = by_pk.setdefault(r.student_id, r.student)
    label_students(request.user, by_pk.values())
    return render(
        request,
        "audit/read_log.html",
        {
            "page": page,
            "params": request.GET,
            "parts": part_labels(),
            "shown_student": shown_student,
        },
    )
