"""Forms for the plan: the plan's own fields, one formset per kind of row, plan talks."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.catalogue.models import Course, CourseKind, Grading
from studievag.catalogue.selectors import Unresolved, choosable, resolve
from studievag.limits import IMPORT_MAX_BYTES, TEXT_MAX_CHARS, file_too_large_message
from studievag.once import SubmissionKeyField
from studievag.organisations.models import Programme

from .models import (
    CourseStatus,
    EducationPlan,
    GoalKind,
    GoalStatus,
    GoalTerm,
    Guidance,
    Plan,
    PlanReview,
)
from .rules import term_end, terms_from
from .selectors import CourseChoice

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PATH_FIELDS = ("study_path", "planned_start", "planned_end", "upper_secondary_started")
CONTENT_FIELDS = ("other_training", "other_measures", "participants", "student_voice")


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Why is the plan changed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with this version, e.g. “Plan talk 12 March: English added”."),
    )

    class Meta:
        model = Plan
        fields = [*PATH_FIELDS, *CONTENT_FIELDS]
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "upper_secondary_started": DATE,
            "study_path": forms.Textarea(attrs={"rows": 3}),
            "other_training": forms.Textarea(attrs={"rows": 2}),
            "other_measures": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "student_voice": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, editable: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in PATH_FIELDS:
            self.fields[name].disabled = "edit_path" not in editable
        for name in CONTENT_FIELDS:
            self.fields[name].disabled = "edit_content" not in editable
        # The same bound as the portable plan file, so every saved plan can be exported and imported.
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea) and name != "reason":
                field.max_length = TEXT_MAX_CHARS
                field.validators.append(MaxLengthValidator(TEXT_MAX_CHARS))
                field.widget.attrs["maxlength"] = str(TEXT_MAX_CHARS)

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end is before the planned start."))
        return data

    def plan_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if not self.fields[name].disabled}


class _RowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GoalForm(_RowForm):
    # Initial values equal to what an empty row shows, so an untouched new row
    # counts as unchanged and is left out rather than refused.
    term = forms.ChoiceField(label=_("Term"), choices=GoalTerm.choices, initial=GoalTerm.SHORT)
    kind = forms.ChoiceField(label=_("Kind"), choices=GoalKind.choices, initial=GoalKind.NATIONAL_PROGRAMME)
    title = forms.CharField(label=_("Goal"), max_length=300)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.PLANNED)


class CourseCatalogue:
    """The catalogue as one plan form chooses from it, loaded once for all its rows.

    ``rows`` is everything a row may name (courses and levels both, so that a row
    already in the plan keeps its course); ``options`` what the list offers for the
    student's start (``choice.grading``); ``allowed`` says whether a row fits it."""

    def __init__(self, choice: CourseChoice):
        self.choice = choice
        self._rows: list[Course] | None = None

    @property
    def rows(self) -> list[Course]:
        if self._rows is None:
            self._rows = list(choosable(grading=Grading.BOTH, organiser_ids=self.choice.organiser_ids))
        return self._rows

    def allowed(self, course: Course) -> bool:
        if course.kind == CourseKind.COURSE:
            return self.choice.grading == Grading.COURSES
        if course.kind == CourseKind.LEVEL:
            return self.choice.grading == Grading.LEVELS
        return True

    @property
    def options(self) -> list[str]:
        return sorted((c.choice_label for c in self.rows if self.allowed(c)), key=str.casefold)

    def refusal(self, course: Course) -> str:
        """Why ``course`` does not fit the student's start."""
        started = self.choice.started
        if course.kind == CourseKind.COURSE:
            if started is None:
                return _(
                    "%(course)s is a course from before gy25. A student who starts upper-secondary education "
                    "now reads subjects at levels: choose a subject level, or fill in when the student started "
                    "upper-secondary education if it was before 1 July 2025."
                ) % {"course": course.label}
            return _(
                "%(course)s is a course from before gy25. This student started upper-secondary education on "
                "%(date)s and reads subjects at levels: choose a subject level, or fill in when the student "
                "started upper-secondary education if it was before 1 July 2025."
            ) % {"course": course.label, "date": started.isoformat()}
        return _(
            "%(course)s is a subject level (gy25). This student started upper-secondary education on %(date)s, "
            "before 1 July 2025, and reads courses: choose a course."
        ) % {"course": course.label, "date": started.isoformat() if started else "–"}


