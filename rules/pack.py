"""sam-shift-lint's rules for cfn-lint, generated from the rule registry (one class per rule).

Load from an installed package with ``cfn-lint t.yaml --append-rules=sam_shift_lint.rules`` or from a
checkout with ``cfn-lint t.yaml --append-rules=rules/`` (cfn-lint then imports this file by path). Standalone
policy files are not templates (cfn-lint rejects them with E1001): check those with ``sam-shift-lint``.
"""
import os
import sys

try:
    from sam_shift_lint.rulepack import rule_classes
except ImportError:  # a checkout loaded with --append-rules=rules/ before `pip install`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from sam_shift_lint.rulepack import rule_classes

globals().update(rule_classes(__name__))
