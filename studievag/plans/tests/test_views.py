import datetime
import re

import pytest
from django.urls import reverse

from studievag.audit.models import RecordRead
from studievag.plans import services
from studievag.plans.models import Plan, PlanReview, PlanSettings
from studievag.plans.rules import terms_from
from studievag.support.models import SupportNeedsEntry
from studievag.support.services import support_needs_record
from studievag.testing import make_student

from .conftest import plan_post

pytestmark = pytest.mark.django_db


def _goal(plan):
    g = plan.goals.get()
    return {"id": g.pk, "term": g.term, "kind": g.kind, "title": g.title, "target_date": "", "status": g.status}


def _course(plan):
    c = plan.courses.select_related("course__subject").get()
    return {"id": c.pk, "course": c.course.choice_label, "term": c.term, "status": c.status}


def test_mentor_sets_up_a_plan_with_a_goal_and_a_course(cast, login, courses):
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    assert "Set up the plan" in client.get(url).content.decode()
    data = plan_post(
        version=0,
        reason="Första plansamtalet",
        study_path="Språkintroduktion",
        goals=[
            {"term": "long", "kind": "job", "title": "Bli elektriker", "target_date": "2028-06-01", "status": "planned"}
        ],
        courses=[
            {
                "course": "Svenska som andraspråk nivå 1",
                "term": terms_from(datetime.date.today())[1],
                "status": "ongoing",
            }
        ],
        internships=[{"workplace": "Elbolaget AB", "start_date": "2026-10-01", "supervisor": "Ali"}],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    plan = Plan.objects.get(student=cast.alice)
    assert plan.goals.get().title == "Bli elektriker"
    assert plan.courses.get().course == courses["level:SVASVA01"]
    assert plan.courses.get().term == terms_from(datetime.date.today())[1]
    assert plan.internships.get().supervisor == "Ali"
    assert plan.revisions.get().reason == "Första plansamtalet"
    page = client.get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk})).content.decode()
    assert "Bli elektriker" in page and "Svenska som andraspråk nivå 1" in page and "Elbolaget AB" in page


def test_the_plan_form_names_bad_rows_and_saves_nothing(cast, login, courses):
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    response = client.post(
        url,
        plan_post(
            version=0,
            reason="",
            courses=[{"course": "NOSUCH", "status": "planned"}],
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing in the catalogue is called “NOSUCH”" in page
    assert 'class="field has-error">\n  <label for="id_reason"' in page  # the reason is required
    assert not Plan.objects.exists()


def test_counsellor_changes_goals_but_not_other_content(cast, login, alice_plan):
    client = login(cast.counsellor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    page = client.get(url).content.decode()
    assert 'name="courses-TOTAL_FORMS"' not in page
    goal = _goal(alice_plan) | {"status": "in_progress"}
    response = client.post(
        url,
        plan_post(
            version=1,
            reason="Vägledningssamtal",
            study_path="Ny väg",
            goals=[goal],
            other_training="Försök att ändra",
            student_voice="Försök",
        ),
    )
    assert response.status_code == 302
    alice_plan.refresh_from_db()
    assert alice_plan.study_path == "Ny väg"
    assert alice_plan.goals.get().status == "in_progress"
    assert alice_plan.other_training == ""  # not the counsellor's section
    assert alice_plan.student_voice == "Jag vill jobba i vården."
    assert alice_plan.courses.count() == 1


def test_teacher_and_student_health_may_not_edit(cast, login, alice_plan):
    for user in (cast.teacher_a, cast.health_a):
        client = login(user)
        response = client.post(
            reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk}),
            plan_post(version=1, reason="x", study_path="Hack"),
        )
        assert response.status_code in (403, 404)
    alice_plan.refresh_from_db()
    assert alice_plan.version == 1 and alice_plan.study_path.startswith("Svenska")


def test_a_stale_save_keeps_the_users_input_and_shows_what_changed(cast, login, alice_plan):
    # The principal saves first (from version 1) …
    services.plan_revise(
        acting_user=cast.principal_a,
        plan=alice_plan,
        expected_version=1,
        reason="Rektorns ändring",
        fields={"other_measures": "Studiehandledning på arabiska"},
    )
    # … then the mentor, who also opened version 1, saves.
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    response = client.post(
        url,
        plan_post(
            version=1,
            reason="Mentorns ändring",
            study_path="Mentorns text",
            goals=[_goal(alice_plan)],
            courses=[_course(alice_plan)],
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this plan while you were editing it" in page
    assert "Rektorns ändring" in page and "Studiehandledning på arabiska" in page
    assert "Mentorns text" in page and "Mentorns ändring" in page  # the input is kept
    assert 'name="version" value="2"' in page
    # The field the mentor did not touch now holds the principal's text.
    assert ">\nStudiehandledning på arabiska</textarea>" in page
    assert "now shows the newly saved content: Other measures." in page
    alice_plan.refresh_from_db()
    assert alice_plan.version == 2 and alice_plan.study_path.startswith("Svenska")
    # Saving the form as shown again keeps both people's changes.
    form = response.context["form"]
    response = client.post(url, form.data)
    assert response.status_code == 302
    alice_plan.refresh_from_db()
    assert (alice_plan.version, alice_plan.study_path) == (3, "Mentorns text")
    assert alice_plan.other_measures == "Studiehandledning på arabiska"
    assert alice_plan.courses.count() == 1 and alice_plan.goals.count() == 1


def test_a_stale_save_takes_over_goals_the_user_left_alone(cast, login, alice_plan):
    goal = _goal(alice_plan)
    services.plan_revise(
        acting_user=cast.counsellor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Nytt mål",
        goals=[{**goal, "target_date": None}, {"term": "short", "kind": "job", "title": "Sommarjobb"}],
    )
    response = login(cast.mentor_a).post(
        reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk}),
        plan_post(
            version=1, reason="Mentorn", participants="Mentor, elev", goals=[goal], courses=[_course(alice_plan)]
        ),
    )
    assert "now shows the newly saved content: Goals." in response.content.decode()
    response = login(cast.mentor_a).post(
        reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk}), response.context["form"].data
    )
    assert response.status_code == 302
    alice_plan.refresh_from_db()
    assert sorted(alice_plan.goals.values_list("title", flat=True)) == [
        "Behörighet till Vård- och omsorgsprogrammet",
        "Sommarjobb",
    ]
    assert alice_plan.participants == "Mentor, elev"


