"""The term lists that name an offensive text's category (never whether it is offensive)."""

# Patterns are matched on the lower-cased text at word boundaries, so "Scunthorpe",
# "class" and "Essex" match nothing. `*`, `@`, `!` and `.` stand in for letters the way
# people mask them ("f*ck", "sh!t", "b.s."). Content warning: slurs are listed below
# because the detector has to recognise them.

from __future__ import annotations

from types import MappingProxyType

from classifiers.content.labels import Category

_MASK = r"[*@!#$%.]"

PROFANITY = (
    rf"f(?:u|{_MASK})+(?:c|{_MASK})*k(?:s|ed|er|ers|in|ing|ity)?",
    r"fck\w*",
    r"wtf",
    r"stfu",
    rf"s(?:h|{_MASK})(?:i|{_MASK})+t(?:s|ty|ting|head|show)?",
    r"bull ?shit",
    r"crap(?:py|s)?",
    r"(?:god ?)?damn(?:ed|it)?",
    r"hell",
    r"ass(?:es|hole|holes|hat)?",
    rf"b(?:i|{_MASK})(?:t|{_MASK})ch(?:es|y|ing)?",
    r"piss(?:ed|ing)?",
    r"bastards?",
    r"bloody",
    r"b\.s\.",
)

SEXUAL = (
    r"sex(?:y|ting|t|ts)?",
    r"horny",
    r"naked",
    r"nudes?",
    r"boobs?",
    r"tits?",
    r"titties",
    r"milfs?",
    r"blow ?jobs?",
    r"sluts?",
    r"whores?",
    r"hookers?",
    r"one[- ]night stand",
    r"get(?:ting)? laid",
    r"hook(?:ed|ing)? up",
    r"porn\w*",
    r"cocks?",
    r"puss(?:y|ies)",
    r"dicks?",
    r"orgasms?",
)

SLUR = (
    r"retard(?:s|ed)?",
    r"fag(?:s|got|gots|gy)?",
    r"spaz(?:zes|zy)?",
    r"dykes?",
    r"trann(?:y|ies)",
    r"nigg(?:a|as|er|ers|ah)",
    r"chinks?",
    r"spics?",
    r"kikes?",
    r"wetbacks?",
    r"towel ?heads?",
    r"rag ?heads?",
    r"gooks?",
    r"beaners?",
    r"pakis?",
)

INSULT_OR_HARASSMENT = (
    r"idiot(?:s|ic)?",
    r"stupid(?:est|er)?",
    r"moron(?:s|ic)?",
    r"dumb(?:est|er)?",
    r"imbeciles?",
    r"cretins?",
    r"fools?",
    r"losers?",
    r"jerks?",
    r"clowns?",
    r"pathetic",
    r"useless",
    r"worthless",
    r"incompetent",
    r"lazy",
    r"laziest",
    r"trash",
    r"brats?",
    r"psycho",
    r"scum\w*",
    r"cowards?",
    r"slobs?",
    r"airheads?",
    r"ignorant",
    r"disgusting",
    r"creeps?",
    r"freaks?",
    r"shut up",
    r"kill yourself",
    r"kys",
)

# The order in which categories win when a text matches several.
PRECEDENCE = (Category.SLUR, Category.SEXUAL, Category.INSULT_OR_HARASSMENT, Category.PROFANITY)

PATTERNS = MappingProxyType(
    {
        Category.SLUR: SLUR,
        Category.SEXUAL: SEXUAL,
        Category.INSULT_OR_HARASSMENT: INSULT_OR_HARASSMENT,
        Category.PROFANITY: PROFANITY,
    }
)
