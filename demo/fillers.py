"""What a template's ``{placeholder}`` becomes: a word drawn from a list, or a value a small function draws.

The word lists are data (``demo/data/fillers.toml`` and the scenarios); the kinds of drawn value, and the
facts a scenario computes with code, are here. Each draws from the ``random.Random`` it is given, always the
same calls in the same order, so a seed gives the same posts.

>>> rng = random.Random(3)
>>> number(2, 60)(rng), rupiah(25_000, 120_000, 1_000)(rng), clock(6, 22, (0, 15, 30, 45))(rng)
('17', '100.000', '10.30')
>>> decimal(1, 180, 100, 2, decimal_comma=True)(rng)
'1,55'
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Filler = tuple[str, ...] | Callable[[random.Random], str]
FactsFunction = Callable[[random.Random], dict[str, str]]

# Letters and digits of short links and post ids.
ALNUM = string.ascii_letters + string.digits


def pick(filler: Filler, rng: random.Random) -> str:
    return rng.choice(filler) if isinstance(filler, tuple) else filler(rng)


def number(lo: int, hi: int) -> Callable[[random.Random], str]:
    return lambda rng: str(rng.randint(lo, hi))


def decimal(lo: int, hi: int, divisor: int, places: int, *, decimal_comma: bool) -> Callable[[random.Random], str]:
    def draw(rng: random.Random) -> str:
        text = f"{rng.randint(lo, hi) / divisor:.{places}f}"
        return text.replace(".", ",") if decimal_comma else text  # Indonesian writes a decimal comma

    return draw


def rupiah(lo: int, hi: int, step: int) -> Callable[[random.Random], str]:
    # Indonesian thousands separator is ".", e.g. 45.000
    return lambda rng: f"{rng.randrange(lo, hi + 1, step):,}".replace(",", ".")


def clock(first_hour: int, last_hour: int, minutes: tuple[int, ...]) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.randint(first_hour, last_hour):02d}.{rng.choice(minutes):02d}"


def shortlink(prefix: str, length: int) -> Callable[[random.Random], str]:
    return lambda rng: prefix + "".join(rng.choices(ALNUM, k=length))


def quake_facts(magnitudes: tuple[float, ...], cities: tuple[str, ...]) -> FactsFunction:
    """An earthquake's facts: one magnitude written both ways, a city, how many Indonesians live there and the
    embassy's hotline (a Turkish mobile number)."""

    def draw(rng: random.Random) -> dict[str, str]:
        mag = rng.choice(magnitudes)
        return {
            "mag_en": f"{mag:.1f}",
            "mag_id": f"{mag:.1f}".replace(".", ","),  # Indonesian decimal comma
            "city_tr": rng.choice(cities),
            "wni": str(rng.randint(40, 160)),
            "hotline": f"+90 5{rng.randint(10, 59)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        }

    return draw


@dataclass(frozen=True, slots=True)
class ComputedFacts:
    """Facts a function computes (several from one draw, as a magnitude in two notations): the lists it takes
    from the scenario file, with the type of their items, and the facts it gives."""

    lists: Mapping[str, type[float] | type[str]]
    provides: tuple[str, ...]
    build: Callable[[Mapping[str, tuple[str | float, ...]]], FactsFunction]


def _build_quake(lists: Mapping[str, tuple[str | float, ...]]) -> FactsFunction:
    magnitudes = tuple(float(m) for m in lists["magnitudes"])
    return quake_facts(magnitudes, tuple(str(c) for c in lists["cities"]))


# By the name a scenario's [computed_facts] gives as its function.
COMPUTED_FACTS: Mapping[str, ComputedFacts] = {
    "quake": ComputedFacts(
        lists={"magnitudes": float, "cities": str},
        provides=("mag_en", "mag_id", "city_tr", "wni", "hotline"),
        build=_build_quake,
    ),
}
