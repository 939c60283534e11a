"""Plan pages: staff pages per student, the lists, the family pages and the portable plan.

Every page fetches the student through the policy (which logs the read); what
the user may do on the plan comes from the abilities the plans area declares
(``permissions.py``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studievag.access.decorators import require_action
from studievag.access.policy import (
    abilities as abilities_on,
)
from studievag.access.policy import (
    label_students,
    may_view,
    organiser_ids_for_action,
    student_for_view,
    visible_students,
)
from studievag.access.reads import log_reads
from studievag.catalogue import selectors as catalogue_selectors
from studievag.catalogue.models import Course, Grading
from studievag.catalogue.selectors import choosable
from studievag.enrolments.models import Enrolment
from studievag.form_errors import errors_to_form
from studievag.organisations.models import Organiser
from studievag.people.models import Student
from studievag.support.permissions import SUPPORT_NEEDS
from studievag.support.views import support_needs_page

from . import rules, selectors, services
from .forms import (
    ROW_PREFIXES,
    CourseCatalogue,
    CourseFormSet,
    EducationPlanForm,
    GoalFormSet,
    GuidanceForm,
    ImportForm,
    InternshipFormSet,
    LocalCourseForm,
    PlanForm,
    ProposalForm,
    ProposalResponseForm,
    ReviewForm,
    course_initial,
    goal_initial,
    internship_initial,
    shown_unchecked,
    take_over_untouched,
    with_added_row,
)
from .models import EducationPlan, Plan, PlanProposal, PlanRevision
from .pdf import plan_pdf
from .permissions import PLAN, PLAN_SUMMARY, PROPOSAL
from .portable import export_schema, plan_export, plan_import
from .snapshot import diff_snapshots, plan_snapshot


def _plan_of(student) -> Plan | None:
    return Plan.objects.filter(student=student).select_related("programme", "organiser", "approved_by").first()


def _staff_student(request, pk: int, *, full: bool = True):
    """The student for a staff plan page; ``full=False`` lets teachers read the summary."""
    if full or may_view(request.user, pk, PLAN):
        parts = [PLAN]
    else:
        parts = [PLAN_SUMMARY]
    student = student_for_view(request, pk, parts)
    label_students(request.user, [student])
    return student, parts[0] == PLAN


def _require(abilities: set[str], *needed: str) -> None:
    if not abilities & set(needed):
        raise PermissionDenied


# --- Lists --------------------------------------------------------------------


@require_action("plan.list")
def plan_list(request):
    today = timezone.localdate()
    flag = request.GET.get("flag", "")
    rows = selectors.plan_list_rows(request.user, on=today)
    if flag in ("late", "due", "overdue", "unapproved"):
        rows = [r for r in rows if getattr(r, flag)]
    log_reads(request, [r.student for r in rows], [PLAN])
    return render(request, "plans/plan_list.html", {"rows": rows, "flag": flag, "today": today})


# --- One student's plan (staff) -------------------------------------------------


@require_action("plan.view")
def plan_detail(request, pk: int):
    student, full = _staff_student(request, pk, full=False)
    plan = _plan_of(student)
    today = timezone.localdate()
    status = selectors.plan_status_for([student.pk], on=today)[student.pk]
    context = {
        "student": student,
        "plan": plan,
        "full": full,
        "status": status,
        "today": today,
        "abilities": abilities_on(request.user, student, "plan") if full else set(),
        "may_see_support": full and may_view(request.user, student, SUPPORT_NEEDS),
    }
    if plan is not None:
        context |= selectors.plan_detail_context(plan, full=full)
        if "review" in context["abilities"]:
            context["open_proposals"] = selectors.open_proposal_count(plan)
    return render(request, "plans/plan_detail.html", context)


def _course_catalogue(student, plan, data, abilities) -> CourseCatalogue:
    """The catalogue the plan's rows choose from, by the student's start (a date being saved
    in the same form counts)."""
    posted = data is not None and "edit_path" in abilities
    started = None
    if posted:
        try:
            started = forms.DateField().clean(data.get("upper_secondary_started"))
        except ValidationError:
            started = plan.upper_secondary_started if plan else None
    choice = selectors.course_choice_for(
        student, plan, on=timezone.localdate(), plan_started=started, use_plan_started=posted
    )
    return CourseCatalogue(choice)


def _formsets(data, plan, abilities, catalogue: CourseCatalogue):
    content = "edit_content" in abilities
    return {
        "goals": GoalFormSet(data, prefix="goals", initial=goal_initial(plan)),
        "courses": CourseFormSet(
            data, prefix="courses", initial=course_initial(plan), form_kwargs={"catalogue": catalogue}
        )
        if content
        else None,
        "internships": InternshipFormSet(data, prefix="internships", initial=internship_initial(plan))
        if content
        else None,
    }


def _show_added_row(form, formsets, prefix: str) -> None:
    """Show what was typed, unvalidated, with the cursor in the new row's first field."""
    shown_unchecked(form, *formsets.values())
    formset = formsets.get(prefix)
    if formset is not None and formset.forms:
        new_row = formset.forms[-1]
        first = next((f for f in new_row.visible_fields() if f.name != "DELETE"), None)
        if first is not None:
            first.field.widget.attrs["autofocus"] = True


