"""The detector's rules: for each label, phrases anchored on who does what to whom.

Patterns use only bounded repetition (`{0,n}`) and no nested unbounded quantifiers, so each search
is linear in the text. Words that would appear in *any* match of a label are listed in its trigger
set; a message with none of them skips that label's patterns entirely.
"""

from __future__ import annotations

import re

# ----- building blocks ------------------------------------------------------------------------
GAP = r"(?:\s+[\w']+){0,%d}"  # up to n intervening words
ROMANTIC = (
    r"(?:ex|twin flame|twin|person|partner|boyfriend|girlfriend|husband|wife|crush|love|runner|"
    r"divine masculine|divine feminine|soul ?mate|fianc[eé]e?|man|woman|guy|girl|situationship|"
    r"lover|ex[- ]boyfriend|ex[- ]girlfriend|ex[- ]husband|ex[- ]wife|chaser|mirror soul|counterpart)"
)
TARGET = rf"(?:he|she|they|he's|she's|they're|my {ROMANTIC}|the runner|[a-z]+'s)"
THEM = rf"(?:him|her|them|my {ROMANTIC}|the runner)"
HIS = r"(?:his|her|their)"
NEG = r"(?:not|never|don't|doesn't|didn't|hasn't|haven't|hadn't|won't|wouldn't|isn't|wasn't|can't|no longer)"
PLATFORMS = (
    r"(?:everything|every(?:thing| single)? (?:app|platform|social|site)s?|all (?:the )?(?:apps|platforms|socials|social media)|"
    r"instagram|facebook|snapchat|whatsapp|twitter|x|tiktok|discord|telegram|imessage|messenger|signal|"
    r"his|her|their|phone|number|socials|social media|spotify|reddit|threads|linkedin|email)"
)

# Subjects that make an ignored/blocked/rejected phrase about someone other than a love interest.
NON_TARGET_SUBJECT = re.compile(
    r"\b(?:my|the|our|a|his|her)\s+(?:(?:best|close|old|new)\s+)?(?:mom|mum|mother|dad|father|parents?|sister|brother|"
    r"sis|bro|grandma|grandpa|granny|nan|aunt|uncle|cousin|son|daughter|kids?|cat|dog|puppy|kitten|pet|boss|manager|"
    r"teacher|professor|landlord|coworker|co-worker|colleague|friends?|bestie|roommate|flatmate|neighbou?r|"
    r"delivery (?:guy|driver|man)|doctor|therapist|counsel?lor|client|customer|team|coach|bank|school|university|"
    r"uni|college|company|linter|code|app|phone|computer|printer|goalie|shop|store|bot|server|site|website)\b"
)
NON_TARGET_BARE = re.compile(
    r"\b(?:twitter|instagram|facebook|discord|reddit|tiktok|snapchat|whatsapp|youtube|google|apple|automod|mods|admins|"
    r"moderators|spam\s+filter|the\s+system|customer\s+service|support)\s*(?:\w+\s+){0,2}$"
)
NON_TARGET_OBJECT = re.compile(
    r"^\s*(?:from|by)\s+(?:my|the|our|a|his|her)\s+(?:(?:best|close|old|new)\s+)?(?:mom|mum|mother|dad|father|parents?|sister|brother|"
    r"grandma|grandpa|boss|manager|teacher|professor|landlord|coworker|colleague|friends?|bestie|roommate|flatmate|"
    r"neighbou?r|doctor|therapist|company|school|university|uni|college|bank|shop|store|recruiter|employer|agency|council)\b"
    r"(?!\s+list)"
)
# Generic subjects: advice or general talk about the dynamic, not the writer's own situation.
GENERAL_SUBJECT = re.compile(
    r"\b(?:your|you|you're|someone|somebody|anyone|anybody|people|a\s+runner|runners|the\s+runner|chasers?|twin\s+flames|"
    r"a\s+person|their\s+person|everyone|others)\b"
)
NON_TARGET_AFTER = re.compile(
    r"^\W*(?:on|by|from)\s+(?:a|the|this)\s+(?:chess|game|gaming|job|work|dating)?\s*(?:site|server|game|forum|app)\b"
)

SELF_ANCHOR = (
    r"(?:where\s+i'm\s+at|where\s+i\s+am|happening\s+to\s+me|i'm\s+going\s+through|i'm\s+in\s+(?:it|this)|that's\s+me|"
    r"same\s+here|like\s+me\b|me\s+too|my\s+situation|(?:he|she|they)'s\s+doing\s+(?:it|this|that)|i'm\s+living)"
)

NEGATION_BEFORE = re.compile(rf"\b{NEG}\b(?:\s+[\w']+){{0,2}}\s*$")
HYPOTHETICAL_BEFORE = re.compile(
    r"\b(?:if|what if|in case|whether|scared|afraid|worried|worry|fear|hope|hoping|imagine|imagining|should i|"
    r"would|might|will (?:he|she|they)|before)\b[^.!?;]*$"
)
CLAUSE_BREAK = re.compile(r"[.!?;\n]|\bbut\b|\bthough\b|\balthough\b|,\s+(?:and|so)\b")

