"""What Lantern says in the healing tools: short, kind, shame-free, about the member and never the
other person. No diagnosis, and never a word on how to reach, read or win back anyone."""

from __future__ import annotations

from bot.storage.pauses import PauseCounts

# ----- /pause ------------------------------------------------------------------------------------
PAUSE_OPENING = "This urge is hard, and pausing is already a kind thing to do for yourself. It will pass."
GROUNDING_TITLE = "A minute to land"
FEELING_PLACEHOLDER = "What's strongest right now?"
WRITE_LABEL = "Write it, don't send it"
CHECK_ON_ME_LABEL = "Check on me in 20 minutes"
CHECK_AGAIN_LABEL = "Check on me again in 20 minutes"
PRIVATE_FOOTER = "Only you see this."

LETTER_TITLE = "Write it, don't send it"
LETTER_LABEL = "What you want to say to them"
LETTER_DESCRIPTION = "Nothing here is sent, saved or seen by anyone. It's gone when you press Submit."
LETTER_PLACEHOLDER = "Write all of it. No one will read it."
LETTER_DONE = (
    "That was an unsent letter. The feeling got its words and somewhere to go, and the choice stayed "
    "with you: nothing was sent, and Lantern kept none of it."
)
LETTER_HEAVY = (
    "Some of what you wrote sounds very heavy. If you are thinking about ending your life or hurting "
    "yourself, please reach one of these now. They're free and there to listen."
)

CHECKIN_SCHEDULED = (
    "I'll check on you by direct message {when}. Until then, maybe put the phone down for a few minutes: "
    "some water, a short walk, a song you like. (I can only reach you if your DMs are open.)"
)
CHECKIN_ALREADY = "I'm already checking on you {when}."
CHECKIN_DM = "Hi, it's Lantern. Twenty minutes ago you paused. How is the urge now?"
PASSED_LABEL = "It passed"
STRONG_LABEL = "Still strong"
PASSED = (
    "It passed. You felt the urge and let it move through you without acting on it. "
    "That takes real strength, and it gets a little easier each time."
)
STILL_STRONG = (
    "That's okay. Urges come in waves, and even a strong one passes. You don't have to act on it, and you "
    "don't have to hold it alone: these services help with your own feelings and what you do with them."
)
STILL_STRONG_CRISIS = "If you're thinking of harming yourself, `/resources topic:crisis` has crisis lines."
NOT_YOURS = "This belongs to someone else's pause."
PAUSE_GONE = "I can't find that pause any more (it may have been deleted with /privacy delete)."


def counts_line(counts: PauseCounts) -> str:
    """Counts only, for the member alone."""
    if counts.pauses == 0:
        return "This month: your first pause."
    pauses = "1 pause" if counts.pauses == 1 else f"{counts.pauses} pauses"
    return f"This month: {pauses}, {counts.passed} passed."


# ----- /nocontact --------------------------------------------------------------------------------
MILESTONE_WORDS = {
    1: "One whole day of choosing yourself.",
    3: "Three days. Each one was a choice, and you made it.",
    7: "One week. Seven days of turning toward your own life.",
    14: "Two weeks. Notice what has grown in the space you made.",
    30: "A month. That is steady, patient care for yourself.",
    60: "Two months. Your days are becoming your own again.",
    90: "Three months. Look how far you have carried yourself.",
    180: "Half a year. A long season of choosing yourself, day after day.",
    365: "A whole year. However today feels, that is a life you have been tending.",
}
NO_COUNT = "You're not counting yet. `/nocontact start` begins a private count of the days you choose not to reach out."
DAY_ZERO = (
    "Day 0 is a start too. Reaching out doesn't erase the days before: they happened, and they count. "
    "Your new count starts today."
)
STOPPED = (
    "Stopped counting. Your earlier stretches stay as dates for your own `/checkin history` chart until you "
    "delete them with `/privacy delete`."
)
UTC_NOTE = " Counted by UTC dates: add `timezone:` to `/nocontact start` (or use `/daily start`) to count by your own."


def day_count(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def milestone_line(milestone: int) -> str:
    return f"🌱 {MILESTONE_WORDS.get(milestone, f'{day_count(milestone)}.')}"


# ----- /checkin ------------------------------------------------------------------------------------
MOODS = {1: "Very low", 2: "Low", 3: "Okay", 4: "Good", 5: "Very good"}
MOOD_PLACEHOLDER = "Your mood right now, 1 to 5"
FEELINGS_PLACEHOLDER = "Up to three feelings"
CHECKIN_ASK = "How are you right now? Only you see this."
SAVE_AS_IS_LABEL = "Save without feelings"
CHECK_IN_LABEL = "Check in"
REMINDER_NEEDS_DAILY = (
    "Check-in reminders come inside your daily prompt DM. Start those with `/daily start time:09:00 "
    "timezone:Europe/London` (your own time and zone), then turn this on."
)
REMINDER_IN_DM = "How are you today? A check-in takes ten seconds."


def mood_label(mood: int) -> str:
    return f"{mood} · {MOODS[mood]}"


# ----- /daily snooze -------------------------------------------------------------------------------
NO_DAILY = "You don't have daily prompts. Start with `/daily start time:09:00 timezone:Europe/London`."
NOT_SNOOZED = "Your daily prompts aren't snoozed."
