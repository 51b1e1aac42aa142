"""Readers of one fact, written out as code once per path (as attrs writes a class's ``__init__``).

The compiled explanations (:mod:`.compiled`) read the same few paths for
every subject of every evaluation: a part's truth where a finding is
explained, and the evidence of every fact a rule reads. Each path is known
when a rule set is compiled, so its walk is generated then, with its steps
unrolled and its names, classes and outcomes in place, instead of being
looped over, and its kinds looked up, for every object:

* :func:`truth_reader`: the truth of a part on one fact (``Compare``, ``In``,
  ``IsKnown``, ``Present``) as the reference engine's
  :func:`~natssips_rules.engine.reference.judge` gives it: not known, recorded
  as none, or the value tested;
* :func:`evidence_reader`: the evidence of one fact as
  :func:`.explain.read_plan` gives it: the value where it has one, else the
  first step that is not known or recorded as none.

The definitions stay where they are; a property test holds the compiled
explanations, and so these readers, to the interpreted ones on generated
organisations and rules.
"""

import enum
import keyword
from collections.abc import Callable
from typing import Any, Literal

from natssips_rules.engine.kleene import Truth
from natssips_rules.engine.reference import OPS
from natssips_rules.engine.subjects import Context
from natssips_rules.facts.paths import FieldInfo
from natssips_rules.rules.findings import EvidenceItem

from .explain import plain_value

__all__ = ["Hop", "Test", "evidence_reader", "truth_reader"]

#: A step of a path through an object or a reference: the field's name, and the class a reference leads to (None
#: for an object held in the field).
Hop = tuple[str, type[Any] | None]
#: What a part asks of the value: ``("compare", op, wanted)``, ``("in", values)`` or ``("known",)`` (any value).
Test = tuple[Literal["compare"], str, Any] | tuple[Literal["in"], Any] | tuple[Literal["known"]]


def _attribute(name: str) -> str:
    """``name`` as an attribute read in generated code (a field's name is an identifier; anything else is refused)."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"not a field name: {name!r}")
    return name


#: Each reader's code, compiled once for every reader with the same text (the same fields and tests: a path
#: from several classes, or a test of other values), as a function making the reader from the values it reads
#: with. The texts are as many as the paths of the facts classes and the kinds of test, so this stays small.
_MAKERS: dict[str, Callable[..., Any]] = {}


def _generated(name: str, lines: list[str], namespace: dict[str, Any], what: str) -> Callable[..., Any]:
    """The function ``name`` written by ``lines``, reading ``namespace``'s values (the classes, the values tested)."""
    names = sorted(namespace)
    text = "\n".join([f"def make({', '.join(names)}):", *(f"    {line}" for line in lines), f"    return {name}"])
    maker = _MAKERS.get(text)
    if maker is None:  # two threads may both compile it: either's is the same code
        scope: dict[str, Any] = {}
        exec(compile(text, f"<natssips_rules reader of {what}>", "exec"), scope)
        maker = _MAKERS[text] = scope["make"]
    made: Callable[..., Any] = maker(**namespace)
    return made


def truth_reader(
    path: str,
    from_root: bool,
    hops: tuple[Hop, ...],
    name: str,
    none_is_absent: bool,
    outcomes: tuple[Truth, Truth],
    test: Test,
) -> Callable[[Any, Context], Truth]:
    """The truth of a part on the fact at ``path`` for an object (``False``: a subject recorded as none), read
    from the organisation (``from_root``) or the object through ``hops`` to the field ``name``.

    ``outcomes`` are the part's truths where the fact is not known and where it is recorded as none (False in the
    field itself counts only where ``none_is_absent``: an object or reference field); else ``test`` decides.
    """
    on_missing, on_absent = outcomes
    namespace: dict[str, Any] = {"Enum": enum.Enum}
    lines = ["def truth(obj, ctx):"]
    lines.append("    obj = ctx.org" if from_root else f"    if obj is False: return {on_absent!r}")
    for index, (hop, target) in enumerate(hops):
        lines += [
            f"    v = obj.{_attribute(hop)}",
            f"    if v is None: return {on_missing!r}",
            f"    if v is False: return {on_absent!r}",
        ]
        if target is None:
            lines.append("    obj = v")
        else:
            namespace[f"T{index}"] = target
            lines.append(f"    obj = ctx.entities[T{index}][v]")
    lines += [f"    v = obj.{_attribute(name)}", f"    if v is None: return {on_missing!r}"]
    if none_is_absent:
        lines.append(f"    if v is False: return {on_absent!r}")
    match test:
        case ("compare", op, wanted):
            if op not in OPS:
                raise ValueError(f"not a comparison: {op!r}")
            namespace["W"] = wanted
            lines += ["    if isinstance(v, Enum): v = v._value_", f"    return bool(v {op} W)"]
        case ("in", values):
            namespace["W"] = values
            lines += ["    if isinstance(v, Enum): v = v._value_", "    return v in W"]
        case ("known",):
            lines.append("    return True")
    return _generated("truth", lines, namespace, path)


def evidence_reader(
    path: str, hops: tuple[tuple[str, FieldInfo, type[Any]], ...], field: FieldInfo
) -> Callable[[Any, str, Context], tuple[EvidenceItem, ...]]:
    """The evidence of the fact at ``path`` from an object (``False``: a subject recorded as none) at ``location``:
    through ``hops`` (each a field's name, its kind and the class it leads to) to ``field``."""
    namespace: dict[str, Any] = {
        "Item": EvidenceItem,
        "plain": plain_value,
        "order": tuple(field.type) if field.kind == "enumset" else (),
    }
    names = [hop for hop, _, _ in hops] + [field.name]
    whole = ".".join(names)

    def at(name: str) -> str:  # the place one step further than ``location``, as code
        return f"(location + {'.' + name!r} if location else {name!r})"

    lines = [
        "def evidence(obj, location, ctx):",
        f"    if obj is False: return (Item(location + {'.' + whole!r} if location else {whole!r}, None, absent=True),)",
    ]
    for index, (hop, info, target) in enumerate(hops):
        lines += [
            f"    v = obj.{_attribute(hop)}",
            f"    if v is None: return (Item({at(hop)}, None),)",
            f"    if v is False: return (Item({at(hop)}, None, absent=True),)",
        ]
        if info.kind == "ref":
            namespace[f"T{index}"] = target
            lines += [
                f"    location = ctx.locations[T{index}].get(v, location + {'.' + hop!r})",
                f"    obj = ctx.entities[T{index}].get(v)",
            ]
        else:
            lines += [f"    location = {at(hop)}", "    obj = v"]
    lines += [
        f"    where = {at(field.name)}",
        f"    v = obj.{_attribute(field.name)}",
        "    if v is None: return (Item(where, None),)",
    ]
    if field.kind in ("object", "ref"):
        lines.append("    if v is False: return (Item(where, None, absent=True),)")
    if field.kind == "object":
        lines.append("    return (Item(where, True),)")  # the nested fact is there (its fields are evidence of their own)
        return _generated("evidence", lines, namespace, path)
    if field.kind == "enumset":  # in the enumeration's order
        lines.append("    if isinstance(v, tuple): v = tuple([member for member in order if member in v])")
    lines.append("    return (Item(where, plain(v)),)")
    return _generated("evidence", lines, namespace, path)
