"""How E9206 and W9207 split what a deploy role lacks: what every deployment (or the stack's deletion) needs is an
error, what only reading a resource's state or updating a property needs is a warning. Real projects (copies of the
example CodeStar project), the real command."""
from __future__ import annotations

from pathlib import Path

from deploykit import POLICY_NAME, by_rule, codestar_project, findings, write_policy

ROLE_HANDLER_EXTRAS = (  # what the IAM role's schema lists beyond what the CodeStar worker policy grants
    "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
    "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
)


def _actions(message: str) -> dict[str, str]:
    """``{action: text after it}`` of an E9206/W9207 message (one template)."""
    listed = message.split("): ", 1)[1]
    return {part.split(" for ", 1)[0]: part.split(" for ", 1)[1] for part in listed.split("; ")}


def test_the_codestar_worker_policy_lacks_no_permission_the_example_needs_on_every_deployment(tmp_path: Path) -> None:
    """The seed's real CodeStar worker policy, which AWS generated for deployments of this template: none of the IAM
    role handler's extra actions is an error. Those the update handler lists (the permissions boundary, the trust
    policy) or that only read are warnings; UpdateRole (description, session duration) and GetRolePolicy (inline
    policies) are not needed at all by a role that sets neither."""
    project = codestar_project(tmp_path)
    process, items = findings(POLICY_NAME, cwd=project)
    assert process.returncode == 1
    assert by_rule(items, "E9206") == []
    [warning] = by_rule(items, "W9207")
    assert warning["message"].startswith("Policy does not allow what the templates it deploys need only in some cases (template.yml): ")
    assert _actions(warning["message"]) == {
        "iam:DeleteRolePermissionsBoundary": "LambdaExecutionRole (to update a property)",
        "iam:ListAttachedRolePolicies": "LambdaExecutionRole (to read its state)",
        "iam:ListRolePolicies": "LambdaExecutionRole (to read its state)",
        "iam:PutRolePermissionsBoundary": "LambdaExecutionRole (to update a property)",
        "iam:UpdateAssumeRolePolicy": "LambdaExecutionRole (to update a property)",
    }
    [profile] = by_rule(items, "E9201")  # the profile still prepares the role for CodeDeploy
    assert not any(action in profile["message"] for action in ROLE_HANDLER_EXTRAS)


def test_with_gradual_deployment_the_codedeploy_actions_are_errors_and_the_role_extras_are_not(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    needed = _actions(error["message"])
    assert needed["codedeploy:CreateDeploymentGroup"] == "GetHelloWorldDeploymentGroup, PostHelloWorldDeploymentGroup"
    assert needed["codedeploy:CreateApplication"] == "ServerlessDeploymentApplication"
    assert needed["codedeploy:CreateDeployment"].startswith("GetHelloWorldAliaslive, PostHelloWorldAliaslive")  # the alias update
    assert not any(action.startswith("iam:") for action in needed)
    [warning] = by_rule(items, "W9207")
    assert set(_actions(warning["message"])) >= {"iam:ListRolePolicies", "iam:UpdateAssumeRolePolicy", "codedeploy:UpdateDeploymentGroup"}


def test_a_policy_truly_missing_create_alias_gets_e9206(tmp_path: Path) -> None:
    """The worker policy with its Lambda actions listed (CreateAlias left out) and CodeDeploy granted."""
    project = codestar_project(tmp_path, gradual=True)
    write_policy(project / POLICY_NAME, [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["lambda:*Function*", "lambda:PublishVersion", "lambda:ListVersionsByFunction", "lambda:*Permission",
                                       "lambda:GetPolicy", "lambda:GetAlias", "lambda:UpdateAlias", "lambda:DeleteAlias", "lambda:*Tag*",
                                       "lambda:*ProvisionedConcurrencyConfig", "lambda:GetRuntimeManagementConfig"],
         "Resource": "arn:aws:lambda:us-east-1:123456789012:function:*"},
        {"Effect": "Allow", "Action": ["apigateway:*"], "Resource": "arn:aws:apigateway:us-east-1::*"},
        {"Effect": "Allow", "Action": ["iam:*"], "Resource": "arn:aws:iam::123456789012:role/*"},
        {"Effect": "Allow", "Action": ["codedeploy:*"], "Resource": "*"},
    ])
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["message"] == (
        "Policy does not allow what the templates it deploys need (template.yml): lambda:CreateAlias for GetHelloWorldAliaslive, "
        "PostHelloWorldAliaslive"
    )
    assert by_rule(items, "W9207") == []


def test_what_every_deployment_of_new_code_updates_stays_an_error(tmp_path: Path) -> None:
    """New code: the function's UpdateFunctionCode and the alias's UpdateAlias (data/deployments.json) are errors;
    UpdateFunctionConfiguration, needed only when the configuration changes, is a warning."""
    project = codestar_project(tmp_path, gradual=True)
    missing = ["lambda:UpdateFunctionCode", "lambda:UpdateAlias", "lambda:UpdateFunctionConfiguration"]
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "NotAction": missing, "Resource": "*"}])
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert _actions(error["message"]) == {
        "lambda:UpdateAlias": "GetHelloWorldAliaslive, PostHelloWorldAliaslive",
        "lambda:UpdateFunctionCode": "GetHelloWorld, PostHelloWorld",
    }
    [warning] = by_rule(items, "W9207")
    assert _actions(warning["message"]) == {"lambda:UpdateFunctionConfiguration": "GetHelloWorld, PostHelloWorld (to update a property)"}


def test_what_deleting_writes_is_an_error_what_it_reads_a_warning(tmp_path: Path) -> None:
    project = codestar_project(tmp_path)
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "NotAction": ["iam:DeleteRole", "iam:ListRolePolicies"], "Resource": "*"}])
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert _actions(error["message"]) == {"iam:DeleteRole": "LambdaExecutionRole"}
    [warning] = by_rule(items, "W9207")
    assert _actions(warning["message"]) == {"iam:ListRolePolicies": "LambdaExecutionRole (to read its state)"}


def test_what_the_role_uses_decides_get_role_policy_and_update_role(tmp_path: Path) -> None:
    """Without inline policies, a description or a session duration the role needs neither; with inline policies the
    create handler reads them back (an error when missing), with a description UpdateRole changes it (a warning)."""
    project = codestar_project(tmp_path)
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "NotAction": ["iam:GetRolePolicy", "iam:UpdateRole"], "Resource": "*"}])
    process, items = findings(POLICY_NAME, cwd=project)
    assert (process.returncode, items) == (0, [])
    template = (project / "template.yml").read_text()
    template = template.replace("      ManagedPolicyArns:\n", "      Description: runs the functions\n      Policies:\n"
                                "      - PolicyName: Logs\n        PolicyDocument:\n          Statement:\n          - Effect: Allow\n"
                                "            Action: logs:PutLogEvents\n            Resource: '*'\n      ManagedPolicyArns:\n", 1)
    (project / "template.yml").write_text(template)
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert _actions(error["message"]) == {"iam:GetRolePolicy": "LambdaExecutionRole"}
    [warning] = by_rule(items, "W9207")
    assert _actions(warning["message"]) == {"iam:UpdateRole": "LambdaExecutionRole (to update a property)"}
