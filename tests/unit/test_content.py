from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import ContentError, default_content_dir, load_content
from bot.content.regions import normalise_region, resolve_region
from bot.content.rotation import choose_next
from bot.storage import Database
from bot.storage.members import PromptRotation
from tests.shingles import shingle_hashes

DATA = default_content_dir()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_shipped_file_loads_with_the_promised_amounts() -> None:
    content = load_content()
    assert len(content.sources) >= 2
    assert len(content.prompts) >= 60
    assert len(content.themes) >= 8
    assert all(len(content.prompt_ids(theme)) >= 5 for theme in content.themes)
    assert {"US", "CA", "UK", "IE", "AU", "INTL"} <= set(content.regions)
    for region in content.regions:
        for topic in ("relationships", "crisis"):
            shown = content.resources_for(region, topic)  # type: ignore[arg-type]
            assert shown and shown[-1].region == "INTL", "the international finder is always included"


def test_prompts_do_not_suggest_getting_someone_back() -> None:
    banned = ("win them back", "get them back", "make them", "text them", "reach out to them", "manifest")
    for prompt in load_content().prompts.values():
        assert not any(phrase in prompt.text.lower() for phrase in banned), prompt.id


def test_content_never_copies_eight_words_in_a_row_from_the_sources() -> None:
    source_hashes = {
        line.strip()
        for line in (Path(__file__).parents[1] / "data" / "source_shingles.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert len(source_hashes) > 1000
    ours = "\n".join(
        line  # titles are attribution, not copied prose
        for path in DATA.rglob("*.toml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("title = ")
    )
    assert shingle_hashes(ours) & source_hashes == set()


def test_summaries_are_short_and_points_within_range() -> None:
    for source in load_content().sources.values():
        assert len(source.summary.split()) <= 130
        assert 5 <= len(source.key_points) <= 8


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "prompts.toml",
            'theme = "fear"\ngrows_from = "carina-v/fear-both-sides"\ntext = "When you',
            'theme = "feer"\ngrows_from = "carina-v/fear-both-sides"\ntext = "When you',
            "prompts[0] (id “fear-01”), field theme: unknown theme “feer”",
        ),
        ("prompts.toml", 'id = "fear-02"', 'id = "fear-01"', "duplicate prompt id"),
        (
            "prompts.toml",
            'grows_from = "carina-v/fear-both-sides"\ntext = "When you',
            'grows_from = "carina-v/no-such-point"\ntext = "When you',
            "has no key point “no-such-point”",
        ),
        (
            "resources.toml",
            'checked_against = "https://mentalhealthcommission.ca/catalyst/988-launches-in-canada/"',
            'checked_against = "mentalhealthcommission"',
            "(id “988-ca”), field checked_against: Value error, “mentalhealthcommission” is not a web address",
        ),
        (
            "resources.toml",
            'check_result = "own-page"',
            'check_result = "checked"',
            "(id “samaritans-uk”), field check_result: Input should be 'own-page', 'indirect' or 'not-rechecked'",
        ),
        (
            "resources.toml",
            'checked_how = "A stored copy of Shout',
            'checked_howw = "A stored copy of Shout',
            "(id “shout”), field checked_how: Field required",
        ),
        (
            "resources.toml",
            '{ kind = "url", value = "https://findahelpline.com" }',
            '{ kind = "url", value = "findahelpline" }',
            "(id “find-a-helpline”).contacts[0], field (whole entry): Value error, “findahelpline” is not an https",
        ),
        (
            "resources.toml",
            'region = "AU"\nname = "Lifeline"',
            'region = "NZ"\nname = "Lifeline"',
            "unknown region “NZ”",
        ),
        ("resources.toml", 'name = "Shout"\n', "", "(id “shout”), field name: Field required"),
        ("comparison.toml", 'carina-v = "No, in her view', 'carina-x = "No, in her view', "unknown source “carina-x”"),
        ("sources/carina-v.toml", 'author = "Carina V"\n', "", "carina-v.toml: entry top level, field author"),
        ("sources/soulmate-dynamic.toml", 'id = "soulmate-dynamic"', 'id = "carina-v"', "duplicate source id"),
        (
            "healing.toml",
            'themes = ["fear", "patience"]',
            'themes = ["fear", "calmness"]',
            "feelings[1] (id “anxious”), field themes: unknown theme “calmness”",
        ),
        ("healing.toml", 'id = "hurt"', 'id = "anxious"', "duplicate feeling id"),
        ("healing.toml", 'offered_in = ["checkin"]\nnote = "Calm', 'offered_in = ["chat"]\nnote = "Calm', "offered_in"),
        ("healing.toml", 'label = "Tired"', 'label = "' + "t" * 41 + '"', "(id “tired”), field label"),
    ],
)
def test_bad_files_are_refused_naming_file_entry_and_field(
    content_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(content_copy / file, old, new)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    message = str(caught.value)
    assert file.split("/")[-1] in message
    assert expected in message


def test_feelings_map_to_themes_and_fill_both_menus() -> None:
    content = load_content()
    pause = [f.label for f in content.feelings_for("pause")]
    assert pause == ["Missing them", "Anxious", "Hurt", "Angry", "Lonely", "Hopeful", "Something else"]
    assert 1 <= len(content.feelings_for("checkin")) <= 25
    assert all(theme in content.themes for f in content.feelings.values() for theme in f.themes)
    assert len(content.grounding) == 3


def test_too_many_feelings_for_one_menu_are_refused(content_copy: Path) -> None:
    extra = "".join(
        f'\n[[feelings]]\nid = "f{i}"\nlabel = "F{i}"\nthemes = ["fear"]\noffered_in = ["checkin"]\n'
        'note = "A note long enough."\n'
        for i in range(20)
    )
    path = content_copy / "healing.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(ContentError, match="32 feelings offered in checkin; a menu needs 1 to 25"):
        load_content(content_copy)


def test_a_missing_healing_file_is_refused(content_copy: Path) -> None:
    (content_copy / "healing.toml").unlink()
    with pytest.raises(ContentError, match=r"healing\.toml: cannot read"):
        load_content(content_copy)


def test_broken_toml_is_refused(content_copy: Path) -> None:
    (content_copy / "prompts.toml").write_text("[themes\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"prompts\.toml: not valid TOML"):
        load_content(content_copy)


def test_a_community_can_add_a_source_as_a_file(content_copy: Path) -> None:
    text = (content_copy / "sources" / "carina-v.toml").read_text(encoding="utf-8")
    (content_copy / "sources" / "our-own.toml").write_text(
        text.replace('id = "carina-v"', 'id = "our-own"').replace('author = "Carina V"', 'author = "Our circle"'),
        encoding="utf-8",
    )
    assert "our-own" in load_content(content_copy).sources


def test_stale_resources_are_found() -> None:
    content = load_content()
    not_rechecked = [r.id for r in content.resources if r.check_result == "not-rechecked"]
    assert not_rechecked == ["respect-phoneline"], "nothing found confirms its number: said so, not hidden"
    assert [r.id for r in content.stale_resources(date(2026, 11, 22))] == not_rechecked
    assert len(content.stale_resources(date(2028, 1, 1))) == len(content.resources), "a year on, all need a check"


def test_every_resource_says_how_it_was_checked() -> None:
    for resource in load_content().resources:
        assert resource.checked_against.startswith(("http://", "https://"))
        if resource.check_result == "not-rechecked":
            assert resource.checked_how.startswith("Not re-checked"), resource.id
        else:
            assert "stored" in resource.checked_how.lower(), "honest: a stored copy, not a live visit"


def test_the_comparison_states_each_articles_reunion_beliefs() -> None:
    content = load_content()
    positions = {p.topic: p.positions for p in content.comparison.points}
    everything = " ".join(text for by_source in positions.values() for text in by_source.values())
    assert "fixed traits" not in everything, "the unattributed article says the roles can change and alternate"
    assert "can change and the two can alternate" in positions["Who runs and who chases"]["soulmate-dynamic"]
    reunion = positions["Is reunion certain?"]
    assert "destined to come together" in reunion["carina-v"], "Carina V believes in union too"
    assert "wait" in reunion["soulmate-dynamic"]
    assert "love in their own heart" in positions["What ends the running?"]["carina-v"]
    assert "offering her coaching" in content.sources["carina-v"].origin
    assert "runner" in content.comparison.balanced_note and "/resources" in content.comparison.balanced_note
    for source in content.sources.values():
        assert "reunite" in source.summary or "come together" in source.summary, source.id
        assert "patient" in source.summary, f"{source.id}: its waiting/patience passage is summarised"


# ----- rotation -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 12), draws=st.integers(1, 60), seed=st.integers(0, 2**32 - 1))
def test_rotation_shows_every_prompt_once_per_cycle(size: int, draws: int, seed: int) -> None:
    scope = [f"p{i}" for i in range(size)]
    rng = random.Random(seed)
    seen: set[str] = set()
    history: list[str] = []
    for _ in range(draws):
        chosen, new_cycle = choose_next(scope, seen, history[-1] if history else None, rng)
        if new_cycle:
            assert seen == set(scope), "a cycle only restarts once everything was seen"
            seen = set()
        assert chosen not in seen
        if size > 1 and history:
            assert chosen != history[-1], "never the same prompt twice in a row"
        seen.add(chosen)
        history.append(chosen)
    for start in range(0, len(history) - size + 1, size):
        assert Counter(history[start : start + size]) == Counter(scope)


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 12), seen_count=st.integers(0, 12), seed=st.integers(0, 2**32 - 1), data=st.data())
def test_rotation_never_offers_the_prompt_being_read(
    size: int, seen_count: int, seed: int, data: st.DataObject
) -> None:
    scope = [f"p{i}" for i in range(size)]
    rng = random.Random(seed)
    seen = set(rng.sample(scope, min(seen_count, size)))
    reading = data.draw(st.sampled_from(scope))
    last = data.draw(st.sampled_from([None, *scope]))
    chosen, new_cycle = choose_next(scope, seen, last, rng, avoid=reading)
    if size > 1:
        assert chosen != reading
    assert new_cycle == (not (set(scope) - seen - {reading}))


