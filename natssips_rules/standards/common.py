"""Pieces shared by the sections: citations, and conditions several clauses use.

"Large Trust" and "commensurate with the size of the organisation" are not
defined by the standard. The library reads them with named parameters (with
documented defaults a Trust can change), never with bare numbers.
"""

import re
import typing
from typing import Literal

import attrs

from natssips_rules.rules.conditions import AllOf, AnyOf, Compare, Condition, Count, In, Named, Not, Param, Sum
from natssips_rules.rules.model import Citation, Footnote, Level, Parameter, Rule, SubjectKind

from .source import DOCUMENT, EDITION, normalise

__all__ = [
    "FOOTNOTES",
    "LARGE_TRUST",
    "LARGE_TRUST_PARAMETERS",
    "RELEVANT_SITE",
    "Clause",
    "ClauseKind",
    "at_least",
    "cite",
    "if_then",
    "one_of",
    "sized",
    "sized_sum",
    "verb_of",
    "yes",
]

#: What a catalogue entry is: a requirement (``clause``), an "In summary"
#: statement, one of the staffing factors i-xi, a footnote, or text that
#: states the context of the clauses around it.
ClauseKind = Literal["clause", "summary", "factor", "footnote", "context"]
CLAUSE_KINDS: tuple[ClauseKind, ...] = typing.get_args(ClauseKind)

#: The footnotes of the standard, verbatim, by marker.
FOOTNOTES: dict[str, Footnote] = {
    "b": Footnote(
        "b",
        "For brevity within the document, Trust will be used as shorthand for the variety of names across the "
        "four nations. Similarly, Board should be understood as the level of the organisation with statutory "
        "responsibility for the organisation.",
    ),
    "c": Footnote(
        "c",
        "There will be different structures. It is the concept of leadership and ownership at the top of the "
        "organisation that is key.",
    ),
    "d": Footnote("d", "Clinician deliberately includes medical, nursing, midwifery, pharmacy and Allied Health Professionals."),
    "e": Footnote(
        "e",
        "This individual may well have other governance roles within the speciality. The intention is to be clear "
        "who is responsible for NatSSIPs, not to create more jobs.",
    ),
}


def cite(section: str, clause: str, quote: str, *, footnotes: str = "", references: tuple[str, ...] = ()) -> Citation:
    """A citation of the standard; ``footnotes`` lists the markers qualifying the clause.

    ``quote`` is written as in the source; the citation keeps the source's words
    without what is not text (footnote markers, bold markers, line breaks).
    """
    return Citation(
        document=DOCUMENT,
        edition=EDITION,
        section=section,
        clause=clause,
        quote=normalise(quote),
        footnotes=tuple(FOOTNOTES[m] for m in footnotes),
        references=references,
    )


#: The standard's modal verbs, longest first (so "should aim to" is not read as "should").
_VERBS: tuple[tuple[str, Level], ...] = (
    ("should aim to", Level.SHOULD_AIM_TO),
    ("should consider", Level.SHOULD_CONSIDER),
    ("should", Level.SHOULD),
    ("must", Level.MUST),
    ("may", Level.MAY),
)
_VERB = re.compile(r"\b(" + "|".join(re.escape(v) for v, _ in _VERBS) + r")\b", re.IGNORECASE)


def verb_of(text: str, *, last: bool = False) -> Level | None:
    """The level of the first (or ``last``) modal verb in ``text``, if it has one."""
    found = [m.group(1).lower() for m in _VERB.finditer(normalise(text))]
    if not found:
        return None
    words = found[-1] if last else found[0]
    return dict(_VERBS)[words]


