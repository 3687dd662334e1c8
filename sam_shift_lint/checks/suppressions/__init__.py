"""Rules about sam-shift-lint's own suppression comments (``# sam-shift-lint: disable=...``, read by
:mod:`sam_shift_lint.model.directives`)."""
