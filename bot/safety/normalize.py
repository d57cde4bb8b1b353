"""Text clean-up before the detector reads a message: what to ignore, and chat spelling made plain.

Everything here is linear in the length of the text: one pass per regular expression, and no
pattern with nested unbounded repetition.
"""

from __future__ import annotations

import re
from collections.abc import Collection

CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]{0,500}`")
QUOTE_LINE = re.compile(r"^[ \t]*>[^\n]*$", re.MULTILINE)
URL = re.compile(r"https?://\S+")
REPEATED_LETTERS = re.compile(r"([a-z])\1{2,}")
THREE_SAME_LETTERS = re.compile(r"([a-z])\1\1")  # a quicker test than substituting: most text has none

# Whole-word replacements: chat shorthand, missing apostrophes and frequent typos of the words
# the rules look for. Applied to single tokens only, so "wtf" or "itself" are never touched.
REPLACEMENTS: dict[str, str] = {
    # twin-flame and chat shorthand
    "tf": "twin flame",
    "twinflame": "twin flame",
    "df": "divine feminine",
    "ig": "instagram",
    "insta": "instagram",
    "finsta": "fake instagram account",
    "fb": "facebook",
    "snap": "snapchat",
    "sc": "snapchat",
    "wa": "whatsapp",
    "u": "you",
    "ur": "your",
    "r": "are",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "msg": "message",
    "msgs": "messages",
    "txt": "text",
    "txts": "texts",
    "txted": "texted",
    "pls": "please",
    "plz": "please",
    "rn": "right now",
    "tho": "though",
    "thru": "through",
    "ppl": "people",
    "idk": "i don't know",
    "nvm": "never mind",
    "kms": "kill myself",
    "ctb": "kill myself",
    "unalive": "kill",
    "unalived": "killed",
    "unaliving": "killing",
    "sewerslide": "suicide",
    "suicidal": "suicidal",
    "selfharm": "self harm",
    "od": "overdose",
    "nc": "no contact",
    "lc": "low contact",
    "wk": "week",
    "wks": "weeks",
    "yr": "year",
    "yrs": "years",
    "hrs": "hours",
    "mins": "minutes",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    # missing apostrophes
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hadnt": "hadn't",
    "wont": "won't",
    "cant": "can't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "shouldnt": "shouldn't",
    "aint": "ain't",
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "thats": "that's",
    "whats": "what's",
    "youre": "you're",
    "itll": "it'll",
    # typos of the words that matter
    "blokced": "blocked",
    "bloked": "blocked",
    "blcoked": "blocked",
    "blocke": "blocked",
    "blockd": "blocked",
    "blockked": "blocked",
    "blcked": "blocked",
    "ignorng": "ignoring",
    "ignoreing": "ignoring",
    "ignroing": "ignoring",
    "ingoring": "ignoring",
    "ignorin": "ignoring",
    "ghosteed": "ghosted",
    "gosted": "ghosted",
    "replyed": "replied",
    "replid": "replied",
    "repsonded": "responded",
    "responed": "responded",
    "resonded": "responded",
    "anwser": "answer",
    "anwsered": "answered",
    "answerd": "answered",
    "awnser": "answer",
    "unfriend": "unfriend",
    "unfriendded": "unfriended",
    "unfollwed": "unfollowed",
    "messgae": "message",
    "mesage": "message",
    "messege": "message",
    "texing": "texting",
    "textin": "texting",
    "callin": "calling",
    "suicidle": "suicidal",
    "sucidal": "suicidal",
    "suicidial": "suicidal",
    "suacidal": "suicidal",
    "sucide": "suicide",
    "suicde": "suicide",
    "myslef": "myself",
    "mysef": "myself",
    "mself": "myself",
    "alve": "alive",
    "anymor": "anymore",
    "anymroe": "anymore",
    "nothin": "nothing",
    "somthing": "something",
    "wnat": "want",
    "wan": "want",
    "tommorow": "tomorrow",
    "becuase": "because",
    "becasue": "because",
    "recieve": "receive",
}

_PLAIN_OF = {word: plain for word, plain in REPLACEMENTS.items() if word != plain}
_REPLACEMENT_KEYS = frozenset(_PLAIN_OF)
# A key is replaced only as a whole token (a run of word characters and apostrophes), so splitting
# the text into tokens and what lies between them, and mapping each piece, is the whole pass: no
# replacement produces another key, and no piece between tokens can be a key. The same as
# substituting `(?<![\w'])(?:key|…)(?![\w'])`, without trying that alternation at every position.
_TOKEN_OR_NOT = re.compile(r"([\w']+)")
# "my DM" / "the DM" is the divine masculine; any other "dm" is a direct message.
_DIVINE_DM = re.compile(r"\b(my|the|our|your|his|her|their) dm\b")
_DIRECT_DM = re.compile(r"\bdm(?:'?d|ed|s|ing)?\b")


def strip_ignored_parts(text: str) -> str:
    """Drop code blocks, inline code, quoted lines (`> …`) and links: not the member's own words."""
    if "`" in text:
        text = CODE_BLOCK.sub(" ", text)
        text = INLINE_CODE.sub(" ", text)
    if ">" in text:
        text = QUOTE_LINE.sub(" ", text)
    if "http" in text:
        text = URL.sub(" ", text)
    return text


def lower_plain(text: str) -> str:
    """Lowercase with straight apostrophes."""
    text = text.lower()
    if "’" in text or "‘" in text:
        text = text.replace("’", "'").replace("‘", "'")
    return text


def collapse_runs(text: str) -> str:  # the same steps are inlined in features.prepare_tokens
    """Letter runs cut to two ("blockeddd" → "blockedd", "nooooo" → "noo")."""
    return REPEATED_LETTERS.sub(r"\1\1", text) if THREE_SAME_LETTERS.search(text) else text


_DM_FORMS = frozenset({"dm", "dms", "dm'd", "dmd", "dmed", "dming"})
# Tokens expand_words may change: a text with none of them is already plain.
EXPANDABLE = _REPLACEMENT_KEYS | _DM_FORMS


def expand_words(text: str, tokens: Collection[str]) -> str:
    """Chat spelling to plain words, given the text's tokens (the same text when none needs it)."""
    if not _DM_FORMS.isdisjoint(tokens):
        text = _DIVINE_DM.sub(r"\1 divine masculine", text)
        text = _DIRECT_DM.sub("message", text)
    if not _REPLACEMENT_KEYS.isdisjoint(tokens):
        pieces = _TOKEN_OR_NOT.split(text)
        text = "".join(map(_PLAIN_OF.get, pieces, pieces))
    return text
