"""Round trip through the emulator and the real bot: gateway dispatch → the bot's REST call arriving.

    .venv/bin/python -m benchmarks.roundtrip [--count 1000]

Sends COUNT member messages (answered by a benchmark-only echo listener) and COUNT `/help`
commands, one at a time, and prints p50/p99 latency for each in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path

from bot.sandbox.engine import Sandbox
from bot.settings import load_settings
from cogs import extension_names
from emulator.invocation import parse_command_line
from emulator.limits import Limits


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(count: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(env_file=None, database_path=Path(folder) / "bench.sqlite3")
        # The round trip itself, not Discord's pacing: no global or per-route limit (with them on,
        # 1,000 replies in one channel would wait 5 s per 5 replies and the figures would be the waits).
        unlimited = Limits(global_rate=None, route_rates={})
        sandbox = Sandbox(settings, extensions=[*extension_names(), "benchmarks.echo_cog"], limits=unlimited)
        await sandbox.start()
        try:
            emulator = sandbox.emulator
            member, channel = emulator.member("member"), emulator.channel("general")
            message_ms: list[float] = []
            for i in range(count):
                message = await emulator.send_message(member, channel, f"message {i}")
                dispatched = emulator.dispatch_times[message.id]
                reply = await emulator.wait_for_request(
                    lambda r, mid=str(message.id): (
                        isinstance(r.body, dict)
                        and str((r.body.get("message_reference") or {}).get("message_id")) == mid
                    )
                )
                message_ms.append((reply.received - dispatched) * 1000)
                await sandbox.settle()
            command_ms: list[float] = []
            invocation = parse_command_line("/help")
            for _ in range(count):
                record = await emulator.invoke(member, channel, invocation)
                dispatched = emulator.dispatch_times[record.id]
                callback = await emulator.wait_for_request(
                    lambda r, iid=str(record.id): r.path.startswith(f"/interactions/{iid}/")
                )
                command_ms.append((callback.received - dispatched) * 1000)
                await sandbox.settle()
                emulator.requests.clear()  # keep look-ups linear
            return {"messages": message_ms, "commands": command_ms}
        finally:
            await sandbox.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    results = asyncio.run(measure(args.count))
    for name, values in results.items():
        p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
        print(
            f"{name:<9} n={len(values)} p50={p50:.3f}ms p99={p99:.3f}ms "
            f"mean={statistics.fmean(values):.3f}ms ratio p99/p50={p99 / p50:.2f}"
        )
    print(f"total {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
