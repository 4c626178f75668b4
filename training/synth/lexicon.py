"""Names and places the generator draws from (``data/people.json``, ``data/places.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Lexicon", "Community", "Town", "load_lexicon"]


@dataclass(frozen=True)
class Community:
    key: str
    ethnicity: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]


@dataclass(frozen=True)
class Town:
    town: str
    county: str
    postcode_area: str
    districts: tuple[int, int]
    ambulance: str
    force: str
    region_style: str


@dataclass(frozen=True)
class Lexicon:
    communities: tuple[Community, ...]
    nicknames: dict[str, tuple[str, ...]]
    towns: tuple[Town, ...]
    places: dict[str, tuple[str, ...]]

    def by_ethnicity(self, ethnicity: str) -> tuple[Community, ...]:
        return tuple(c for c in self.communities if c.ethnicity == ethnicity)


def _read(name: str) -> dict[str, Any]:
    ref = resources.files("rcrp.training.synth") / "data" / name
    return json.loads(ref.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    people = _read("people.json")
    places = _read("places.json")
    communities = tuple(
        Community(key, c["ethnicity"], tuple(c["given"]["female"]), tuple(c["given"]["male"]), tuple(c["surnames"]))
        for key, c in people["communities"].items()
    )
    towns = tuple(
        Town(t["town"], t["county"], t["postcode_area"], (int(t["postcode_districts"][0]), int(t["postcode_districts"][1])),
             t["ambulance"], t["force"], t.get("region_style", "county"))
        for t in places["towns"]
    )
    lists = {k: tuple(v) for k, v in places.items() if isinstance(v, list) and k != "towns"}
    return Lexicon(communities, {k: tuple(v) for k, v in people.get("nicknames", {}).items()}, towns, lists)
