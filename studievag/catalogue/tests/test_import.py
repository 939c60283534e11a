import pytest

from studievag.catalogue.models import Course, Subject
from studievag.catalogue.services import DEFAULT_CSV, CatalogueImportError, catalogue_import

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not DEFAULT_CSV.exists(), reason="shared/reference is not beside the project")
def test_skolverket_file_imports_every_course_once_and_again_changes_nothing():
    first = catalogue_import(DEFAULT_CSV)
    assert first.courses_created == Course.objects.count() > 1400
    assert Course.objects.get(school_type="GY", code="MATMAT01a").name == "Matematik 1a"
    # The same code under two school types is two courses.
    assert Course.objects.filter(code="GRGRMAT01_7-9").count() >= 2
    again = catalogue_import(DEFAULT_CSV)
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
    with pytest.raises(CatalogueImportError) as error:
        catalogue_import(path)
    assert error.value.errors == [
        "row 3: unknown school type “XX”",
        "row 4: points “hundra” is not a whole number",
    ]
    assert not Subject.objects.exists() and not Course.objects.exists()
