"""Document numbers: per type, per committee term, never reused, safe when issued at the same moment."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from core.errors import DomainError
from documents import services
from documents.frame import frame_for
from documents.models import DocumentType, IssuedDocument, NumberRegister
from tests.factories import TermFactory

PLAN, RESOLUTION = DocumentType.PLAN, DocumentType.RESOLUTION


def issue(world, doc_type=PLAN, on=date(2026, 2, 5), organization=None):
    organization = organization or world.cell
    frame = frame_for(organization, doc_type=doc_type, summary="Sinh hoạt chuyên đề năm 2026", on=on)
    return services.issue_document(
        actor=world.officer, organization=organization, doc_type=doc_type, frame=frame, issued_on=on
    )


def test_numbers_start_at_01_for_each_type_in_a_term(world):
    first, second = issue(world), issue(world)
    assert (first.number, first.symbol) == (1, "01-KH/CB")
    assert (second.number, second.symbol) == (2, "02-KH/CB")


def test_each_document_type_has_its_own_sequence(world):
    issue(world, PLAN)
    issue(world, PLAN)
    resolution = issue(world, RESOLUTION)
    assert resolution.symbol == "01-NQ/CB"
    assert NumberRegister.objects.get(doc_type=PLAN).last_number == 2


def test_numbers_run_on_across_calendar_years_within_a_term(world):
    december = issue(world, on=date(2025, 12, 30))
    january = issue(world, on=date(2026, 1, 5))
    assert (december.number, january.number) == (1, 2)
    assert december.term == january.term


def test_numbers_restart_in_a_new_term(world):
    old = issue(world, on=date(2030, 5, 20))
    TermFactory(
        organization=world.cell, name="2030–2035", start_date=date(2030, 6, 2), end_date=date(2035, 6, 1)
    )
    new = issue(world, on=date(2030, 7, 1))
    assert (old.number, new.number) == (1, 1)
    assert new.term != old.term
    assert new.symbol == old.symbol == "01-KH/CB"


def test_a_number_taken_is_never_given_again(world):
    issue(world)
    services.allocate_number(organization=world.cell, doc_type=PLAN, on=date(2026, 2, 5))
    deleted = issue(world)
    deleted.delete()
    assert issue(world).number == 4


def test_the_database_refuses_a_second_document_with_the_same_number(world):
    document = issue(world)
    duplicate = IssuedDocument.objects.get(pk=document.pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_numbering_without_a_current_term_is_refused_with_a_clear_message(world):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.allocate_number(organization=world.party, doc_type=PLAN)
    assert str(refused.value) == "Open the committee term first: document numbers run per term."
    assert not NumberRegister.objects.exists()


def test_numbering_after_the_term_has_ended_is_refused(world):
    with pytest.raises(DomainError):
        services.allocate_number(organization=world.cell, doc_type=PLAN, on=date(2031, 1, 1))


def test_the_symbol_names_a_cell_CB_and_a_party_committee_ĐU(world):
    assert services.symbol(1, PLAN, world.cell) == "01-KH/CB"
    assert services.symbol(7, DocumentType.DECISION, world.party) == "07-QĐ/ĐU"
    assert services.symbol(3, DocumentType.PROGRAMME, world.cell) == "03-CTr/CB"


def test_the_number_has_two_digits_at_least_and_more_from_100(world):
    assert services.symbol(9, RESOLUTION, world.cell) == "09-NQ/CB"
    assert services.symbol(100, RESOLUTION, world.cell) == "100-NQ/CB"


def test_the_number_line_leaves_the_number_blank_on_a_draft(world):
    assert services.number_line(1, PLAN, world.cell) == "Số 01-KH/CB"
    assert services.number_line(None, PLAN, world.cell) == "Số     -KH/CB"


def test_the_date_line_pads_day_and_month_to_two_digits():
    assert services.date_line("Huế", date(2026, 2, 5)) == "Huế, ngày 05 tháng 02 năm 2026"
    assert services.date_line("Huế", date(2024, 11, 20)) == "Huế, ngày 20 tháng 11 năm 2024"


@pytest.mark.parametrize(
    ("month", "written"),
    [
        (1, "01"),
        (2, "02"),
        (3, "3"),
        (4, "4"),
        (5, "5"),
        (6, "6"),
        (7, "7"),
        (8, "8"),
        (9, "9"),
        (10, "10"),
        (11, "11"),
        (12, "12"),
    ],
)
def test_the_date_line_pads_only_days_below_10_and_the_months_1_and_2(month, written):
    # HD 36-HD/VPTW: "Huế, ngày 06 tháng 3 năm 2024", "ngày 27 tháng 8 năm 2026", "ngày 05 tháng 02 năm 2026".
    assert services.date_line("Huế", date(2026, month, 6)) == f"Huế, ngày 06 tháng {written} năm 2026"
    assert services.date_line("Huế", date(2026, month, 27)) == f"Huế, ngày 27 tháng {written} năm 2026"


def test_the_date_line_of_hd_36_itself():
    assert services.date_line("Hà Nội", date(2018, 4, 3)) == "Hà Nội, ngày 03 tháng 4 năm 2018"


def test_a_party_committee_with_a_term_numbers_its_own_documents(world):
    TermFactory(organization=world.party, name="2025–2030")
    assert issue(world, DocumentType.NOTICE, organization=world.party).symbol == "01-TB/ĐU"
    assert issue(world, DocumentType.NOTICE).symbol == "01-TB/CB"


# --- Concurrency ---------------------------------------------------------------------------------

WORKERS = 8
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) are what is tested"
)


def run_at_once(work):
    """Run ``work()`` in WORKERS threads released together; each thread has its own connection."""
    barrier = threading.Barrier(WORKERS)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_numbers_taken_at_the_same_moment_are_distinct_and_consecutive(world):
    def take():
        with transaction.atomic():
            return services.allocate_number(
                organization=world.cell, doc_type=RESOLUTION, on=date(2026, 3, 6)
            )[1]

    numbers = run_at_once(take)
    assert sorted(numbers) == list(range(1, WORKERS + 1))
    assert NumberRegister.objects.get(doc_type=RESOLUTION).last_number == WORKERS


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_documents_issued_at_the_same_moment_get_distinct_consecutive_numbers(world):
    frame = frame_for(world.cell, doc_type=RESOLUTION, summary="về chuyên đề", on=date(2026, 3, 6))

    def issue_one():
        document = services.issue_document(
            actor=None, organization=world.cell, doc_type=RESOLUTION, frame=frame, issued_on=date(2026, 3, 6)
        )
        return document.symbol

    symbols = run_at_once(issue_one)
    assert sorted(symbols) == [f"{n:02d}-NQ/CB" for n in range(1, WORKERS + 1)]
