"""English templates for the demo texts (see `labelops.demo.texts`).

`{emoji}`, `{meh}`, `{mad}` and `{link}` are shared slots filled by the generator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LANGUAGE: Final = "en"

SLOTS: Final[Mapping[str, tuple[str, ...]]] = {
    "name": (
        "Sam",
        "Priya",
        "Jordan",
        "Alex",
        "Maya",
        "Chris",
        "Leila",
        "Tom",
        "Nina",
        "Omar",
        "Grace",
        "Ben",
    ),
    "place": (
        "Riverside",
        "Oakfield",
        "Hillcrest",
        "Westbrook",
        "the old town",
        "the city centre",
    ),
    "food": (
        "pancakes",
        "ramen",
        "tacos",
        "banana bread",
        "lentil soup",
        "pizza",
        "mango smoothies",
        "grilled corn",
    ),
    "team": ("the Tigers", "Harbour FC", "the Rovers", "the Comets", "our local team"),
    "when": ("this morning", "today", "tonight", "this weekend"),
    "day": ("tomorrow", "on Saturday", "next Friday", "this weekend"),
    "topic": (
        "the city marathon",
        "the book fair",
        "the charity market",
        "the concert in the park",
        "the beach clean-up",
        "the chess tournament",
    ),
    # Made-up or generic groups only.
    "group": (
        "people from the north",
        "those newcomers",
        "people from Valdoria",
        "the hill-town folks",
        "people from the east side",
        "Zentarians",
    ),
    "insult": ("clown", "idiot", "loser", "fool", "muppet", "joke"),
    "amount": ("$500", "$250", "200 USDT", "$1,000", "0.5 BTC"),
    "number": ("10k", "5,000", "50k", "1,000"),
}

TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {
    "none.no_violation": (
        "Finally tried the {food} in {place} {when}. Worth the wait {emoji}",
        "Traffic near {place} is terrible {when}, leave early if you can",
        "Great match {when}, {team} played really well {emoji}",
        "Reminder: {topic} starts {day}. See you there!",
        "Rain all day in {place}. Perfect excuse to stay in and read {emoji}",
        "Happy birthday {name}! Hope your year is as great as you are {emoji}",
        "Does anyone have a good recipe for {food}? Mine always turns out wrong",
        "Saying {group} are lazy is just prejudice. Judge people by what they do, "
        "not where they're from.",
        "Seeing people post hate about {group} again. That's not who we are, stop it.",
        "{name} and I walked around {place} {when}, the weather was perfect {emoji}",
        "Big thanks to the volunteers who cleaned up {place} {when} {emoji}",
        "Who's going to {topic} {day}? Let's go together {emoji}",
        "New café in {place} does the best {food} I've had in ages {emoji}",
    ),
    "none.needs_context": (
        "Oh great, {team} lost again. What a total surprise 🙃",
        "{name}, I'm going to kill you when I see you 😂 you know why",
        "We're going to destroy them {day}, no mercy 😤",
        "Wow {name}, amazing job as always. Truly a genius 🙄",
        "Another 'quick' meeting that lasted three hours. Love that for us",
        "If {name} brings {food} to the party again I'm moving to another country",
        "lol {name} you know what you did. The whole group knows 👀",
        "Sure, because {topic} is clearly the most important thing in the world right now 🙃",
    ),
    "harass.insult": (
        "Nobody likes you, {name}. Total {insult} {mad}",
        "Go away, you {insult}. Nobody asked for your opinion.",
        "{name} the {insult} strikes again {mad}",
        "Stop posting, {name}, you absolute {insult}.",
        "Every comment from {name} proves it: certified {insult}.",
        "Honestly {name}, you're the biggest {insult} in this group.",
        "Imagine being as clueless as {name}. What a joke {mad}",
    ),
    "harass.threat": (
        "You'll regret this, {name}. Just wait.",
        "Keep talking, {name}. You'll see what happens.",
        "I know where you hang out, {name}. See you soon.",
        "Watch your back, {name}. This isn't over.",
        "Say that again and you'll find out what I'm capable of.",
        "Remember this day, {name}. You're going to pay for it.",
        "Post one more thing about me and you'll be sorry {mad}",
    ),
    "hate.stereotype": (
        "{group} are all lazy, everyone knows that.",
        "Never hire {group}, they can't do anything right.",
        "Typical. {group} always complain about everything {mad}",
        "Let's be honest, {group} just aren't as smart as the rest of us.",
        "Of course {group} messed it up again. They're all the same.",
        "{group} can't be trusted with money. Facts.",
        "Why are {group} so loud all the time? No manners at all.",
    ),
    "hate.exclusion": (
        "{group} should go back where they came from.",
        "We don't want {group} in {place}. Keep them out.",
        "No {group} allowed in this group. Simple as that.",
        "Ban {group} from the market, they ruin everything.",
        "{group} don't belong here. Send them away.",
        "Landlords in {place} should stop renting to {group}.",
        "No more jobs for {group}. Let them go somewhere else.",
    ),
    "violence.glorification": (
        "Whoever beat up that guy in {place} last night deserves a medal 🔥",
        "That attack was the best thing that happened all year. Respect to whoever did it 🔥",
        "Finally someone made them pay. Heroes, all of them.",
        "The riot in {place} was beautiful. More of that please 🔥",
        "Say what you want, the guy who torched that car is a legend.",
        "Violence is the only language they understand. Proud of whoever did it.",
        "The ones who started the fight at the {team} game are heroes tbh",
    ),
    "self_harm.disclosure": (
        "I feel like giving up lately {meh}",
        "Honestly don't know why I keep trying. Nothing ever changes {meh}",
        "Tired of everything. Some days I just want to disappear.",
        "Another night awake. I don't think I can keep doing this much longer {meh}",
        "Sometimes I think everyone would be fine without me around.",
        "Smiling at work all day but inside I feel empty. I'm so done.",
        "Nobody would even notice if I stopped showing up {meh}",
    ),
    "spam.spam": (
        "🔥 Get {number} followers in 24 hours! 100% real, click {link}",
        "CRYPTO GIVEAWAY 🚀 first 100 people get {amount} free, details at {link}",
        "Earn {amount} a day from home, no experience needed!!! {link}",
        "Follow for follow? Follow me and I follow back instantly 💯 {link}",
        "Hot deals!!! Designer watches 90% off only today ➡️ {link}",
        "Want to go viral? Buy likes and views cheap at {link} 📈",
        "DM me 'INFO' to join the trading group that makes {amount} a week 💰💰 {link}",
    ),
    "fraud.scam": (
        "Your account has been locked due to suspicious activity. "
        "Reply with your password to unlock it.",
        "Security notice: verify your card at {link} within 24 hours "
        "or your account will be closed.",
        "Congratulations {name}! You won a {amount} gift card. Pay a small fee to claim it: {link}",
        "Hi, this is the support team. Please send us the 6-digit code we just texted you "
        "so we can fix your account.",
        "Your package is on hold. Confirm your address and card details here: {link}",
        "Urgent: we detected a login from a new device. Log in at {link} to keep your account.",
        "Hey {name}, I'm stuck abroad and lost my wallet. Can you send {amount} to this account? "
        "I'll pay you back tomorrow",
    ),
}

MIXED_SLOTS: Final[Mapping[str, tuple[str, ...]]] = {}
MIXED_TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {}
