"""What a SCORM manifest says about each item beyond where to launch it: the values the LMS
hands the SCO at start-up (`data`), and the sequencing features Pathway does not honour.

`item_data_12(item, note, refuse)` reads SCORM 1.2's `adlcp:masteryscore`,
`adlcp:maxtimeallowed`, `adlcp:timelimitaction`, `adlcp:datafromlms` and
`adlcp:prerequisites`; `item_data_2004(item, sequencing, note, refuse)` reads SCORM 2004's
`adlcp:dataFromLMS`, `adlcp:timeLimitAction`, `adlcp:completionThreshold` (3rd edition: the
element's text; 4th edition: its `completedByMeasure`, `minProgressMeasure` and
`progressWeight` attributes) and, from the item's `imsss:sequencing` (merged with the
`imsss:sequencingCollection` entry its `IDRef` names), the primary objective's
`satisfiedByMeasure`/`minNormalizedMeasure`, the objective ids and `imsss:limitConditions`.

The keys of `data` (absent = the manifest does not set it) are named after the run-time
elements they initialise:
- `launch_data` (both): `cmi.launch_data`;
- `mastery_score` (1.2, 0..100): `cmi.student_data.mastery_score`;
- `max_time_allowed`: 1.2 `cmi.student_data.max_time_allowed` (HHHH:MM:SS), 2004
  `cmi.max_time_allowed` (ISO 8601 duration, from `attemptAbsoluteDurationLimit`);
- `time_limit_action`: 1.2 `cmi.student_data.time_limit_action`, 2004 `cmi.time_limit_action`;
- `completion_threshold` (2004, 0..1): `cmi.completion_threshold`; `completed_by_measure`,
  `min_progress_measure`, `progress_weight` as the 4th edition's attributes give them;
- `scaled_passing_score` (2004, -1..1): `cmi.scaled_passing_score`, the primary objective's
  `minNormalizedMeasure` (1.0 when not given) when `satisfied_by_measure` is true;
  `satisfied_by_measure`, `min_normalized_measure` as given;
- `objectives` (2004): the objective ids the manifest declares for the item, the primary
  one first (the ids `cmi.objectives.n.id` start with);
- `attempt_limit` (2004) and `prerequisites` (1.2: `{"type", "expression"}`): kept, not
  enforced.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import NoReturn

ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"

Note = Callable[[str], None]
Refuse = Callable[[str], NoReturn]

TIME_LIMIT_ACTIONS = ("exit,message", "exit,no message", "continue,message",
                      "continue,no message")
ISO_DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?"
                          r"(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
HHMMSS = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")

# The plain-English notes kept in the manifest JSON (`unsupported`), one per feature used.
CONTROL_MODE = ("control modes (imsss:controlMode: choice, choiceExit, flow, forwardOnly) are "
                "not enforced; the learner may open any item from the table of contents, in "
                "any order")
SEQUENCING_RULES = ("sequencing rules (imsss:sequencingRules: pre-condition, exit and "
                    "post-condition rules) are not enforced; the learner may open any item "
                    "from the table of contents")
ATTEMPT_LIMIT = ("attempt limits (imsss:limitConditions attemptLimit) are not enforced; the "
                 "learner may start a SCO again as often as they like")
DURATION_LIMIT = ("time limits (imsss:limitConditions attemptAbsoluteDurationLimit) are given "
                  "to the SCO as cmi.max_time_allowed; Pathway does not end the attempt when "
                  "the time runs out")
ROLLUP_RULES = ("rollup rules (imsss:rollupRules, adlseq:rollupConsiderations) are not "
                "evaluated; Pathway rolls the package up its own way: every SCO completed or "
                "passed completes the activity, any SCO failed fails it")
GLOBAL_OBJECTIVES = ("shared global objectives (imsss:mapInfo, adlseq:mapInfo) are not "
                     "shared: each SCO's objectives are its own")
RANDOMIZATION = ("randomization and selection of child items (imsss:randomizationControls) "
                 "are not applied; items are shown in manifest order")
DELIVERY_CONTROLS = ("delivery controls (imsss:deliveryControls: tracked, "
                     "completionSetByContent, objectiveSetByContent) are not honoured; every "
                     "SCO is tracked and its own reports are used")
CONSTRAINED_CHOICE = ("constrained choice (adlseq:constrainedChoiceConsiderations) is not "
                      "enforced")
AUXILIARY = "auxiliary resources (imsss:auxiliaryResources) are not offered"
PRESENTATION = ("navigation presentation hints (adlnav:presentation, hideLMSUI) are not "
                "honoured; the player always shows its table of contents")
SHARED_DATA = ("shared data buckets (adlcp:data, adl.data in the run-time) are not "
               "available to SCOs")
PREREQUISITES = ("prerequisites (adlcp:prerequisites) are kept but not enforced; the learner "
                 "may open any item from the table of contents")
SUB_MANIFESTS = "sub-manifests (a <manifest> inside the manifest) are not read"

SEQUENCING_NOTES = {
    "controlmode": CONTROL_MODE, "sequencingrules": SEQUENCING_RULES,
    "rolluprules": ROLLUP_RULES, "adlseq:rollupconsiderations": ROLLUP_RULES,
    "randomizationcontrols": RANDOMIZATION, "deliverycontrols": DELIVERY_CONTROLS,
    "adlseq:constrainedchoiceconsiderations": CONSTRAINED_CHOICE,
    "auxiliaryresources": AUXILIARY,
}


def local(tag: str) -> str:
    """An element's or attribute's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def child(element: ET.Element, name: str) -> ET.Element | None:
    """The first child named `name` in any namespace, the name compared without case
    (SCORM 1.2 writes `masteryscore`, 2004 `dataFromLMS`; tools mix them up)."""
    name = name.lower()
    for candidate in element:
        if isinstance(candidate.tag, str) and local(candidate.tag).lower() == name:
            return candidate
    return None


