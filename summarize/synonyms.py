"""The words /ask treats as saying the same thing: a small table, data only, read by summarize/question.py.

`SAME` groups words (and two-word phrases) that report one event or one kind of thing; any member in a
question is met by any member in an article ("How many people died?" meets "the three fatalities"; "shoot
down" meets "intercepted"). `BROADER` is one-way: a question's word is met by the narrower words listed
("casualties" is met by "killed", but a question about the killed is not met by "casualties"). Inflections
that the Porter stemmer does not join ("shot"/"shoot", "fled"/"flee") are listed as members.

Add a group here for a new kind of news fact; never add a word to fit one question.
"""

from __future__ import annotations

SAME: tuple[tuple[str, ...], ...] = (
    ("killed", "kill", "killing", "dead", "death", "deaths", "died", "die", "dying", "fatalities", "fatality",
     "slain", "perished"),
    ("wounded", "injured", "injuries", "injury", "hurt", "wounding"),
    ("shoot down", "shot down", "shooting down", "downed", "destroyed", "destroy", "intercepted", "intercept",
     "neutralised", "neutralized"),
    ("soldiers", "troops", "servicemen", "personnel"),
    ("fighters", "militants", "insurgents", "combatants", "jihadists"),
    ("sent", "send", "deployed", "deploy", "dispatched"),
    ("displaced", "fled", "flee", "refugees", "refugee", "evacuated", "homeless"),
    ("captured", "seized", "taken", "captive"),
    ("arrested", "detained", "held"),
    ("kidnapped", "abducted", "seized", "hostage", "hostages"),
    ("freed", "released", "rescued", "free"),
    ("charged", "accused", "indicted"),
    ("strikes", "airstrikes", "strike", "raids", "bombing"),
    ("meet", "met", "meeting", "talks"),
    ("control", "controls", "controlled", "hold", "holds", "held"),
    ("children", "child", "kids", "minors"),
    ("civilians", "civilian", "residents"),
    ("travelled", "traveled", "travel", "travelling", "traveling", "flew", "went"),
    ("trapped", "buried", "stuck"),
    ("detainees", "inmates", "prisoners"),
)  # fmt: skip

BROADER: dict[str, tuple[str, ...]] = {
    "casualties": ("killed", "dead", "died", "deaths", "wounded", "injured", "losses", "toll"),
    "losses": ("casualties", "killed", "dead", "wounded", "lost"),
    "toll": ("killed", "dead", "deaths", "died", "fatalities"),
    "territory": ("square", "kilometers", "kilometres", "km", "miles", "land", "area"),
    "cost": ("worth", "dollars", "euros", "pounds", "billion", "million", "funding", "aid", "billions"),
    "money": ("dollars", "euros", "pounds", "billion", "million", "funding", "aid", "worth"),
    "people": ("civilians", "residents"),
}
