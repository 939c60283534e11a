import pytest

from studievag.catalogue.models import Course, Subject
from studievag.catalogue.services import CatalogueImportError, catalogue_import

pytestmark = pytest.mark.django_db


def test_a_csv_file_imports_every_course_once_and_again_changes_nothing(tmp_path):
    Course.objects.all().delete()
    Subject.objects.all().delete()
    path = tmp_path / "courses.csv"
    path.write_text(
        "school_type_dir,subject_code,subject_name,subject_designation,course_code,course_name,points\n"
        "GY,MAT,Matematik,,MATMAT01a,Matematik 1a,100\n"
        "GR,GRGRMAT01,Matematik,MA,GRGRMAT01_7-9,Årskurs 7-9,\n"
        "GRSAM,GRGRMAT01,Matematik,MA,GRGRMAT01_7-9,Årskurs 7-9,\n",
        encoding="utf-8",
    )
    first = catalogue_import(path)
    assert first.courses_created == Course.objects.count() == 3
    assert Course.objects.get(school_type="GY", code="MATMAT01a").kind == "course"
    # The same code under two school types is two courses.
    assert Course.objects.filter(code="GRGRMAT01_7-9", kind="stage").count() == 2
    again = catalogue_import(path)
    assert (again.subjects_created, again.courses_created) == (0, 0)
    assert again.unchanged == first.courses_created


def test_a_bad_row_is_named_and_nothing_is_imported(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_text(
        "school_type_dir,subject_code,subject_name,subject_designation,course_code,course_name,points\n"
        "GY,MAT,Matematik,,MATMAT01a,Matematik 1a,100\n"
        "XX,SVA,Svenska,,SVASVA01,Svenska 1,100\n"
        "GY,ENG,Engelska,,ENGENG05,Engelska 5,hundra\n",
        encoding="utf-8",
    )
    before = Course.objects.count()
    with pytest.raises(CatalogueImportError) as error:
        catalogue_import(path)
    assert error.value.errors == [
        "row 3: unknown school type “XX”",
        "row 4: points “hundra” is not a whole number",
    ]
    assert Course.objects.count() == before
