"""Regenerate tests/conformance/discord-openapi.json: Discord's OpenAPI description, trimmed to what
the conformance test uses (the operations of the paths below and every schema they reach).

    .venv/bin/python -m tests.conformance.trim_openapi ../shared/discord-openapi.json

The source is Discord's official description of API v10 (github.com/discord/discord-api-spec,
MIT licence, copied beside the output as discord-openapi.LICENSE). Nothing else is changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUTPUT = HERE / "discord-openapi.json"

# Every path the emulator serves (emulator/routes/__init__.py ROUTES), in the description's spelling.
PATHS = (
    "/gateway",
    "/gateway/bot",
    "/users/@me",
    "/oauth2/applications/@me",
    "/applications/@me",
    "/applications/{application_id}/commands",
    "/applications/{application_id}/guilds/{guild_id}/commands",
    "/users/@me/channels",
    "/users/@me/guilds/{guild_id}",
    "/channels/{channel_id}",
    "/channels/{channel_id}/messages",
    "/channels/{channel_id}/messages/{message_id}",
    "/channels/{channel_id}/threads",
    "/guilds/{guild_id}",
    "/guilds/{guild_id}/channels",
    "/guilds/{guild_id}/members/{user_id}",
    "/interactions/{interaction_id}/{interaction_token}/callback",
    "/webhooks/{webhook_id}/{webhook_token}",
    "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
)
# Schemas the test also checks gateway payloads against.
EXTRA_SCHEMAS = ("MessageResponse", "GuildResponse", "GuildChannelResponse", "ThreadResponse", "UserResponse")


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    paths = {path: spec["paths"][path] for path in PATHS}
    components: dict[str, dict[str, Any]] = {}
    pending: set[str] = {f"#/components/schemas/{name}" for name in EXTRA_SCHEMAS}
    _refs(paths, pending)
    done: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in done:
            continue
        done.add(ref)
        _, _, kind, name = ref.split("/", 3)
        node = spec["components"][kind][name]
        components.setdefault(kind, {})[name] = node
        _refs(node, pending)
    return {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": spec.get("servers", []),
        "paths": paths,
        "components": {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    source = Path(argv[0])
    trimmed = trim(json.loads(source.read_text(encoding="utf-8")))
    OUTPUT.write_text(json.dumps(trimmed, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    licence = source.with_name("discord-openapi.LICENSE")
    if licence.exists():
        (HERE / "discord-openapi.LICENSE").write_text(licence.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{OUTPUT}: {len(trimmed['paths'])} paths, {sum(map(len, trimmed['components'].values()))} components")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
