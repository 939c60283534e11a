import json
import os
import re
import shutil
import subprocess

import jsonschema
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from studievag.people.models import Student
from studievag.plans.models import Plan
from studievag.plans.portable import (
    export_schema,
    plan_export,
    plan_import,
    schema_errors,
)
from studievag.plans.snapshot import plan_snapshot

pytestmark = pytest.mark.django_db


def _strip(snapshot: dict) -> dict:
    """Content that survives a move: no row keys of goals and internships (new rows)."""
    return {
        **snapshot,
        "goals": [{k: v for k, v in g.items() if k != "key"} for g in snapshot["goals"]],
        "internships": [{k: v for k, v in i.items() if k != "key"} for i in snapshot["internships"]],
    }


def test_the_published_schema_is_served_and_is_the_file_in_the_repo(client):
    response = client.get(reverse("plans:schema"))
    assert response.status_code == 200
    assert response.json() == export_schema()
    jsonschema.Draft202012Validator.check_schema(response.json())


def test_export_validates_and_round_trips_through_import(cast, login, alice_plan, courses):
    from studievag.plans.services import plan_revise

    plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Praktik",
        internships=[
            {"workplace": "Vårdcentralen", "start_date": __import__("datetime").date(2026, 10, 5), "supervisor": "Eva"}
        ],
    )
    response = login(cast.mentor_a).get(reverse("plans:export_json", kwargs={"pk": cast.alice.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    jsonschema.validate(data, export_schema(), format_checker=jsonschema.FormatChecker())
    assert data["student"]["first_name"] == "Alice"
    assert "address" not in json.dumps(data)
    before = _strip(plan_snapshot(alice_plan))
    # The receiving school starts the next plan from the file.
    Plan.objects.filter(pk=alice_plan.pk).delete()
    upload = SimpleUploadedFile("plan.json", response.content, content_type="application/json")
    response = login(cast.principal_a).post(reverse("plans:import", kwargs={"pk": cast.alice.pk}), {"file": upload})
    assert response.status_code == 302
    plan = Plan.objects.get(student=cast.alice)
    assert _strip(plan_snapshot(plan)) == before
    assert plan.revisions.get().reason.startswith("Imported from Skola A IM")


def test_protected_identity_is_exported_without_name_or_number(cast, courses):
    from studievag.plans.services import plan_create

    plan = plan_create(acting_user=cast.mentor_a, student=cast.protected, reason="Start")
    data = plan_export(plan)
    assert data["student"] == {"protected_identity": True}
    assert "Petra" not in json.dumps(data) and "Skyddad" not in json.dumps(data)
    assert schema_errors(data) == []
    # The schema itself refuses a protected student's name.
    data["student"]["first_name"] = "Petra"
    assert schema_errors(data) != []


def test_import_names_every_bad_field_and_saves_nothing(cast, alice_plan):
    data = plan_export(alice_plan)
    Plan.objects.all().delete()
    data["plan"]["goals"][0]["title"] = ""
    data["plan"]["goals"][0]["target_date"] = "2026-13-01"
    data["plan"]["courses"][0]["status"] = "finished"
    data["plan"]["courses"][0]["term"] = "hösten 2026"
    data["student"]["address"] = "Storgatan 1"
    result = plan_import(acting_user=cast.mentor_a, student=cast.alice, raw=json.dumps(data).encode())
    assert result.plan is None
    joined = "\n".join(result.errors)
    assert "plan.goals[0].title" in joined
    assert "plan.goals[0].target_date" in joined
    assert "plan.courses[0].status" in joined
    assert "plan.courses[0].term: “hösten 2026” is not written as the format asks" in joined
    assert "student: has fields the format does not have: “address”" in joined
    assert not Plan.objects.exists()
    # In Swedish, the schema's complaints are Swedish too (the validator's own are English).
    with translation.override("sv"):
        errors = plan_import(acting_user=cast.mentor_a, student=cast.alice, raw=json.dumps(data).encode()).errors
    assert "plan.goals[0].target_date: ”2026-13-01” är inte giltigt som datum (ÅÅÅÅ-MM-DD)" in errors
    assert "student: har fält som formatet inte har: ”address”" in errors
    bad = plan_import(acting_user=cast.mentor_a, student=cast.alice, raw=b"{not json")
    assert bad.errors and bad.errors[0].startswith("The file is not JSON")


def test_unknown_courses_stop_the_import_unless_left_out(cast, alice_plan):
    data = plan_export(alice_plan)
    Plan.objects.all().delete()
    data["plan"]["courses"].append(
        {"school_type": "LOCAL", "code": "SVETS9", "name": "Svets", "term": "", "status": "planned"}
    )
    raw = json.dumps(data).encode()
    result = plan_import(acting_user=cast.mentor_a, student=cast.alice, raw=raw)
    assert result.plan is None
    assert result.errors == ["plan.courses[1]: LOCAL SVETS9 Svets is not in this school's catalogue."]
    assert not Plan.objects.exists()
    result = plan_import(acting_user=cast.mentor_a, student=cast.alice, raw=raw, skip_unknown_courses=True)
    assert [c.course.code for c in result.plan.courses.all()] == ["SVASVA01"]
    assert "SVETS9" in result.plan.revisions.get().reason


def test_import_into_another_student_is_refused(cast, alice_plan):
    data = plan_export(alice_plan)
    result = plan_import(acting_user=cast.mentor_b, student=cast.bertil, raw=json.dumps(data).encode())
    assert result.errors == [
        "The file is for another student: the personal identity number in it is not this student's."
    ]
    assert not Plan.objects.filter(student=cast.bertil).exists()


def _pdf_text(pdf: bytes, tmp_path) -> tuple[str, str]:
    if not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("poppler-utils is missing: scripts/system-deps installs it in CI.")
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return text, fonts


def test_family_pdf_has_the_goals_in_swedish_and_arabic(cast, login, alice_plan, tmp_path):
    from studievag.plans.services import plan_revise

    plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Elevens ord",
        fields={"student_voice": "أريد أن أعمل في الرعاية الصحية"},
    )
    client = login(cast.guardian)
    response = client.get(reverse("plans:family_plan_pdf", kwargs={"pk": cast.alice.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text, fonts = _pdf_text(response.content, tmp_path)
    assert "Behörighet till Vård- och omsorgsprogrammet" in text
    assert "Svenska som andraspråk 1" in text
    assert "DejaVu" in fonts  # embedded (subset) DejaVu Sans: å, ä, ö and Arabic
    # Arabic is shaped, so compare letters without joining forms: every word is there.
    import unicodedata

    normal = unicodedata.normalize("NFKC", text)
    for word in ("أريد", "الرعاية"):
        assert word in normal or word[::-1] in normal


def test_pdf_of_a_protected_student_shows_no_name(cast, login, courses, tmp_path):
    from studievag.plans.services import plan_create

    plan_create(
        acting_user=cast.mentor_a,
        student=cast.protected,
        reason="Start",
        goals=[{"term": "long", "kind": "job", "title": "Bli kock"}],
    )
    response = login(cast.principal_a).get(reverse("plans:export_pdf", kwargs={"pk": cast.protected.pk}))
    text, _fonts = _pdf_text(response.content, tmp_path)
    assert "Bli kock" in text and "Petra" not in text and "Skyddad" not in text
    assert "Protected identity" in text
    assert Student.objects.get(pk=cast.protected.pk).has_protected_identity


def test_arabic_pdf_counts_its_pages_left_to_right(cast, login, alice_plan, tmp_path):
    """In a right-to-left page the counter still reads "1 / N" on the first page, not "N / 1"."""
    from studievag.plans.services import plan_revise

    plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Lång text",
        fields={"student_voice": "\n".join(f"رقم {n}: أريد أن أعمل" for n in range(150))},
    )
    client = login(cast.guardian)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(reverse("plans:family_plan_pdf", kwargs={"pk": cast.alice.pk}))
    _pdf_text(response.content, tmp_path)  # skips without poppler
    # -layout gives the text in visual order: what a reader sees at the foot of the page.
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "plan.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pages = text.split("\f")
    pages = [page for page in pages if page.strip()]
    counters = [
        re.sub(r"[^\d/]", "", line)
        for page in pages
        for line in page.splitlines()
        if re.fullmatch(r"\D*\d+ ?/ ?\d+\D*", line.strip())
    ]
    total = len(pages)
    assert total >= 2
    assert counters == [f"{n}/{total}" for n in range(1, total + 1)]
