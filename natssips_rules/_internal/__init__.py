"""Helpers the package's layers share; nothing here is public API.

- :mod:`.arguments`: checks of public functions' arguments (a wrong type is an ``ArgumentError`` naming the argument);
- :mod:`.validators`: checked value classes (every field checked at construction, every problem reported at once);
- :mod:`.converters`: attrs converters (lists to tuples);
- :mod:`.structuring`: strict structuring of parsed JSON/TOML with cattrs, and describing refused values safely;
- :mod:`.identity_memo`: values kept per live object by identity.
"""
