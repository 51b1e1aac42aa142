"""What the library's own sentences call the organisation: "the Trust", "the Health Board", "the organisation".

Footnote b of the standard: "For brevity within the document, Trust will be
used as shorthand for the variety of names across the four nations." The
library's rules are written in the standard's shorthand ("a large Trust", "the
Trust's own rules"); a report is about one organisation, so its own sentences
name that organisation by its kind (:func:`organisation_noun`), and
:func:`in_own_words` rewrites the shorthand in a sentence of the library's for
it. Quotations of the standard are never passed through it: they stay verbatim.
"""

import functools
import re
from collections.abc import Iterable, Sequence

from natssips_rules.facts.model import OrganisationKind

__all__ = ["in_own_words", "names_to_keep", "organisation_noun"]

#: The noun for each kind of organisation. NHS Trusts, Foundation Trusts and Northern Ireland's Health and Social
#: Care Trusts are Trusts; NHS Scotland's and NHS Wales' Health Boards are Health Boards; an independent provider
#: is "the organisation".
_NOUNS: dict[OrganisationKind, str] = {
    OrganisationKind.NHS_TRUST: "Trust",
    OrganisationKind.NHS_FOUNDATION_TRUST: "Trust",
    OrganisationKind.HEALTH_AND_SOCIAL_CARE_TRUST: "Trust",
    OrganisationKind.HEALTH_BOARD: "Health Board",
    OrganisationKind.INDEPENDENT_PROVIDER: "organisation",
}

#: What a sentence says when the kind is not known (a report read from JSON written before reports carried it).
GENERIC = "organisation"


def organisation_noun(kind: "OrganisationKind | str | None") -> str:
    """The noun the library's sentences use for an organisation of ``kind``: "Trust", "Health Board" or "organisation".

    ``kind`` is an :class:`OrganisationKind` or its value (``"health_board"``); ``None``, or a value that is
    not a kind, gives "organisation".
    """
    if isinstance(kind, str):
        kind = OrganisationKind._value2member_map_.get(kind)  # type: ignore[assignment]
    if isinstance(kind, OrganisationKind):
        return _NOUNS[kind]
    return GENERIC


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


_SHORTHAND = re.compile(r"\b(?:(?P<article>[Tt]he|[Aa]n?) )?(?P<word>Trusts|Trust)(?P<adjective> NatSSIPs)?\b|\btrust-wide\b")


#: A quotation inside a sentence of the library's: 'a passage' in single quotes (an apostrophe inside a word, as in
#: "Trust's", neither opens nor closes one). It is the standard's words, kept verbatim.
_QUOTED = re.compile(r"(?:^|(?<=[\s(\[/]))'(?:[^']|'(?=[A-Za-z]))*?'(?![A-Za-z])")


@functools.lru_cache(maxsize=4096)
def _rewrite(text: str, noun: str) -> str:
    out: list[str] = []
    done = 0
    for quoted in _QUOTED.finditer(text):
        out += [_rewrite_words(text[done : quoted.start()], noun), quoted.group()]
        done = quoted.end()
    out.append(_rewrite_words(text[done:], noun))
    return "".join(out)


def _rewrite_words(text: str, noun: str) -> str:
    def one(match: "re.Match[str]") -> str:
        if match.group("word") is None:
            return "organisation-wide"
        article = match.group("article")
        plural = match.group("word") == "Trusts"
        adjective = match.group("adjective") or ""
        word = noun + ("s" if plural else "")
        if adjective and noun == GENERIC:
            # "the Trust NatSSIPs lead" -> "the organisation's NatSSIPs lead"; "a Trust NatSSIPs lead" -> "an organisation's ..."
            word = f"{word}'s"
        if article is None:
            if adjective and noun == GENERIC:
                return adjective.strip()  # "Trust NatSSIPs co-lead 1" -> "NatSSIPs co-lead 1"
            start = match.start()
            sentence_start = start == 0 or text[:start].rstrip().endswith((".", "!", "?"))
            return (word[:1].upper() + word[1:] if sentence_start else word) + adjective
        if article.lower() in ("a", "an"):
            new = _article(word)
            article = new.capitalize() if article[0].isupper() else new
        return f"{article} {word}{adjective}"

    return _SHORTHAND.sub(one, text) if "rust" in text else text


def in_own_words(text: str, noun: str, keep: Sequence[str] = ()) -> str:
    """``text``, a sentence of the library's written in the standard's shorthand, with the organisation named by ``noun``.

    "a large Trust" becomes "a large Health Board" (or "a large organisation"), "the Trust's own rules" "the
    Health Board's own rules", "the Trust NatSSIPs group" "the organisation's NatSSIPs group", "trust-wide"
    "organisation-wide". For a Trust it is ``text`` itself. A passage in single quotes inside the sentence (the
    standard's words: "'Large Trust' is read ...") is kept as it is; never pass a quotation of the standard itself.
    The names in ``keep`` (an organisation's, a person's, a site's, as the facts give them) are never rewritten.
    """
    if noun == "Trust" or "rust" not in text:
        return text
    names = sorted((k for k in keep if k and k in text), key=len, reverse=True)
    if not names:
        return _rewrite(text, noun)
    parts = re.split("(" + "|".join(re.escape(k) for k in names) + ")", text)
    return "".join(part if i % 2 else _rewrite(part, noun) for i, part in enumerate(parts))


def names_to_keep(names: Iterable[object]) -> tuple[str, ...]:
    """Of ``names`` (the facts' names of the organisation and its entities), those :func:`in_own_words` would
    otherwise rewrite (they hold the word "Trust" or "trust-wide"): a name is the facts' own, never the library's."""
    return tuple(sorted({n for n in names if isinstance(n, str) and _SHORTHAND.search(n)}))
