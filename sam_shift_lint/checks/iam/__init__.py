"""The IAM rules (E9201-W9204), one module each, and what they share: walking policy documents
(:mod:`.walk`), the ARN bindings and profiles they check against (:mod:`.options`), what a policy set lacks
(:mod:`.gaps`) and how grants are written (:mod:`.grants`).

Evaluation is :mod:`sam_shift_lint.iam`: explicit Deny wins, wildcards and ``NotAction``/``NotResource`` as IAM
reads them, "granted" meaning "allowed by the policies considered" (SCPs, boundaries and resource policies are
not visible). Region, account and partition: the lint settings (``--region``/``--account-id``) when given, else
the values every ARN of the file agrees on; otherwise they stay symbolic (``${AWS::Region}`` in a template
matches itself).
"""
