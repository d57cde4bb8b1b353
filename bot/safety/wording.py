"""What Lantern says when it notices someone hurting: short, kind, never quoting the member."""

from __future__ import annotations

PUBLIC_REPLY = {
    "ignored": "Waiting on a reply that doesn't come really hurts. Silence is an answer too, and you deserve "
    "care while you sit with it.",
    "rejected": "Hearing no from someone you care about is painful. Their answer is theirs to give, and you "
    "deserve kindness while you heal.",
    "blocked": "Being blocked can sting. A block is a boundary, and honouring it is a way of caring for yourself too.",
    "pursuit": "It sounds like you're still reaching out after they asked for space. Even when it comes from love, "
    "that can frighten someone. Support for your own feelings can really help.",
    "crisis": "I'm really glad you said something, and I'm worried about you. You deserve support right now. "
    "Please reach out to one of these, they're free and there to listen:",
}
RESOURCES_LABEL = "Resources"
OPT_OUT_LABEL = "Don't reply to me"
OPT_IN_LABEL = "Reply to me again"
OPTED_OUT = (
    "Okay, I won't reply to your messages any more. If you ever write about wanting to die or hurting yourself, "
    "I'll still share crisis lines and let the server's moderators know, for your safety. You can change your "
    "mind any time."
)
OPTED_IN = "Okay, I'll reply again when it looks like something is weighing on you."
RESOURCE_TOPIC = {"crisis": "crisis", "pursuit": "own-behaviour"}  # everything else: relationships
RESOURCE_TITLE = {
    "crisis": "Crisis support",
    "pursuit": "Support for your own feelings and actions",
}


def alert_text(label: str, member: str, channel: str, link: str, action: str) -> str:
    if label == "crisis":
        return f"Crisis language from {member} in {channel}: {link}\nLantern {action}. Please check in with them."
    return f"Safety reply ({label}) for {member} in {channel}: {link}"
