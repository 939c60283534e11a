from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.decorators import require_action
from studievag.access.policy import may
from studievag.form_errors import errors_to_form
from studievag.jobs.services import enqueue_once
from studievag.organisations.models import CURRENT_PROGRAMMES

from . import exports, reports
from .forms import ReflectionForm, ReflectionSearchForm, ReportForm
from .indicators import Category, available, population_text
from .linked import overview_rows
from .models import ReportPdf
from .scope import reflection_units
from .selectors import (
    level_choices,
    reflections_for,
    thresholds_for,
    units_of_level,
)
from .services import reflection_create, report_pdf_request
from .tasks import facts_refresh_task, report_pdf_task


def _report_or_none(request):
    form = ReportForm(request.GET, user=request.user)
    if not form.levels:
        return form, None
    if not form.is_valid():
        return form, None
    return form, reports.build(request.user, form.cleaned_data)


@require_action("quality.report")
def report(request):
    """Group-level figures for the chosen level, period, programme and breakdown."""
    form, built = _report_or_none(request)
    if built is not None and built.facts_pending:
        enqueue_once(facts_refresh_task)
    return render(
        request,
        "quality/report.html",
        {
            "form": form,
            "report": built,
            "legend": reports.LEGEND,
            "query": request.GET.urlencode(),
            "chart": built.chart_data() if built else None,
        },
    )


@require_action("quality.report")
def outcome_report(request):
    """Exits, destinations at 6 and 12 months, transfers and the activity responsibility, by one
    breakdown and by term of exit."""
    form = ReportForm(request.GET, user=request.user)
    built = reports.build_outcomes(request.user, form.cleaned_data) if form.levels and form.is_valid() else None
    return render(
        request,
        "quality/outcome_report.html",
        {"form": form, "report": built, "legend": reports.LEGEND},
    )


@require_action("quality.report")
def export(request, fmt: str):
    if fmt == "pdf":
        return _pdf_request(request)
    if fmt not in exports.FORMATS:
        raise Http404
    _form, built = _report_or_none(request)
    if built is None:
        raise Http404(_("Choose a valid report first."))
    return exports.FORMATS[fmt](built)


def _pdf_request(request):
    """A PDF is rendered by the job worker: record the request, then show its page."""
    form = ReportForm(request.GET, user=request.user)
    if not form.levels or not form.is_valid():
        raise Http404(_("Choose a valid report first."))
    pdf = report_pdf_request(acting_user=request.user, query=request.GET.urlencode(), language=request.LANGUAGE_CODE)
    report_pdf_task.enqueue(str(pdf.pk))
    return redirect("quality:pdf", pk=pdf.pk)


@require_action("quality.report")
def pdf(request, pk):
    """The asker's PDF when it is ready; until then a page that looks again by itself."""
    found = get_object_or_404(ReportPdf.objects.defer("content"), pk=pk, requested_by=request.user)
    if found.status == ReportPdf.Status.READY:
        content = ReportPdf.objects.values_list("content", flat=True).get(pk=found.pk)
        return exports.pdf_response(bytes(content), found.filename)
    return render(request, "quality/pdf_status.html", {"pdf": found, "query": found.query})


def _indicator_context(indicator_id: str):
    indicator = available().get(indicator_id)
    if indicator is None:
        raise Http404
    return indicator


@require_action("quality.report")
def indicator_list(request):
    groups = [
        (Category.LABELS[c], [i for i in available().values() if i.category == c], Category.EMPTY_NOTE.get(c, ""))
        for c in Category.ORDER
    ]
    return render(request, "quality/indicator_list.html", {"groups": groups, "legend": reports.LEGEND})


@require_action("quality.report")
def indicator_detail(request, indicator_id: str):
    """The definition of one indicator in plain language: who is counted, out of whom, over
    which students and period, and when figures are hidden (never the query itself)."""
    indicator = _indicator_context(indicator_id)
    levels = level_choices(request.user)
    thresholds = thresholds_for(units_of_level(levels[0])) if levels else None
    return render(
        request,
        "quality/indicator_detail.html",
        {
            "indicator": indicator,
            "population": population_text(indicator),
            "thresholds": thresholds,
            "legend": reports.LEGEND,
            "level": levels[0] if levels else None,
        },
    )


@require_action("quality.reflections")
def reflection_list(request):
    """Search reflections in scope; staff with a unit may also write one."""
    can_write = may(request.user, "quality.reflect")
    units = reflection_units(request.user, writing=True) if can_write else None
    can_write = bool(units is not None and units.exists())
    form = None
    if can_write:
        initial = {"written_on": timezone.localdate()}
        if request.GET.get("indicator") in available():
            initial["indicators"] = [request.GET["indicator"]]
        if request.method == "POST":
            form = ReflectionForm(request.POST, units=units)
            if form.is_valid():
                try:
                    reflection_create(
                        acting_user=request.user,
                        school_unit=form.cleaned_data["school_unit"],
                        written_on=form.cleaned_data["written_on"],
                        source=form.cleaned_data["source"],
                        text=form.cleaned_data["text"],
                        tags=form.tags(),
                        submission_key=form.cleaned_data.get("submission_key"),
                    )
                except ValidationError as error:
                    errors_to_form(form, error)
                else:
                    messages.success(request, _("The reflection was saved."))
                    return redirect("quality:reflections")
        else:
            form = ReflectionForm(units=units, initial=initial)
    elif request.method == "POST":
        raise PermissionDenied
    search = ReflectionSearchForm(request.GET or None)
    q = tag = ""
    if search.is_valid():
        q, tag = search.cleaned_data["q"], search.cleaned_data["tag"]
    results = list(reflections_for(request.user, query=q, tag=tag)[:100])
    for r in results:
        r.tag_labels = reports.tag_labels([t.tag for t in r.tags.all()])
    return render(
        request,
        "quality/reflections.html",
        {
            "form": form,
            "search": search,
            "results": results,
        },
    )


@require_action("organisation.overview")
def overview(request):
    """Students this term per school unit and programme, for analysts and regional coordinators."""
    period, rows = overview_rows(request.user)
    return render(
        request,
        "quality/overview.html",
        {
            "rows": rows,
            "period": period,
            "programmes": CURRENT_PROGRAMMES,
            "legend": reports.LEGEND,
        },
    )
