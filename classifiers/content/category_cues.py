"""Cue words of each staff-conduct category: one count per category, a feature of its head."""

# The lists are written from general knowledge of how such posts read (slang for being
# drunk or high, threats of harm, remarks on bodies, dehumanising nouns, duties left
# undone), not from any one dataset. A cue only adds evidence: each head's weight on it
# is fitted, and clean traps that use the same words ("shots", "wine", "killer") are in
# the training data, so a cue alone rarely decides.

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from classifiers.content.labels import StaffCategory

_CUES: dict[StaffCategory, tuple[str, ...]] = {
    StaffCategory.PROFANITY_INSULT: (
        r"f+u+c+k\w*",
        r"f\*+\w*",
        r"shit\w*",
        r"ass(?:hole|es)?",
        r"damn",
        r"idiot\w*",
        r"moron\w*",
        r"stupid\w*",
        r"dumb\w*",
        r"loser\w*",
        r"jackass",
        r"b[i*]tch\w*",
        r"crap\w*",
        r"useless",
        r"pathetic",
        r"worthless",
        r"clown\w*",
        r"brats?",
        r"screw",
        r"dimwit\w*",
        r"incompetent",
        r"garbage",
    ),
    StaffCategory.HARASSMENT_THREAT: (
        r"smack\w*",
        r"slap\w*",
        r"punch\w*",
        r"beat(?:ing|en)?",
        r"strangle\w*",
        r"hurt",
        r"kill (?:him|her|them|that|you)",
        r"end (?:that|this|him|her)",
        r"watch (?:her|his|your) back",
        r"know where (?:she|he|you) (?:lives?|parks?)",
        r"slash\w*",
        r"bat",
        r"thrown?",
        r"shove\w*",
        r"wring\w*",
        r"necks?",
        r"regret it",
        r"ambulance",
        r"the belt",
        r"make \w+ (?:life )?hell",
        r"cry",
        r"pile on",
        r"run (?:her|him|them) out",
        r"address",
    ),
    StaffCategory.SEXUAL: (
        r"hot(?:test)?",
        r"sexy",
        r"sex\w*",
        r"body",
        r"butt",
        r"legs",
        r"flirt\w*",
        r"hook(?:ing)? up",
        r"in bed",
        r"sleep with",
        r"spicy",
        r"knockout",
        r"attractive",
        r"cute",
        r"skirt",
        r"blouse",
        r"lingerie",
        r"spandex",
        r"shorts",
        r"the view",
        r"nsfw|not safe for work",
        r"pics",
        r"fine",
        r"looks? (?:21|good|great)",
        r"single moms?",
        r"bent over",
        r"perk",
        r"alone",
    ),
    StaffCategory.BIGOTRY: (
        r"animals",
        r"vermin",
        r"plague",
        r"parasites?",
        r"savages?",
        r"rats",
        r"trash",
        r"freaks?",
        r"sick",
        r"disgusting",
        r"criminals",
        r"groomers?",
        r"perverts?",
        r"abomination",
        r"thugs",
        r"barely human",
        r"robots",
        r"retards?",
        r"send them (?:all )?back",
        r"breeding",
        r"those people",
        r"all the same",
        r"every (?:last )?one of them",
        r"in their culture",
        r"lazy and dirty",
        r"greedy",
        r"too emotional",
        r"dinosaurs",
    ),
    StaffCategory.ALCOHOL_DRUGS: (
        r"drunk",
        r"hungover",
        r"hangover",
        r"wasted",
        r"hammered",
        r"tipsy",
        r"blackout",
        r"stoned",
        r"high(?! school)",
        r"baked",
        r"joint",
        r"edibles?",
        r"weed",
        r"pot",
        r"vodka",
        r"tequila",
        r"whiskey",
        r"rum",
        r"flask",
        r"shots",
        r"xanax",
        r"pills",
        r"molly",
        r"coke",
        r"lines",
        r"beer\w*",
        r"six-pack",
        r"margaritas",
        r"bottles? deep",
        r"day drinking",
        r"drinks?",
        r"vape",
        r"rolling",
    ),
    StaffCategory.MISCONDUCT: (
        r"didn't grade",
        r"gave everyone",
        r"nobody (?:checks|noticed|knows)",
        r"left (?:\w+ )+alone",
        r"on their own",
        r"no adult",
        r"called in sick",
        r"skip(?:ped)?",
        r"chang(?:ed|e) \w+'?s? grade",
        r"bump(?:ed)?",
        r"fudg\w+",
        r"fak(?:ed|e)",
        r"answers",
        r"marked \w+ present",
        r"slept",
        r"fell asleep",
        r"nap",
        r"movies all week",
        r"show videos",
        r"threw out",
        r"without reading",
        r"never (?:actually )?checked",
        r"signed the form anyway",
        r"with my login",
        r"not my job",
        r"who has time",
        r"haven't planned",
        r"walked out",
        r"eligible",
        r"copied",
        r"clocked in",
    ),
}
CUE_COLUMNS: tuple[StaffCategory, ...] = tuple(_CUES)
_EDGES = (r"(?<![\w*])", r"(?![\w*])")
_PATTERNS = tuple(re.compile(f"{_EDGES[0]}(?:{'|'.join(c)}){_EDGES[1]}") for c in _CUES.values())
# Every list in one scan, one group per category: a text is read once, not six times.
# (A word in two lists counts for the first; none is, today.)
_ANY = re.compile(
    _EDGES[0] + "(?:" + "|".join(f"({'|'.join(c)})" for c in _CUES.values()) + ")" + _EDGES[1]
)


def cue_terms(prepared: str, category: StaffCategory) -> list[str]:
    """The cue words of `category` in an already prepared (lower-cased) text."""
    return _PATTERNS[CUE_COLUMNS.index(category)].findall(prepared)


def cue_features(prepared: Sequence[str]) -> npt.NDArray[np.float64]:
    """log(1 + cue matches) per category column, one row per prepared text."""
    out = np.zeros((len(prepared), len(CUE_COLUMNS)), dtype=np.float64)
    for row, text in enumerate(prepared):
        for match in _ANY.finditer(text):
            out[row, (match.lastindex or 1) - 1] += 1.0
    return np.log1p(out)
