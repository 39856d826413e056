import datetime as dt

import pytest

from generator import dates


@pytest.mark.parametrize(
    ("value", "shown", "on"),
    [
        ("2020-05-11", "11 במאי 2020", "ב-11 במאי 2020"),
        ("2018-07", "יולי 2018", "ביולי 2018"),
        ("2014", "2014", "ב-2014"),
    ],
)
def test_hebrew_dates(value, shown, on):
    assert dates.format_hebrew(value) == shown
    assert dates.on_date_hebrew(value) == on


@pytest.mark.parametrize(
    ("updated", "stale"),
    [("2024-06-30", True), ("2024-07-02", False), ("2024-06", True), ("2024", False), ("2023", True)],
)
def test_stale_after_eighteen_months(updated, stale):
    # A partial date counts from its last day: "2024" may mean December 2024.
    assert dates.is_stale(updated, dt.date(2026, 1, 1)) is stale


def test_build_date_prefers_source_date_epoch(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dates.build_timestamp(tmp_path) == 1700000000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert abs(dates.build_timestamp(tmp_path) - dt.datetime.now(dt.UTC).timestamp()) < 60  # no git: now


def test_the_build_s_day_is_the_day_in_israel():
    # 22:30 in UTC is already the next day in Israel, where what is late is read; noon is the same day in both.
    late_evening = dt.datetime(2026, 3, 27, 22, 30, tzinfo=dt.UTC).timestamp()
    assert dates.BuildInfo(int(late_evening), "").today == dt.date(2026, 3, 28)
    noon = dt.datetime(2026, 3, 27, 12, 0, tzinfo=dt.UTC).timestamp()
    assert dates.BuildInfo(int(noon), "").today == dt.date(2026, 3, 27)
