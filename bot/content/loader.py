"""Load and cross-check every content file once at start; one clear line per problem."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.models import (
    MAX_MENU_OPTIONS,
    Comparison,
    Feeling,
    FeelingUse,
    HealingFile,
    Prompt,
    PromptFile,
    Resource,
    ResourceFile,
    ResourceTopic,
    Source,
    Theme,
)

INTERNATIONAL = "INTL"
STALE_AFTER = timedelta(days=365)
M = TypeVar("M", bound=BaseModel)


class ContentError(Exception):
    """Names the file, the entry and the field of every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def default_content_dir() -> Path:
    """The data/ folder shipped beside the bot package."""
    return Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Content:
    sources: dict[str, Source]
    comparison: Comparison
    themes: dict[str, Theme]
    prompts: dict[str, Prompt]
    regions: dict[str, str]
    resources: list[Resource]
    feelings: dict[str, Feeling] = field(default_factory=dict)
    grounding: tuple[str, ...] = ()
    _by_theme: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def feelings_for(self, use: FeelingUse) -> list[Feeling]:
        """The feelings offered in /pause or /checkin, in file order."""
        return [f for f in self.feelings.values() if use in f.offered_in]

    def prompt_ids(self, theme: str | None) -> list[str]:
        """Every prompt id of a theme (or of all themes), in file order."""
        if theme is None:
            return list(self.prompts)
        return self._by_theme.get(theme, [])

    def resources_for(self, region: str, topic: ResourceTopic) -> list[Resource]:
        """The region's resources on a topic, then the international finder (always included)."""
        local = [r for r in self.resources if r.region == region and topic in r.topics]
        international = [r for r in self.resources if r.region == INTERNATIONAL and topic in r.topics]
        return local + [r for r in international if r not in local]

    def stale_resources(self, today: date) -> list[Resource]:
        """Entries for moderators to re-check: never re-checked, or checked over a year ago."""
        return [r for r in self.resources if r.check_result == "not-rechecked" or today - r.checked_on > STALE_AFTER]

    def source_of(self, prompt: Prompt) -> tuple[Source, str]:
        source_id, point_id = prompt.grows_from.split("/", 1)
        source = self.sources[source_id]
        point = source.key_point(point_id)
        assert point is not None  # checked at load
        return source, point.text


def _describe_location(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, str]:
    """('prompts[3] (id “fear-04”)', 'theme') from a pydantic error location."""
    entry_parts: list[str] = []
    node = raw
    index = 0
    while index < len(loc):
        key = loc[index]
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            entry = node[key]
            label = f"[{key}]"
            if isinstance(entry, dict) and "id" in entry:
                label += f" (id “{entry['id']}”)"
            entry_parts.append(label)
            node = entry
        elif isinstance(node, dict) and key in node and isinstance(node[key], list | dict) and index < len(loc) - 1:
            entry_parts.append(("." if entry_parts else "") + str(key))
            node = node[key]
        else:
            break
        index += 1
    remaining = ".".join(str(k) for k in loc[index:]) or "(whole entry)"
    return "".join(entry_parts) or "top level", remaining


def _load_toml(path: Path, model: type[M], problems: list[str]) -> M | None:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.append(f"{path}: cannot read: {exc.strerror}")
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML: {exc}")
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            entry, fld = _describe_location(raw, tuple(error["loc"]))
            problems.append(f"{path}: entry {entry}, field {fld}: {error['msg']}")
        return None


def _duplicates(ids: list[str]) -> list[str]:
    return sorted({i for i in ids if ids.count(i) > 1})


