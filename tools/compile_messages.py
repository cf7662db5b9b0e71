"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with polib.

Django's compilemessages needs GNU gettext's msgfmt, which a fresh machine may not have; polib is
pure Python and installed with the project. Fuzzy entries are left out, as msgfmt does.
"""

import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue.fuzzy_entries():
            catalogue.remove(entry)
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    print(f"compiled {count} catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
