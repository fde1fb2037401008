"""The catalogue for people: read-only access, exports, charts and text output.

Everything here reads; nothing writes the catalogue. All its SQL lives in `catalogue.read`.
"""
