"""Issue 17: "the register's numbers match the number register under concurrency".

Several threads (each with its own PostgreSQL connection) issue documents of two types at the same
moment, and some of them roll back after their number was taken. Afterwards the register of issued
documents (documents.selectors.register, what the page and its XLSX list) holds, for each type, exactly
the numbers 1…NumberRegister.last_number: none twice, none missing, none beyond it, each symbol its
number. test_numbers.py shows distinct numbers from allocate_number; this compares the register itself.
"""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from documents import selectors, services
from documents.frame import frame_for
from documents.models import DocumentType, NumberRegister

WORKERS = 8
ROUNDS = 3
TYPES = (DocumentType.RESOLUTION, DocumentType.NOTICE)
ON = date(2026, 3, 6)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) are what is tested"
    ),
    pytest.mark.django_db(transaction=True),
]


class RolledBack(Exception):
    """Raised inside an issue's transaction to give its number back."""


def test_the_register_matches_the_number_register_when_issued_at_once(world):
    frames = {t: frame_for(world.cell, doc_type=t, summary="về sinh hoạt chi bộ", on=ON) for t in TYPES}
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []
    issued: list[str] = []

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for round_ in range(ROUNDS):
                doc_type = TYPES[(index + round_) % len(TYPES)]
                try:
                    with transaction.atomic():
                        document = services.issue_document(
                            actor=None,
                            organization=world.cell,
                            doc_type=doc_type,
                            frame=frames[doc_type],
                            issued_on=ON,
                        )
                        if (index + round_) % 4 == 3:  # a quarter of them fail after taking their number
                            raise RolledBack
                    issued.append(document.symbol)
                except RolledBack:
                    pass
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

    rows = list(selectors.register(world.cell))
    assert sorted(d.symbol for d in rows) == sorted(issued)
    for doc_type in TYPES:
        numbers = sorted(d.number for d in rows if d.doc_type == doc_type)
        last = NumberRegister.objects.get(organization=world.cell, doc_type=doc_type).last_number
        assert numbers == list(range(1, last + 1)), doc_type
        assert {d.symbol for d in rows if d.doc_type == doc_type} == {
            f"{n:02d}-{doc_type}/CB" for n in numbers
        }
    assert len(rows) == WORKERS * ROUNDS - sum(
        1 for i in range(WORKERS) for r in range(ROUNDS) if (i + r) % 4 == 3
    )
