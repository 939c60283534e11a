"""Compile every catalogue to .mo with polib: the shared one in studievag/locale/
and each area's own in studievag/<area>/locale/ (Django finds both).

Django's compilemessages needs GNU gettext's msgfmt; this needs nothing but
the pinned Python packages, so `make demo` works on a fresh machine. Fuzzy
entries are left out, as msgfmt does. Only rewrites a .mo that changed.
"""

import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "studievag"


def main() -> int:
    compiled = 0
    for po_path in sorted([*ROOT.glob("locale/*/LC_MESSAGES/*.po"), *ROOT.glob("*/locale/*/LC_MESSAGES/*.po")]):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        po = polib.pofile(str(po_path))
        for entry in po.fuzzy_entries():
            po.remove(entry)
        po.save_as_mofile(str(mo_path))
        compiled += 1
    print(f"Translations: {compiled} catalogue(s) compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