class CourseForm(_RowForm):
    course = forms.CharField(
        label=_("Course or subject level"),
        max_length=300,
        widget=forms.TextInput(attrs={"list": "course-options", "autocomplete": "off", "data-course-picker": ""}),
        help_text=_("Type part of the name or the code and choose from the list."),
    )
    term = forms.ChoiceField(label=_("When"), required=False, help_text=_("The term the course is planned to end."))
    status = forms.ChoiceField(label=_("Status"), choices=CourseStatus.choices, initial=CourseStatus.PLANNED)
    weekly_hours = forms.DecimalField(
        label=_("Hours a week"),
        required=False,
        min_value=0,
        max_value=40,
        max_digits=4,
        decimal_places=1,
        localize=True,  # a decimal comma in Swedish
        help_text=_("Scheduled teaching hours a week while the course is read."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-weekly-hours": ""}),
    )

    def __init__(self, *args, catalogue: CourseCatalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        # The current term and the next ones; a row keeps its own (earlier) term.
        terms = terms_from(timezone.localdate())
        current = (self.initial or {}).get("term") or ""
        if current and current not in terms and term_end(current):
            terms = [current, *terms]
        self.fields["term"].choices = [("", "–"), *((t, t) for t in terms)]

    def clean_course(self) -> Course:
        value = self.cleaned_data["course"].strip()
        try:
            course = resolve(value, self.catalogue.rows, prefer=self.catalogue.allowed)
        except Unresolved as unresolved:
            if unresolved.matches:
                raise ValidationError(
                    _("“%(value)s” could be %(names)s. Choose one from the list."),
                    params={"value": value, "names": "; ".join(c.choice_label for c in unresolved.matches)},
                ) from None
            raise ValidationError(
                _(
                    "Nothing in the catalogue is called “%(value)s”. Type part of the name or the code and "
                    "choose from the list."
                ),
                params={"value": value},
            ) from None
        # A row already in the plan keeps its course; a new choice must fit the student's start.
        if value != (self.initial or {}).get("course") and not self.catalogue.allowed(course):
            raise ValidationError(self.catalogue.refusal(course))
        return course


class InternshipForm(_RowForm):
    workplace = forms.CharField(label=_("Workplace"), max_length=200)
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
    supervisor = forms.CharField(label=_("Supervisor"), max_length=200, required=False)
    tasks = forms.CharField(label=_("Tasks"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The internship ends before it starts."))
        return data


class _RowFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The wished-for rows: filled and not marked for removal."""
        return [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


class _CourseFormSet(_RowFormSet):
    def clean(self):
        seen = set()
        for f in self.forms:
            course = getattr(f, "cleaned_data", {}).get("course")
            if course and not f.cleaned_data.get("DELETE"):
                if course.pk in seen:
                    f.add_error("course", _("This course is already in the plan."))
                seen.add(course.pk)


# No empty row unless asked for: the form's "Add a goal" (and course, internship) button
# adds one (see ``add_row``).
GoalFormSet = forms.formset_factory(GoalForm, formset=_RowFormSet, extra=0, can_delete=True)
CourseFormSet = forms.formset_factory(CourseForm, formset=_CourseFormSet, extra=0, can_delete=True)
"""Pass ``form_kwargs={"catalogue": CourseCatalogue(choice)}``."""
InternshipFormSet = forms.formset_factory(InternshipForm, formset=_RowFormSet, extra=0, can_delete=True)

# What the error summary calls each formset's rows ("Goals, row 2 – …").
GoalFormSet.summary_name = _("Goals")
CourseFormSet.summary_name = _("Subjects and courses")
InternshipFormSet.summary_name = _("Internships")

ROW_PREFIXES = ("goals", "courses", "internships")


def with_added_row(data, prefix: str):
    """A copy of the posted ``data`` with one more (empty) row in the formset ``prefix``."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except (TypeError, ValueError):
        total = 0
    data[key] = str(max(total, 0) + 1)
    return data


def shown_unchecked(*forms_and_formsets) -> None:
    """Show bound forms with what the user typed but without validating them: adding a
    row is not a save, so nothing is reported missing yet."""
    for thing in forms_and_formsets:
        if thing is None:
            continue
        if isinstance(thing, forms.BaseFormSet):
            thing._errors = []
            thing._non_form_errors = thing.error_class(error_class="nonform", renderer=thing.renderer)
            for f in thing.forms:
                f._errors = ErrorDict()
        else:
            thing._errors = ErrorDict()


def goal_initial(plan: Plan | None) -> list[dict]:
    if plan is None:
        return []
    return [
        {"id": g.pk, "term": g.term, "kind": g.kind, "title": g.title, "target_date": g.target_date, "status": g.status}
        for g in plan.goals.order_by("pk")
    ]


def course_initial(plan: Plan | None) -> list[dict]:
    if plan is None:
        return []
    return [
        {
            "id": c.pk,
            "course": c.course.choice_label,
            "term": c.term,
            "status": c.status,
            "weekly_hours": c.weekly_hours,
        }
        for c in plan.courses.select_related("course__subject").order_by("pk")
    ]


def internship_initial(plan: Plan | None) -> list[dict]:
    if plan is None:
        return []
    return [
        {
            "id": i.pk,
            "workplace": i.workplace,
            "start_date": i.start_date,
            "end_date": i.end_date,
            "supervisor": i.supervisor,
            "tasks": i.tasks,
        }
        for i in plan.internships.order_by("pk")
    ]


class ReviewForm(forms.ModelForm):
    submission_key = SubmissionKeyField()

    class Meta:
        model = PlanReview
        fields = ["held_on", "participants", "notes", "student_view", "decisions"]
        widgets = {
            "held_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "student_view": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class GuidanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Guidance.Kind.choices, initial=Guidance.Kind.INDIVIDUAL)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    topic = forms.CharField(label=_("Topic"), max_length=200, help_text=_("E.g. choice of national programme."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    others = forms.TypedMultipleChoiceField(
        label=_("The other students in the group"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Group guidance only: students at the same school unit whose plans you may see."),
    )

    def __init__(self, *args, others: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].choices = others
        if not others:
            del self.fields["others"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Plan file (JSON)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(file_too_large_message(IMPORT_MAX_BYTES))
        return upload

    skip_unknown_courses = forms.BooleanField(
        label=_("Import without courses that are not in our catalogue"), required=False
    )


class EducationPlanForm(forms.ModelForm):
    class Meta:
        model = EducationPlan
        fields = ["organiser", "programme", "title", "body", "valid_from"]
        widgets = {"valid_from": DATE, "body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True)


class LocalCourseForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=None)
    subject_name = forms.CharField(label=_("Subject"), max_length=100, help_text=_("E.g. Truckkort."))
    code = forms.CharField(label=_("Course code"), max_length=30)
    name = forms.CharField(label=_("Course name"), max_length=200)

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers


# --- After a conflict: take over what the user did not touch -----------------------


def _norm(value) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def _row_keys(section: str, rows: list[dict]) -> list[tuple]:
    """Rows from the formset, comparable with a snapshot's rows."""

    def day(value):
        return value.isoformat() if value else None

    if section == "goals":
        return [
            (f"goal-{r.get('id')}", r["term"], r["kind"], r["title"], day(r.get("target_date")), r["status"])
            for r in rows
        ]
    if section == "courses":
        return [
            (
                r["course"].key,
                r.get("term") or "",
                r["status"],
                None if r.get("weekly_hours") is None else f"{r['weekly_hours']:.1f}",
            )
            for r in rows
        ]
    return [
        (
            f"internship-{r.get('id')}",
            r["workplace"],
            day(r["start_date"]),
            day(r.get("end_date")),
            r.get("supervisor") or "",
            r.get("tasks") or "",
        )
        for r in rows
    ]


def _snapshot_keys(section: str, rows: list[dict]) -> list[tuple]:
    if section == "goals":
        return [(r["key"], r["term"], r["kind"], r["title"], r["target_date"], r["status"]) for r in rows]
    if section == "courses":
        return [(r["key"], r["term"] or "", r["status"], r.get("weekly_hours")) for r in rows]
    return [
        (r["key"], r["workplace"], r["start_date"], r["end_date"], r["supervisor"] or "", r["tasks"] or "")
        for r in rows
    ]


INITIAL_ROWS = {"goals": goal_initial, "courses": course_initial, "internships": internship_initial}


def take_over_untouched(data, *, form: PlanForm, formsets: dict, base: dict, now: dict, plan) -> list[str]:
    """Three-way merge after a conflict, on the POST data (changed in place).

    A field or section the user left as it was in the version they started
    from, and that someone else has changed since, takes the newly saved
    content, so that saving again loses neither person's work. Returns the
    labels of what was taken over.
    """
    taken = []
    for name in form.plan_fields():
        if _norm(data.get(name)) == _norm(base.get(name)) and _norm(base.get(name)) != _norm(now.get(name)):
            data[name] = now.get(name) or ""
            taken.append(str(form.fields[name].label))
    for section, formset in formsets.items():
        if formset is None:
            continue
        if _row_keys(section, formset.rows()) != _snapshot_keys(section, base.get(section, [])):
            continue
        if base.get(section) == now.get(section):
            continue
        rows = INITIAL_ROWS[section](plan)
        for key in [k for k in data if k.startswith(f"{section}-")]:
            del data[key]
        data[f"{section}-TOTAL_FORMS"] = str(len(rows))
        data[f"{section}-INITIAL_FORMS"] = str(len(rows))
        data[f"{section}-MIN_NUM_FORMS"] = "0"
        data[f"{section}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            for key, value in row.items():
                shown = value.isoformat() if hasattr(value, "isoformat") else value
                data[f"{section}-{i}-{key}"] = "" if shown is None else str(shown)
        taken.append(
            {"goals": str(_("Goals")), "courses": str(_("Subjects and courses")), "internships": str(_("Internships"))}[
                section
            ]
        )
    return taken


PROPOSED_GOAL_ROWS = 3


class ProposalForm(forms.Form):
    """The student's own words and up to three goals they would like, before a plan talk."""

    own_words = forms.CharField(
        label=_("In your own words"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("What do you want to learn, what is going well, what is hard? Write in the language you like."),
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, PROPOSED_GOAL_ROWS + 1):
            self.fields[f"goal_{i}"] = forms.CharField(
                label=_("A goal you would like (%(n)s)") % {"n": i},
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"dir": "auto"}),
            )
            self.fields[f"term_{i}"] = forms.ChoiceField(
                label=_("When (%(n)s)") % {"n": i},
                choices=[("short", _("Soon (this term or the next)")), ("long", _("Later (a long-term goal)"))],
                initial="short",
                required=False,
            )

    def goals(self) -> list[dict]:
        return [
            {"title": self.cleaned_data[f"goal_{i}"], "term": self.cleaned_data.get(f"term_{i}") or "short"}
            for i in range(1, PROPOSED_GOAL_ROWS + 1)
            if self.cleaned_data.get(f"goal_{i}", "").strip()
        ]

    def goal_rows(self):
        return [(self[f"goal_{i}"], self[f"term_{i}"]) for i in range(1, PROPOSED_GOAL_ROWS + 1)]


class ProposalResponseForm(forms.Form):
    """The mentor takes the student's proposal into the plan or answers it."""

    action = forms.ChoiceField(choices=[("take", "take"), ("answer", "answer")], widget=forms.HiddenInput)
    goals = forms.TypedMultipleChoiceField(
        label=_("Goals to take into the plan"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    take_own_words = forms.BooleanField(label=_("Put the student's own words into the plan"), required=False)
    target_date = forms.DateField(label=_("Target date of the goals"), required=False, widget=DATE)
    answer = forms.CharField(
        label=_("Answer to the student"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = [(g.pk, g.title) for g in proposal.goals.all()]
