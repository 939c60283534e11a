import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.decorators import require_action
from studievag.access.policy import may
from studievag.form_errors import errors_to_form
from studievag.organisations.models import SchoolUnit
from studievag.people.models import Student

from . import bank
from .forms import AnswerForm, ResultsForm, WaveForm
from .models import Wave
from .protection import NOTHING, SUPPRESSED
from .scope import free_text_units, managed_organisers, managed_waves, readable_waves, result_scope
from .selectors import (
    BREAKDOWNS,
    free_texts,
    manager_waves,
    open_waves_for_student,
    organiser_units,
    wave_for_student,
    wave_results,
)
from .services import response_submit, wave_create, wave_update, waves_release_closed

# --- The student's pages ---------------------------------------------------------------


def _own_student(request) -> Student:
    student = Student.objects.filter(user=request.user).first()
    if student is None:
        raise Http404
    return student


def _draft_key(request, wave: Wave) -> str:
    """Where the browser keeps an unfinished questionnaire: opaque, so the key itself names no one."""
    mac = hmac.new(settings.SECRET_KEY.encode(), f"survey-draft:{request.user.pk}:{wave.pk}".encode(), hashlib.sha256)
    return "studievag-survey-draft:" + mac.hexdigest()[:32]


@require_action("surveys.answer")
def my_surveys(request):
    """The student's open surveys. Opening it reads nothing of the student's record."""
    waves = open_waves_for_student(_own_student(request))
    return render(request, "surveys/my_surveys.html", {"waves": waves})


@require_action("surveys.answer")
def answer(request, pk: int):
    student = _own_student(request)
    try:
        wave, answered = wave_for_student(student, pk)
    except Wave.DoesNotExist:
        raise Http404 from None
    if answered:
        return render(request, "surveys/answered.html", {"wave": wave, "draft_key": _draft_key(request, wave)})
    form = AnswerForm(request.POST or None, wave=wave)
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(acting_user=request.user, wave=wave, raw_answers=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("surveys:answer", pk=wave.pk)
    scales, texts = form.by_theme()
    return render(
        request,
        "surveys/answer.html",
        {
            "wave": wave,
            "form": form,
            "scales": scales,
            "texts": texts,
            "draft_key": _draft_key(request, wave),
        },
    )


# --- Staff pages ----------------------------------------------------------------------


def _may_open_surveys(user) -> bool:
    return any(may(user, a) for a in ("surveys.manage", "surveys.results", "surveys.free_text"))


@login_required
def wave_list(request):
    """Waves the user manages, reads results of, or reads free text of."""
    if not _may_open_surveys(request.user):
        raise PermissionDenied
    user = request.user
    ids: set[int] = set()
    if may(user, "surveys.results"):
        ids |= set(readable_waves(user).values_list("pk", flat=True))
    if may(user, "surveys.manage"):
        ids |= set(managed_waves(user).values_list("pk", flat=True))
    text_units = free_text_units(user)
    if text_units:
        ids |= set(Wave.objects.filter(organiser__school_units__in=text_units).values_list("pk", flat=True))
    waves = Wave.objects.filter(pk__in=ids)
    managed = set(managed_waves(user).values_list("pk", flat=True)) if may(user, "surveys.manage") else set()
    rows = list(manager_waves(waves))
    units = SchoolUnit.objects.filter(pk__in=text_units).order_by("name")
    for wave in rows:
        wave.text_units = [(u.pk, u.name) for u in units if u.organiser_id == wave.organiser_id]
    return render(
        request,
        "surveys/wave_list.html",
        {
            "rows": rows,
            "managed": managed,
            "may_manage": may(user, "surveys.manage"),
            "may_results": may(user, "surveys.results"),
            "text_units": bool(text_units),
            "today": timezone.localdate(),
        },
    )


@require_action("surveys.manage")
def wave_new(request):
    organisers = managed_organisers(request.user)
    if not organisers.exists():
        raise PermissionDenied
    initial = {"items": [i.ref for i in bank.current()][:12]}
    form = WaveForm(request.POST or None, organisers=organisers, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            wave = wave_create(
                acting_user=request.user,
                organiser=d["organiser"],
                term=d["term"],
                title=d["title"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                refs=d["items"],
                min_respondents=d["min_respondents"],
                min_free_text=d["min_free_text"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The survey wave was saved."))
            return redirect("surveys:wave_edit", pk=wave.pk)
    return render(request, "surveys/wave_form.html", {"form": form, "wave": None})


@require_action("surveys.manage")
def wave_edit(request, pk: int):
    wave = get_object_or_404(managed_waves(request.user), pk=pk)
    initial = {
        "title": wave.title,
        "opens_on": wave.opens_on,
        "closes_on": wave.closes_on,
        "min_respondents": wave.min_respondents,
        "min_free_text": wave.min_free_text,
        "items": wave.refs(),
    }
    form = WaveForm(request.POST or None, organisers=managed_organisers(request.user), wave=wave, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            wave_update(
                acting_user=request.user,
                wave=wave,
                title=d["title"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                refs=d["items"],
                min_respondents=d["min_respondents"],
                min_free_text=d["min_free_text"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The survey wave was saved."))
            return redirect("surveys:wave_edit", pk=wave.pk)
    return render(request, "surveys/wave_form.html", {"form": form, "wave": wave})


def _levels(user, wave: Wave) -> list[tuple[str, str]]:
    scope = result_scope(user)
    levels = []
    if wave.organiser_id in scope.organisers:
        levels.append(("", str(wave.organiser)))
    levels += [(str(pk), name) for pk, name in organiser_units(wave) if pk in scope.units]
    return levels


@require_action("surveys.results")
def results(request, pk: int):
    """A wave's figures at a level the user may read, protected; small groups show `..`."""
    wave = get_object_or_404(readable_waves(request.user), pk=pk)
    waves_release_closed()
    levels = _levels(request.user, wave)
    if not levels:
        raise Http404
    form = ResultsForm(
        request.GET or None,
        levels=levels,
        breakdowns=[(k, b.label) for k, b in BREAKDOWNS.items()],
    )
    level, breakdown = levels[0][0], ""
    if form.is_valid():
        level, breakdown = form.cleaned_data["level"] or levels[0][0], form.cleaned_data["breakdown"]
    elif request.GET:
        raise Http404
    unit_id = int(level) if level else None
    built = wave_results(wave, unit_id=unit_id, breakdown=breakdown)
    text_units = free_text_units(request.user)
    return render(
        request,
        "surveys/results.html",
        {
            "wave": wave,
            "form": form,
            "results": built,
            "free_text_link": unit_id in text_units,
            "today": timezone.localdate(),
            "symbols": {"hidden": SUPPRESSED, "nothing": NOTHING},
        },
    )


@require_action("surveys.free_text")
def free_text(request, pk: int, unit_pk: int):
    """Free-text answers of one unit, only for staff of that unit and only above the wave's limit."""
    if unit_pk not in free_text_units(request.user):
        raise Http404
    wave = get_object_or_404(Wave.objects.filter(organiser__school_units=unit_pk), pk=pk)
    waves_release_closed()
    unit_name = dict(organiser_units(wave)).get(unit_pk)
    if unit_name is None:
        raise Http404
    texts = free_texts(wave, unit_pk)
    items = {i.ref: i for i in bank.items(wave.refs())}
    return render(
        request,
        "surveys/free_text.html",
        {
            "wave": wave,
            "unit_name": unit_name,
            "texts": [(items[r], t) for r, t in texts.items()] if texts is not None else None,
        },
    )
