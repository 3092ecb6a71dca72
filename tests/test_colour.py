"""The colour arithmetic behind the palette checks, against published reference values."""

import pytest

from tests import colour


# Given pairs from Sharma, Wu and Dalal (2005), table 1, with their published CIEDE2000 values
@pytest.mark.parametrize(("lab1", "lab2", "expected"), [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
])
def test_ciede2000_matches_the_published_test_pairs(lab1, lab2, expected) -> None:
    # When the difference is computed both ways round, then it matches to 4 decimal places
    assert colour.ciede2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert colour.ciede2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)


def test_contrast_ratio_spans_1_to_21_and_matches_known_greys() -> None:
    assert colour.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert colour.contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert colour.contrast_ratio("#B2182B", "#B2182B") == pytest.approx(1.0)
    # #767676 is the lightest grey that passes 4.5:1 on white; #777777 just fails
    assert colour.contrast_ratio("#767676", "#FFFFFF") >= 4.5
    assert colour.contrast_ratio("#777777", "#FFFFFF") < 4.5


def test_lab_of_white_and_srgb_red() -> None:
    assert colour.to_lab("#FFFFFF") == pytest.approx((100.0, 0.0, 0.0), abs=1e-3)
    assert colour.to_lab("#FF0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.01)


def test_simulation_keeps_greys_and_merges_red_with_green_for_red_green_deficiencies() -> None:
    # Each Machado matrix's rows sum to 1, so a neutral grey stays (nearly) itself
    for deficiency in colour.CVD_MATRICES:
        assert colour.difference("#808080", colour.simulate("#808080", deficiency)) < 1.0
    # Pure red and a green of the same lightness are far apart normally, close for deuteranopes
    assert colour.difference("#D00000", "#008A00") > 40
    assert colour.difference("#D00000", "#008A00", "deuteranopia") < 15
    # Blue against green stays apart for deuteranopes but not for tritanopes as much
    assert colour.difference("#0000FF", "#00A000", "deuteranopia") > colour.difference(
        "#0000FF", "#00A000", "tritanopia")


def test_bad_input_names_the_problem() -> None:
    with pytest.raises(ValueError, match="#RRGGBB"):
        colour.parse_hex("red")
    with pytest.raises(ValueError, match="deuteranopia"):
        colour.simulate("#FFFFFF", "achromatopsia")
    assert colour.parse_hex("#fff") == (1.0, 1.0, 1.0)
