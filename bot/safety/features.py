"""What the learned model reads: the member's own words, in plain spelling, as sparse features.

One function prepares the text and one lists its features; training (bot/safety/train.py) and
inference (bot/safety/model.py) both use them, so the model always sees the same thing.

- words: every token and every pair of neighbouring tokens (`w:he`, `b:blocked me`);
- characters: the 2-, 3- and 4-character pieces of each word (as split on spaces, punctuation and
  emoji included) padded with a space at both ends, never across two words (`c: bl`, `c:ked `,
  `c:e? `). They catch spellings and endings no list has;
- word classes (`l:death`, `l:others`, …) from small lists grounded in docs/LABELLING.md, and
  every pair of classes present together (`k:death&past`): a linear model cannot form "a death
  word AND a recovery word" from single words, and a class generalises past the words training saw;
- negation scope: the three tokens after a negation, marked (`n:want`), so "don't want to live"
  and "want to live" are not the same bag of words;
- what the rules found (bot/safety/matching.py): `x:crisis`, `x:rejected~hypothetical`, `x:joking`…,
  with a fixed weight of RULE_FEATURE_VALUE each, outside the normalisation of the other blocks.

Features of a message never leave this process and are never stored.
"""

from __future__ import annotations

import itertools
import re

from bot.safety.matching import Findings, find
from bot.safety.normalize import EXPANDABLE, THREE_SAME_LETTERS, collapse_runs, expand_words, strip_ignored_parts

MAX_CHARS = 4000  # Discord's longest message; anything past it is not a member's message
CHAR_SIZES = (2, 3, 4)
TOKEN = re.compile(r"[\w']+")
NEGATION_SCOPE = 3
RULE_FEATURE_VALUE = 0.3  # chosen by cross-validation on train and checked on validation (1.0 did worse)
FEATURES_VERSION = (
    "lantern-features-v2: prepare=strip,lower,collapse,expand; word=1,2; char_wb(space-split)=2,3,4; "
    "classes+pairs; negation scope=3; rule findings=0.3"
)

# Word classes from the labelling guide's own vocabulary (docs/LABELLING.md): what crisis looks
# like (death, means and places, finality, burden, hopelessness) and what its hard negatives look
# like (someone else, a past now over, being well, a joke about a mundane thing, a quote, advice).
WORD_CLASSES: dict[str, str] = {
    "death": "die dying died dead death suicide suicidal kill killing alive live living exist existing wake overdose",
    "means": "pills pill tablets meds razor blade blades rope noose gun knife bridge roof ledge tracks cliff jump "
    "drown",
    "finality": "goodbye goodbyes bye farewell note letter letters last final forever permanently tonight gone after",
    "burden": "burden problem waste worthless useless without",
    "hopeless": "hopeless pointless point nothing tired end pain anymore longer",
    "others": "friend sister brother mom mum mother dad father parents cousin coworker boss teacher son daughter "
    "bestie roommate",
    "past": "ago since years year months clean recovery recovered anniversary survived milestone used",
    "well": "better grateful happy healing healed proud peace okay fine excited",
    "mundane": "lol lmao haha jk game boss homework exam meeting traffic printer class essay raid ranked level",
    "quote": "song lyric lyrics quote chorus movie film book line album verse",
    "advice": "you your yourself someone anyone people everyone guys",
    "hypothetical": "if imagine scared afraid worried whether might",
    "writer": "i me my myself i'm i've i'll",
}
CLASS_NAMES: tuple[str, ...] = tuple(WORD_CLASSES)
NEGATIONS = frozenset(
    [
        "not",
        "never",
        "no",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "wasn't",
        "won't",
        "can't",
        "cannot",
        "haven't",
        "hasn't",
        "wouldn't",
        "couldn't",
    ]
)


def _class_bits() -> dict[str, int]:
    bits: dict[str, int] = {}
    for position, name in enumerate(CLASS_NAMES):
        for word in WORD_CLASSES[name].split():
            bits[word] = bits.get(word, 0) | 1 << position
    return bits


CLASS_BITS = _class_bits()


class Message:
    """One message as the model reads it: the prepared text, its tokens and words, the rules' findings."""

    __slots__ = ("findings", "text", "tokens", "words")

    def __init__(self, text: str, tokens: list[str], words: list[str], findings: Findings) -> None:
        self.text = text
        self.tokens = tokens
        self.words = words
        self.findings = findings


def prepare_tokens(text: str) -> tuple[str, list[str]]:
    """The prepared text and its tokens: strip_ignored_parts, lower_plain, collapse_runs and
    expand_words, each skipped when a quick test shows it has nothing to do (it runs on every message)."""
    return finish_preparing(plain_text(text))


def plain_text(text: str) -> str:
    """The first half of prepare_tokens: at most MAX_CHARS, no code, quotes or links, lower case,
    straight apostrophes. Every later step only ever changes a word that has a run of three same
    letters or a token in EXPANDABLE (the model's inference skips them for words it knows have none)."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if "`" in text or ">" in text or "http" in text:
        text = strip_ignored_parts(text)
    plain = text.lower()
    if "’" in plain or "‘" in plain:
        plain = plain.replace("’", "'").replace("‘", "'")
    return plain


def finish_preparing(plain: str) -> tuple[str, list[str]]:
    """The second half of prepare_tokens: letter runs collapsed, chat spelling expanded, and the tokens."""
    if THREE_SAME_LETTERS.search(plain):
        plain = collapse_runs(plain)
    tokens = TOKEN.findall(plain)
    if EXPANDABLE.isdisjoint(tokens):
        return plain, tokens
    prepared = expand_words(plain, tokens)
    return prepared, TOKEN.findall(prepared)


def prepare(text: str) -> str:
    """Only the member's own words (no code, quotes or links), lower case, chat spelling made plain."""
    return prepare_tokens(text)[0]


def read(text: str) -> Message:
    """Prepare a message once, for both the rules and the model."""
    prepared, tokens = prepare_tokens(text)
    return Message(prepared, tokens, prepared.split(), find(prepared, tokens))


def char_features(word: str) -> list[str]:
    """The character pieces of one space-separated word."""
    padded = f" {word} "
    return [f"c:{padded[i : i + n]}" for n in CHAR_SIZES for i in range(len(padded) - n + 1)]


def class_mask(tokens: list[str]) -> int:
    mask = 0
    for token in tokens:
        mask |= CLASS_BITS.get(token, 0)
    return mask


def class_features(mask: int) -> list[str]:
    """`l:` for every class present and `k:` for every pair of them."""
    present = [name for position, name in enumerate(CLASS_NAMES) if mask >> position & 1]
    return [f"l:{name}" for name in present] + [f"k:{a}&{b}" for a, b in itertools.combinations(present, 2)]


def negated(tokens: list[str]) -> list[str]:
    """`n:` for each of the NEGATION_SCOPE tokens after a negation (another negation restarts it)."""
    out: list[str] = []
    left = 0
    for token in tokens:
        if token in NEGATIONS:
            left = NEGATION_SCOPE
        elif left:
            out.append("n:" + token)
            left -= 1
    return out


def all_features(message: Message) -> list[str]:
    """Every feature occurrence of a message (training lists them; inference sums their rows)."""
    tokens = message.tokens
    features = [f"w:{token}" for token in tokens] + [f"b:{a} {b}" for a, b in itertools.pairwise(tokens)]
    for word in message.words:
        features += char_features(word)
    features += class_features(class_mask(tokens))
    if not NEGATIONS.isdisjoint(tokens):
        features += negated(tokens)
    return features + message.findings.features()