RESOLVED = re.compile(
    r"\b(?:is\s+(?:also\s+)?(?:an|its\s+own)\s+answer|learning\s+to\s+accept|i've\s+accepted|i\s+accept|accepting\s+that|at\s+peace\s+with|okay\s+with\s+(?:it|that)|"
    r"years? ago|ancient history|long time ago|a long time|back in (?:19|20)\d\d|in (?:19|20)\d\d|"
    r"happily (?:married|taken|single)|we're (?:good|friends|fine|cool|okay|ok) now|friends now|it's all good|"
    r"freed me|set me free|best (?:decision|thing)|healthiest|grateful (?:he|she|they) did|i'm (?:over it|fine now|at peace|"
    r"doing (?:so much )?(?:better|great|well)|so much better|healing)|barely remember|"
    r"(?:realised|realized|turns out|turned out) (?:he|she|they) (?:was|were) (?:just )?(?:busy|asleep|sick|away|working)|"
    r"called me (?:today|back|this morning|last night)|(?:replied|answered|texted (?:me )?back|responded) "
    r"(?:this morning|today|finally|last night|earlier|yesterday)|finally (?:replied|answered|texted back|responded)|"
    r"we (?:talked|made up|got back together)|i stopped (?:a|\w+ (?:weeks|months|years)) ago)\b"
)
ONGOING = re.compile(
    r"\b(?:still|again|can't (?:stop|get over|move on|let go)|every day|everyday|won't stop|right now)\b"
)

# ----- crisis -----------------------------------------------------------------------------------
CRISIS_TRIGGERS = frozenset(
    ["die", "dying", "dead", "death", "kill", "killing", "killed", "suicide", "suicidal", "alive", "live", "living", "life", "exist", "existing", "cut", "cutting", "cutter", "harm", "harming", "hurt", "hurting", "pills", "pill", "overdose", "overdosing", "overdosed", "jump", "jumping", "bridge", "goodbye", "end", "ending", "ended", "gone", "disappear", "wake", "point", "reason", "sleep", "notes", "note", "letter", "bleed", "bleeding", "razor", "rope", "hang", "hanging", "noose", "kms", "ctb", "unalive", "unalived", "sewerslide", "sh", "od", "done", "go", "longer", "here", "anymore", "worth", "stop", "permanently", "myself", "continue", "breathe", "better", "born", "wish", "died", "care", "nobody", "overdosing", "alive"]
)
CRISIS_PATTERNS: list[tuple[str, str]] = [
    ("wants to die", r"\b(?:want|wanted|wanting|wish|need|going|ready|about|trying|plan|planning)\s+(?:to\s+)?die\b"),
    ("wants to die", r"\b(?:i|i'm|im|i am)\s+(?:going\s+to|gonna|about\s+to|ready\s+to)\s+die\b"),
    ("kill myself", r"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|burn|burning|end)\s+myself\b"),
    ("kill myself", r"\bkill(?:ed|ing)? my ?self\b"),
    ("suicide", r"\bsuicid(?:e|al)\b"),
    ("self-harm", r"\bself[- ]?harm(?:ing|ed)?\b"),
    ("self-harm", r"\b(?:relapsed|relapsing|did|do|doing|urges?\s+to|into|on)\s+sh\b"),
    (
        "self-harm",
        r"\b(?:started|start|been|am|i'm|was|keep|kept|relapsed\s+and\s+started|back\s+to)\s+cutting\b"
        r"(?!\s+(?:off|ties|back|down|out|him|her|them|carbs|sugar|people|the|my\s+hair|things|class|corners|onions|in))",
    ),
    ("end my life", r"\b(?:end|ending|take|taking)\s+my\s+(?:own\s+)?life\b"),
    (
        "end it all",
        r"\bend(?:ing)?\s+(?:it|everything)(?:\s+all)?(?:\s+(?:tonight|now|soon|today|permanently|for good))?\s*(?:[.!?,]|$)",
    ),
    ("end it all", r"\b(?:thinking|thought|think)\s+(?:about|of)\s+end(?:ing)?\s+it\b(?!\s+with)"),
    (
        "not wanting to live",
        r"\b(?:don't|do not|doesn't|didn't)\s+(?:really\s+|even\s+|honestly\s+)?(?:want|wanna)\s+(?:to\s+)?(?:live|be\s+alive|be\s+here|exist|wake\s+up|keep\s+going|go\s+on|be\s+around)\b",
    ),
    ("not wanting to live", r"\b(?:tired|sick)\s+of\s+(?:living|being\s+alive|existing|life)\b"),
    (
        "no reason to live",
        r"\b(?:no|(?:don't|can't|do\s+not|cannot)\s+see\s+(?:a|any|the)|there's\s+no|lost\s+(?:my|all|any|the))\s+(?:reason|point|purpose|will)\s+(?:to|in|of|for)\s+(?:live|living|go\s+on|going\s+on|keep\s+going|be(?:ing)?\s+(?:alive|here)|exist|existing|continue|continuing|life|anything)\b",
    ),
    (
        "no reason to live",
        r"\b(?:what's|what\s+is|whats)\s+the\s+point\s+(?:of|in)\s+(?:living|life|going\s+on|being\s+alive|being\s+here|existing|anything|trying\s+anymore|me)\b",
    ),
    ("no reason to live", r"\b(?:life|living)\s+(?:isn't|is\s+not|ain't)\s+worth\b"),
    ("no reason to live", r"\bno\s+reason\s+to\s+(?:keep|stay|carry)\b"),
    (
        "better off without me",
        r"\bbetter\s+off\s+(?:without\s+me|dead|if\s+i\s+(?:was|were|wasn't|weren't)\s+(?:here|around|alive|gone|dead))\b",
    ),
    (
        "wish I was dead",
        r"\bwish\s+(?:i\s+)?(?:was|were|i'd|i\s+had|had)\s+(?:dead|never\s+been\s+born|gone|not\s+(?:alive|born|here))\b",
    ),
    ("wish I was dead", r"\bwish(?:ed)?\s+it\s+had\s+worked\b"),
    ("never wake up", r"\b(?:never|not)\s+wake\s+up\b"),
    ("never wake up", r"\bsleep\s+(?:forever|and\s+never)\b"),
    (
        "overdose",
        r"\b(?:took|take|taking|swallowed|have|got|saving|stockpiling)\s+(?:too\s+many|all\s+(?:my|the|of\s+my)|a\s+bunch\s+of|the)\s+(?:pills|meds|tablets)\b",
    ),
    ("overdose", r"\b(?:overdos(?:e|ed|ing))\b"),
    ("jumping", r"\b(?:thinking|thought|think)\s+(?:about|of)\s+jumping\b"),
    ("jumping", r"\b(?:jump|jumping)\s+(?:off|from|in\s+front\s+of)\b"),
    ("jumping", r"\bstood\s+on\s+the\s+(?:bridge|edge|ledge|roof)\b"),
    ("goodbye note", r"\b(?:goodbye|suicide|farewell)\s+(?:letter|note|message|video)s?\b"),
    (
        "goodbye note",
        r"\b(?:written|wrote|writing)\s+(?:notes|letters)\s+(?:for|to)\s+my\s+(?:family|kids|parents|mom|mum|friends)\b",
    ),
    ("goodbye note", r"\bthis\s+is\s+my\s+last\s+(?:message|post)\b"),
    (
        "won't be here",
        r"\b(?:won't|will\s+not|not\s+going\s+to)\s+be\s+(?:here|around|alive)\s+(?:much\s+)?(?:longer|for\s+long|tomorrow|next)\b",
    ),
    ("won't be here", r"\bdon't\s+think\s+i'll\s+be\s+(?:here|around|alive)\b"),
    (
        "nobody would notice",
        r"\b(?:nobody|no\s+one|noone)\s+(?:would|will|'d)\s+(?:even\s+)?(?:notice|care|miss\s+me)\b[^.!?]{0,40}\b(?:gone|dead|died|disappeared|wasn't\s+here|not\s+here)\b",
    ),
    (
        "nobody would notice",
        r"\b(?:nobody|no\s+one)\s+(?:would|will)\s+(?:even\s+)?care\s+if\s+i\s+(?:died|was\s+gone|disappeared|killed)\b",
    ),
    ("disappear forever", r"\bdisappear\s+(?:forever|for\s+good|permanently)\b"),
    (
        "want it to end",
        r"\bwant\s+(?:it\s+all|everything|it)\s+to\s+(?:end|stop)\b[^.!?]{0,20}\b(?:forever|permanently|for\s+good)\b",
    ),
    ("want it to end", r"\bwant\s+(?:it\s+all|everything)\s+to\s+(?:end|stop)\b"),
    (
        "can't go on",
        r"\bcan't\s+(?:go\s+on|keep\s+going|do\s+this\s+anymore)\b[^.!?]{0,30}\b(?:die|dead|end|gone|live|alive|pills|anymore\b.{0,10}\b(?:goodbye))",
    ),
    ("have the means", r"\b(?:have|got)\s+the\s+(?:pills|rope|razor|gun)\s+(?:ready|here|with\s+me)\b"),
    ("have the means", r"\b(?:the\s+)?(?:pills|rope|razor|gun)\s+(?:are|is)\s+ready\b"),
]
CRISIS_NEGATED = re.compile(
    r"\b(?:not|never|don't|do\s+not|wouldn't|would\s+never|won't|will\s+never|i'm\s+not|am\s+not|no)\s+"
    r"(?:(?:want|wanna|going|gonna|planning|trying)\s+(?:to\s+)?)?(?:die|kill\s+myself|hurt\s+myself|harm\s+myself|suicidal|end\s+my\s+life|self[- ]?harm)\b"
)
CRISIS_NEGATION_BEFORE = re.compile(r"\b(?:not|never|no|i'm\s+not|am\s+not|wasn't|isn't)\s*$")
CRISIS_GENERAL = re.compile(
    r"\b(?:prevention|awareness|hotline|helpline|lifeline|988|character|episode|movie|film|book|chapter|song|podcast|"
    r"article|series|show|novel|statistics?|research|documentary|if\s+you(?:'re|\s+are|\s+feel)?|anyone\s+(?:who|feeling|having)|"
    r"someone\s+(?:who|feeling)|for\s+(?:those|anyone|people)|people\s+who)\b"
)
CRISIS_PAST = re.compile(
    r"\b(?:used\s+to|years\s+ago|in\s+the\s+past|back\s+then|no\s+longer|when\s+i\s+was\s+(?:younger|a\s+teen|\d+)|"
    r"(?:\d+|two|three|four|five|six|many)\s+(?:years|months)\s+(?:clean|free|sober))\b"
)