def test_compare_marks_added_removed_and_changed(cast, login, alice_plan, courses):
    services.plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Plansamtal",
        goals=[
            _goal(alice_plan) | {"status": "met", "target_date": None},
            {"term": "short", "kind": "course", "title": "Klara Engelska 5"},
        ],
        courses=[],
    )
    client = login(cast.mentor_a)
    page = client.get(reverse("plans:plan_compare", kwargs={"pk": cast.alice.pk}), {"a": 1, "b": 2}).content.decode()
    assert "Version 1 compared with version 2" in page
    assert "2 added" not in page  # one goal added
    assert "1 added, 1 removed, 1 changed." in page
    assert 'class="diff-added"' in page and "Klara Engelska 5" in page
    assert 'class="diff-removed"' in page and "Svenska som andraspråk 1" in page
    assert (
        '<del><bdi>Not started</bdi></del> <span aria-hidden="true" class="arrow">→</span> <ins><bdi>Met</bdi></ins>'
        in page
    )
    assert client.get(reverse("plans:plan_compare", kwargs={"pk": cast.alice.pk}), {"a": 1, "b": 7}).status_code == 404


def test_plan_talk_is_recorded_and_clears_the_review_flag(cast, login, alice_plan, today):
    Plan.objects.filter(pk=alice_plan.pk).update(created_at=alice_plan.created_at - datetime.timedelta(days=40))
    client = login(cast.mentor_a)
    detail = reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk})
    assert "Review due" in client.get(detail).content.decode()
    response = client.post(
        reverse("plans:review_create", kwargs={"pk": cast.alice.pk}),
        {
            "held_on": today.isoformat(),
            "participants": "Mentor, Alice",
            "notes": "Går bra",
            "student_view": "Nöjd",
            "decisions": "Lägg till Engelska 5",
        },
    )
    assert response.status_code == 302
    review = PlanReview.objects.get()
    assert (review.recorded_by, review.plan_version) == (cast.mentor_a, 1)
    page = client.get(detail).content.decode()
    assert "Review due" not in page and "Lägg till Engelska 5" in page


def test_counsellor_may_not_record_plan_talks(cast, login, alice_plan, today):
    client = login(cast.counsellor_a)
    response = client.post(
        reverse("plans:review_create", kwargs={"pk": cast.alice.pk}),
        {"held_on": today.isoformat(), "participants": "x", "notes": "x"},
    )
    assert response.status_code == 403
    assert not PlanReview.objects.exists()


