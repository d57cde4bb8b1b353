"""The safety detector's cost per message, next to discord.py's own cost of parsing that message.

    .venv/bin/python -m benchmarks.safety [--rounds 30]

For every message of a realistic mix, both sides run in this one process: discord.py turning the
MESSAGE_CREATE frame (JSON text, as the gateway delivers it) into a `discord.Message`, and
`assess(text)`. The mix is mostly ordinary chat (benchmarks/data/ordinary_chat.txt) with labelled
examples from data/safety/train.jsonl and validation.jsonl as 20%: hard negatives and every label
(never the test split). It prints the detector's p99 per message next to the parse's mean; the last
line is `ratio detector/parse=…` (means). Targets: ratio at most 1.0, p99 at most 5× the parse.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import discord
from discord import utils

from bot.safety import assess
from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from cogs import extension_names
from emulator import state as st

ROOT = Path(__file__).resolve().parents[1]
LABELLED_SHARE = 0.20


def realistic_mix(seed: int = 7) -> list[str]:
    ordinary = _ordinary_lines()
    labelled: list[str] = []
    for path in (ROOT / "data" / "safety" / "train.jsonl", ROOT / "data" / "safety" / "validation.jsonl"):
        labelled += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    rng = random.Random(seed)
    count = round(len(ordinary) * LABELLED_SHARE / (1 - LABELLED_SHARE))
    mix = ordinary + rng.sample(labelled, min(count, len(labelled)))
    rng.shuffle(mix)
    return mix


async def measure(texts: list[str], rounds: int) -> tuple[float, float, float]:
    """Median per-message cost of discord.py's parse and of the detector, and the detector's p99, in seconds."""
    folder = tempfile.mkdtemp()
    sandbox = Sandbox(
        load_settings(env_file=None, database_path=Path(folder) / "bench.sqlite3"), extensions=extension_names()
    )
    await sandbox.start()
    try:
        frames, state, channel = frames_and_parser(sandbox, texts)
        parse_times: list[float] = []
        detect_times: list[float] = []
        each: list[float] = []
        for _ in range(rounds):
            started = time.perf_counter()
            for frame in frames:
                parse(frame, state, channel)
            parse_times.append((time.perf_counter() - started) / len(frames))
            started = time.perf_counter()
            for text in texts:
                assess(text)
            detect_times.append((time.perf_counter() - started) / len(texts))
            for text in texts:
                one = time.perf_counter()
                assess(text)
                each.append(time.perf_counter() - one)
        p99 = statistics.quantiles(each, n=100)[98]
        return statistics.median(parse_times), statistics.median(detect_times), p99
    finally:
        await sandbox.close()


def frames_and_parser(sandbox: Sandbox, texts: list[str]) -> tuple[list[str], object, object]:
    """MESSAGE_CREATE frames built by the emulator, and the connected bot's state to parse them with."""
    emulator = sandbox.emulator
    member, channel = emulator.member("member"), emulator.channel("general")
    frames = []
    for text in texts:
        message = st.Message(emulator.ids.next(), channel, member.user, text, emulator.now())
        payload = message.payload(guild_member=member, resolve=emulator.find_user)
        frames.append(json.dumps({"op": 0, "t": "MESSAGE_CREATE", "s": 1, "d": payload}))
    return frames, sandbox.bot._connection, sandbox.bot.get_channel(channel.id)


def split_by_kind(texts: list[str]) -> dict[str, list[str]]:
    ordinary = set(_ordinary_lines())
    return {
        "ordinary chat": [t for t in texts if t in ordinary],
        "labelled examples": [t for t in texts if t not in ordinary],
    }


def _ordinary_lines() -> list[str]:
    path = ROOT / "benchmarks" / "data" / "ordinary_chat.txt"
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def parse(frame: str, state: object, channel: object) -> discord.Message:
    data = utils._from_json(frame)["d"]  # what DiscordWebSocket.received_message does first
    return discord.Message(state=state, channel=channel, data=data)  # type: ignore[arg-type]


# Long inputs built to make a pattern backtrack or a loop go quadratic: each at 2,000 and 4,000
# characters (Discord's longest message). Linear time means the longer one costs about 2x.
ADVERSARIAL_PIECES = (
    "a",
    "he ",
    "blocked me ",
    "i keep texting ",
    "not ",
    "he said no but i and ",
    "!",
    "i want to really ",
    "> quoted ",
    "`",
    "my ",
    "since ",
    "kms lol 💀 ",
)


def adversarial_growth(rounds: int = 5) -> tuple[float, float]:
    """The largest cost ratio 4,000 / 2,000 characters over ADVERSARIAL_PIECES, and the slowest 4,000 in us."""
    worst_ratio = slowest = 0.0
    for piece in ADVERSARIAL_PIECES:
        costs = []
        for size in (2000, 4000):
            text = (piece * (size // len(piece) + 1))[:size]
            runs = []
            for _ in range(rounds):  # the fastest run: a shared machine's noise only ever adds
                started = time.perf_counter()
                assess(text)
                runs.append(time.perf_counter() - started)
            costs.append(min(runs))
        worst_ratio = max(worst_ratio, costs[1] / costs[0])
        slowest = max(slowest, costs[1] * 1e6)
    return worst_ratio, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    texts = realistic_mix()
    assess(texts[0])  # load the model once, outside the timing
    parse_s, detect_s, p99_s = asyncio.run(measure(texts, args.rounds))
    parse_us, detect_us, p99_us = parse_s * 1e6, detect_s * 1e6, p99_s * 1e6
    flagged = sum(1 for text in texts if assess(text).label != "none")
    print(f"messages={len(texts)} flagged={flagged} rounds={args.rounds} labelled_share={LABELLED_SHARE:.0%}")
    for name, subset in split_by_kind(texts).items():
        started = time.perf_counter()
        for _ in range(args.rounds):
            for text in subset:
                assess(text)
        each = (time.perf_counter() - started) / (args.rounds * len(subset)) * 1e6
        print(f"  detector on {name:<22} {each:6.2f} us/message ({len(subset)} messages)")

    growth, slowest = adversarial_growth()
    print(
        f"adversarial inputs: cost at 4,000 chars / at 2,000 chars <= {growth:.2f} (linear: about 2), "
        f"slowest 4,000-char input {slowest:.0f} us"
    )
    print(f"discord.py parse per message: {parse_us:.2f} us (JSON frame -> discord.Message)")
    print(f"detector per message:         {detect_us:.2f} us (assess(text))")
    print(f"detector p99 per message:     {p99_us:.2f} us = {p99_us / parse_us:.2f}x the parse")
    print(f"ratio detector/parse={detect_us / parse_us:.3f}")


if __name__ == "__main__":
    main()
