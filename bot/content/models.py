"""Pydantic models for the content files in data/: sources, prompts, resources and healing tools."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
Slug = Annotated[str, Field(pattern=SLUG)]
RegionCode = Annotated[str, Field(pattern=r"^[A-Z]{2,4}$")]
SUMMARY_MAX_WORDS = 130
ResourceTopic = Literal["relationships", "crisis", "own-behaviour"]


def require_https_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or "." not in parts.netloc or " " in value:
        raise ValueError(f"“{value}” is not an https:// web address")
    return value


HttpsUrl = Annotated[str, AfterValidator(require_https_url)]


def require_web_url(value: str) -> str:
    """A record of a page consulted (shown to moderators as text): http or https, as it was found."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
        raise ValueError(f"“{value}” is not a web address")
    return value


WebUrl = Annotated[str, AfterValidator(require_web_url)]
# What the last check of a resource's contact details found: a recent copy of the service's own
# page confirms them ("own-page"); only other sites' pages, or an old copy of its own, do
# ("indirect"); or nothing found confirms them ("not-rechecked").
CheckResult = Literal["own-page", "indirect", "not-rechecked"]
Text = Annotated[str, Field(min_length=1, max_length=1000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class KeyPoint(Strict):
    id: Slug
    text: Annotated[str, Field(min_length=10, max_length=300)]


class Source(Strict):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=200)]
    author: Annotated[str, Field(min_length=1, max_length=100)]
    origin: Text
    url: HttpsUrl | None = None
    summary: Text
    key_points: Annotated[list[KeyPoint], Field(min_length=5, max_length=8)]

    @field_validator("summary")
    @classmethod
    def _short_summary(cls, value: str) -> str:
        words = len(value.split())
        if words > SUMMARY_MAX_WORDS:
            raise ValueError(f"has {words} words; keep it to about 120 (at most {SUMMARY_MAX_WORDS})")
        return value

    @model_validator(mode="after")
    def _unique_points(self) -> Source:
        ids = [p.id for p in self.key_points]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate key point id(s): {', '.join(duplicates)}")
        return self

    def key_point(self, point_id: str) -> KeyPoint | None:
        return next((p for p in self.key_points if p.id == point_id), None)


class ComparisonPoint(Strict):
    topic: Annotated[str, Field(min_length=1, max_length=200)]
    positions: Annotated[dict[str, Text], Field(min_length=2)]


class Comparison(Strict):
    balanced_note: Text
    points: Annotated[list[ComparisonPoint], Field(min_length=1)]


class Theme(Strict):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    description: Annotated[str, Field(min_length=1, max_length=200)]


class Prompt(Strict):
    id: Slug
    theme: Slug
    grows_from: Annotated[str, Field(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")]
    text: Annotated[str, Field(min_length=10, max_length=600)]


class PromptFile(Strict):
    themes: Annotated[dict[Slug, Theme], Field(min_length=1)]
    prompts: Annotated[list[Prompt], Field(min_length=1)]


class Contact(Strict):
    kind: Literal["call", "text", "chat", "url", "email"]
    value: Annotated[str, Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _links_are_https(self) -> Contact:
        if self.kind in ("chat", "url"):
            require_https_url(self.value)
        if self.kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", self.value):
            raise ValueError(f"“{self.value}” is not an email address")
        return self


class Resource(Strict):
    id: Slug
    region: RegionCode
    name: Annotated[str, Field(min_length=1, max_length=100)]
    topics: Annotated[list[ResourceTopic], Field(min_length=1)]
    purpose: Annotated[str, Field(min_length=1, max_length=300)]
    contacts: Annotated[list[Contact], Field(min_length=1)]
    hours: str | None = None
    checked_on: date  # when the check below was made
    checked_against: WebUrl  # the page consulted
    checked_how: Annotated[str, Field(min_length=10, max_length=600)]  # how, honestly (a stored copy, …)
    check_result: CheckResult


class ResourceFile(Strict):
    regions: Annotated[dict[RegionCode, str], Field(min_length=1)]
    resources: Annotated[list[Resource], Field(min_length=1)]


FeelingUse = Literal["pause", "checkin"]
MAX_MENU_OPTIONS = 25  # Discord's limit on a select menu's options


class Feeling(Strict):
    """Something a member can say they feel, in /pause or /checkin, and the prompt themes that fit it."""

    id: Slug
    label: Annotated[str, Field(min_length=1, max_length=40)]
    themes: Annotated[list[Slug], Field(min_length=1)]
    offered_in: Annotated[list[FeelingUse], Field(min_length=1)]
    note: Annotated[str, Field(min_length=10, max_length=200)]


class HealingFile(Strict):
    grounding: Annotated[list[Annotated[str, Field(min_length=10, max_length=200)]], Field(min_length=1, max_length=5)]
    feelings: Annotated[list[Feeling], Field(min_length=1)]
