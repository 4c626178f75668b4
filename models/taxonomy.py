"""The RCRP label taxonomy: categories, the threshold flag and subject attributes.

Defined once in a versioned YAML file (``data/taxonomy_v1.yaml``, mirroring the label guide). A force can
point ``RCRP_TAXONOMY_PATH`` at its own file of the same shape; nothing else in the code names a label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rcrp.models.errors import ErrorCode, RcrpError

__all__ = ["AttributeDef", "CategoryDef", "FlagDef", "Taxonomy", "default_taxonomy", "load_taxonomy"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError("must be lower snake_case (a-z, 0-9, _), starting with a letter")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryDef(_Frozen):
    name: str
    description: str = Field(min_length=1)

    _valid_name = field_validator("name")(_check_name)


class FlagDef(_Frozen):
    name: str
    description: str = Field(min_length=1)

    _valid_name = field_validator("name")(_check_name)


class AttributeDef(_Frozen):
    name: str
    description: str = ""
    values: tuple[str, ...] = Field(min_length=1)
    unknown_value: str

    _valid_name = field_validator("name")(_check_name)

    @model_validator(mode="after")
    def _unknown_listed(self) -> AttributeDef:
        if len(set(self.values)) != len(self.values):
            raise ValueError(f"attribute '{self.name}' lists a value twice")
        if self.unknown_value not in self.values:
            raise ValueError(f"unknown_value of attribute '{self.name}' must be one of its values")
        return self


class Taxonomy(_Frozen):
    """Categories (in a fixed order), one binary threshold flag and the subject attributes."""

    name: str
    version: str
    categories: tuple[CategoryDef, ...] = Field(min_length=2)
    threshold_flag: FlagDef
    attributes: tuple[AttributeDef, ...] = ()

    @model_validator(mode="after")
    def _unique_names(self) -> Taxonomy:
        names = [c.name for c in self.categories]
        if len(set(names)) != len(names):
            raise ValueError("category names must be unique")
        attrs = [a.name for a in self.attributes]
        if len(set(attrs)) != len(attrs):
            raise ValueError("attribute names must be unique")
        return self

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    @property
    def attribute_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attributes)

    @property
    def flag_name(self) -> str:
        return self.threshold_flag.name

    @property
    def label_id(self) -> str:
        """Stable identifier stored with every model and dataset, e.g. ``rcrp-default@1``."""
        return f"{self.name}@{self.version}"

    def attribute(self, name: str) -> AttributeDef:
        for attr in self.attributes:
            if attr.name == name:
                return attr
        raise KeyError(name)

    def category_description(self, name: str) -> str:
        for cat in self.categories:
            if cat.name == name:
                return cat.description
        raise KeyError(name)


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy YAML file; raises ``RcrpError(TAXONOMY_INVALID)`` naming the problem."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RcrpError(ErrorCode.TAXONOMY_INVALID, detail=f"{path}: cannot read ({type(exc).__name__})") from exc
    try:
        return Taxonomy.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise RcrpError(ErrorCode.TAXONOMY_INVALID, detail=f"{path}: {where}: {first['msg']}") from exc


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The taxonomy of the label guide (v1), shipped with the package."""
    ref = resources.files("rcrp.models") / "data" / "taxonomy_v1.yaml"
    with resources.as_file(ref) as path:
        return load_taxonomy(path)
