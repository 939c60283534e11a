"""Convert SS 12000's OpenAPI document (YAML, as SIS publishes it) to the JSON the application loads.

    .venv/bin/python scripts/ss12000_openapi_json.py ../shared/reference/ss12000_openapi_v2.1.0.yaml

JSON loads in milliseconds with the standard library, so the running
application needs no YAML parser. Dates and times in the document's examples
stay strings, as they are on the wire.
"""

import json
import sys
from pathlib import Path

import yaml

TARGET = Path(__file__).resolve().parent.parent / "studievag" / "interop" / "ss12000" / "openapi-2.1.0.json"


class _StringDatesLoader(yaml.SafeLoader):
    """YAML's safe loader without the timestamp rule: ``2016-10-15`` stays a string."""


_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDatesLoader)


def main(source: str) -> None:
    document = load_yaml(Path(source))
    TARGET.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(document['paths'])} paths, {len(document['components']['schemas'])} schemas")


if __name__ == "__main__":
    main(sys.argv[1])