def test_principal_approves_and_a_later_change_shows(cast, login, alice_plan):
    client = login(cast.principal_a)
    url = reverse("plans:plan_approve", kwargs={"pk": cast.alice.pk})
    assert client.post(url, {"version": 1}).status_code == 302
    alice_plan.refresh_from_db()
    assert alice_plan.approved_version == 1 and alice_plan.approved_by == cast.principal_a
    detail = reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk})
    assert "Approved (version 1," in client.get(detail).content.decode()
    services.plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Ändrat",
        fields={"participants": "Mentor"},
    )
    assert "Changed since approval" in client.get(detail).content.decode()
    # A mentor cannot approve.
    login(cast.mentor_a).post(url, {"version": 2})
    alice_plan.refresh_from_db()
    assert alice_plan.approved_version == 1


def test_plan_list_flags_late_and_due_plans_within_a_query_budget(
    cast, login, alice_plan, django_assert_max_num_queries
):
    PlanSettings.objects.create(organiser=cast.organiser_a, review_interval_days=30, plan_deadline_weeks=4)
    Plan.objects.filter(pk=alice_plan.pk).update(created_at=alice_plan.created_at - datetime.timedelta(days=45))
    client = login(cast.principal_a)
    url = reverse("plans:plan_list")
    client.get(url)  # warm the session
    # session, user, grants (3), students, protected names, plans, status (4), page frame (2),
    # the read-log rows (one insert)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    page = response.content.decode()
    assert "Alice Andersson" in page and "Review due" in page
    assert page.count("Plan late") == 1 + 2  # the filter option + Adam and Petra (no plans)
    late = client.get(url, {"flag": "late"}).content.decode()
    assert "Alice Andersson" not in late and "Adam Abdi" in late
    # School B's mentor sees only Bertil.
    other = login(cast.mentor_b).get(url).content.decode()
    assert "Bertil" in other and "Alice" not in other
    # Ten more students with plans and goals: still the same number of queries.
    for _ in range(10):
        student = make_student(cast.unit_a)
        services.plan_create(
            acting_user=cast.principal_a,
            student=student,
            reason="Start",
            goals=[{"term": "long", "kind": "job", "title": "Jobb"}],
        )
    client = login(cast.principal_a)
    client.get(url)
    with django_assert_max_num_queries(15):
        assert client.get(url).content.decode().count("version 1") == 11


def test_teacher_sees_a_summary_only(cast, login, alice_plan):
    support_needs_record(acting_user=cast.health_a, student=alice_plan.student, text="Hemlig anpassning", reason="EHT")
    page = login(cast.teacher_a).get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk})).content.decode()
    assert "Behörighet till Vård- och omsorgsprogrammet" in page
    assert "Jag vill jobba i vården." not in page  # the student's own words are not in the summary
    assert "Hemlig anpassning" not in page and "Support needs" not in page
    assert RecordRead.objects.filter(user=cast.teacher_a, part="plan_summary").exists()


def test_support_needs_only_for_health_principal_and_mentor_and_every_read_logged(cast, login, alice_plan):
    url = reverse("plans:support_needs", kwargs={"pk": cast.alice.pk})
    response = login(cast.health_a).post(url, {"text": "Extra tid vid prov", "reason": "EHT-möte"})
    assert response.status_code == 302
    assert SupportNeedsEntry.objects.get().author == cast.health_a
    assert "Extra tid vid prov" in login(cast.mentor_a).get(url).content.decode()
    assert RecordRead.objects.filter(user=cast.mentor_a, part="support_needs").count() == 1
    # The mentor, who knows the student day to day, records them too (with a reason).
    assert login(cast.mentor_a).post(url, {"text": "Mentorn skriver", "reason": "x"}).status_code == 302
    assert login(cast.counsellor_a).get(url).status_code == 404
    assert login(cast.counsellor_a).post(url, {"text": "Kuratorn", "reason": "x"}).status_code == 404
    assert SupportNeedsEntry.objects.count() == 2
    # Not on the family page, nor on the counsellor's plan page.
    family = login(cast.student).get(reverse("plans:family_plan", kwargs={"pk": cast.alice.pk}))
    assert "Extra tid vid prov" not in family.content.decode()
    counsellor = login(cast.counsellor_a).get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk}))
    assert "Extra tid vid prov" not in counsellor.content.decode()
    assert "Mentorn skriver" not in counsellor.content.decode()


