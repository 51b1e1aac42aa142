"""Pieces shared by the sections: citations, and conditions several clauses use.

"Large Trust" and "commensurate with the size of the organisation" are not
defined by the standard. The library reads them with named parameters (with
documented defaults a Trust can change), never with bare numbers.
"""

import attrs

from natssips_rules.rules.conditions import AnyOf, Compare, Condition, Count, Param
from natssips_rules.rules.model import Citation, Footnote, Parameter

from .source import DOCUMENT, EDITION, normalise

__all__ = ["FOOTNOTES", "LARGE_TRUST_PARAMETERS", "Clause", "ClauseKind", "cite", "is_large_trust"]

#: What a catalogue entry is: a requirement (``clause``), an "In summary"
#: statement, one of the staffing factors i-xi, a footnote, or text that
#: states the context of the clauses around it.
ClauseKind = str
CLAUSE_KINDS = ("clause", "summary", "factor", "footnote", "context")

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


@attrs.frozen(kw_only=True)
class Clause:
    """One entry of the catalogue: a passage of the standard, in its own words.

    ``text`` is written as in the source (with its footnote markers); its
    normalised form is the ``quote``. ``parent`` names the clause a sub-bullet
    continues (its modal verb and subject come from there). ``not_assessable``
    says why no rule checks the passage, where none does.
    """

    id: str
    section: str
    kind: ClauseKind
    text: str
    footnotes: str = ""
    references: tuple[str, ...] = ()
    parent: str | None = None
    not_assessable: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind not in CLAUSE_KINDS:
            raise ValueError(f"clause {self.id}: kind {self.kind!r} is not one of {CLAUSE_KINDS}")

    @property
    def quote(self) -> str:
        return normalise(self.text)

    def cite(self, passage: str | None = None) -> Citation:
        """A citation of this clause (or of ``passage``, a part of it)."""
        return cite(self.section, self.id, passage or self.text, footnotes=self.footnotes, references=self.references)


LARGE_TRUST_PARAMETERS = (
    Parameter(
        name="large_trust_min_beds",
        default=1000,
        unit="beds",
        description="An organisation with at least this many beds counts as a large Trust.",
        interpretation=(
            "NatSSIPs does not define a large Trust. The library counts an organisation as large when it has at "
            "least this many beds or at least large_trust_min_sites sites. 1,000 beds is a common reading of a "
            "large acute Trust in England; it is this library's default, not a NatSSIPs figure."
        ),
        lenient="higher",
    ),
    Parameter(
        name="large_trust_min_sites",
        default=3,
        unit="sites",
        description="An organisation with at least this many sites counts as a large Trust.",
        interpretation=(
            "NatSSIPs does not define a large Trust. Site leads matter where there are several sites to lead, so "
            "the default counts an organisation with three or more sites as large whatever its beds; this is the "
            "library's default, not a NatSSIPs figure."
        ),
        lenient="higher",
    ),
)


def is_large_trust() -> Condition:
    """The organisation is a large Trust (by beds or by number of sites)."""
    return AnyOf(
        [
            Compare("organisation.beds", ">=", Param("large_trust_min_beds")),
            Count("organisation.sites", ">=", Param("large_trust_min_sites")),
        ]
    )
