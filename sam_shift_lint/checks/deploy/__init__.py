"""The deploy-role pairing rules (E9206, W9207): a deploy role against what the templates it deploys need.

The pairing (which templates a policy file or a template's role deploys) is in the lint settings, resolved by
:mod:`sam_shift_lint.project` from the configuration's ``deploy-roles`` or an automatic layout; what the templates
need is :mod:`sam_shift_lint.permissions`' derivation (loaded only for a paired file); :mod:`.deploy_needs`
evaluates it against the policy with the IAM rules' evaluation (:mod:`sam_shift_lint.checks.iam.gaps`).
"""