def test_family_page_in_plain_language_and_arabic_right_to_left(cast, login, alice_plan):
    client = login(cast.guardian)
    url = reverse("plans:family_plan", kwargs={"pk": cast.alice.pk})
    page = client.get(url).content.decode()
    assert "Alice's study plan" in page
    assert "Behörighet till Vård- och omsorgsprogrammet" in page and "Svenska som andraspråk 1" in page
    assert "The next plan talk should be by" in page
    assert "Versions" not in page and "Första planen" not in page  # no revision history
    client.post(reverse("set_language"), {"language": "ar", "next": url})
    assert 'dir="rtl"' in client.get(url).content.decode()
    student_page = (
        login(cast.student).get(reverse("people:family_student", kwargs={"pk": cast.alice.pk})).content.decode()
    )
    assert url in student_page


def test_student_page_for_staff_links_to_the_plan(cast, login):
    page = login(cast.mentor_a).get(reverse("people:student_detail", kwargs={"pk": cast.alice.pk}))
    assert reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk}) in page.content.decode()


def test_education_plan_is_published_as_a_new_version(cast, login):
    from studievag.organisations.models import Programme

    client = login(cast.principal_a)
    ims = Programme.objects.get(code="IMS")
    for body in ("Första", "Andra"):
        response = client.post(
            reverse("plans:education_plan_create"),
            {
                "organiser": cast.organiser_a.pk,
                "programme": ims.pk,
                "title": "Plan för utbildning IMS",
                "body": body,
                "valid_from": "2026-08-01",
            },
        )
        assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "version 2" in page and "Andra" in page
    # Not for another organiser.
    response = client.post(
        reverse("plans:education_plan_create"),
        {"organiser": cast.organiser_b.pk, "programme": ims.pk, "title": "x", "body": "x", "valid_from": "2026-08-01"},
    )
    assert response.status_code == 200
    assert 'class="field has-error">\n  <label for="id_organiser"' in response.content.decode()
    assert not cast.organiser_b.education_plans.exists()


def test_local_course_can_be_added_and_used_in_a_plan(cast, login, courses):
    client = login(cast.principal_a)
    response = client.post(
        reverse("plans:local_course_create"),
        {"organiser": cast.organiser_a.pk, "subject_name": "Truckkort", "code": "TRUCK1", "name": "Truckkort A+B"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk}),
        plan_post(version=0, reason="Start", courses=[{"course": "Truckkort A+B", "status": "planned"}]),
    )
    assert response.status_code == 302
    assert Plan.objects.get().courses.get().course.name == "Truckkort A+B"


def test_untouched_new_rows_are_left_out(cast, login, alice_plan):
    # What the browser sends for the empty extra rows: the selects' shown values.
    data = plan_post(
        version=1,
        reason="Bara en ny mening",
        study_path="Ny",
        goals=[
            _goal(alice_plan),
            {"term": "short", "kind": "national_programme", "title": "", "target_date": "", "status": "planned"},
        ],
        courses=[_course(alice_plan), {"course": "", "term": "", "status": "planned"}],
        internships=[{"workplace": "", "start_date": "", "end_date": "", "supervisor": "", "tasks": ""}],
    )
    response = login(cast.mentor_a).post(reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk}), data)
    assert response.status_code == 302
    alice_plan.refresh_from_db()
    assert (alice_plan.version, alice_plan.goals.count(), alice_plan.courses.count()) == (2, 1, 1)


def test_history_lists_every_version_with_who_and_why(cast, login, alice_plan):
    services.plan_revise(
        acting_user=cast.counsellor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Vägledningssamtal",
        fields={"study_path": "Ny väg"},
    )
    page = login(cast.principal_a).get(reverse("plans:plan_history", kwargs={"pk": cast.alice.pk})).content.decode()
    assert page.index("Vägledningssamtal") < page.index("Första planen")
    assert "Sara Syv" in page and "Maria Mentor" in page