# ----- pursuit --------------------------------------------------------------------------------------
PURSUIT_TRIGGERS = frozenset(
    ["account", "accounts", "acc", "profile", "instagram", "finsta", "fake", "alt", "burner", "second", "new", "another", "number", "phone", "email", "keep", "keeping", "kept", "still", "every", "daily", "constantly", "nonstop", "anyway", "until", "despite", "though", "giving", "texting", "texted", "text", "calling", "called", "call", "messaging", "messaged", "message", "emailing", "emailed", "email", "writing", "write", "wrote", "letters", "letter", "voicemail", "voicemails", "flowers", "gift", "sent", "send", "sending", "drove", "drive", "driving", "went", "showed", "show", "showing", "turned", "waited", "wait", "waiting", "sat", "stood", "parked", "knocked", "house", "place", "home", "apartment", "flat", "work", "office", "job", "gym", "door", "building", "car", "outside", "sister", "brother", "friend", "friends", "cousin", "mom", "mum", "mother", "dad", "coworker", "roommate", "family", "girlfriend", "boyfriend", "wife", "husband", "parents", "restraining", "protective", "order", "police", "warning", "cease", "follow", "following", "followed", "track", "tracking", "location", "stalk", "stalking", "stalked", "snapchat", "map", "moving", "move", "closer", "close", "flight", "flew", "booked", "surprise", "comment", "commenting", "posts", "joined", "join", "sees", "notices", "notice", "come", "around", "back", "trying", "try", "found", "got"]
)
CONTACT_VERB = (
    r"(?:text(?:ing|ed|s)?|call(?:ing|ed|s)?|messag(?:e|ing|ed|es)|email(?:ing|ed|s)?|writ(?:e|ing|es)|wrote|"
    r"send(?:ing|s)?|sent|leav(?:e|ing)\s+(?:\w+\s+)?voicemails?|left\s+(?:\w+\s+)?voicemails?|reach(?:ing)?\s+out|contact(?:ing|ed)?|"
    r"show(?:ing)?\s+(?:up|her|him)|try(?:ing)?|dm(?:ing)?|snapchat(?:ting)?|facetim(?:e|ing)|knock(?:ing)?)"
)
PERSISTENCE = (
    r"(?:every\s+(?:single\s+)?(?:day|night|morning|evening|hour|week|few\s+(?:days|hours))|each\s+(?:day|night|morning)|"
    r"daily|nightly|constantly|non-?stop|all\s+(?:day|night|the\s+time)|again\s+and\s+again|over\s+and\s+over|"
    r"multiple\s+times|\d{2,}\s+(?:times|messages|texts|calls|emails)|anyway|until\s+(?:he|she|they)|"
    r"(?:still|keep|kept|keeps|won't\s+stop|can't\s+stop))"
)
DESPITE = (
    r"(?:even\s+though|although|though|despite|but|since|after)\s+(?:he|she|they|my\s+\w+)[^.!?]{0,40}?"
    r"\b(?:said|told|asked|blocked|won't|wont|never|doesn't|didn't|hasn't|isn't|ignores|ignored|needs?|wants?|moved|changed|stopped|has\s+a)"
)
PURSUIT_PATTERNS: list[tuple[str, str]] = [
    (
        "new account to reach them",
        r"\b(?:made|make|making|created|create|creating|opened|open|started|got|set\s+up|use|using)\s+(?:a\s+|an\s+|another\s+|my\s+)?"
        r"(?:new\s+|second\s+|2nd\s+|fake\s+|secret\s+|burner\s+|alt(?:ernate)?\s+|different\s+|spare\s+)+"
        r"(?:instagram\s+)?(?:account|acc|profile|instagram|email|number|snapchat|twitter|tiktok|facebook|discord)s?\b"
        r"[^.!?]{0,50}?\b(?:him|her|them|his|their|blocked|blocks|block)\b",
    ),
    ("new account to reach them", r"\bfake\s+instagram\s+account\b[^.!?]{0,50}?\b(?:him|her|them|his|their|blocked)\b"),
    (
        "new account to reach them",
        r"\b(?:every\s+time|whenever|each\s+time)\s+(?:he|she|they)\s+blocks?\s+me\s+i\s+(?:make|create|open)\b",
    ),
    ("new account to reach them", r"\bon\s+a\s+new\s+account\b"),
    (
        "contacting after a block",
        rf"\b(?:call|calling|text|texting|message|messaging)\s+(?:{THEM}\s+)?from\s+(?:my\s+|a\s+|another\s+|her\s+|his\s+|an?\s+)?"
        r"(?:work\s+phone|other\s+phone|private\s+number|blocked\s+number|unknown\s+number|no\s+caller\s+id|friend's\s+phone|"
        r"new\s+number|different\s+number|another\s+number|work\s+number|landline)\b",
    ),
    (
        "contacting through others",
        rf"\b(?:asked|ask|asking|got|had|have|begged|beg|told|tell|sent|send)\s+(?:{HIS}|my|our)\s+(?:best\s+)?(?:sister|brother|friend|friends|"
        r"mom|mum|mother|dad|father|cousin|coworker|colleague|roommate|bestie|family|parents|aunt|uncle)\b"
        r"[^.!?]{0,40}?\b(?:to\s+)?(?:give|pass|tell|call|text|message|talk|send|deliver|bring|get|ask|show|say)\b",
    ),
    (
        "contacting through others",
        rf"\b(?:i\s+)?(?:messaged|texted|called|dm'?d|contacted|emailed|wrote\s+to|reached\s+out\s+to|sent\s+a\s+letter\s+to|message|keep\s+messaging|keep\s+texting)\s+"
        rf"{HIS}\s+(?:new\s+)?(?:girlfriend|boyfriend|wife|husband|partner|sister|brother|mom|mum|mother|dad|father|parents|"
        r"friend|friends|best\s+friend|cousin|coworkers?|colleagues?|family|roommate|boss)(?:'s)?\b",
    ),
    (
        "contacting through others",
        rf"\bsent\s+(?:a\s+)?(?:letter|gift|flowers|card|package)\s+to\s+{HIS}\s+(?:parents'?|mom's|family's|work|office|house)",
    ),
    (
        "found their new number",
        rf"\bfound\s+(?:{HIS}|the)\s+new\s+(?:number|one|account|address|email|instagram|profile)\b",
    ),
    ("found their new number", rf"\bgot\s+{HIS}\s+new\s+(?:number|address|account)\s+from\b"),
    (
        "showing up",
        rf"\b(?:drove|drive|driving|went|go|going|walked|walk|showed\s+up|show\s+up|showing\s+up|turned\s+up|turn\s+up|waited|wait|waiting|"
        rf"sat|sit|sitting|stood|parked|knocked|camped|came)\s+(?:all\s+night\s+)?(?:to|at|outside|by|near|in\s+front\s+of|past|around|on)?\s*"
        rf"(?:of\s+)?{HIS}\s+(?:own\s+)?(?:house|place|home|apartment|flat|work|workplace|office|job|school|gym|door|building|street|car|"
        r"parents'?\s+(?:house|place)|dorm|hotel|new\s+(?:place|house|city|apartment))\b",
    ),
    ("showing up", r"\b(?:went|go|going|showed\s+up|show\s+up)\s+to\s+(?:his|her|their)\s+(?:apartment|house|place)\b"),
    ("showing up", r"\b(?:keep|kept|keeps)\s+showing\s+up\b[^.!?]{0,40}\b(?:he|she|they|his|her)\b"),
    (
        "showing up",
        r"\b(?:showing\s+up|show\s+up|turning\s+up|hanging\s+around|waiting)\s+(?:at|around|outside)\s+(?:the\s+)?[\w' ]{1,20}?\s+(?:he|she|they)\s+(?:goes|go|works|work|lives|live|hangs)\b",
    ),
    ("showing up", r"\bdrive\s+past\s+where\s+(?:he|she|they)\b"),
    (
        "following them",
        rf"\b(?:follow(?:ed|ing)?|track(?:ed|ing)?|stalk(?:ed|ing)?|watch(?:ed|ing)?)\s+(?:{HIS}\s+location|{THEM}\s+(?:home|around|to))\b",
    ),
    ("following them", r"\b(?:stalk|stalking|stalked)\s+(?:him|her|them|his|her)\b"),
    (
        "following them",
        r"\b(?:snapchat\s+map|snap\s+map|find\s+my|location)\b[^.!?]{0,40}\b(?:drive|drove|go|went|follow)\b",
    ),
    ("following them", rf"\b(?:joined|join|joining)\s+{HIS}\s+(?:gym|class|church|team|club|work|school)\b"),
    (
        "moving to be near them",
        rf"\b(?:move|moving|moved|relocat(?:e|ing))\s+(?:there|to\s+(?:his|her|their)\s+city|closer)\b[^.!?]{{0,40}}\b(?:close|near|closer)\s+to\s+{THEM}\b",
    ),
    ("moving to be near them", rf"\bto\s+be\s+(?:close|closer|near)\s+to\s+{THEM}\b"),
    (
        "moving to be near them",
        r"\bbooked\s+a\s+(?:flight|train|bus|ticket)\s+to\s+(?:his|her|their)\s+(?:city|town|place)\b",
    ),
    (
        "restraining order",
        r"\b(?:restraining|protective|protection|no[- ]contact)\s+order\b(?![^.!?]{0,20}\bagainst\s+(?:him|her|them)\b)",
    ),
    ("restraining order", r"\b(?:police|cops)\s+(?:warning|warned\s+me|came|told\s+me)\b"),
    ("restraining order", r"\bcease\s+and\s+desist\b"),
    (
        "keeps contacting",
        rf"\b(?:i|i'm|i've|i'll)\s+(?:still\s+|just\s+|will\s+|am\s+going\s+to\s+|going\s+to\s+)?(?:keep|kept|keeping|continue|continued|won't\s+stop|can't\s+stop)\s+"
        rf"{CONTACT_VERB}(?:\s+{THEM})?\b(?![^.!?]{{0,25}}\b(?:my\s+(?:best\s+)?friend|my\s+(?:mom|mum|dad|sister|brother|grandma)|memes)\b)",
    ),
    ("keeps contacting", rf"\b(?:i|i'm|i've)\s+(?:still\s+)?{CONTACT_VERB}\s+{THEM}\s+(?:\w+\s+){{0,3}}?{PERSISTENCE}"),
    (
        "keeps contacting",
        rf"\b(?:i|i've|i\s+have)\s+(?:sent|texted|called|messaged)\s+(?:{THEM}\s+)?\d{{2,}}\s+(?:messages|texts|times|calls|emails)\b",
    ),
    ("keeps contacting", rf"\b(?:i\s+)?(?:still\s+)?send\s+{THEM}\s+(?:a\s+)?(?:message|text|letter)s?\s+every\b"),
    (
        "keeps contacting despite a no",
        r"\b(?:said|told\s+me|asked\s+me|asked\s+for|begged\s+me)\s+(?:to\s+)?(?:stop|no|not\s+to|leave|space|no\s+contact|to\s+leave)\b"
        r"[^.!?]{0,60}?\bbut\s+i\s+(?:still\s+|just\s+)?(?:keep|kept|sent|send|texted|text|called|call|messaged|message|went|showed|can't\s+stop|won't\s+stop|'m\s+not\s+giving\s+up|am\s+not\s+giving\s+up)\b",
    ),
    (
        "keeps contacting despite a no",
        r"\b(?:said|told\s+me|asked)\s+(?:to\s+)?(?:stop|no|leave\s+(?:him|her|them)\s+alone)\b[^.!?]{0,60}?\b(?:anyway|but\s+i'm\s+not\s+giving\s+up|i'm\s+not\s+giving\s+up|i\s+won't\s+give\s+up)\b",
    ),
    (
        "keeps contacting despite a no",
        rf"\b(?:i\s+)?{CONTACT_VERB}\b[^.!?]{{0,50}}?\b(?:even\s+though|although|despite)\s+(?:he|she|they|my\s+\w+)\s+(?:said|told|asked|blocked|needs|wants|never|won't|doesn't|has)\b",
    ),
    (
        "keeps contacting despite a no",
        r"\b(?:until|till)\s+(?:he|she|they)\s+(?:answers|replies|responds|says\s+yes|talks|gives\s+in|comes\s+back|picks\s+up)\b",
    ),
    ("keeps contacting despite a no", r"\bnot\s+giving\s+up\b[^.!?]{0,40}\b(?:text|call|message|every|keep)\b"),
    (
        "keeps contacting despite a no",
        rf"\b(?:said|told\s+me|asked\s+me)\b[^.!?]{{0,40}}\b(?:leave\s+{THEM}\s+alone|stop|no)\b[^.!?]{{0,60}}\b(?:she'll|he'll|they'll)\s+come\s+(?:back|around)\b",
    ),
    ("making them notice", r"\bso\s+(?:he|she|they)\s+(?:has|have)\s+to\s+(?:talk|see|look|answer|notice|face)\b"),
    (
        "making them notice",
        rf"\b(?:comment|commenting|like|liking|post|posting|tag|tagging)\s+(?:on\s+)?{HIS}\s+(?:friends'?|family's|sister's|brother's|posts|photos|pics|stories)\b",
    ),
    (
        "making them notice",
        r"\b(?:hoping|so)\s+(?:he|she|they)\s+(?:notices|sees|will\s+notice|will\s+see)\s+(?:me|my)\b",
    ),
    ("making them notice", r"\bfly(?:ing)?\s+to\s+(?:see|surprise)\s+(?:him|her|them)\b"),
]


