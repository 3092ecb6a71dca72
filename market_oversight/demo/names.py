"""Plausible, fictional names, streets, postcodes and phone numbers for the demo market."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from market_oversight.demo.world import CARE_HOME, HOME_CARE, World

_FIRST = ("Abbey", "Alder", "Ashlea", "Beech", "Birch", "Bramble", "Brook", "Cedar", "Clover",
          "Copper", "Dale", "Elder", "Fairview", "Fox", "Hawthorn", "Heather", "Holly", "Juniper",
          "Laurel", "Linden", "Maple", "Meadow", "Mill", "Oak", "Orchard", "Primrose", "Rowan",
          "Sandy", "Spring", "Willow", "Wren", "Yew")
_HOME = ("House", "Lodge", "Court", "Manor", "Grange", "View", "Hall", "Gardens", "Nursing Home",
         "Care Home")
_AGENCY = ("Home Care", "Care at Home", "Homecare Services", "Community Care", "Support Services")
_OTHER = ("Supported Living", "Extra Care Scheme")
_STREET = ("Road", "Lane", "Street", "Avenue", "Close", "Drive", "Way")
_OWNER = ("Care Ltd", "Healthcare Limited", "Care Group Ltd", "Homes Limited", "Care Services Ltd")
_GIVEN = ("Alex", "Sam", "Jo", "Chris", "Priya", "Fatima", "Tom", "Grace", "Olu", "Megan", "Rhys",
          "Aisha", "Daniel", "Hannah", "Imran", "Lucy")
_FAMILY = ("Smith", "Jones", "Patel", "Williams", "Brown", "Taylor", "Khan", "Davies", "Evans",
           "Okafor", "Wilson", "Hughes", "Roberts", "Walker", "Begum", "Clarke")
_TITLE = ("Mrs", "Mr", "Ms", "Miss", "Mx")


@dataclass(frozen=True)
class Names:
    location: list[str]
    provider: list[str]
    street: list[str]
    postcode: list[str]
    phone: list[str]
    given: list[str]
    family: list[str]
    title: list[str]


def _pick(rng: np.random.Generator, words: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(words)[rng.integers(0, len(words), n)]


def make_names(world: World) -> Names:
    rng = np.random.default_rng([world.seed, 7])
    n, k = world.n, world.kind
    first = _pick(rng, _FIRST, n)
    suffix = np.where(k == CARE_HOME, _pick(rng, _HOME, n),
                      np.where(k == HOME_CARE, _pick(rng, _AGENCY, n), _pick(rng, _OTHER, n)))
    town = world.councils.name[world.council]
    location = np.where(k == CARE_HOME, np.char.add(np.char.add(first, " "), suffix),
                        np.char.add(np.char.add(np.char.add(first, " "), suffix),
                                    np.char.add(" ", town)))
    owner_first = _pick(rng, _FIRST, world.provider_count)
    owner_tail = _pick(rng, _OWNER, world.provider_count)
    provider = np.char.add(np.char.add(owner_first, " "), owner_tail)
    number = rng.integers(1, 250, n).astype(str)
    street = np.char.add(np.char.add(np.char.add(number, " "), np.char.add(_pick(rng, _FIRST, n), " ")),
                         _pick(rng, _STREET, n))
    # Area "KM" is not a real postcode area, so no demo address is anyone's home.
    district = (world.council * 3 + world.icb + 1).astype(str)
    inward = np.char.add(rng.integers(1, 10, n).astype(str),
                         np.char.add(_pick(rng, tuple("ABDEFGHJLNPQRSTUWXYZ"), n),
                                     _pick(rng, tuple("ABDEFGHJLNPQRSTUWXYZ"), n)))
    postcode = np.char.add(np.char.add(np.char.add("KM", district), " "), inward)
    phone = np.char.add("0151", rng.integers(1_000_000, 9_999_999, n).astype(str))
    # Make every location name unique within the market: a repeated name gets a number.
    names = location.tolist()
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[i] = f"{name} {seen[name]}"
    return Names(names, provider.tolist(), street.tolist(), postcode.tolist(), phone.tolist(),
                 _pick(rng, _GIVEN, n).tolist(), _pick(rng, _FAMILY, n).tolist(),
                 _pick(rng, _TITLE, n).tolist())
