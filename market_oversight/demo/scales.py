"""The sizes of demo market, and the fixed calendar they share.

History always ends at the same fixed date so that a build is reproducible whatever the day:
the last simulated month is October 2026 and the register snapshot is taken on 31 October 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

AS_OF = date(2026, 10, 31)          # the snapshot date of the demo register
LAST_PERIOD = date(2026, 10, 1)     # the last simulated month


def month_index(d: date) -> int:
    """Months since year 0: a plain integer calendar that numpy can vectorise."""
    return d.year * 12 + d.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Scale:
    name: str
    care_homes: int
    home_care: int
    other: int
    months: int                      # simulated months ending LAST_PERIOD
    local_authorities: int           # 1 for a single council
    with_casework: bool

    @property
    def locations(self) -> int:
        return self.care_homes + self.home_care + self.other

    @property
    def first_period(self) -> date:
        return month_start(month_index(LAST_PERIOD) - self.months + 1)


# A council the size of Wirral: about 120 care homes and 90 home-care agencies; five years.
LOCAL = Scale("local", care_homes=120, home_care=90, other=8, months=60, local_authorities=1,
              with_casework=True)
# England-sized: about 30,000 care homes and home-care agencies over 150 councils; ten years.
NATIONAL = Scale("national", care_homes=15_600, home_care=14_400, other=600, months=120,
                 local_authorities=150, with_casework=True)

# A handful of services over two years: the same sources and casework, built in seconds, for
# trying the commands and for the demo's own reproducibility tests.
TINY = Scale("tiny", care_homes=12, home_care=9, other=2, months=24, local_authorities=1,
             with_casework=True)

SCALES = {s.name: s for s in (LOCAL, NATIONAL, TINY)}

# The local demo council is fictional; its two ICB codes are real-looking ONS codes in the
# E54 range. Postcodes use the unused area "KM" so that no demo address is anyone's real one.
LOCAL_COUNCIL = "Kingsmere"
LOCAL_REGION = "North West"
LOCAL_ICBS = (("E54000908", "NHS Kingsmere and Wyrebank Integrated Care Board"),
              ("E54000957", "NHS Mersey Vale Integrated Care Board"))
REGIONS = ("North East", "North West", "Yorkshire and The Humber", "East Midlands",
           "West Midlands", "East", "London", "South East", "South West")

_PREFIXES = ("Ash", "Bram", "Calder", "Dun", "Elm", "Fern", "Glen", "Hart", "Ivy", "Kings",
             "Lark", "Marl", "North", "Oak", "Pen")
_SUFFIXES = ("bury", "field", "ford", "ham", "mere", "moor", "stead", "ton", "wick", "worth")


def council_names(n: int) -> list[str]:
    """Fictional council names (Kingsmere first, then prefix+suffix combinations)."""
    names = [LOCAL_COUNCIL]
    for p in _PREFIXES:
        for s in _SUFFIXES:
            name = f"{p}{s}"
            if name != LOCAL_COUNCIL:
                names.append(name)
    if n > len(names):
        names += [f"Council {i:03d}" for i in range(len(names), n)]
    return names[:n]