@attrs.frozen(kw_only=True)
class Clause:
    """One entry of the catalogue: a passage of the standard, in its own words.

    ``text`` is written as in the source (with its footnote markers); its
    normalised form is the ``quote``. ``parent`` is the clause a sub-bullet
    continues (its modal verb and subject come from there). ``not_assessable``
    says why no rule checks the passage, where none does.
    """

    id: str
    section: str
    kind: ClauseKind
    text: str
    footnotes: str = ""
    references: tuple[str, ...] = ()
    parent: "Clause | None" = None
    not_assessable: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind not in CLAUSE_KINDS:
            raise ValueError(f"clause {self.id}: kind {self.kind!r} is not one of {CLAUSE_KINDS}")

    @property
    def quote(self) -> str:
        return normalise(self.text)

    @property
    def level(self) -> Level:
        """The clause's own modal verb; a sub-bullet with none takes the verb that introduces its list."""
        own = verb_of(self.text)
        if own is not None:
            return own
        if self.parent is not None:
            inherited = verb_of(self.parent.text, last=True)
            if inherited is not None:
                return inherited
        raise ValueError(f"clause {self.id} has no modal verb (must, should, may, ...) of its own or from its parent")

    def cite(self, passage: str | None = None) -> Citation:
        """A citation of this clause (or of ``passage``, a part of it)."""
        return cite(self.section, self.id, passage or self.text, footnotes=self.footnotes, references=self.references)

    def rule(
        self,
        *,
        title: str,
        judged_for: SubjectKind,
        holds: Condition,
        requirement: str,
        remediation: str,
        id: str | None = None,
        passage: str | None = None,
        applies_when: Condition | None = None,
        applicability: str | None = None,
        parameters: tuple[Parameter, ...] = (),
        interpretation: str | None = None,
    ) -> Rule:
        """The rule checking this clause: its id and citation filled in, its level the clause's own verb.

        ``passage`` cites a part of the clause (its level is then the verb of
        that part); ``id`` gives a rule a suffix of its own where one clause
        has several rules.
        """
        cited = passage or self.text
        level = verb_of(cited) if passage else self.level
        if level is None:
            raise ValueError(f"clause {self.id}: the passage {passage!r} has no modal verb")
        return Rule(
            id=id or self.id,
            title=title,
            citation=self.cite(passage),
            level=level,
            subject=judged_for,
            holds=holds,
            applies_when=applies_when,
            applicability=applicability,
            parameters=parameters,
            requirement=requirement,
            remediation=remediation,
            interpretation=interpretation,
        )


def yes(path: str) -> Compare:
    """The yes/no fact at ``path`` is yes (known, and true)."""
    return Compare(path, "==", True)


def at_least(path: str, parameter: str) -> Compare:
    """The number at ``path`` is at least the value of ``parameter``."""
    return Compare(path, ">=", Param(parameter))


def one_of(path: str, parameter: str) -> In:
    """The enumerated value at ``path`` is one of the values of the list ``parameter``."""
    return In(path, Param(parameter))


def if_then(condition: Condition, then: Condition) -> AnyOf:
    """Where ``condition`` holds, ``then`` must hold too (``not condition, or then``); the catalogue reads it as "if ..."."""
    return AnyOf([Not(condition), then])


LARGE_TRUST_PARAMETERS = (
    Parameter(
        name="large_trust_min_beds",
        default=1000,
        unit="beds",
        description="An organisation with at least this many beds counts as a large Trust.",
        interpretation=(
            "NatSSIPs does not define a large Trust. The library counts an organisation as large when it has at "
            "least this many beds, or at least large_trust_min_sites sites where invasive procedures are performed. "
            "1,000 beds is a common reading of a large acute Trust in England; it is this library's default, not a "
            "NatSSIPs figure."
        ),
        lenient="higher",
    ),
    Parameter(
        name="large_trust_min_sites",
        default=3,
        unit="sites",
        description="An organisation with at least this many sites where invasive procedures are performed counts as a large Trust.",
        interpretation=(
            "NatSSIPs does not define a large Trust. Site leads matter where there are several sites to lead, so "
            "the default counts an organisation with three or more sites where invasive procedures are performed as "
            "large whatever its beds. Only such sites count: a Scottish or Welsh Health Board or a Northern Irish "
            "Health and Social Care Trust lists many community sites (health centres, clinics) where no invasive "
            "procedure is done, and a small island board with one hospital is not made 'large' by them; a site whose "
            "invasive work is not recorded leaves the count open. This is the library's default, not a NatSSIPs figure."
        ),
        lenient="higher",
    ),
)

#: A site where invasive procedures are performed (a relevant site).
RELEVANT_SITE = Named("the site performs invasive procedures", Compare("performs_invasive_procedures", "==", True))

#: The organisation is a large Trust (by beds, or by sites where invasive procedures are performed).
LARGE_TRUST = Named(
    "the organisation is a large Trust",
    AnyOf(
        [
            at_least("organisation.beds", "large_trust_min_beds"),
            Count(
                "organisation.sites", ">=", Param("large_trust_min_sites"), Compare("performs_invasive_procedures", "==", True)
            ),
        ]
    ),
)


def sized(path: str, *, large: str, other: str) -> AllOf:
    """The number at ``path`` reaches ``other``, and ``large`` in a large Trust (two bands of organisation size)."""
    return AllOf([at_least(path, other), if_then(LARGE_TRUST, at_least(path, large))])


def sized_sum(path: str, field: str, where: Condition, *, large: str, other: str) -> AllOf:
    """``field`` added up over the items of ``path`` matching ``where`` reaches the threshold for the organisation's size."""
    return AllOf(
        [
            Sum(path, field, ">=", Param(other), where),
            if_then(LARGE_TRUST, Sum(path, field, ">=", Param(large), where)),
        ]
    )
