"""The rules: one module per rule under :mod:`.deployment` and :mod:`.iam`, listed in :mod:`.registry`.

A check receives a :class:`~.context.CheckContext` and yields findings; it never reads files, prints or exits.
"""
