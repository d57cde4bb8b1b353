"""Which time zone a member means: an IANA name, a unique city or country, never a fixed offset.

Members type "Berlin", "India" or "EST" far more often than "Europe/Berlin". A city or country
with one zone is enough; an abbreviation or `Etc/GMT±N` is refused with the reason, because a
fixed offset never follows the member's clocks (`EST` is UTC−5 all year, `Etc/GMT+1` is UTC−1),
so prompts would come an hour or two off. Pure: zoneinfo and the tzdata tables only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from bot.local_time import parse_zone, zone_names

# Zones most members live in, best known first: suggestions for an offset come from here.
POPULAR = (
    "Europe/London",
    "America/New_York",
    "Europe/Berlin",
    "America/Los_Angeles",
    "America/Chicago",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Manila",
    "Europe/Paris",
    "America/Toronto",
    "America/Denver",
    "America/Phoenix",
    "Europe/Dublin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Europe/Lisbon",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Karachi",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Melbourne",
    "Australia/Brisbane",
    "Australia/Adelaide",
    "Australia/Perth",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Halifax",
    "America/St_Johns",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "Atlantic/Reykjavik",
    "Atlantic/Azores",
    "UTC",
)

# Big cities that are not a zone's own name, and what members type for a country.
CITY_ALIASES = {
    "new york city": "America/New_York",
    "nyc": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "boston": "America/New_York",
    "philadelphia": "America/New_York",
    "atlanta": "America/New_York",
    "miami": "America/New_York",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "kyoto": "Asia/Tokyo",
    "osaka": "Asia/Tokyo",
    "kiev": "Europe/Kyiv",
    "calcutta": "Asia/Kolkata",
}
COUNTRY_ALIASES = {
    "uk": "GB",
    "gb": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "south korea": "KR",
    "north korea": "KP",
    "holland": "NL",
    "czechia": "CZ",
    "uae": "AE",
    "burma": "MM",
    "swaziland": "SZ",
    "ivory coast": "CI",
    "turkiye": "TR",
    "türkiye": "TR",
}

# Abbreviations are clocks, not places: each means one offset all year.
# abbreviation: (UTC offset in hours, the places that use it, whether those places change clocks)
ABBREVIATIONS: dict[str, tuple[float, tuple[str, ...], bool]] = {
    "est": (-5, ("America/New_York", "America/Toronto"), True),
    "edt": (-4, ("America/New_York", "America/Toronto"), True),
    "cst": (-6, ("America/Chicago", "America/Mexico_City", "Asia/Shanghai"), True),
    "cdt": (-5, ("America/Chicago",), True),
    "mst": (-7, ("America/Denver", "America/Phoenix"), True),
    "mdt": (-6, ("America/Denver",), True),
    "pst": (-8, ("America/Los_Angeles", "America/Vancouver"), True),
    "pdt": (-7, ("America/Los_Angeles", "America/Vancouver"), True),
    "akst": (-9, ("America/Anchorage",), True),
    "hst": (-10, ("Pacific/Honolulu",), False),
    "ast": (-4, ("America/Halifax",), True),
    "nst": (-3.5, ("America/St_Johns",), True),
    "gmt": (0, ("Europe/London", "Europe/Dublin", "UTC"), True),
    "bst": (1, ("Europe/London",), True),
    "wet": (0, ("Europe/Lisbon",), True),
    "cet": (1, ("Europe/Berlin", "Europe/Paris", "Europe/Madrid"), True),
    "cest": (2, ("Europe/Berlin", "Europe/Paris", "Europe/Madrid"), True),
    "eet": (2, ("Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"), True),
    "eest": (3, ("Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"), True),
    "msk": (3, ("Europe/Moscow",), False),
    "ist": (5.5, ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"), True),
    "pkt": (5, ("Asia/Karachi",), False),
    "wib": (7, ("Asia/Jakarta",), False),
    "sgt": (8, ("Asia/Singapore",), False),
    "pht": (8, ("Asia/Manila",), False),
    "hkt": (8, ("Asia/Hong_Kong",), False),
    "awst": (8, ("Australia/Perth",), False),
    "jst": (9, ("Asia/Tokyo",), False),
    "kst": (9, ("Asia/Seoul",), False),
    "acst": (9.5, ("Australia/Adelaide", "Australia/Darwin"), True),
    "aest": (10, ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane"), True),
    "aedt": (11, ("Australia/Sydney", "Australia/Melbourne"), True),
    "nzst": (12, ("Pacific/Auckland",), True),
    "nzdt": (13, ("Pacific/Auckland",), True),
    "sast": (2, ("Africa/Johannesburg",), False),
    "wat": (1, ("Africa/Lagos",), False),
    "eat": (3, ("Africa/Nairobi",), False),
}
# Names that mean UTC itself: a member who wants UTC all year can have it.
UTC_NAMES = frozenset({"utc", "etc/utc", "uct", "etc/uct", "universal", "etc/universal", "zulu", "etc/zulu", "z"})
# Names that mean UTC+0 but read like the UK's clock (which is an hour ahead in summer).
GMT_NAMES = frozenset({"gmt", "etc/gmt", "gmt0", "gmt+0", "gmt-0", "etc/gmt0", "etc/gmt+0", "etc/gmt-0", "greenwich"})
_ETC_GMT = re.compile(r"^etc/gmt([+-])(\d{1,2})$")
_TYPED_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$")


@dataclass(frozen=True)
class ZoneLookup:
    """What a member's text means: a zone, or why not and what to type instead."""

    zone: ZoneInfo | None
    # "city" or "country" when matched by name; "fixed", "abbreviation", "ambiguous", "unknown" when refused
    how: str
    matched: str = ""  # the city or country name that matched
    suggestions: tuple[str, ...] = ()
    offset_hours: float | None = None  # what a refused fixed offset really means
    meant_hours: float | None = None  # what the member most likely meant (Etc/GMT±N reads backwards)
    changes_clocks: bool = False  # the suggested places change their clocks for summer