@require_action("plan.view")
def plan_edit(request, pk: int):
    student, _full = _staff_student(request, pk)
    abilities = abilities_on(request.user, student, "plan")
    _require(abilities, "edit_content", "edit_path")
    plan = _plan_of(student)
    data = request.POST if request.method == "POST" else None
    initial = {"version": plan.version} if plan else {"version": 0}
    added = request.POST.get("add_row", "") if request.method == "POST" else ""
    if added in ROW_PREFIXES:
        data = with_added_row(request.POST, added)
    form = PlanForm(data, instance=plan, initial=initial, editable=abilities)
    catalogue = _course_catalogue(student, plan, data, abilities)
    formsets = _formsets(data, plan, abilities, catalogue)
    conflict = None
    if added in ROW_PREFIXES:
        # "Add a row" (without script): the same form with one more empty row, nothing saved.
        _show_added_row(form, formsets, added)
    elif (
        request.method == "POST"
        and form.is_valid()
        and all(fs.is_valid() for fs in formsets.values() if fs is not None)
    ):
        rows = {name: fs.rows() if fs is not None else None for name, fs in formsets.items()}
        try:
            if plan is None:
                plan = services.plan_create(
                    acting_user=request.user,
                    student=student,
                    reason=form.cleaned_data["reason"],
                    fields=form.plan_fields(),
                    goals=rows["goals"] or [],
                    courses=rows["courses"] or [],
                    internships=rows["internships"] or [],
                )
                messages.success(request, _("The plan was created."))
                return redirect("plans:plan_detail", pk=student.pk)
            revision = services.plan_revise(
                acting_user=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"] or 0,
                reason=form.cleaned_data["reason"],
                fields=form.plan_fields(),
                **rows,
            )
        except services.StaleVersion as stale:
            plan = stale.plan
            base_revision = PlanRevision.objects.filter(plan=plan, version=stale.expected).first()
            base = base_revision.snapshot if base_revision else {}
            now = plan_snapshot(plan)
            # Keep everything the user wrote; what they left untouched takes the
            # newly saved content; the version moves on, so that saving again
            # (after reading what changed) is a deliberate choice.
            data = request.POST.copy()
            data["version"] = str(plan.version)
            taken = take_over_untouched(data, form=form, formsets=formsets, base=base, now=now, plan=plan)
            conflict = {
                "diff": diff_snapshots(base, now),
                "revisions": plan.revisions.filter(version__gt=stale.expected)
                .select_related("author")
                .order_by("version"),
                "expected": stale.expected,
                "taken": taken,
            }
            form = PlanForm(data, instance=plan, editable=abilities)
            formsets = _formsets(data, plan, abilities, catalogue)
            form.is_valid()
            messages.error(
                request,
                _(
                    "Someone else saved this plan while you were editing it. Your changes are "
                    "not saved yet: they are still in the form below. Read what changed, then "
                    "save again."
                ),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if revision is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("The plan was saved as version %(v)s.") % {"v": revision.version})
            return redirect("plans:plan_detail", pk=student.pk)
    return render(
        request,
        "plans/plan_form.html",
        {
            "student": student,
            "plan": plan,
            "form": form,
            "formsets": formsets,
            "abilities": abilities,
            "conflict": conflict,
            "added_row": added,
            "course_choice": catalogue.choice,
            "course_options": catalogue.options if formsets["courses"] is not None else [],
            "gy25_start": rules.GY25_START,
            "full_time_hours": rules.FULL_TIME_WEEKLY_HOURS,
        },
    )


@require_action("plan.view")
def catalogue_search(request):
    """Courses, subject levels, compulsory-school subjects and local courses whose name or code
    holds the typed words, as JSON for the plan form's course picker (staff who work with plans;
    the catalogue holds no personal data, local courses only of the user's own organisers)."""
    grading = request.GET.get("grading", Grading.BOTH)
    if grading not in Grading.values:
        grading = Grading.BOTH
    query = request.GET.get("q", "")[:100]
    candidates = choosable(grading=Grading(grading), organiser_ids=organiser_ids_for_action(request.user, "plan.view"))
    hits = catalogue_selectors.search(query, candidates, limit=20)
    return JsonResponse(
        {
            "query": query,
            "results": [{"choice": h.choice, "label": h.label, "code": h.code, "what": h.what} for h in hits],
        }
    )


