"""Terminal-unsafe characters: stripped from article text, escaped where a name or reply is printed."""
from __future__ import annotations

from ingest.controls import printable, strip_controls


def test_controls_and_bidi_overrides_are_stripped_but_tabs_and_newlines_stay():
    assert strip_controls("dose\x1b[2J 0.5\x07 mg/kg\u202e\tper\nkg\x9b") == "dose[2J 0.5 mg/kg\tper\nkg"


def test_printable_escapes_what_a_terminal_would_act_on():
    assert printable("a\x1b[2Jb\u202ec\nd") == "a\\x1b[2Jb\\u202ec\\x0ad"
    assert printable("line one\nline two\x07", newlines=True) == "line one\nline two\\x07"
    assert printable("plain text — 0.5 mg/kg, “quoted”") == "plain text — 0.5 mg/kg, “quoted”"