def _key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def _table(name: str) -> list[list[str]]:
    text = resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _countries() -> dict[str, str]:
    """Country code → name (iso3166.tab: "Britain (UK)", "Korea (South)", …)."""
    return {row[0]: row[1] for row in _table("iso3166.tab")}


@cache
def _country_names() -> dict[str, str]:
    """Every way a country's name is written, lowered → country code."""
    names: dict[str, str] = {}
    shared: set[str] = set()  # "Korea" alone could be either Korea: not a name of one country
    for code, name in _countries().items():
        base, _, extra = name.partition(" (")
        variants = {_key(name), _key(name.replace("&", "and")), _key(base), _key(base.replace("&", "and"))}
        if extra:
            variants.add(_key(f"{extra.rstrip(')')} {base}"))
        for variant in variants:
            if names.get(variant, code) != code:
                shared.add(variant)
            names[variant] = code
    for variant in shared:
        del names[variant]
    names.update(COUNTRY_ALIASES)
    return names


@cache
def _zones_by_country() -> dict[str, list[tuple[str, str]]]:
    """Country code → its zones with zone.tab's comment ("most of Germany", "Spain (mainland)")."""
    by_country: dict[str, list[tuple[str, str]]] = {}
    for row in _table("zone.tab"):
        comment = row[3] if len(row) > 3 else ""
        by_country.setdefault(row[0], []).append((row[2], comment))
    return by_country


@cache
def _country_of_zone() -> dict[str, str]:
    return {zone: code for code, zones in _zones_by_country().items() for zone, _ in zones}


@cache
def _canonical() -> frozenset[str]:
    return frozenset(_country_of_zone())