@require_action("plan.view")
def plan_history(request, pk: int):
    student, _full = _staff_student(request, pk)
    plan = _plan_of(student)
    if plan is None:
        raise Http404(_("No plan yet."))
    revisions = plan.revisions.select_related("author").order_by("-version")
    return render(request, "plans/plan_history.html", {"student": student, "plan": plan, "revisions": revisions})


@require_action("plan.view")
def plan_compare(request, pk: int):
    student, _full = _staff_student(request, pk)
    plan = _plan_of(student)
    if plan is None:
        raise Http404(_("No plan yet."))
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    if not (a and b):
        b = plan.version
        a = max(1, b - 1)
    if a > b:
        a, b = b, a
    found = {r.version: r for r in plan.revisions.filter(version__in=[a, b]).select_related("author")}
    if a not in found or b not in found:
        raise Http404(_("No such version."))
    diff = diff_snapshots(found[a].snapshot, found[b].snapshot)
    return render(
        request,
        "plans/plan_compare.html",
        {
            "student": student,
            "plan": plan,
            "old": found[a],
            "new": found[b],
            "diff": diff,
            "versions": plan.revisions.order_by("-version").values_list("version", flat=True),
        },
    )


@require_action("plan.view")
def review_create(request, pk: int):
    student, _full = _staff_student(request, pk)
    _require(abilities_on(request.user, student, "plan"), "review")
    plan = _plan_of(student)
    if plan is None:
        messages.error(request, _("Set up the plan before recording a plan talk."))
        return redirect("plans:plan_detail", pk=student.pk)
    form = ReviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_review_record(acting_user=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The plan talk was recorded."))
            return redirect("plans:plan_detail", pk=student.pk)
    return render(
        request,
        "plans/review_form.html",
        {"student": student, "plan": plan, "form": form, **_proposal_context(request.user, student, plan)},
    )


def _proposal_context(user, student, plan, bound: tuple[int, ProposalResponseForm] | None = None) -> dict:
    """The student's open proposals with a response form each (the bound one keeps its errors)."""
    may_respond = bool(abilities_on(user, student, PROPOSAL) & {"take", "answer"})
    rows = []
    for proposal in selectors.proposals_of(plan, open_only=True) if may_respond else []:
        if bound is not None and bound[0] == proposal.pk:
            form = bound[1]
        else:
            form = ProposalResponseForm(proposal=proposal, initial={"goals": [g.pk for g in proposal.goals.all()]})
        rows.append((proposal, form))
    return {"proposals": rows}


@require_POST
@require_action("plan.view")
def proposal_respond(request, pk: int, proposal_id: int):
    """Take the student's proposal into the plan (a new version) or answer it."""
    student, _full = _staff_student(request, pk)
    _require(abilities_on(request.user, student, PROPOSAL), "take", "answer")
    plan = _plan_of(student)
    proposal = get_object_or_404(PlanProposal, pk=proposal_id, plan__student=student)
    form = ProposalResponseForm(request.POST, proposal=proposal)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "take":
                revision = services.plan_proposal_take(
                    acting_user=request.user,
                    proposal=proposal,
                    goal_ids=data["goals"] or [],
                    take_own_words=data["take_own_words"],
                    answer=data["answer"],
                    target_date=data["target_date"],
                )
                if revision is not None:
                    messages.success(
                        request,
                        _("The student's proposal was taken into the plan as version %(v)s.") % {"v": revision.version},
                    )
                else:
                    messages.info(request, _("The proposal was closed; the plan already said the same."))
            else:
                services.plan_proposal_answer(acting_user=request.user, proposal=proposal, answer=data["answer"])
                messages.success(request, _("The student can now read your answer."))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return redirect("plans:review_create", pk=student.pk)
    form_page = ReviewForm(initial={"held_on": timezone.localdate()})
    return render(
        request,
        "plans/review_form.html",
        {
            "student": student,
            "plan": plan,
            "form": form_page,
            **_proposal_context(request.user, student, plan, bound=(proposal.pk, form)),
        },
        status=400,
    )


def _group_candidates(user, student) -> list[Student]:
    """Students who may join ``student`` in group guidance: at the same school unit now,
    with a plan this user may see."""
    today = timezone.localdate()
    units = Enrolment.objects.filter(student=student).active_on(today).values("school_unit_id")
    candidates = list(
        visible_students(user, PLAN)
        .filter(
            pk__in=Enrolment.objects.active_on(today).filter(school_unit_id__in=units).values("student_id"),
            plan__isnull=False,
        )
        .exclude(pk=student.pk)
        .order_by("last_name", "first_name", "pk")
    )
    return label_students(user, candidates)


@require_action("plan.view")
def guidance_create(request, pk: int):
    """Record individual or group guidance held by the counsellor, linked to the students' plans."""
    student, _full = _staff_student(request, pk)
    _require(abilities_on(request.user, student, "plan"), "guide")
    plan = _plan_of(student)
    if plan is None:
        messages.error(request, _("Set up the plan before recording guidance."))
        return redirect("plans:plan_detail", pk=student.pk)
    candidates = _group_candidates(request.user, student)
    form = GuidanceForm(
        request.POST or None,
        others=[(s.pk, s.display_name) for s in candidates],
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data.get("others") or []) if data["kind"] == "group" else set()
        plans = [plan, *Plan.objects.filter(student_id__in=chosen & {s.pk for s in candidates})]
        try:
            services.guidance_record(
                acting_user=request.user,
                plans=plans,
                kind=data["kind"],
                held_on=data["held_on"],
                topic=data["topic"],
                notes=data["notes"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The guidance was recorded."))
            return redirect("plans:plan_detail", pk=student.pk)
    return render(request, "plans/guidance_form.html", {"student": student, "plan": plan, "form": form})


@require_POST
@require_action("plan.view")
def plan_approve(request, pk: int):
    student, _full = _staff_student(request, pk)
    _require(abilities_on(request.user, student, "plan"), "approve")
    plan = _plan_of(student)
    if plan is None:
        raise Http404(_("No plan yet."))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        services.plan_approve(acting_user=request.user, plan=plan, version=version)
    except services.StaleVersion:
        messages.error(
            request,
            _("The plan was changed after you opened it. Read version %(v)s and approve again.") % {"v": plan.version},
        )
    else:
        messages.success(request, _("Version %(v)s of the plan was approved.") % {"v": version})
    return redirect("plans:plan_detail", pk=student.pk)


@require_action("plan.view")
def support_needs(request, pk: int):
    # One store with the intake pages (keyed by the student, so no plan is needed).
    return support_needs_page(
        request, pk, here="plans:support_needs", back=("plans:plan_detail", _("Back to the plan"))
    )


# --- The portable plan ------------------------------------------------------------


@require_action("plan.view")
def plan_export_json(request, pk: int):
    student, _full = _staff_student(request, pk)
    _require(abilities_on(request.user, student, "plan"), "export")
    plan = _plan_of(student)
    if plan is None:
        raise Http404(_("No plan yet."))
    response = JsonResponse(plan_export(plan), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="studieplan-{plan.pk}.json"'
    return response


@require_action("plan.view")
def plan_export_pdf(request, pk: int):
    student, _full = _staff_student(request, pk)
    _require(abilities_on(request.user, student, "plan"), "export")
    plan = _plan_of(student)
    if plan is None:
        raise Http404(_("No plan yet."))
    return _pdf_response(request, plan)


@require_action("plan.view")
def plan_import_view(request, pk: int):
    student, _full = _staff_student(request, pk)
    _require(abilities_on(request.user, student, "plan"), "import")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = plan_import(
            acting_user=request.user,
            student=student,
            raw=form.cleaned_data["file"].read(),
            skip_unknown_courses=form.cleaned_data["skip_unknown_courses"],
        )
        if result.plan is not None:
            if result.unknown_courses:
                messages.warning(
                    request,
                    ngettext(
                        "The plan was imported without %(n)s unknown course.",
                        "The plan was imported without %(n)s unknown courses.",
                        len(result.unknown_courses),
                    )
                    % {"n": len(result.unknown_courses)},
                )
            else:
                messages.success(request, _("The plan was imported."))
            return redirect("plans:plan_detail", pk=student.pk)
    return render(
        request,
        "plans/plan_import.html",
        {"student": student, "form": form, "result": result, "has_plan": Plan.objects.filter(student=student).exists()},
    )


def schema(request):
    """The published JSON Schema of the portable plan (public, like any standard)."""
    return JsonResponse(export_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2})


def _pdf_response(request, plan: Plan) -> HttpResponse:
    response = HttpResponse(plan_pdf(request, plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="studieplan-{plan.pk}.pdf"'
    return response


# --- Family pages ----------------------------------------------------------------


def _family_plan(request, pk: int):
    student = student_for_view(request, pk, [PLAN])
    plan = _plan_of(student)
    return student, plan


@require_action("family.view")
def family_plan(request, pk: int):
    student, plan = _family_plan(request, pk)
    return _render_family_plan(request, student, plan)


def _render_family_plan(request, student, plan, proposal_form: ProposalForm | None = None, status: int = 200):
    is_self = getattr(request.user, "student", None) == student
    context = {"student": student, "plan": plan, "today": timezone.localdate(), "is_self": is_self}
    if plan is not None:
        context |= selectors.plan_detail_context(plan, full=False)
        context["next_review"] = selectors.next_review_on(plan)
        seen, _newer = services.plan_seen_record(acting_user=request.user, plan=plan)
        context["changes"] = selectors.changes_since_seen(plan, seen)
        # The student's own proposals are theirs: the guardian does not see them.
        if "propose" in abilities_on(request.user, student, PROPOSAL):
            context["proposal_form"] = proposal_form or ProposalForm()
            context["proposals"] = selectors.proposals_of(plan)
    return render(request, "plans/family_plan.html", context, status=status)


@require_POST
@require_action("family.view")
def family_proposal(request, pk: int):
    """The student sends their own words and proposed goals before the plan talk."""
    student, plan = _family_plan(request, pk)
    if plan is None or "propose" not in abilities_on(request.user, student, PROPOSAL):
        raise PermissionDenied
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.plan_proposal_submit(
                acting_user=request.user,
                plan=plan,
                own_words=form.cleaned_data["own_words"],
                goals=form.goals(),
                language=get_language() or "",
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Thank you. Your mentor will see it before the plan talk."))
            return redirect("plans:family_plan", pk=student.pk)
    return _render_family_plan(request, student, plan, proposal_form=form, status=400)


@require_action("family.view")
def family_plan_pdf(request, pk: int):
    _student, plan = _family_plan(request, pk)
    if plan is None:
        raise Http404(_("No plan yet."))
    return _pdf_response(request, plan)


# --- The organiser's plan for education ------------------------------------------


@require_action("plan.education_plan.view")
def education_plan_list(request):
    organisers = Organiser.objects.filter(pk__in=organiser_ids_for_action(request.user, "plan.education_plan.view"))
    documents = (
        EducationPlan.objects.filter(organiser__in=organisers)
        .select_related("organiser", "programme")
        .order_by("organiser__name", "programme__code", "-version")
    )
    return render(
        request,
        "plans/education_plan_list.html",
        {
            "documents": documents,
            "may_edit": Organiser.objects.filter(
                pk__in=organiser_ids_for_action(request.user, "plan.education_plan.edit")
            ).exists(),
        },
    )


@require_action("plan.education_plan.view")
def education_plan_detail(request, pk: int):
    organisers = Organiser.objects.filter(pk__in=organiser_ids_for_action(request.user, "plan.education_plan.view"))
    document = get_object_or_404(
        EducationPlan.objects.select_related("organiser", "programme", "created_by"),
        pk=pk,
        organiser__in=organisers,
    )
    versions = EducationPlan.objects.filter(organiser=document.organiser, programme=document.programme).order_by(
        "-version"
    )
    return render(request, "plans/education_plan_detail.html", {"document": document, "versions": versions})


@require_action("plan.education_plan.edit")
def education_plan_create(request):
    organisers = Organiser.objects.filter(pk__in=organiser_ids_for_action(request.user, "plan.education_plan.edit"))
    initial = {}
    if source := EducationPlan.objects.filter(pk=request.GET.get("from") or 0, organiser__in=organisers).first():
        initial = {
            "organiser": source.organiser,
            "programme": source.programme,
            "title": source.title,
            "body": source.body,
        }
    form = EducationPlanForm(request.POST or None, organisers=organisers, initial=initial)
    if request.method == "POST" and form.is_valid():
        document = services.education_plan_publish(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Version %(v)s was published.") % {"v": document.version})
        return redirect("plans:education_plan_detail", pk=document.pk)
    return render(request, "plans/education_plan_form.html", {"form": form})


@require_action("plan.education_plan.edit")
def local_course_create(request):
    organisers = Organiser.objects.filter(pk__in=organiser_ids_for_action(request.user, "plan.education_plan.edit"))
    form = LocalCourseForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.local_course_add(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("The local course %(c)s was added; choose it in plans by its name or code.") % {"c": course.name},
            )
            return redirect("plans:local_course_create")
    return render(
        request,
        "plans/local_course_form.html",
        {
            "form": form,
            "courses": Course.objects.filter(organiser__in=organisers).select_related("organiser"),
        },
    )
