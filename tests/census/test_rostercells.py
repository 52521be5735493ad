"""Roster cells: what Excel and people do to mobiles, codes and names is undone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.census.rostercells import (
    CellError,
    cell_text,
    normalize_code,
    normalize_email,
    normalize_identifier,
    normalize_mobile,
    normalize_name,
    split_values,
)

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        13800138000,
        13800138000.0,
        "13800138000.0",
        "1.38001380E10",
        "1.3800138e+10",
        "１３８００１３８０００",
        " 13800138000\u00a0",
        "\u200b13800138000",
        "'13800138000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086-138-0013-8000",
        "86 13800138000",
        "138-0013-8000",
        "(+86)138 0013 8000",
        "＋８６ １３８００１３８０００",
    ],
)
def test_mobile_forms_normalised(raw: object) -> None:
    assert normalize_mobile(raw) == "13800138000"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "missing"),
        (None, "missing"),
        ("   ", "missing"),
        ("1.38E+10", "digits_lost"),
        ("1.38001E+10", "digits_lost"),
        ("1380013800", "invalid"),
        ("23800138000", "invalid"),
        ("12800138000", "invalid"),
        ("138001380001", "invalid"),
        ("138 0013 800x", "invalid"),
        ("+852-61234567", "invalid"),
    ],
)
def test_mobile_rejected(raw: object, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        normalize_mobile(raw)
    assert caught.value.reason == reason


@st.composite
def written_mobile(draw: st.DrawFn) -> tuple[str, str]:
    """A mainland mobile and one way a person or Excel could have written it."""
    mobile = (
        "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    )
    prefix = draw(st.sampled_from(["", "+86", "0086", "+86 ", "86", "'"]))
    text = mobile
    if draw(st.booleans()):
        text = f"{mobile[:3]}{draw(st.sampled_from([' ', '-', '—', chr(0xA0)]))}{mobile[3:7]}-{mobile[7:]}"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH_DIGITS)
    if prefix == "'":
        return mobile, "'" + text
    return mobile, prefix + text + draw(st.sampled_from(["", " ", "\u3000"]))


@given(written_mobile())
def test_mobile_round_trip(case: tuple[str, str]) -> None:
    mobile, text = case
    assert normalize_mobile(text) == mobile


@given(st.integers(13_000_000_000, 19_999_999_999))
def test_mobile_from_excel_float(number: int) -> None:
    expected = str(number)
    if expected[1] in "3456789":
        assert normalize_mobile(float(number)) == expected
        assert normalize_mobile(f"{float(number):.10E}") == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("370783001001", "370783001001"),
        (370783001001, "370783001001"),
        (370783001001.0, "370783001001"),
        ("370783001001.0", "370783001001"),
        ("3.70783001001E+11", "370783001001"),
        ("'370783001001", "370783001001"),
        (" 370 783 001 001 ", "370783001001"),
        ("３７０７８３００１００１", "370783001001"),
        ("370783", "370783000000"),
        ("370783001", "370783001000"),
    ],
)
def test_code_forms_normalised(raw: object, code: str) -> None:
    assert normalize_code(raw) == code


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "missing"),
        ("3.70783E+11", "digits_lost"),
        ("37078300100", "invalid"),
        ("3707830010011", "invalid"),
        ("37078300100A", "invalid"),
    ],
)
def test_code_rejected(raw: str, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        normalize_code(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        ("党员、业务骨干", ["党员", "业务骨干"]),
        (
            "党员,业务骨干，长表普查员；培训讲师;联络员",
            ["党员", "业务骨干", "长表普查员", "培训讲师", "联络员"],
        ),
        (" 党员 、、 业务骨干 ", ["党员", "业务骨干"]),
        ("党员\n业务骨干", ["党员", "业务骨干"]),
        ("党员、党员", ["党员"]),
        ("", []),
    ],
)
def test_split_values(raw: str, values: list[str]) -> None:
    assert split_values(raw) == values


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("张　三", "张三"),
        (" 张 三 ", "张三"),
        ("欧阳\u00a0明", "欧阳明"),
        ("买买提 · 艾力", "买买提·艾力"),
        ("John  Smith", "John Smith"),
        ("", ""),
    ],
)
def test_name_padding_removed(raw: str, name: str) -> None:
    assert normalize_name(raw) == name


def test_identifier_and_email() -> None:
    assert normalize_identifier(1001.0) == "1001"
    assert normalize_identifier("'RP0001 ") == "RP0001"
    assert normalize_identifier("ＲＰ０００１") == "RP0001"
    assert normalize_email(" zhang.san@example.com ") == "zhang.san@example.com"
    assert normalize_email("") == ""
    assert normalize_email("zhang san@example.com") == "zhangsan@example.com"
    for bad in ("zhang", "zhang@", "@example.com", "zhang@example", "张三@example.com"):
        with pytest.raises(CellError):
            normalize_email(bad)


def test_cell_text_types() -> None:
    assert cell_text(None) == ""
    assert cell_text(12) == "12"
    assert cell_text(12.0) == "12"
    assert cell_text(12.5) == "12.5"
    assert cell_text(True) == "TRUE"
    assert cell_text("\ufeff 办公室 ") == "办公室"
