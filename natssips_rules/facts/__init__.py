"""The facts layer: typed facts about one organisation, and how they are read.

``model`` holds the attrs classes and enumerations (re-exported here, so
``from natssips_rules.facts import Person`` works); ``paths`` describes the
model to the rules (fields, their kinds, dotted paths); ``load`` turns plain
data into facts and back; ``json_schema`` generates the JSON Schema.
"""

from natssips_rules.facts.model import *  # noqa: F403 - the model's public names, listed in its __all__
from natssips_rules.facts.model import __all__ as __all__
