"""What Lantern says when it notices someone hurting: short, kind, never quoting the member.

The public reply varies by what was detected: the label, and for pursuit the kind of pursuit the
detector named in its reasons (going around a block, showing up, reaching them through others…),
so a reply never says "after they asked for space" to someone nobody asked. Every sentence is
fixed text: nothing the member wrote is repeated.
"""

from __future__ import annotations

from collections.abc import Sequence

PUBLIC_REPLY = {
    "ignored": "Waiting on a reply that doesn't come really hurts. Silence is an answer too, and you deserve "
    "care while you sit with it.",
    "rejected": "Hearing no from someone you care about is painful. Their answer is theirs to give, and you "
    "deserve kindness while you heal.",
    "blocked": "Being blocked can sting. A block is a boundary, and honouring it is a way of caring for yourself too.",
    "pursuit": "It sounds like you're still trying to reach someone who has stepped back. Even when it comes from "
    "love, that can frighten someone. Support for your own feelings can really help.",
    "crisis": "I'm really glad you said something, and I'm worried about you. You deserve support right now. "
    "Please reach out to one of these, they're free and there to listen:",
}
# Pursuit by the kind the detector named (its reason), most serious first.
PURSUIT_REPLY = {
    "restraining order": "It sounds like there's an order asking you to stay away. Keeping to it matters for "
    "everyone's safety, yours too. Support for your own feelings can really help with how hard that is.",
    "new account to reach them": "It sounds like you're finding ways around a block. A block is a clear answer, "
    "and going around it can frighten someone, even when it comes from love. Support for your own feelings can "
    "really help.",
    "showing up": "It sounds like you're going to places where they are. Turning up when someone has stepped back "
    "can frighten them, even when it comes from love. Support for your own feelings can really help.",
    "following them": "It sounds like you're keeping track of where they are. That can frighten someone, even when "
    "it comes from love. Support for your own feelings can really help.",
    "through other people": "It sounds like you're reaching them through other people. When someone has stepped "
    "back, messages through friends or family still reach them as pressure. Support for your own feelings can "
    "really help.",
    "despite a no": "It sounds like you're still reaching out after they said no or asked for space. Even when it "
    "comes from love, that can frighten someone. Support for your own feelings can really help.",
    "keeps contacting": "It sounds like you keep reaching out to them. When someone has pulled back, more messages "
    "tend to add to the distance and to your hurt. Support for your own feelings can really help.",
}


def public_reply(label: str, reasons: Sequence[str] = ()) -> str:
    """The reply for what was detected: by label, and for pursuit by the most serious kind named
    (a reason "rule: showing up" names the rule; the model's strongest words name no kind)."""
    if label == "pursuit":
        named = {reason.removeprefix("rule: ") for reason in reasons}
        for kind, text in PURSUIT_REPLY.items():
            if kind in named:
                return text
    return PUBLIC_REPLY[label]


RESOURCES_LABEL = "Resources"
OPT_OUT_LABEL = "Don't reply to me"
OPT_IN_LABEL = "Reply to me again"
NOT_ABOUT_LABEL = "Not about that"
OPTED_IN = "Okay, I'll reply again when it looks like something is weighing on you."
NOT_ABOUT_THANKS = "Thank you for telling me, and sorry for getting it wrong. I've removed my reply."
NOT_YOUR_BUTTON = (
    "This button is for the person Lantern replied to, so I'll leave it for them. "
    "If you're worried about someone, a kind word or a moderator can help."
)
TALK_SENT = (
    "I've asked this server's moderators to reach out to you. You don't have to wait alone: the crisis lines "
    "in my reply are free and there to listen right now."
)
TALK_ALREADY = "I've already asked the moderators; someone will reach out to you. The crisis lines are there meanwhile."
TALK_NO_CHANNEL = (
    "This server has no moderators' alert channel any more, so I can't reach them for you. Please message a "
    "moderator directly, and if you are in immediate danger, call your local emergency number."
)
TALK_FAILED = (
    "I couldn't post in the moderators' channel just now. Please message a moderator directly, and if you are "
    "in immediate danger, call your local emergency number."
)


def opted_out_text(moderators_alerted: bool) -> str:
    """The opt-out confirmation: it promises only what happens on this server (an alert only where
    the server has an alert channel)."""
    crisis = "I'll still send you crisis lines"
    if moderators_alerted:
        crisis += " and let this server's moderators know, for your safety"
    return (
        "Okay, I won't reply to your messages any more. If you ever write about wanting to die or hurting "
        f"yourself, {crisis}. You can change your mind any time."
    )