def children(element: ET.Element, name: str) -> list[ET.Element]:
    """Every child named `name` (any namespace, any case)."""
    name = name.lower()
    return [c for c in element if isinstance(c.tag, str) and local(c.tag).lower() == name]


def attribute(element: ET.Element, name: str) -> str | None:
    """The attribute named `name` in any namespace, compared without case, stripped."""
    name = name.lower()
    for key, value in element.attrib.items():
        if local(key).lower() == name:
            return value.strip()
    return None


def text(element: ET.Element | None) -> str:
    """The element's text with its whitespace collapsed ("" for none)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def flag(value: str | None) -> bool | None:
    """An xs:boolean attribute ("true", "1", "false", "0"), None when absent or not one."""
    if value is None:
        return None
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())


# -- SCORM 1.2 ------------------------------------------------------------------------------

def item_data_12(item: ET.Element, note: Note, refuse: Refuse) -> dict:
    """The SCORM 1.2 values of one `<item>` (see the module's docstring for the keys)."""
    data: dict = {}
    mastery = text(child(item, "masteryscore"))
    if mastery:
        data["mastery_score"] = _number(mastery, 0, 100, "adlcp:masteryscore", refuse,
                                        whole=True)
    max_time = text(child(item, "maxtimeallowed"))
    if max_time:
        if not HHMMSS.match(max_time):
            refuse(f"adlcp:maxtimeallowed {max_time!r} is not a time span HH:MM:SS")
        data["max_time_allowed"] = max_time
    _time_limit_action(item, "adlcp:timelimitaction", data, note)
    launch_data = child(item, "datafromlms")
    if launch_data is not None and (launch_data.text or "").strip():
        data["launch_data"] = launch_data.text.strip()
    prerequisites = child(item, "prerequisites")
    if prerequisites is not None and text(prerequisites):
        data["prerequisites"] = {"type": attribute(prerequisites, "type") or "aicc_script",
                                 "expression": text(prerequisites)}
        note(PREREQUISITES)
    return data


# -- SCORM 2004 -----------------------------------------------------------------------------

def sequencing_collection(root: ET.Element) -> dict[str, ET.Element]:
    """The `imsss:sequencingCollection` entries of the manifest, by their `ID`."""
    collection = child(root, "sequencingCollection")
    if collection is None:
        return {}
    return {attribute(s, "ID") or "": s for s in children(collection, "sequencing")}


def effective_sequencing(element: ET.Element, collection: dict[str, ET.Element],
                         note: Note) -> dict[str, ET.Element]:
    """The sequencing parts of an item or organization by (lower-case) name: its own
    `imsss:sequencing` children, plus those of the collection entry its `IDRef` names that
    it does not override. An `IDRef` naming no entry is ignored (with a note)."""
    sequencing = child(element, "sequencing")
    if sequencing is None:
        return {}
    parts = {part_name(c): c for c in sequencing if isinstance(c.tag, str)}
    reference = attribute(sequencing, "IDRef")
    if reference:
        shared = collection.get(reference)
        if shared is None:
            note(f"imsss:sequencing IDRef {reference!r} names no entry of the "
                 "imsss:sequencingCollection and is ignored")
        else:
            for part in shared:
                if isinstance(part.tag, str):
                    parts.setdefault(part_name(part), part)
    return parts


def part_name(element: ET.Element) -> str:
    """The key of a sequencing part: its lower-case local name, prefixed `adlseq:` for the
    ADL extensions (`adlseq:objectives` would otherwise meet `imsss:objectives`)."""
    name = local(element.tag).lower()
    return f"adlseq:{name}" if element.tag.startswith(f"{{{ADLSEQ}}}") else name


def sequencing_notes(parts: dict[str, ET.Element], note: Note) -> None:
    """Note each sequencing feature the parts use that Pathway does not honour."""
    for name, message in SEQUENCING_NOTES.items():
        if name in parts:
            note(message)
    limits = parts.get("limitconditions")
    if limits is not None:
        if attribute(limits, "attemptLimit") not in (None, "", "0"):
            note(ATTEMPT_LIMIT)
        if attribute(limits, "attemptAbsoluteDurationLimit"):
            note(DURATION_LIMIT)
    for name in ("objectives", "adlseq:objectives"):
        objectives = parts.get(name)
        if objectives is not None and any(local(e.tag).lower() == "mapinfo"
                                          for e in objectives.iter() if isinstance(e.tag, str)):
            note(GLOBAL_OBJECTIVES)


def item_data_2004(item: ET.Element, parts: dict[str, ET.Element], note: Note,
                   refuse: Refuse) -> dict:
    """The SCORM 2004 values of one `<item>` (see the module's docstring for the keys),
    `parts` being its effective sequencing (`effective_sequencing`)."""
    data: dict = {}
    launch_data = child(item, "dataFromLMS")
    if launch_data is not None and (launch_data.text or "").strip():
        data["launch_data"] = launch_data.text.strip()
    _time_limit_action(item, "adlcp:timeLimitAction", data, note)
    _completion_threshold(item, data, refuse)
    _objectives(parts, data, refuse)
    limits = parts.get("limitconditions")
    if limits is not None:
        duration = attribute(limits, "attemptAbsoluteDurationLimit")
        if duration:
            if not ISO_DURATION.match(duration):
                refuse(f"imsss:limitConditions attemptAbsoluteDurationLimit {duration!r} is "
                       "not an ISO 8601 duration (such as PT1H30M)")
            data["max_time_allowed"] = duration
        attempts = attribute(limits, "attemptLimit")
        if attempts not in (None, "", "0"):
            if not attempts.isdigit():
                refuse(f"imsss:limitConditions attemptLimit {attempts!r} is not a whole "
                       "number")
            data["attempt_limit"] = int(attempts)
    sequencing_notes(parts, note)
    if child(item, "presentation") is not None:
        note(PRESENTATION)
    if child(item, "data") is not None:
        note(SHARED_DATA)
    return data


def _completion_threshold(item: ET.Element, data: dict, refuse: Refuse) -> None:
    """3rd edition: the element's text is the threshold. 4th edition: the attributes; as
    ADL's sample run-time does, `cmi.completion_threshold` is the text, else
    `minProgressMeasure`, else 1.0 when `completedByMeasure` is true."""
    element = child(item, "completionThreshold")
    if element is None:
        return
    name = "adlcp:completionThreshold"
    by_measure = flag(attribute(element, "completedByMeasure"))
    minimum = attribute(element, "minProgressMeasure")
    weight = attribute(element, "progressWeight")
    if by_measure is not None:
        data["completed_by_measure"] = by_measure
    if minimum:
        data["min_progress_measure"] = _number(minimum, 0, 1, f"{name} minProgressMeasure",
                                               refuse)
    if weight:
        data["progress_weight"] = _number(weight, 0, 1, f"{name} progressWeight", refuse)
    threshold = text(element)
    if threshold:
        data["completion_threshold"] = _number(threshold, 0, 1, name, refuse)
    elif "min_progress_measure" in data:
        data["completion_threshold"] = data["min_progress_measure"]
    elif by_measure:
        data["completion_threshold"] = 1.0


def _objectives(parts: dict[str, ET.Element], data: dict, refuse: Refuse) -> None:
    objectives = parts.get("objectives")
    if objectives is None:
        return
    ids = []
    primary = child(objectives, "primaryObjective")
    if primary is not None:
        if attribute(primary, "objectiveID"):
            ids.append(attribute(primary, "objectiveID"))
        by_measure = flag(attribute(primary, "satisfiedByMeasure"))
        minimum = text(child(primary, "minNormalizedMeasure"))
        measure = (_number(minimum, -1, 1, "imsss:minNormalizedMeasure", refuse)
                   if minimum else None)
        if by_measure is not None:
            data["satisfied_by_measure"] = by_measure
        if measure is not None:
            data["min_normalized_measure"] = measure
        if by_measure:
            data["scaled_passing_score"] = 1.0 if measure is None else measure
    for objective in children(objectives, "objective"):
        if attribute(objective, "objectiveID"):
            ids.append(attribute(objective, "objectiveID"))
    if ids:
        data["objectives"] = list(dict.fromkeys(ids))


# -- shared ---------------------------------------------------------------------------------

def _time_limit_action(item: ET.Element, name: str, data: dict, note: Note) -> None:
    value = text(child(item, name.split(":")[-1]))
    if not value:
        return
    action = ",".join(part.strip() for part in value.lower().split(","))
    if action in TIME_LIMIT_ACTIONS:
        data["time_limit_action"] = action
    else:
        note(f"{name} {value!r} is not one of {', '.join(TIME_LIMIT_ACTIONS)} and is ignored")


def _number(value: str, low: float, high: float, name: str, refuse: Refuse,
            whole: bool = False) -> float | int:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not low <= number <= high:
        refuse(f"{name} {value!r} is not a number from {low:g} to {high:g}")
    if whole and number.is_integer():
        return int(number)
    return number
