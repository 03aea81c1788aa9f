"""The layout gallery (tests/data/layouts): each document reads exactly as its expected result says."""

import pytest

from .layouts import cases, differences


@pytest.mark.parametrize("case", cases("layouts"), ids=lambda case: case.name)
def test_the_document_reads_as_a_clerk_reads_it(case):
    assert differences(case) == []