# ----- blocked -------------------------------------------------------------------------------------
BLOCKED_TRIGGERS = frozenset(
    ["blocked", "block", "blocks", "blocking", "unblocked", "unblocks", "unfriended", "unfriend", "unadded", "unfollowed", "removed", "deleted", "muted", "restricted", "number", "voicemail", "bounce", "bounces", "deliver", "delivered"]
)
BLOCKED_PATTERNS: list[tuple[str, str]] = [
    ("blocked me", r"\b(?:soft[- ]?)?block(?:ed)?\s+me\b"),
    ("blocked me", r"\bblock(?:ed|s)?\s+my\s+(?:number|email|calls|account|messages|texts|main|cell|phone)\b"),
    (
        "blocked me",
        r"\b(?:i'm|i\s+am|i\s+got|got|i've\s+been|i\s+was|been|i\s+just\s+got|just\s+got|i\s+found\s+out\s+i'm|found\s+out\s+i'm|i'm\s+still)\s+blocked\b",
    ),
    ("blocked me", rf"^\W*blocked\s+on\s+{PLATFORMS}\b"),
    ("unfriended me", r"\b(?:unfriended|unadded|unfollowed|removed|deleted|muted|restricted|kicked)\s+me\b"),
    ("unfriended me", r"\bremoved\s+me\s+(?:from|as)\b"),
    ("unfriended me", r"\bdeleted\s+me\s+(?:off|from|on)\b"),
    ("changed number", rf"\bchanged\s+{HIS}\s+(?:phone\s+)?number\b"),
    ("changed number", r"\b(?:calls|messages|texts)\s+(?:go|goes)\s+straight\s+to\s+voicemail\b"),
    (
        "changed number",
        r"\b(?:messages|texts|emails)\s+(?:bounce|won't\s+deliver|don't\s+deliver|aren't\s+delivering|won't\s+go\s+through)\b",
    ),
    ("changed number", r"\btexts\s+won't\s+deliver\b"),
]

