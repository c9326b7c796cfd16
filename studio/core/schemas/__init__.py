"""JSON Schemas (Draft 2020-12, as Python data) of the documents the studio reads back.

Each module holds one document's schema; :mod:`studio.core.jsondoc` validates with them.
Choices (tasks, layer kinds, ...) are imported from the core modules that define them, so a
schema can never drift from the code that writes the document.
"""
