"""Fictional personal data for synthetic narratives.

Everything here is made up on purpose: phone numbers come from Ofcom's ranges reserved for drama, emails
use the reserved example domains, NHS numbers are random but carry a valid modulus-11 check digit so
that redaction is tested on realistic strings.
"""

from __future__ import annotations

import random
import string

__all__ = [
    "nhs_number",
    "nhs_check_digit",
    "phone_number",
    "vehicle_registration",
    "postcode",
    "date_of_birth",
    "email_address",
    "reference_number",
]

_DRAMA_MOBILE = "07700 900"
_DRAMA_LANDLINES = ("0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0", "0117 496 0", "0118 496 0",
                    "0121 496 0", "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0", "020 7946 0",
                    "0191 498 0", "028 9649 6")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
# Letters DVLA does not use in the random part of a plate.
_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"
_POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus-11 check digit of an NHS number; None when the nine digits admit no valid number."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number(rng: random.Random) -> str:
    while True:
        first = str(rng.randint(400, 499)) + "".join(rng.choice(string.digits) for _ in range(6))
        check = nhs_check_digit(first)
        if check is not None:
            digits = first + str(check)
            sep = rng.choice((" ", " ", "", "-"))
            return sep.join((digits[:3], digits[3:6], digits[6:]))


def phone_number(rng: random.Random) -> str:
    if rng.random() < 0.6:
        tail = f"{rng.randint(0, 999):03d}"
        style = rng.random()
        if style < 0.6:
            return f"{_DRAMA_MOBILE}{tail}"
        if style < 0.8:
            return f"07700900{tail}"
        return f"+44 7700 900{tail}"
    # Every drama prefix has eight digits; UK numbers have eleven.
    number = rng.choice(_DRAMA_LANDLINES) + f"{rng.randint(0, 999):03d}"
    if rng.random() < 0.2:
        area, rest = number.split(" ", 1)
        return f"({area}) {rest}"
    return number


def vehicle_registration(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.8:  # current format: AB12 CDE
        age = rng.choice([f"{y:02d}" for y in range(2, 26)] + [f"{y}" for y in range(51, 76)])
        plate = (rng.choice(_PLATE_LETTERS) + rng.choice(_PLATE_LETTERS) + age + " "
                 + "".join(rng.choice(_PLATE_LETTERS) for _ in range(3)))
    else:  # prefix format: K123 ABC
        plate = (rng.choice("ABCDEFGHJKLMNPRSTVWXY") + str(rng.randint(1, 999)) + " "
                 + "".join(rng.choice(_PLATE_LETTERS) for _ in range(3)))
    return plate if rng.random() < 0.8 else plate.replace(" ", "")


def postcode(rng: random.Random, area: str, districts: tuple[int, int]) -> str:
    district = rng.randint(districts[0], max(districts[0], districts[1]))
    inward = str(rng.randint(1, 9)) + rng.choice(_POSTCODE_INWARD_LETTERS) + rng.choice(_POSTCODE_INWARD_LETTERS)
    return f"{area}{district} {inward}" if rng.random() < 0.9 else f"{area}{district}{inward}"


def date_of_birth(rng: random.Random, age: int, *, current_year: int = 2025) -> str:
    year = current_year - age
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    style = rng.random()
    if style < 0.45:
        return f"{day:02d}/{month:02d}/{year}"
    if style < 0.6:
        return f"{day:02d}/{month:02d}/{year % 100:02d}"
    if style < 0.7:
        return f"{day}.{month}.{year % 100:02d}"
    if style < 0.85:
        suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{day}{suffix} {_MONTHS[month - 1]} {year}"
    return f"{day} {_MONTHS[month - 1][:3]} {year}"


def email_address(rng: random.Random, given: str, surname: str) -> str:
    g = "".join(ch for ch in given.lower() if ch.isalpha()) or "user"
    s = "".join(ch for ch in surname.lower() if ch.isalpha()) or "name"
    local = rng.choice((f"{g}.{s}", f"{g}{s}{rng.randint(1, 99)}", f"{g[0]}{s}", f"{s}.{g}{rng.randint(70, 99)}"))
    return f"{local}@{rng.choice(('example.com', 'example.org', 'example.net', 'nhs.example.uk'))}"


def reference_number(rng: random.Random) -> tuple[str, str]:
    """A (cue, number) pair: the cue ("CAD", "MRN", ...) is not personal data, the number is."""
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(("CAD", "log", "Log", "incident")), f"{rng.randint(1, 2999):04d}"
    if kind < 0.5:
        return rng.choice(("crime ref", "CRN", "occurrence")), (
            f"{rng.randint(10, 99)}/{rng.randint(10000, 99999)}/{rng.randint(20, 25)}")
    if kind < 0.75:
        return rng.choice(("MRN", "hospital number", "hosp no", "RiO number")), (
            rng.choice(("RX", "M", "H", "")) + str(rng.randint(100000, 9999999)))
    return rng.choice(("PC", "PS", "DC", "PCSO")), str(rng.randint(100, 9999))
