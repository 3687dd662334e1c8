"""The cfn-lint rule pack, importable as ``sam_shift_lint.rules`` (cfn-lint instantiates every rule class in
this namespace; the classes are generated from the rule registry in :mod:`.pack`)."""
from sam_shift_lint.rulepack import rule_classes

globals().update(rule_classes(__name__))
