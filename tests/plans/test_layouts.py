"""The layout gallery (tests/data/layouts): each document reads exactly as its expected result says."""

import pytest

from .layouts import cases, differences, score


@pytest.mark.parametrize("case", cases("layouts"), ids=lambda case: case.name)
def test_the_document_reads_as_a_clerk_reads_it(case):
    assert differences(case) == []


@pytest.mark.parametrize("folder", ["holdout", "holdout2", "holdout3", "holdout4"])
def test_documents_written_without_reading_the_readers_are_read_to_nine_in_ten(folder):
    # Two sets written by people who did not read the readers (tests/data/holdout*/): at least 90% of
    # their tasks are found with clean text, their units are right (precision and recall), and no
    # document with tasks is refused.
    result = score(folder)
    assert result.refused == 0
    assert result.task_recall >= 0.9 and result.task_precision >= 0.9
    assert result.unit_recall >= 0.9 and result.unit_precision >= 0.9