# ----- rejected ------------------------------------------------------------------------------------
REJECTED_TRIGGERS = frozenset(
    ["feel", "same", "interested", "romantic", "broke", "dumped", "ended", "end", "ends", "chose", "choose", "choosing", "staying", "done", "over", "friend", "friendzoned", "stop", "leave", "alone", "wants", "want", "nothing", "moved", "love", "loved", "rejected", "reject", "turned", "married", "engaged", "marrying", "gone", "space", "ready", "said", "told", "asked", "no", "chance", "future", "back", "together", "respect"]
)
REJECTED_PATTERNS: list[tuple[str, str]] = [
    ("doesn't feel the same", r"\b(?:doesn't|does\s+not|don't|didn't|never)\s+feel\s+the\s+same\b"),
    (
        "not interested",
        r"\b(?:not|isn't|wasn't|never\s+was|not\s+really)\s+interested\b(?!\s+in\s+(?!(?:me|us|anything|a\s+relationship|dating|being|more|romance|this|that|a\s+future|getting|me\s+like)\b)\w)",
    ),
    (
        "broke up with me",
        r"\b(?:broke\s+up\s+with\s+me|dumped\s+me|left\s+me\s+for|cheated\s+and\s+left|ended\s+(?:it|things)\s+with\s+me|called\s+it\s+off|broke\s+my\s+heart\s+and\s+left)\b",
    ),
    (
        "broke up with me",
        r"\b(?:he|she|they|my\s+\w+(?:\s+\w+)?)\s+(?:broke\s+up\s+with\s+me|ended\s+(?:things|it|us|the\s+relationship)|broke\s+up)\b",
    ),
    (
        "chose someone else",
        rf"\b(?:chose|choosing|picked|went\s+back\s+to)\s+(?:her|him|them|someone\s+else|another|{HIS}\s+(?:ex|girlfriend|boyfriend|wife|husband))\b",
    ),
    (
        "chose someone else",
        r"\b(?:staying|stays|stay)\s+with\s+(?:his|her|their)\s+(?:girlfriend|boyfriend|wife|husband|partner|ex)\b",
    ),
    ("chose someone else", r"\b(?:he'll|she'll|they'll|he\s+will|she\s+will)\s+never\s+choose\s+me\b"),
    (
        "chose someone else",
        r"\b(?:in\s+love\s+with|happy\s+with|moved\s+in\s+with|dating|seeing)\s+(?:someone\s+else|another\s+(?:girl|guy|man|woman|person)|(?:her|his|their)\s+new\s+(?:partner|girlfriend|boyfriend))\b",
    ),
    (
        "chose someone else",
        rf"\b(?:he|she|they|he's|she's|they're|my\s+{ROMANTIC})\s+(?:is\s+|just\s+|got\s+|is\s+getting\s+|'s\s+getting\s+)?(?:married|engaged)\b",
    ),
    (
        "chose someone else",
        r"\b(?:married|engaged\s+to|marrying)\s+(?:someone\s+else|another\s+\w+|a\s+(?:girl|guy|man|woman))\b",
    ),
    ("it's over", r"\b(?:we're|we\s+are|we\s+were)\s+(?:done|over|finished)\b"),
    ("it's over", r"\bit's\s+(?:really\s+)?over\b(?!\s+(?:there|here|now\b))"),
    ("it's over", r"\bit's\s+over\s+between\s+us\b"),
    ("it's over", r"\bno\s+chance\s+(?:of\s+)?(?:us|we|getting\s+back)\b"),
    ("it's over", r"\b(?:doesn't|does\s+not|don't)\s+see\s+a\s+future\s+with\s+me\b"),
    ("only a friend", r"\b(?:only|just)\s+(?:sees|see|saw|thinks\s+of|wants)\s+me\s+as\s+a\s+friend\b"),
    ("only a friend", r"\bfriend-?zoned\s+me\b"),
    (
        "asked me to stop",
        r"\b(?:told|asked|begged|wants|needs|needed|wanted|said\s+(?:she|he|they)\s+needs?)\s+me\s+(?:to\s+)?(?:stop|leave\s+(?:him|her|them)\s+alone|go\s+away|not\s+(?:to\s+)?(?:contact|text|call|message|come|ask|reach)|move\s+on|give\s+(?:him|her|them)\s+space|respect|back\s+off|stay\s+away|gone|out\s+of)\b",
    ),
    (
        "asked me to stop",
        r"\b(?:said|told\s+me|asked)\s+(?:to\s+)?(?:stop\s+(?:contacting|texting|calling|messaging|reaching)|leave\s+(?:him|her|them)\s+alone|not\s+to\s+(?:contact|text|call|message|come))\b",
    ),
    (
        "asked me to stop",
        r"\b(?:wants|needs|asked\s+for)\s+(?:space|no\s+contact|time\s+apart)\b[^.!?]{0,30}\b(?:stop|from\s+me|contacting)\b",
    ),
    (
        "asked me to stop",
        r"\b(?:please\s+)?don't\s+(?:try\s+to\s+fix\s+it|contact\s+me|text\s+me|call\s+me|message\s+me)\b",
    ),
    ("wants nothing to do with me", r"\bwants?\s+nothing\s+(?:to\s+do\s+)?with\s+me\b"),
    (
        "doesn't want me",
        r"\b(?:he|she|they|my\s+\w+(?:\s+\w+)?)\s+(?:said\s+(?:he|she|they)\s+)?(?:doesn't|does\s+not|don't|didn't)\s+(?:want|love)\s+(?:me|this|us|a\s+relationship|to\s+be\s+with\s+me|anything\s+(?:with|to\s+do\s+with)\s+me)\b",
    ),
    ("doesn't want me", r"\bsaid\s+'?i\s+don't\s+want\s+this\b"),
    ("doesn't want me", r"\b(?:never|doesn't|does\s+not|don't)\s+lov(?:ed|es|e)\s+me(?:\s+anymore)?\b"),
    ("doesn't want me", r"\b(?:not|isn't|wasn't)\s+ready\s+(?:for\s+(?:a\s+relationship|us|this)|and\s+never)\b"),
    ("moved on", r"\b(?:he|she|they|he's|she's|they've|he\s+has|she\s+has)\s+(?:already\s+)?moved\s+on\b"),
    ("moved on", r"\btold\s+me\s+to\s+move\s+on\b"),
    ("rejected me", r"\b(?:rejected|turned\s+down|turned)\s+me\b(?:\s+down)?"),
    (
        "said no",
        r"\bsaid\s+no\s+(?:to\s+(?:meeting|seeing|dating|going\s+out|us|me|a\s+date|being|getting\s+back|another\s+chance|trying|a\s+relationship)|when\s+i|again)\b",
    ),
    ("said no", r"\btold\s+me\s+not\s+to\s+come\b"),
    ("imagined connection", r"\bi\s+imagined\s+the\s+connection\b"),
    ("needs space", r"\b(?:she|he|they)\s+(?:said\s+(?:she|he|they)\s+)?(?:wants|needs)\s+space\b"),
]