def city_of(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def describe_zone(zone: str) -> str:
    """ "Europe/Berlin" → "Berlin, Germany"; a zone with no country → its city."""
    code = _country_of_zone().get(zone)
    country = _countries().get(code, "") if code else ""
    city = city_of(zone)
    return f"{city}, {country}" if country and country != city else city


@cache
def _cities() -> dict[str, tuple[str, ...]]:
    """City name (lowered) → the zones named after it, canonical ones first."""
    cities: dict[str, list[str]] = {}
    for zone in zone_names():
        cities.setdefault(_key(city_of(zone)), []).append(zone)
    for alias, zone in CITY_ALIASES.items():
        cities.setdefault(alias, []).insert(0, zone)
    canonical = _canonical()
    return {
        city: tuple(sorted(dict.fromkeys(zones), key=lambda z: (z not in canonical, z)))
        for city, zones in cities.items()
    }


def _same_clock(zones: tuple[str, ...]) -> bool:
    """Links and their targets keep the same clock: compare offsets across a recent year."""
    instants = [datetime(2026, month, 15, 12, tzinfo=UTC) for month in (1, 4, 7, 10)]
    shapes = {tuple(instant.astimezone(ZoneInfo(z)).utcoffset() for instant in instants) for z in zones}
    return len(shapes) == 1


def _country_zone(code: str) -> tuple[str | None, tuple[str, ...]]:
    """A country's one zone (or the zone of "most of"/"mainland"), else None and its zones."""
    zones = _zones_by_country().get(code, [])
    if len(zones) == 1:
        return zones[0][0], ()
    main = [zone for zone, comment in zones if comment.startswith("most of") or "(mainland)" in comment]
    if len(main) == 1:
        return main[0], ()
    return None, tuple(zone for zone, _ in zones)


def offset_in(zone: str, month: int) -> float:
    """The zone's UTC offset in hours in mid-January (month 1) or mid-July (month 7) of 2026."""
    offset = datetime(2026, month, 15, 12, tzinfo=UTC).astimezone(ZoneInfo(zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def offset_suggestions(hours: float, limit: int = 4) -> tuple[str, ...]:
    """Popular zones whose clock shows UTC+`hours`: in January first, then in July."""
    january = [zone for zone in POPULAR if offset_in(zone, 1) == hours]
    july = [zone for zone in POPULAR if offset_in(zone, 7) == hours and zone not in january]
    return tuple((january + july)[:limit])


def _popular_first(zones: Iterable[str]) -> list[str]:
    rank = {zone: index for index, zone in enumerate(POPULAR)}
    return sorted(zones, key=lambda zone: (rank.get(zone, len(rank)), zone))


def lookup_zone(text: str) -> ZoneLookup:
    """Resolve what a member typed; see the module docstring for the rules."""
    typed = text.strip()
    key = _key(typed)
    compact = typed.lower().replace(" ", "")
    if not key:
        return ZoneLookup(None, "unknown")
    if compact in UTC_NAMES:
        return ZoneLookup(ZoneInfo("UTC"), "name")
    if compact in GMT_NAMES:
        return ZoneLookup(
            None,
            "abbreviation",
            matched=typed,
            suggestions=("Europe/London", "Europe/Dublin", "UTC"),
            offset_hours=0,
            changes_clocks=True,
        )
    etc = _ETC_GMT.match(compact)
    if etc:
        sign = -1 if etc.group(1) == "+" else 1  # Etc/GMT+1 is UTC−1: the sign reads backwards
        hours = float(int(etc.group(2)))
        return ZoneLookup(
            None,
            "fixed",
            matched=typed,
            suggestions=offset_suggestions(-sign * hours),
            offset_hours=sign * hours,
            meant_hours=-sign * hours,
        )
    offset = _TYPED_OFFSET.match(compact)
    if offset and (compact[0] in "+-−" or compact.startswith(("utc", "gmt"))):
        sign = -1 if offset.group(1) in "-−" else 1
        hours = sign * (int(offset.group(2)) + int(offset.group(3) or 0) / 60)
        return ZoneLookup(
            None, "fixed", matched=typed, suggestions=offset_suggestions(hours), offset_hours=hours, meant_hours=hours
        )
    abbreviation = ABBREVIATIONS.get(compact)
    if abbreviation is not None:
        hours, places, changes = abbreviation
        return ZoneLookup(
            None, "abbreviation", matched=typed.upper(), suggestions=places, offset_hours=hours, changes_clocks=changes
        )
    zone = parse_zone(typed)
    if zone is not None and (zone.key in _canonical() or zone.key == "UTC"):
        return ZoneLookup(zone, "name")
    cities = _cities().get(key)
    if cities:
        if len(cities) == 1 or _same_clock(cities):
            return ZoneLookup(ZoneInfo(cities[0]), "city", matched=city_of(cities[0]))
        return ZoneLookup(None, "ambiguous", matched=typed, suggestions=cities[:5])
    code = _country_names().get(key)
    if code is not None:
        one, several = _country_zone(code)
        name = _countries().get(code, typed)
        if one is not None:
            return ZoneLookup(ZoneInfo(one), "country", matched=name)
        if several:
            return ZoneLookup(None, "ambiguous", matched=name, suggestions=tuple(_popular_first(several)[:5]))
    if zone is not None:  # an older name ("US/Eastern", "Japan"): still a place with its own clock
        return ZoneLookup(zone, "name")
    return ZoneLookup(None, "unknown", matched=typed, suggestions=tuple(find_zones(typed, 3)))


def find_zones(typed: str, limit: int = 25) -> list[str]:
    """Zones for autocomplete, best first: an exact city, a country's zones, cities starting with
    what was typed, then any zone containing it ("berl", "new york", "india", "tokyo")."""
    key = _key(typed)
    if not key:
        return list(POPULAR[:limit])
    ranked: list[str] = []
    ranked.extend(_cities().get(key, ()))
    code = _country_names().get(key)
    if code is not None:
        one, several = _country_zone(code)
        ranked.extend([one] if one else _popular_first(several))
    names = zone_names()
    ranked.extend(_popular_first(z for z in names if _key(city_of(z)).startswith(key)))
    ranked.extend(
        _popular_first(
            z
            for code, country in _countries().items()
            if _key(country).startswith(key)
            for z, _ in _zones_by_country().get(code, [])
        )
    )
    needle = key.replace(" ", "_")
    ranked.extend(_popular_first(z for z in names if needle in z.lower()))
    canonical = _canonical()
    unique = list(dict.fromkeys(ranked))
    # Old names ("Asia/Calcutta") only after the current ones, so a member picks the current name.
    return ([z for z in unique if z in canonical] + [z for z in unique if z not in canonical])[:limit]
