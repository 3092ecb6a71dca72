"""The static demo market: councils, providers and locations, and what does not change monthly.

Everything is drawn from one numpy Generator in a fixed order, so a seed fixes the market.
Arrays are indexed by location (0..N-1) or provider; nothing loops per location.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from market_oversight.demo.scales import (
    LAST_PERIOD, LOCAL_ICBS, LOCAL_REGION, REGIONS, Scale, council_names, month_index,
)

CARE_HOME, HOME_CARE, OTHER = 0, 1, 2
HSCA_START = 2010 * 12 + 9           # month index of October 2010
LOCATION_ID_BASE = 8_000_000_000      # demo ids "1-8000000123": outside the range real ids use
PROVIDER_ID_BASE = 9_000_000_000


@dataclass(frozen=True)
class Councils:
    name: np.ndarray          # str
    region: np.ndarray        # str
    icb_code: np.ndarray      # str, (councils, 2): each council spans up to two ICBs
    icb_name: np.ndarray
    lat: np.ndarray
    lon: np.ndarray


@dataclass(frozen=True)
class World:
    scale: Scale
    seed: int
    councils: Councils
    # providers
    provider_index: np.ndarray     # per location: index of its provider
    provider_count: int
    provider_kind: np.ndarray      # per provider: ownership type label
    # locations
    kind: np.ndarray               # CARE_HOME | HOME_CARE | OTHER
    council: np.ndarray            # index into councils
    icb: np.ndarray                # 0 or 1: which of its council's ICBs
    beds: np.ndarray               # care homes: beds; home care: people it can support
    nursing: np.ndarray            # bool: care home with nursing
    dementia: np.ndarray           # bool: dementia specialism
    learning_disability: np.ndarray  # bool: learning disabilities specialism (small homes, supported living)
    registered_month: np.ndarray   # month index of registration
    base_health: np.ndarray        # where the location's health tends to return to
    fee_ratio: np.ndarray          # its fee relative to the council's usual rate
    council_share: np.ndarray      # share of residents or people funded by the council
    nhs_share: np.ndarray
    diligence: np.ndarray          # how reliably it sends its returns on time (0..1)
    demand: np.ndarray             # how sought-after its places are (occupancy above or below usual)
    lat: np.ndarray
    lon: np.ndarray

    @property
    def n(self) -> int:
        return len(self.kind)

    def location_ids(self) -> np.ndarray:
        return np.char.add("1-", (LOCATION_ID_BASE + np.arange(self.n)).astype(str))

    def provider_ids(self) -> np.ndarray:
        return np.char.add("1-", (PROVIDER_ID_BASE + np.arange(self.provider_count)).astype(str))


def _councils(rng: np.random.Generator, scale: Scale) -> Councils:
    n = scale.local_authorities
    names = np.array(council_names(n))
    if n == 1:
        region = np.array([LOCAL_REGION])
        codes = np.array([[LOCAL_ICBS[0][0], LOCAL_ICBS[1][0]]])
        icb_names = np.array([[LOCAL_ICBS[0][1], LOCAL_ICBS[1][1]]])
        lat, lon = np.array([53.37]), np.array([-3.05])
    else:
        region = np.array(REGIONS)[rng.integers(0, len(REGIONS), n)]
        icb_no = rng.integers(0, 42, (n, 2))
        codes = np.char.add("E54000", (900 + icb_no).astype(str))
        icb_names = np.char.add(np.char.add("NHS Demo ICB ", (900 + icb_no).astype(str)), "")
        lat, lon = rng.uniform(50.4, 54.9, n), rng.uniform(-4.5, 1.5, n)
    return Councils(names, region, codes, icb_names, lat, lon)


def _providers(rng: np.random.Generator, kind: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """Group locations of the same kind into providers: most own one, a few own chains."""
    provider_index = np.empty(len(kind), dtype=np.int64)
    next_provider = 0
    for k in (CARE_HOME, HOME_CARE, OTHER):
        members = np.flatnonzero(kind == k)
        sizes = rng.choice([1, 2, 3, 4, 6, 9], size=len(members),
                           p=[0.62, 0.14, 0.08, 0.07, 0.05, 0.04])
        ends = np.cumsum(sizes)
        used = int(np.searchsorted(ends, len(members))) + 1
        starts = np.repeat(np.arange(used), sizes[:used])[: len(members)]
        shuffled = rng.permutation(members)
        provider_index[shuffled] = next_provider + starts
        next_provider += used
    ownership = np.array(["Organisation", "Individual", "Partnership"])[
        rng.choice(3, size=next_provider, p=[0.82, 0.11, 0.07])]
    return provider_index, next_provider, ownership


def build_world(scale: Scale, seed: int) -> World:
    rng = np.random.default_rng([seed, 20261031])
    councils = _councils(rng, scale)
    kind = np.concatenate([np.full(scale.care_homes, CARE_HOME), np.full(scale.home_care, HOME_CARE),
                           np.full(scale.other, OTHER)]).astype(np.int8)
    n = len(kind)
    council = rng.integers(0, scale.local_authorities, n)
    provider_index, provider_count, ownership = _providers(rng, kind)
    # A chain tends to sit in one council: move every location to its provider's first council.
    first_council = council[np.unique(provider_index, return_index=True)[1]]
    council = first_council[provider_index] if scale.local_authorities > 1 else council
    # About a fifth of care homes are small homes (under 10 beds) for adults with learning
    # disabilities, as in England; supported living is mostly for them too.
    small_home = (kind == CARE_HOME) & (rng.random(n) < 0.2)
    learning_disability = small_home | ((kind == OTHER) & (rng.random(n) < 0.6)) | (
        (kind == HOME_CARE) & (rng.random(n) < 0.1))
    beds = np.where(small_home, rng.integers(3, 10, n),
                    np.where(kind == CARE_HOME, np.clip(rng.lognormal(3.75, 0.42, n), 10, 180),
                             np.where(kind == HOME_CARE, np.clip(rng.lognormal(4.0, 0.6, n), 8, 400), 0)))
    nursing = (kind == CARE_HOME) & ~small_home & (rng.random(n) < 0.42)
    dementia = (kind != OTHER) & ~learning_disability & (rng.random(n) < 0.6)
    first = month_index(LAST_PERIOD) - scale.months + 1
    # Most were registered years before the window opens; about 8% open during it.
    # (Registration under the Health and Social Care Act began in October 2010.)
    registered_month = np.where(rng.random(n) < 0.92,
                                np.maximum(first - rng.integers(6, 180, n), HSCA_START),
                                first + rng.integers(0, scale.months - 6, n))
    # Health: a chain shares part of its quality (the same owner runs all its homes); nursing homes,
    # large homes and owners without an organisation behind them do worse, as CQC's ratings show.
    provider_quality = rng.normal(0.0, 0.05, provider_count)
    owner_alone = np.isin(ownership[provider_index], ["Individual", "Partnership"])
    structure = (-0.04 * nursing - 0.03 * ((kind == CARE_HOME) & (beds >= 60))
                 - 0.03 * owner_alone + 0.02 * small_home)
    base_health = np.clip(0.505 + 0.42 * rng.beta(5, 2.5, n) + structure
                          + provider_quality[provider_index], 0.4, 0.97)
    demand = rng.normal(0.0, 0.05, n)
    fee_ratio = np.clip(rng.normal(1.0, 0.06, n), 0.82, 1.25)
    council_share = rng.uniform(0.25, 0.75, n)
    nhs_share = rng.uniform(0.02, 0.15, n)
    diligence = rng.beta(9, 1.3, n)
    lat = councils.lat[council] + rng.normal(0, 0.04, n)
    lon = councils.lon[council] + rng.normal(0, 0.06, n)
    return World(scale, seed, councils, provider_index, provider_count, ownership, kind, council,
                 rng.integers(0, 2, n), np.round(beds).astype(np.int64), nursing, dementia,
                 learning_disability, registered_month, base_health, fee_ratio, council_share,
                 nhs_share, diligence, demand, lat, lon)