# ----- ignored -------------------------------------------------------------------------------------
IGNORED_TRIGGERS = frozenset(
    ["answer", "answered", "answers", "answering", "reply", "replied", "replies", "replying", "respond", "responded", "responds", "responding", "read", "delivered", "seen", "ghosted", "ghosting", "ghost", "ignoring", "ignores", "ignored", "ignore", "silence", "silent", "quiet", "stopped", "texted", "back", "heard", "word", "hear", "nothing", "response", "contact", "vanished", "disappeared", "waiting", "wait", "pick", "picks", "online", "opened", "sees", "saw", "reads", "except", "zero", "cold", "open", "unread", "won't", "hasn't", "haven't", "didn't", "doesn't", "never", "isn't", "not", "nothing", "mia", "awol", "dark"]
)
IGNORED_PATTERNS: list[tuple[str, str]] = [
    (
        "no reply",
        rf"\b{NEG}\s+(?:even\s+|just\s+|really\s+|once\s+|ever\s+)?(?:answer(?:ed|s|ing)?|repl(?:y|ied|ies|ying)|respond(?:ed|s|ing)?|"
        r"text(?:ed)?\s+(?:me\s+)?back|writ(?:e|ten)\s+back|got(?:ten)?\s+back\s+to\s+me|call(?:ed)?\s+(?:me\s+)?back|pick(?:ed)?\s+up|"
        r"said\s+anything\s+back|say\s+anything\s+back|spoken\s+to\s+me|talked\s+to\s+me|messaged\s+me|open(?:ed)?\s+(?:them|it|my))\b",
    ),
    ("no reply", r"\bstill\s+no\s+(?:reply|response|answer|text|message|word|call)s?\b"),
    (
        "no reply",
        rf"\bno\s+(?:reply|response|answer|text|message|word|call|contact)s?\s+(?:from\s+{THEM}|back|yet|since|in\s+(?:\d+|days|weeks|months)|for\s+(?:\d+|days|weeks|months|a\s+(?:week|month|while)))\b",
    ),
    ("no reply", r"\b(?:got|get|getting|heard|hear)\s+(?:absolutely\s+)?nothing\s+back\b"),
    (
        "no reply",
        r"\b(?:days|weeks|months|hours|since\s+\w+|message|messages|text|texts|snapchat|read|delivered|sent)\b[^.!?]{0,40}\b(?:and|but|still)\s+nothing\b",
    ),
    ("no reply", r"\bnow\s+(?:it's\s+)?nothing\b"),
    (
        "no reply",
        rf"\b(?:haven't|hasn't|have\s+not|not)\s+heard\s+(?:anything|a\s+(?:word|thing)|back)?\s*(?:from\s+{THEM})",
    ),
    ("no reply", rf"\bsince\s+i\s+(?:last\s+)?heard\s+(?:anything\s+)?from\s+{THEM}\b"),
    ("left on read", r"\bleft\s+me\s+on\s+(?:read|delivered|seen|opened|unread)\b"),
    ("left on read", r"\bleaves\s+me\s+on\s+(?:read|delivered|seen)\b"),
    ("left on read", r"\b(?:on|at)\s+['\"]?(?:delivered|read|seen)['\"]?\s+(?:for|since)\b"),
    (
        "left on read",
        r"\b(?:read|reads|opened|opens|saw|sees|seen|viewed|views)\s+(?:my|all\s+my|everything|it)\b[^.!?]{0,40}\b(?:but|and)\s+(?:still\s+)?(?:never|won't|doesn't|didn't|no|nothing|not)\b",
    ),
    ("left on read", r"\b(?:unread|sit\s+there\s+unread|won't\s+even\s+open)\b"),
    ("ghosted", r"\bghost(?:ed|ing)\s+(?:me|on\s+me)\b"),
    ("ghosted", r"\b(?:got|been|was|i'm\s+being|getting)\s+ghosted\b"),
    ("ghosted", r"\b(?:he|she|they|my\s+\w+(?:\s+\w+)?)\s+(?:just\s+)?(?:ghosted|vanished|disappeared)\b"),
    (
        "ignoring me",
        r"\bignor(?:ing|es|ed|e)\s+(?:me|my\s+(?:calls|texts|messages|message|dms|snaps|call|letters|emails))\b",
    ),
    (
        "ignoring me",
        rf"\b(?:ignor(?:e|es|ing)|ghost(?:s|ing)?|go(?:es)?\s+silent\s+on)\s+you\b[^\n]{{0,80}}?{SELF_ANCHOR}",
    ),
    (
        "stopped replying",
        r"\bstopped\s+(?:replying|texting|talking|answering|responding|calling|messaging|writing|reaching\s+out)\b",
    ),
    (
        "went silent",
        r"\b(?:went|gone|go|goes|going)\s+(?:completely\s+|totally\s+|radio\s+)?(?:silent|quiet|cold|dark|mia|awol|no\s+contact)\b",
    ),
    ("went silent", r"\b(?:silence|radio\s+silence)\s+(?:from|for|since)\b"),
    ("went silent", r"\bradio\s+silence\b"),
    ("went silent", r"\bthe\s+silence\s+(?:is|has\s+been)\s+(?:so\s+)?(?:loud|deafening|killing|unbearable|hard)\b"),
    ("went silent", r"\b(?:days|weeks|months|years)\s+of\s+(?:silence|no\s+contact|nothing)\b"),
    (
        "waiting for a reply",
        r"\bwaiting\s+(?:all\s+\w+\s+)?(?:for\s+(?:a|his|her|their|any)\s+(?:reply|response|answer|text|message|call)|for\s+(?:him|her|them)\s+to\s+(?:answer|reply|respond|text|call|write))\b",
    ),
    (
        "waiting for a reply",
        r"\b(?:answers|replies\s+to|talks\s+to|responds\s+to|texts)\s+everyone\b[^.!?]{0,30}?\b(?:but|except)\s+me\b",
    ),
    (
        "waiting for a reply",
        r"\b(?:online|active)\b[^.!?]{0,40}\b(?:never|won't|doesn't|but\s+no)\s+(?:answers?|repl(?:y|ies)|respond)",
    ),
    ("waiting for a reply", r"\bused\s+to\s+(?:text|call|message)\s+me\b[^.!?]{0,40}\b(?:now|nothing|stopped)\b"),
]

LABEL_RULES: list[tuple[str, frozenset[str], list[tuple[str, str]]]] = [
    ("crisis", CRISIS_TRIGGERS, CRISIS_PATTERNS),
    ("pursuit", PURSUIT_TRIGGERS, PURSUIT_PATTERNS),
    ("blocked", BLOCKED_TRIGGERS, BLOCKED_PATTERNS),
    ("rejected", REJECTED_TRIGGERS, REJECTED_PATTERNS),
    ("ignored", IGNORED_TRIGGERS, IGNORED_PATTERNS),
]
