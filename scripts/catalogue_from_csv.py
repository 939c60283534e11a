"""Write the shipped catalogue of courses (before gy25) and compulsory-school subjects.

Reads Skolverket's flattened subject and course list of 2018-07-02 (the team's
reference copy, ``../shared/reference/skolverket_subjects_courses_2018-07-02.csv``)
and writes it in the format of Skolverket's syllabus API (``SubjectsResponse``:
subjects, each with its courses), gzipped, to
``studievag/catalogue/data/subjects_courses_2018-07-02.json.gz``. The application
reads only that file (``catalogue.services.catalogue_load_shipped``), so a clone
without ``../shared`` has the whole catalogue. Run again only when the source changes:

    .venv/bin/python scripts/catalogue_from_csv.py [path/to/file.csv]
"""

import csv
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "reference" / "skolverket_subjects_courses_2018-07-02.csv"
TARGET = ROOT / "studievag" / "catalogue" / "data" / "subjects_courses_2018-07-02.json.gz"
# The syllabus API's type of syllabus for each school type of the 2018 list.
TYPE_OF_SYLLABUS = {
    "GR": "COURSE_SYLLABUS",
    "GRS": "COURSE_SYLLABUS",
    "GRSAM": "COURSE_SYLLABUS",
    "GRSPEC": "COURSE_SYLLABUS",
    "VUXGR": "GRVUX_COURSE",
    "GY": "SUBJECT_SYLLABUS",
    "GYS": "SUBJECT_SYLLABUS",
}


def convert(source: Path) -> dict:
    subjects: dict[tuple[str, str], dict] = {}
    with open(source, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            school_type = row["school_type_dir"]
            key = (school_type, row["subject_code"])
            subject = subjects.setdefault(
                key,
                {
                    "code": row["subject_code"],
                    "name": row["subject_name"],
                    "typeOfSyllabus": TYPE_OF_SYLLABUS[school_type],
                    "schoolTypes": [school_type],
                    "courses": [],
                },
            )
            if row["subject_designation"]:
                subject["designation"] = row["subject_designation"]
            if row["course_code"]:
                course = {
                    "code": row["course_code"],
                    # "Årskurs 7-9" with an en dash, as Swedish writes a range.
                    "name": re.sub(r"(?<=\d)-(?=\d)", "–", row["course_name"]),
                    "sortOrder": len(subject["courses"]) + 1,
                }
                if row["points"]:
                    course["points"] = row["points"]
                subject["courses"].append(course)
    return {
        "apiName": "Syllabus API",
        "dataOrigin": "Skolverket, subjects and courses 2018-07-02 (flattened open data), converted by "
        "scripts/catalogue_from_csv.py",
        "calledMethod": "ListSubjects",
        "totalElements": len(subjects),
        "dateParam": "2018-07-02",
        "subjects": list(subjects.values()),
    }


if __name__ == "__main__":
    data = convert(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(TARGET, "wb", mtime=0) as out:
        out.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    print(f"{TARGET.relative_to(ROOT)}: {data['totalElements']} subjects")
