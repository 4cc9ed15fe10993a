"""Shot numbers as productions write them: 12, 12A, 12B, 12AA."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.shot_number import consecutive_numbers, is_valid_number, number_between, number_key


@pytest.mark.parametrize(
    ("before", "after", "number"),
    [
        ("12", "13", "12A"),
        ("12A", "13", "12B"),
        ("12A", "12B", "12AA"),
        ("12B", "13", "12C"),
        ("12", None, "13"),
        ("12A", None, "13"),
        ("12", "15", "13"),
        ("12Z", "13", "12ZA"),
        (None, "5", "4"),
        (None, "1", "0"),
        (None, None, "1"),
    ],
)
def test_number_for_a_shot_inserted_between_two_others(before: str | None, after: str | None, number: str) -> None:
    assert number_between(before, after) == number


def test_inserted_number_avoids_numbers_already_taken() -> None:
    assert number_between("12", "13", taken={"12A"}) == "12AA"
    assert number_between("12", None, taken={"13", "13A"}) == "13AA"
    assert number_between("12", "13", taken=frozenset()) == "12A"


def test_numbers_sort_by_their_integer_part_then_their_letters() -> None:
    numbers = ["13", "12B", "2", "12", "12AA", "12A", "100"]
    assert sorted(numbers, key=number_key) == ["2", "12", "12A", "12AA", "12B", "13", "100"]


def test_numbers_that_are_not_shot_numbers_sort_last() -> None:
    assert sorted(["insert", "3"], key=number_key) == ["3", "insert"]
    assert not is_valid_number("insert")
    assert not is_valid_number("12a")
    assert is_valid_number("12AA")


def test_consecutive_numbers_count_from_start() -> None:
    assert consecutive_numbers(3) == ["1", "2", "3"]
    assert consecutive_numbers(2, start=10) == ["10", "11"]


shot_numbers = st.from_regex(r"\A[1-9][0-9]{0,2}[A-Y]{0,2}\Z")


@given(before=shot_numbers, after=shot_numbers, taken=st.sets(shot_numbers, max_size=5))
def test_inserted_number_sorts_between_its_neighbours_and_is_unused(before: str, after: str, taken: set[str]) -> None:
    before, after = sorted([before, after], key=number_key)
    if number_key(before) == number_key(after) or after == before + "A":
        return  # no number fits between equal numbers, nor between 12 and 12A
    number = number_between(before, after, taken=taken | {before, after})
    assert is_valid_number(number)
    assert number not in taken
    assert number_key(before) < number_key(number)
    if not taken:
        assert number_key(number) < number_key(after)