def test_import_page_names_the_bad_fields_and_keeps_nothing(cast, login, courses):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b'{"format": "studievag.plan/1", "student": {"protected_identity": false}}'
    response = login(cast.counsellor_a).post(
        reverse("plans:import", kwargs={"pk": cast.alice.pk}),
        {"file": SimpleUploadedFile("plan.json", bad, content_type="application/json")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    # The schema's complaints in the reader's language, naming the missing fields.
    assert page.count("the fields “exported_at”, “from_school”, “plan” are missing") == 1
    assert not Plan.objects.exists()


def test_education_plans_are_readable_by_staff_of_the_organiser_only(cast, login):
    from studievag.organisations.models import Programme

    document = services.education_plan_publish(
        acting_user=cast.principal_a,
        organiser=cast.organiser_a,
        programme=Programme.objects.get(code="IMS"),
        title="Plan för utbildning IMS",
        body="Studiehandledning erbjuds alla.",
        valid_from=datetime.date(2026, 8, 1),
    )
    listing = login(cast.teacher_a).get(reverse("plans:education_plan_list")).content.decode()
    assert "Plan för utbildning IMS" in listing
    detail = (
        login(cast.analyst).get(reverse("plans:education_plan_detail", kwargs={"pk": document.pk})).content.decode()
    )
    assert "Studiehandledning erbjuds alla." in detail
    assert (
        "Plan för utbildning IMS" not in login(cast.mentor_b).get(reverse("plans:education_plan_list")).content.decode()
    )


def test_the_plan_form_offers_the_coming_terms_and_refuses_free_text(cast, login, courses):
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    # A new plan has no course row until one is asked for.
    page = client.post(url, plan_post(version=0, reason="", add_row="courses")).content.decode()
    for term in terms_from(datetime.date.today()):
        assert f'<option value="{term}">{term}</option>' in page
    response = client.post(
        url,
        plan_post(
            version=0,
            reason="Första plansamtalet",
            courses=[{"course": "SVASVA01", "term": "Termin 1–3", "status": "ongoing"}],
        ),
    )
    assert response.status_code == 200
    assert "Select a valid choice. Termin 1–3 is not one of the available choices." in response.content.decode()
    assert not Plan.objects.exists()


def test_an_earlier_term_of_a_course_stays_offered_when_the_plan_is_edited(cast, login, alice_plan):
    alice_plan.courses.update(term="VT 2019")
    page = login(cast.mentor_a).get(reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})).content.decode()
    assert '<option value="VT 2019" selected>VT 2019</option>' in page


# --- The form's sections, save bar and rows ---------------------------------------------


def test_a_new_plan_form_has_no_empty_rows_and_a_button_to_add_each(cast, login, courses):
    page = login(cast.mentor_a).get(reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})).content.decode()

    assert 'name="goals-TOTAL_FORMS" value="0"' in page
    assert 'name="courses-TOTAL_FORMS" value="0"' in page
    assert 'name="internships-TOTAL_FORMS" value="0"' in page
    assert "New row (leave empty to add nothing)" not in page
    for prefix, label in (("goals", "Add a goal"), ("courses", "Add a course"), ("internships", "Add an internship")):
        assert f'name="add_row" value="{prefix}" class="secondary" formnovalidate>{label}</button>' in page
    # The save bar comes before every other button: Enter saves, and Tab reaches it early.
    first_button = re.search(r"<button[^>]*>([^<]*)</button>", page[page.index('class="form-wide plan-form"') :])
    assert first_button.group(1) == "Save the plan"
    for section in ("f-path", "f-goals", "f-courses", "f-int", "f-more", "f-why"):
        assert f'href="#{section}"' in page and f'id="{section}"' in page


def test_adding_a_row_keeps_what_was_typed_saves_nothing_and_reports_nothing(cast, login, courses):
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    data = plan_post(
        version=0,
        reason="",
        study_path="Språkintroduktion först",
        goals=[{"term": "long", "kind": "job", "title": "Undersköterska"}],
        add_row="goals",
    )

    response = login(cast.mentor_a).post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not Plan.objects.exists()
    assert 'name="goals-TOTAL_FORMS" value="2"' in page
    assert 'value="Undersköterska"' in page and "Språkintroduktion först" in page
    # The new row's first field has the cursor; nothing is called missing yet.
    assert re.search(r'<select name="goals-1-term"[^>]*autofocus', page)
    assert "error-summary" not in page and "errorlist" not in page


def test_an_added_row_left_empty_is_not_saved(cast, login, courses):
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    data = plan_post(
        version=0,
        reason="Första planen",
        goals=[{"term": "short", "kind": "national_programme", "title": "", "status": "planned"}],
    )

    response = login(cast.mentor_a).post(url, data)

    assert response.status_code == 302
    assert Plan.objects.get().goals.count() == 0


def test_a_row_with_an_error_is_named_in_the_summary_with_its_section(cast, login, courses):
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    goal = {"term": "long", "kind": "job", "title": "", "status": "planned"}
    data = plan_post(version=0, reason="Första planen", goals=[goal])

    page = login(cast.mentor_a).post(url, data).content.decode()

    assert "There is 1 error" in page
    assert '<a href="#id_goals-0-title">Goals, row 1 – Goal: This field is required.</a>' in page
