"""The printed floor plan's layout rules, without a database: names fitted into their booths,
and only confirmed exhibitors named."""

from events_app.booths import floorplan
from events_app.catalogue.floor_plan_pdf import CHAR_WIDTH_EM, name_lines, printed_plan


def _fits(lines, size, width, depth):
    per_line = int(width * 0.92 / (size * CHAR_WIDTH_EM))
    return all(len(line) <= per_line for line in lines) and len(lines) * size * 1.2 <= depth * 0.62 + 1e-9


def test_a_name_is_cut_at_words_into_lines_that_fit_its_booth():
    lines, size = name_lines("HTX Nông nghiệp và Dịch vụ Minh Thành", 3, 3)
    assert " ".join(lines) == "HTX Nông nghiệp và Dịch vụ Minh Thành"
    assert _fits(lines, size, 3, 3) and size >= 0.3
    lines, size = name_lines("Gà Tiên Yên", 6, 3)
    assert lines == ["Gà Tiên Yên"] and size == 0.5
    # A long name in a shelf slot ends with an ellipsis rather than spilling over.
    lines, size = name_lines("Công ty Cổ phần Công nghệ tảo Việt Nam chi nhánh Quỳnh Lưu Nghệ An", 1, 0.6)
    assert lines[-1].endswith("…") and len(lines) == 1
    assert name_lines("", 3, 3) == ([], 0.0)


def _booth(code, status, holder="", x=1.0):
    return floorplan.PlacedBooth(id=1, code=code, booth_type="standard", x=x, y=1, width=3, depth=3, price=0,
                                 status=status, holder=holder)


def test_only_taken_booths_are_named_and_free_ones_print_white():
    plan = floorplan.HallPlan("Khu A", 40, 24, (
        _booth("A-01", floorplan.TAKEN, "HTX Sen quê Bác"), _booth("A-02", floorplan.HELD, "HTX Chờ Duyệt", x=4),
        _booth("A-10", floorplan.FREE, x=7), _booth("A-9", floorplan.TAKEN, "Cơ sở Nấm", x=10),
    ))
    [hall] = printed_plan([plan, floorplan.HallPlan("Khu trống", 10, 10, ())])
    by_code = {b["code"]: b for b in hall["booths"]}
    assert by_code["A-01"]["name"] == "HTX Sen quê Bác" and by_code["A-01"]["lines"]
    assert by_code["A-02"]["name"] == "" and by_code["A-02"]["lines"] == []
    assert by_code["A-10"]["fill"] == "#ffffff"
    assert hall["exhibitors"] == [("A-01", "HTX Sen quê Bác"), ("A-9", "Cơ sở Nấm")]  # A-9 before A-10 order
    assert hall["free"] == 1
