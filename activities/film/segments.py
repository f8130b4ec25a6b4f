"""Played segments of a film, as the xAPI Video Profile writes them ("0[.]12.5[,]30[.]40"),
and how much of a film they cover.

Only what was actually played counts: a segment runs from where playing started to where it
stopped, so a jump ahead leaves a gap. The union of every segment of every session, clipped
to the film's length, is the share watched.
"""

from __future__ import annotations

import math

MOST_SEGMENTS = 1000  # more than a real viewing makes; bounds what one statement can cost


def parse_segments(text) -> list[list[float]]:
    """The segments of a `played-segments` value, as [[start, end], ...]; pieces that are not
    two finite numbers with 0 <= start <= end are left out (an unfinished "30[.]" too)."""
    if not isinstance(text, str) or not text:
        return []
    segments = []
    for piece in text.split("[,]")[:MOST_SEGMENTS]:
        parts = piece.split("[.]")
        if len(parts) != 2:
            continue
        try:
            start, end = float(parts[0]), float(parts[1])
        except ValueError:
            continue
        if math.isfinite(start) and math.isfinite(end) and 0 <= start <= end:
            segments.append([start, end])
    return segments


def format_segments(segments) -> str:
    """The Video Profile's text form of `segments`."""
    return "[,]".join(f"{_number(start)}[.]{_number(end)}" for start, end in segments)


def _number(value: float) -> str:
    return f"{round(value, 3):g}"


def union(segments) -> list[list[float]]:
    """The segments merged: sorted, overlapping and touching ones joined."""
    merged: list[list[float]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def covered(segments, length: float) -> float:
    """The share (0 to 1) of a film of `length` seconds that `segments` cover together."""
    if not length or length <= 0:
        return 0.0
    seconds = sum(max(0.0, min(end, length) - max(start, 0.0))
                  for start, end in union(segments))
    return min(1.0, seconds / length)
