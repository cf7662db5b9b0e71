"""Importing a cell's member list from a spreadsheet (XLSX or CSV), and the template to fill in.

The file is read in full and **every row is checked before anything is written**; if one row is
wrong, nothing is imported and the person sees each wrong row with its reasons. Otherwise all rows
are written in one transaction. Importing the same file twice changes nothing the second time.

:mod:`.columns` names the columns; :mod:`.reading` turns the upload into rows (what the file must
look like is described there); :mod:`.writing` matches, checks and writes them (which member a row
is, and what is changed, is described there); :mod:`.template` builds the file to fill in.
"""

from organizations.importing.columns import COLUMNS, Column, choice_words
from organizations.importing.template import TEMPLATE_NAME, template_csv, template_xlsx
from organizations.importing.writing import ImportRejected, ImportResult, RowError, import_members

__all__ = [
    "COLUMNS",
    "TEMPLATE_NAME",
    "Column",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "choice_words",
    "import_members",
    "template_csv",
    "template_xlsx",
]