async def test_rotation_is_stored_per_member_and_scope(db: Database) -> None:
    rotation = PromptRotation(db)
    scope = ["a", "b", "c"]
    rng = random.Random(1)
    first = [await rotation.next_prompt(1, "fear", scope, rng) for _ in range(3)]
    assert sorted(first) == scope
    assert await rotation.counts(1) == {"fear": 3}
    fourth = await rotation.next_prompt(1, "fear", scope, rng)
    assert fourth != first[-1]
    assert await rotation.counts(1) == {"fear": 1}, "only the current cycle is kept"
    other = [await rotation.next_prompt(2, "fear", scope, rng) for _ in range(3)]
    assert sorted(other) == scope, "another member has their own rotation"
    await rotation.forget_member(1)
    assert await rotation.counts(1) == {}


# ----- regions --------------------------------------------------------------------------------

KNOWN = {"US": "United States", "UK": "United Kingdom", "INTL": "International"}


def test_region_fallback_order() -> None:
    assert resolve_region("US", "UK", "UK", KNOWN).code == "US"
    assert resolve_region(None, "UK", "US", KNOWN).reason == "your saved region"
    assert resolve_region(None, None, "US", KNOWN).reason == "this server's default"
    assert resolve_region(None, None, None, KNOWN).code == "INTL"
    assert resolve_region(None, "XX", None, KNOWN).code == "INTL", "a region that no longer exists is skipped"


def test_region_names_and_aliases() -> None:
    assert normalise_region("uk", KNOWN) == "UK"
    assert normalise_region("United Kingdom", KNOWN) == "UK"
    assert normalise_region("GB", KNOWN) == "UK"
    assert normalise_region("international", KNOWN) == "INTL"
    assert normalise_region("mars", KNOWN) is None
