"""The names a prediction uses: its label and its category, spelled as they appear in JSON."""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    OFFENSIVE = "offensive"
    CLEAN = "clean"


class Category(StrEnum):
    """What kind of offensive text it is; `none` for every clean one."""

    PROFANITY = "profanity"
    INSULT_OR_HARASSMENT = "insult_or_harassment"
    SEXUAL = "sexual"
    SLUR = "slur"
    NONE = "none"


class StaffCategory(StrEnum):
    """A staff-conduct category (issue 21): what a district disciplines staff for."""

    PROFANITY_INSULT = "profanity_insult"
    HARASSMENT_THREAT = "harassment_threat"
    SEXUAL = "sexual"
    BIGOTRY = "bigotry"
    ALCOHOL_DRUGS = "alcohol_drugs"
    MISCONDUCT = "misconduct"
