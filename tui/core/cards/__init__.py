"""Cards: one card file read, checked and written faithfully.

What a card is (``card``), reading it (``parse``), its schema, vocabularies and validation,
the canonical TOML layout (``tomlfmt``) and the key-by-key writer, atomic writes, slugs, the
store of one repository, form values and display text. May import only the standard library,
tomlkit, jsonschema and other modules of this room.
"""