def load_content(folder: Path | None = None) -> Content:
    """Read data/ (or `folder`), validate every file and every cross-reference, or raise ContentError."""
    folder = folder or default_content_dir()
    problems: list[str] = []
    sources: dict[str, Source] = {}
    source_files = sorted((folder / "sources").glob("*.toml"))
    if not source_files:
        problems.append(f"{folder / 'sources'}: no source files (*.toml)")
    for path in source_files:
        source = _load_toml(path, Source, problems)
        if source is None:
            continue
        if source.id in sources:
            problems.append(f"{path}: entry id “{source.id}”, field id: duplicate source id")
            continue
        sources[source.id] = source
    comparison_path = folder / "comparison.toml"
    comparison = _load_toml(comparison_path, Comparison, problems)
    prompts_path = folder / "prompts.toml"
    prompt_file = _load_toml(prompts_path, PromptFile, problems)
    resources_path = folder / "resources.toml"
    resource_file = _load_toml(resources_path, ResourceFile, problems)
    healing_path = folder / "healing.toml"
    healing_file = _load_toml(healing_path, HealingFile, problems)

    if comparison is not None and sources:
        for index, point in enumerate(comparison.points):
            for source_id in point.positions:
                if source_id not in sources:
                    problems.append(
                        f"{comparison_path}: entry points[{index}] (“{point.topic}”), field positions: "
                        f"unknown source “{source_id}” (sources: {', '.join(sorted(sources))})"
                    )
    if prompt_file is not None:
        for dup in _duplicates([p.id for p in prompt_file.prompts]):
            problems.append(f"{prompts_path}: entry id “{dup}”, field id: duplicate prompt id")
        for index, prompt in enumerate(prompt_file.prompts):
            where = f"{prompts_path}: entry prompts[{index}] (id “{prompt.id}”)"
            if prompt.theme not in prompt_file.themes:
                known = ", ".join(prompt_file.themes)
                problems.append(f"{where}, field theme: unknown theme “{prompt.theme}” (themes: {known})")
            source_id, point_id = prompt.grows_from.split("/", 1)
            if sources and source_id not in sources:
                problems.append(f"{where}, field grows_from: unknown source “{source_id}”")
            elif sources and sources[source_id].key_point(point_id) is None:
                problems.append(f"{where}, field grows_from: source “{source_id}” has no key point “{point_id}”")
        for theme in prompt_file.themes:
            if not any(p.theme == theme for p in prompt_file.prompts):
                problems.append(f"{prompts_path}: entry themes.{theme}, field (whole entry): theme has no prompts")
    if resource_file is not None:
        for dup in _duplicates([r.id for r in resource_file.resources]):
            problems.append(f"{resources_path}: entry id “{dup}”, field id: duplicate resource id")
        if INTERNATIONAL not in resource_file.regions:
            problems.append(
                f"{resources_path}: entry regions, field {INTERNATIONAL}: the international region is required"
            )
        for index, resource in enumerate(resource_file.resources):
            if resource.region not in resource_file.regions:
                known = ", ".join(resource_file.regions)
                problems.append(
                    f"{resources_path}: entry resources[{index}] (id “{resource.id}”), field region: "
                    f"unknown region “{resource.region}” (regions: {known})"
                )
    if healing_file is not None:
        _check_feelings(healing_path, healing_file, prompt_file.themes if prompt_file else None, problems)
    if problems or comparison is None or prompt_file is None or resource_file is None or healing_file is None:
        raise ContentError(problems)
    by_theme: dict[str, list[str]] = {}
    for prompt in prompt_file.prompts:
        by_theme.setdefault(prompt.theme, []).append(prompt.id)
    return Content(
        sources=sources,
        comparison=comparison,
        themes=dict(prompt_file.themes),
        prompts={p.id: p for p in prompt_file.prompts},
        regions=dict(resource_file.regions),
        resources=list(resource_file.resources),
        feelings={f.id: f for f in healing_file.feelings},
        grounding=tuple(healing_file.grounding),
        _by_theme=by_theme,
    )


def _check_feelings(path: Path, healing: HealingFile, themes: dict[str, Any] | None, problems: list[str]) -> None:
    """Unique ids, themes that exist, and each menu within Discord's 25 options."""
    for dup in _duplicates([f.id for f in healing.feelings]):
        problems.append(f"{path}: entry id “{dup}”, field id: duplicate feeling id")
    for index, feeling in enumerate(healing.feelings):
        for theme in feeling.themes:
            if themes is not None and theme not in themes:
                known = ", ".join(themes)
                problems.append(
                    f"{path}: entry feelings[{index}] (id “{feeling.id}”), field themes: "
                    f"unknown theme “{theme}” (themes: {known})"
                )
    for use in ("pause", "checkin"):
        offered = sum(1 for f in healing.feelings if use in f.offered_in)
        if not 1 <= offered <= MAX_MENU_OPTIONS:
            problems.append(
                f"{path}: entry feelings, field offered_in: {offered} feelings offered in {use}; "
                f"a menu needs 1 to {MAX_MENU_OPTIONS}"
            )


def summary_line(content: Content) -> str:
    per_theme = ", ".join(f"{theme} {len(content.prompt_ids(theme))}" for theme in content.themes)
    per_region = ", ".join(
        f"{region} {sum(1 for r in content.resources if r.region == region)}" for region in content.regions
    )
    return (
        f"{len(content.sources)} sources; {len(content.prompts)} prompts in {len(content.themes)} themes "
        f"({per_theme}); {len(content.resources)} resources in {len(content.regions)} regions ({per_region}); "
        f"{len(content.feelings)} feelings"
    )
