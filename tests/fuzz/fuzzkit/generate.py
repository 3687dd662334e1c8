"""Generators of SAM templates and IAM policy documents: mostly plausible (so the rules and fixes have
something to work on), with odd values mixed in at every level (:func:`odd_scalar`, wrong types, intrinsics
where a literal is expected)."""
from __future__ import annotations

from typing import Any

from fuzzkit.choose import Chooser
from fuzzkit.emit import Raw

DEPLOYMENT_TYPES = (
    "AllAtOnce", "Canary10Percent5Minutes", "Canary10Percent30Minutes", "Linear10PercentEvery1Minute",
    "Linear10PercentEvery10Minutes", "CodeDeployDefault.LambdaAllAtOnce", "CodeDeployDefault.LambdaCanary10Percent15Minutes",
)
ODD_DEPLOYMENT_TYPES = (
    "allatonce", "ALLATONCE", "Canary10Percent5minutes", "Linear10PercentEvery1Minutes", "AllAtOnceX", "Canary",
    "CodeDeployDefault.ECSAllAtOnce", "CodeDeployDefault.AllAtOnce", "CodeDeployDefault.LambdaCanary10Percent5minutes",
    "Custom1", "", " AllAtOnce", "AllAtOnce ", "AllAtOnce\t",
)
ENABLED_VALUES: tuple[Any, ...] = (
    True, False, "true", "false", "True", "False", "no", "off", Raw("no"), Raw("off"), Raw("yes"), Raw("'false'"), 0, 1,
    None, "", "disabled",
)
PREFERENCE_KEYS = ("Type", "Enabled", "Hooks", "Alarms", "Role", "TriggerConfigurations", "PassthroughCondition")
ODD_PREFERENCE_KEYS = ("type", "TYPE", "enabled", "Alarm", "alarms", "Hook", "hooks", "Roles", "Trigger", "Passthrough", "Type ", "Enable")
HOOK_KEYS = ("PreTraffic", "PostTraffic")
ODD_HOOK_KEYS = ("pretraffic", "PreTrafic", "Pretraffic", "PostTraffik", "BeforeAllowTraffic", "AfterAllowTraffic", "Pre")
RUNTIMES = ("python3.12", "nodejs20.x", "java21", "provided.al2023", "python2.7", "go1.x")
ALIASES: tuple[Any, ...] = ("live", "Live", "prod", "v1", "live-2", "my_alias", "1", "$LATEST", "live!", "a" * 129, "", "LATEST")
ACTIONS = (
    "lambda:InvokeFunction", "lambda:GetFunction", "lambda:*", "codedeploy:*", "codedeploy:PutLifecycleEventHookExecutionStatus",
    "codedeploy:CreateDeployment", "codedeploy:GetDeploymentConfig", "codedeploy:CreateDeploymentGroup",
    "codedeploy:RegisterApplicationRevision", "codedeploy:GetDeployment", "codedeploy:CreateApplication",
    "iam:PassRole", "iam:CreateRole", "iam:AttachRolePolicy", "iam:GetRole", "cloudformation:*", "lambda:PublishVersion",
    "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:*Alias", "lambda:Get*", "s3:GetObject", "s3:*", "*",
    "cloudwatch:DescribeAlarms", "sns:Publish", "lambda:InvokeFunctio", "lamda:InvokeFunction", "Lambda:invokefunction",
    "codedeploy:Put*", "codedeploy:*Lifecycle*", "iam:*", "lambda:Create*", "ec2:*", "dynamodb:PutItem",
)
ARNS = (
    "*", "arn:aws:lambda:*:*:function:*", "arn:aws:lambda:us-east-1:123456789012:function:MyFunction",
    "arn:aws:lambda:us-east-1:123456789012:function:MyFunction:*", "arn:aws:lambda:REGION:ACCOUNT_ID:function:fn",
    "arn:aws:lambda:<region>:<account-id>:function:*", "arn:aws:iam::123456789012:role/*", "arn:aws:iam::*:role/CodeDeploy*",
    "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*", "arn:aws:codedeploy:*:*:application:*",
    "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*", "arn:aws:s3:::bucket/*",
    "arn:aws:lambda:us-east-1:111122223333:function:${FunctionName}", "arn:aws:lambda:eu-west-1:123456789012:function:Fn:live",
    "arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31", "arn:aws:iam::aws:policy/*", "arn:aws",
    "not-an-arn", "arn:aws:lambda:us-east-1:123456789012:function:?*?*?*", "arn:aws:iam::{{account}}:role/x",
)
MANAGED_POLICIES = (
    "AWSLambdaBasicExecutionRole", "AWSLambdaRole", "AWSCodeDeployRoleForLambda", "AdministratorAccess",
    "arn:aws:iam::aws:policy/AWSCodeDeployFullAccess", "arn:aws:iam::123456789012:policy/Custom",
    "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited",
)
SAM_POLICY_TEMPLATES = ("LambdaInvokePolicy", "S3ReadPolicy", "CodeDeployHookExecutionPolicy", "AWSLambdaRole", "DynamoDBCrudPolicy")
PROFILES = (
    "deploy-role", "hook-function", "codedeploy-service-role", "none", "", "missing-profile.json", "Deploy-Role",
    # files a template must not make the linter read (the oracle blocks and reports any such open)
    "/dev/zero", "/etc/hostname", "../../etc/hostname", "/proc/self/environ", "~/.bashrc", "profile.json",
)
WIDE_CHARS = ("\u2028", "\u2029", "\u0085", "\x1b[31m", "\x1b]0;x\x07", "\r", "\n::error file=x::forged\n", "\u202e", "\ufeff", "\x7f", "\x00", "\t")


# ---------------------------------------------------------------------------------------------- scalars


def stars(choose: Chooser) -> str:
    """A wildcard string that costs a backtracking matcher dearly (each ``*`` multiplies its work)."""
    count = choose.pick((3, 8, 11, 14, 20, 60, 1000))
    body = choose.pick(("*", "*?", "**", "*a"))
    prefix = choose.pick(("", "lambda:", "codedeploy:", "arn:aws:lambda:*:*:function:", "arn:aws:iam::*:role/"))
    return prefix + body * count + choose.pick(("a", "x", "", "b*c", "?"))


def odd_scalar(choose: Chooser) -> Any:
    """A scalar that tests the edges: huge numbers, NaN/inf, empty, nulls, explicit tags, line separators,
    control characters, long wildcards."""
    kind = choose.int(0, 13)
    if kind == 0:
        return Raw(choose.pick(("9" * 30, "9" * 500, "9" * 4400, "-" + "1" * 5000, "0x" + "f" * 40, "1e400", "-1e400", "1e-400", "2" * 20)),
                   choose.pick((None, "9" * 30, "9" * 4400, "1" * 5000, "1e400", "-0", "1E+2", "-0.0e-0", "3" * 19)))
    if kind == 1:
        return Raw(choose.pick((".nan", ".NaN", ".inf", "-.Inf", "+.inf", ".NAN")), choose.pick(("NaN", "Infinity", "-Infinity", "1e999")))
    if kind == 2:
        return choose.pick(("", " ", None, Raw(""), Raw("~"), Raw("null"), Raw("''"), Raw('""')))
    if kind == 3:
        return Raw(choose.pick((
            "!!bool maybe", "!!bool", "!!bool ''", "!!int x", "!!int", "!!float abc", "!!float", "!!null x", "!!str 1",
            "!!binary aGVsbG8=", "!!binary x", "!!timestamp 2001-12-14", "!!timestamp x", "!!set {a, b}", "!!omap [a: 1]",
            "!!python/object:object {}", "!<tag:yaml.org,2002:str> x", "!<tag:yaml.org,2002:bool> yes", "!Unknown x",
            "!!map {a: 1}", "!!seq [1]", "!!str", "!!merge x", "!!value =", "!Ref", "!Sub", "!GetAtt", "!GetAtt a.b.c",
            "!!int 0o777", "!!int 0b1", "!!int 1_000", "!!int 1:30", "!!float 1:30.5", "!!float .nan",
        )))
    if kind == 4:
        return Raw(choose.pick(("yes", "No", "on", "OFF", "y", "n", "True", "FALSE", "0777", "1:30", "0o17", "0b11", "1_000",
                                "2001-12-14", "=", "<<", ".5", "+1", "0x1F")))
    if kind == 5:
        return choose.pick(WIDE_CHARS) * choose.int(1, 3) + choose.pick(("", "x", "live", "Fn"))
    if kind == 6:
        return stars(choose)
    if kind == 7:
        return choose.pick((2**63, -(2**63) - 1, 10**30, -1, 0, 1.5, -0.0, float("inf"), float("nan"), 1e308))
    if kind == 8:
        return "x" * choose.pick((300, 300, 1000, 1000, 20000))
    if kind == 9:
        return choose.pick(("\U0001f600", "\u00e9t\u00e9", "\u0130", "\u212a", "\u017f", "\u0661\u0662", "\ud800", "\udfff", "\uffff"))
    if kind == 10:
        return choose.pick(("{{ cookiecutter.name }}", "{% if x %}", "${AWS::Region}", "${Missing}", "${!Literal}", "$", "${", "%s%n"))
    if kind == 11:
        return choose.pick(("- a", ": b", "# c", "&anchor", "*alias", "|", ">", "@", "`", "!", "%", "? q", "'", '"', "\\"))
    if kind == 12:
        return choose.pick((True, False, None, 0, 1, "true", "AWS::NoValue"))
    return choose.pick(("live", "AllAtOnce", "Fn", "MyFunction", "CodeDeployHook_pre", "arn:aws:lambda:us-east-1:123456789012:function:F"))


def odd_value(choose: Chooser, depth: int = 0) -> Any:
    """An odd scalar, or a small container of them, or an intrinsic."""
    kind = choose.int(0, 9)
    if kind <= 5 or depth > 2:
        return odd_scalar(choose)
    if kind == 6:
        return [odd_value(choose, depth + 1) for _ in range(choose.int(0, 3))]
    if kind == 7:
        return {str(odd_key(choose)): odd_value(choose, depth + 1) for _ in range(choose.int(0, 3))}
    if kind == 8:
        return intrinsic(choose, ("Fn", "Cond", "Param"), depth + 1)
    return deep(choose, odd_scalar(choose))


def odd_key(choose: Chooser) -> Any:
    return choose.pick(("", " ", "Type", "type", "Fn::If", "Ref", "Fn::Sub", "Condition", "\u2028", "a" * 300, "x\ty", "k: v", "-", "1", "null"))


def deep(choose: Chooser, leaf: Any) -> Any:
    """``leaf`` under 20 to 260 levels of lists or maps (past the parser's depth limit of 200, or not)."""
    value = leaf
    for _ in range(choose.pick((20, 150, 199, 201, 260))):
        value = [value] if choose.chance(0.5) else {"a": value}
    return value


def intrinsic(choose: Chooser, names: tuple[str, ...], depth: int = 0, leaf: Any = None) -> Any:
    """A CloudFormation intrinsic function around ``leaf`` (or a name)."""
    name = choose.pick(names) if names else "X"
    value = leaf if leaf is not None else choose.pick(("live", "x", "AllAtOnce", name))
    kind = choose.int(0, 9)
    if kind == 0:
        return {"Ref": name}
    if kind == 1:
        return {"Fn::If": [choose.pick(("Cond", "IsProd", "Missing")), value, choose.pick(({"Ref": "AWS::NoValue"}, value, odd_scalar(choose)))]}
    if kind == 2:
        return {"Fn::Sub": choose.pick(("${AWS::StackName}-fn", f"${{{name}}}", f"${{{name}.Arn}}", "plain", "${AWS::NoValue}"))}
    if kind == 3:
        return {"Fn::Sub": [f"${{{name}}}:${{x}}", {"x": choose.pick(("live", {"Ref": name}))}]}
    if kind == 4:
        return {"Fn::GetAtt": choose.pick(([name, "Arn"], f"{name}.Arn", [name], [name, "Alias", "x"], name))}
    if kind == 5:
        return {"Fn::Join": ["", [choose.pick(("a", {"Ref": "AWS::Region"})), value]]}
    if kind == 6:
        return {"Fn::FindInMap": ["Map", {"Ref": "AWS::Region"}, "key"]}
    if kind == 7:
        return {"Fn::Select": [0, [value]]}
    if kind == 8:
        return {"Ref": choose.pick(("AWS::NoValue", "AWS::Region", "AWS::StackName", "AWS::AccountId", "Missing"))}
    return {choose.pick(("Fn::ImportValue", "Fn::Base64", "Fn::ToJsonString", "Fn::Unknown", "Condition")): value}


def maybe(choose: Chooser, value: Any, names: tuple[str, ...], odd: float = 0.08, wrap: float = 0.08) -> Any:
    """``value``, now and then replaced by an odd value or wrapped in an intrinsic."""
    if choose.chance(odd):
        return odd_value(choose)
    if choose.chance(wrap):
        return intrinsic(choose, names, leaf=value)
    return value


# ---------------------------------------------------------------------------------------------- policies


def statement(choose: Chooser, names: tuple[str, ...], hostile: float = 0.08) -> Any:
    result: dict[str, Any] = {}
    if choose.chance(0.3):
        result["Sid"] = maybe(choose, choose.pick(("Deploy", "AllowLambda", "s1", "")), names, hostile, 0)
    result["Effect"] = maybe(choose, choose.pick(("Allow", "Allow", "Allow", "Deny", "allow", "")), names, hostile, 0)
    action_key = "Action" if not choose.chance(0.1) else choose.pick(("NotAction", "Actions", "action"))
    actions: Any = [maybe(choose, choose.pick(ACTIONS) if not choose.chance(0.05) else stars(choose), names, hostile, hostile / 2)
                    for _ in range(choose.int(1, 5))]
    result[action_key] = actions[0] if len(actions) == 1 and choose.chance(0.4) else actions
    resource_key = "Resource" if not choose.chance(0.1) else choose.pick(("NotResource", "Resources"))
    resources: Any = [maybe(choose, choose.pick(ARNS) if not choose.chance(0.05) else stars(choose), names, hostile, 0.15)
                      for _ in range(choose.int(1, 3))]
    result[resource_key] = resources[0] if len(resources) == 1 and choose.chance(0.5) else resources
    if choose.chance(0.15):
        result["Condition"] = choose.pick((
            {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
            {"StringLike": {"iam:PassedToService": ["codedeploy.amazonaws.com", "lambda.*"]}},
            {"Bool": {"aws:SecureTransport": choose.pick(("true", True, Raw("yes")))}},
            odd_value(choose),
        ))
    if choose.chance(0.05):
        result["Principal"] = choose.pick(("*", {"Service": "lambda.amazonaws.com"}))
    if choose.chance(hostile / 2):
        return odd_value(choose)
    return result


def policy_document(choose: Chooser, names: tuple[str, ...] = ("Fn",), hostile: float = 0.08) -> Any:
    """An IAM policy document (identity policy shape)."""
    document: dict[str, Any] = {}
    if not choose.chance(0.1):
        document["Version"] = maybe(choose, choose.pick(("2012-10-17", "2012-10-17", "2008-10-17", "2012-10-18")), names, hostile, 0)
    statements = [statement(choose, names, hostile) for _ in range(choose.int(1, 4))]
    if choose.chance(0.1):
        statements.append({"Fn::If": ["Cond", statement(choose, names, hostile), {"Ref": "AWS::NoValue"}]})
    document["Statement"] = statements[0] if len(statements) == 1 and choose.chance(0.2) else statements
    if choose.chance(0.03):
        document["Id"] = odd_value(choose)
    return document


def trust_policy(choose: Chooser) -> Any:
    service = choose.pick((
        "cloudformation.amazonaws.com", "lambda.amazonaws.com", "codedeploy.amazonaws.com",
        ["cloudformation.amazonaws.com", "codepipeline.amazonaws.com"], {"Fn::Sub": "cloudformation.${AWS::URLSuffix}"},
        {"Fn::Join": ["", ["cloudformation.", {"Ref": "AWS::URLSuffix"}]]}, "CloudFormation.amazonaws.com",
    ))
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": choose.pick(("sts:AssumeRole", ["sts:AssumeRole"]))}],
    }


# ---------------------------------------------------------------------------------------------- templates


class Names:
    """The logical ids of one template (``small``: one or two functions, few other resources)."""

    def __init__(self, choose: Chooser, small: bool = False) -> None:
        self.functions = [choose.pick(("Fn", "Api", "Worker", "fn2", "Handler", "F")) + str(i) for i in range(choose.pick((1, 1, 2)) if small else choose.int(0, 5))]
        self.hooks = [choose.pick(("CodeDeployHook_Pre", "CodeDeployHook_Post", "PreHook", "Validate")) + str(i) for i in range(choose.pick((0, 0, 1)) if small else choose.int(0, 2))]
        self.alarms = [f"Alarm{i}" for i in range(choose.pick((0, 0, 1)) if small else choose.int(0, 3))]
        self.roles = [f"Role{i}" for i in range(choose.pick((0, 0, 0, 1)) if small else choose.int(0, 2))]
        self.conditions = ["IsProd", "Cond"][: choose.int(0, 2)]
        self.parameters = ["Stage", "AliasName"][: choose.int(0, 2)]

    def all(self) -> tuple[str, ...]:
        return tuple(self.functions + self.hooks + self.alarms + self.roles + self.parameters) or ("X",)


def _hooks(choose: Chooser, names: Names, everything: tuple[str, ...]) -> Any:
    hooks: dict[str, Any] = {}
    for key in HOOK_KEYS:
        if choose.chance(0.6):
            target: Any = {"Ref": choose.pick(names.hooks)} if names.hooks and choose.chance(0.7) else choose.pick((
                {"Ref": choose.pick(everything)}, "CodeDeployHook_literal", {"Fn::GetAtt": [choose.pick(everything), "Arn"]},
                {"Fn::Sub": "${Hook}"}, {"Ref": "Missing"}, ["x"],
            ))
            hooks[key if not choose.chance(0.08) else choose.pick(ODD_HOOK_KEYS)] = maybe(choose, target, everything)
    return hooks


def _alarms(choose: Chooser, names: Names, everything: tuple[str, ...]) -> Any:
    count = choose.pick((0, 1, 2, 3, 11, 12))
    alarms: list[Any] = []
    for _ in range(count):
        if names.alarms and choose.chance(0.6):
            alarms.append({"Ref": choose.pick(names.alarms)})
        else:
            alarms.append(choose.pick((
                "MyAlarmName", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x", {"Fn::GetAtt": [choose.pick(everything), "Arn"]},
                {"Fn::If": ["Cond", {"Ref": choose.pick(everything)}, {"Ref": "AWS::NoValue"}]}, {"Ref": choose.pick(everything)},
                {"Fn::Sub": "${AWS::StackName}-errors"},
            )))
    if alarms and choose.chance(0.15):
        alarms.append(alarms[0])  # a duplicate
    if choose.chance(0.05):
        return {"Fn::If": ["Cond", alarms, {"Ref": "AWS::NoValue"}]}
    return alarms


def deployment_preference(choose: Chooser, names: Names, everything: tuple[str, ...]) -> Any:
    preference: dict[str, Any] = {}
    for key in PREFERENCE_KEYS:
        if key == "Type" and choose.chance(0.85):
            value: Any = choose.pick(DEPLOYMENT_TYPES) if choose.chance(0.8) else choose.pick(ODD_DEPLOYMENT_TYPES)
            preference[key] = maybe(choose, value, everything, 0.05, 0.1)
        elif key == "Enabled" and choose.chance(0.3):
            preference[key] = maybe(choose, choose.pick(ENABLED_VALUES), everything, 0.05, 0.1)
        elif key == "Hooks" and choose.chance(0.3):
            preference[key] = maybe(choose, _hooks(choose, names, everything), everything, 0.05, 0.03)
        elif key == "Alarms" and choose.chance(0.35):
            preference[key] = maybe(choose, _alarms(choose, names, everything), everything, 0.05, 0.03)
        elif key == "Role" and choose.chance(0.1):
            preference[key] = choose.pick(({"Fn::GetAtt": [choose.pick(names.roles or ["R"]), "Arn"]}, "arn:aws:iam::123456789012:role/cd", {"Ref": "R"}))
        elif key == "TriggerConfigurations" and choose.chance(0.05):
            preference[key] = [{"TriggerEvents": ["DeploymentFailure"], "TriggerName": "t", "TriggerTargetArn": {"Ref": "Topic"}}]
        elif key == "PassthroughCondition" and choose.chance(0.1):
            preference[key] = maybe(choose, choose.pick((True, False, "true", "False", "yes", Raw("yes"))), everything)
    if choose.chance(0.08):
        preference[choose.pick(ODD_PREFERENCE_KEYS)] = choose.pick(DEPLOYMENT_TYPES + ("x",))
    return preference


def function_properties(choose: Chooser, names: Names, everything: tuple[str, ...], hook: bool = False) -> Any:
    properties: dict[str, Any] = {}
    keys = ["CodeUri", "Handler", "Runtime", "AutoPublishAlias", "DeploymentPreference", "Policies", "Role",
            "ProvisionedConcurrencyConfig", "AutoPublishCodeSha256", "Environment", "FunctionName", "Timeout", "Events"]
    if choose.chance(0.3):
        keys = keys[::-1] if choose.chance(0.5) else keys[3:] + keys[:3]
    for key in keys:
        if key == "CodeUri" and choose.chance(0.8):
            properties[key] = maybe(choose, choose.pick(("src/", ".", "./", "s3://bucket/code.zip", "hello_world/", "", "..", "../shared/")), everything)
        elif key == "Handler" and choose.chance(0.8):
            properties[key] = "app.handler"
        elif key == "Runtime" and choose.chance(0.8):
            properties[key] = choose.pick(RUNTIMES)
        elif key == "AutoPublishAlias" and choose.chance(0.45 if not hook else 0.1):
            properties[key] = maybe(choose, choose.pick(ALIASES), everything, 0.1, 0.1)
        elif key == "DeploymentPreference" and choose.chance(0.45 if not hook else 0.3):
            value: Any = deployment_preference(choose, names, everything) if not hook or choose.chance(0.3) else {"Enabled": False}
            properties[key] = maybe(choose, value, everything, 0.05, 0.05)
        elif key == "Policies" and choose.chance(0.35):
            properties[key] = maybe(choose, _function_policies(choose, everything), everything, 0.05, 0.02)
        elif key == "Role" and choose.chance(0.1):
            properties[key] = choose.pick(({"Fn::GetAtt": [choose.pick(names.roles or ["R"]), "Arn"]}, "arn:aws:iam::123456789012:role/x", {"Ref": "R"}))
        elif key == "ProvisionedConcurrencyConfig" and choose.chance(0.08):
            properties[key] = {"ProvisionedConcurrentExecutions": maybe(choose, choose.pick((1, 5, "10")), everything)}
        elif key == "AutoPublishCodeSha256" and choose.chance(0.05):
            properties[key] = "abc"
        elif key == "Environment" and choose.chance(0.1):
            properties[key] = {"Variables": {"ALIAS_ARN": maybe(choose, _alias_arn(choose, everything), everything)}}
        elif key == "FunctionName" and choose.chance(0.08):
            properties[key] = choose.pick(("CodeDeployHook_x", "my-fn", {"Fn::Sub": "${AWS::StackName}-fn"}))
        elif key == "Timeout" and choose.chance(0.1):
            properties[key] = choose.pick((3, 900, "30", 3.5))
        elif key == "Events" and choose.chance(0.05):
            properties[key] = {"Api": {"Type": "Api", "Properties": {"Path": "/", "Method": "get"}}}
    if choose.chance(0.05):
        properties[choose.pick(("autoPublishAlias", "DeploymentPreferences", "Deployment"))] = "live"
    return properties


def _alias_arn(choose: Chooser, everything: tuple[str, ...]) -> Any:
    name = choose.pick(everything)
    return choose.pick((
        {"Fn::Sub": f"arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:${{{name}}}:live"},
        {"Fn::Sub": f"${{{name}.Arn}}:live"},
        {"Fn::Join": [":", [{"Fn::GetAtt": [name, "Arn"]}, "live"]]},
        {"Ref": f"{name}.Alias"},
        "arn:aws:lambda:us-east-1:123456789012:function:F:live",
    ))


def _function_policies(choose: Chooser, everything: tuple[str, ...]) -> Any:
    items: list[Any] = []
    for _ in range(choose.int(0, 3)):
        kind = choose.int(0, 3)
        if kind == 0:
            items.append(choose.pick(MANAGED_POLICIES))
        elif kind == 1:
            items.append(policy_document(choose, everything))
        elif kind == 2:
            items.append({choose.pick(SAM_POLICY_TEMPLATES): choose.pick(({"FunctionName": {"Ref": choose.pick(everything)}}, {}, None))})
        else:
            items.append({"Fn::If": ["Cond", choose.pick(MANAGED_POLICIES), {"Ref": "AWS::NoValue"}]})
    if len(items) == 1 and choose.chance(0.3):
        return items[0]
    return items


def _role(choose: Chooser, everything: tuple[str, ...], name: str) -> Any:
    properties: dict[str, Any] = {"AssumeRolePolicyDocument": trust_policy(choose)}
    if choose.chance(0.7):
        properties["Policies"] = [
            {"PolicyName": f"p{i}", "PolicyDocument": policy_document(choose, everything)} for i in range(choose.int(1, 2))
        ]
    if choose.chance(0.3):
        properties["ManagedPolicyArns"] = [choose.pick(MANAGED_POLICIES if not choose.chance(0.3) else ("arn:aws:iam::aws:policy/AWSCodeDeployRoleForLambda",))]
    if choose.chance(0.2):
        properties["RoleName"] = choose.pick(("CodeStarWorker-app-CloudFormation", "deploy-role", {"Fn::Sub": "${AWS::StackName}-role"}))
    resource: dict[str, Any] = {"Type": "AWS::IAM::Role", "Properties": properties}
    if choose.chance(0.15):
        resource["Metadata"] = {"sam-shift-lint": {"profile": choose.pick(PROFILES)}}
    return resource


def _alarm(choose: Chooser) -> Any:
    properties: dict[str, Any] = {
        "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Period": 60, "Threshold": 1, "Statistic": "Sum",
        "MetricName": choose.pick(("Errors", "Throttles", "Duration", "CPUUtilization")),
        "Namespace": choose.pick(("AWS/Lambda", "AWS/Lambda", "AWS/EC2", "Custom")),
    }
    if choose.chance(0.5):
        properties["Dimensions"] = [{"Name": choose.pick(("FunctionName", "Resource")), "Value": {"Ref": "Fn0"}}]
    if choose.chance(0.1):
        properties = {"Metrics": [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors"}, "Period": 60, "Stat": "Sum"}}]}
    return {"Type": choose.pick(("AWS::CloudWatch::Alarm", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")), "Properties": properties}


def sam_template(choose: Chooser, hostile: float = 1.0, small: bool = False) -> Any:
    """A SAM template: functions (some with alias/preference/hooks/alarms/policies), hook functions, alarms,
    roles (some deploy roles), Globals, Conditions, Parameters, Outputs. ``hostile`` scales how often odd
    values appear outside the deployment keys; ``small``: one or two functions and few other resources."""
    names = Names(choose, small)
    everything = names.all()
    template: dict[str, Any] = {}
    order = choose.chance(0.8)
    if order and choose.chance(0.7):
        template["AWSTemplateFormatVersion"] = "2010-09-09"
    if not choose.chance(0.05):
        template["Transform"] = choose.pick(("AWS::Serverless-2016-10-31", ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"]))
    if names.parameters:
        template["Parameters"] = {p: {"Type": "String", "Default": choose.pick(("live", "prod", ""))} for p in names.parameters}
    if names.conditions:
        template["Conditions"] = {c: {"Fn::Equals": [{"Ref": choose.pick(names.parameters or ["AWS::Region"])}, "prod"]} for c in names.conditions}
    if choose.chance(0.4):
        globals_function: dict[str, Any] = {}
        if choose.chance(0.6):
            globals_function["Runtime"] = choose.pick(RUNTIMES)
        if choose.chance(0.3):
            globals_function["AutoPublishAlias"] = maybe(choose, choose.pick(ALIASES[:4]), everything)
        if choose.chance(0.25):
            globals_function["DeploymentPreference"] = deployment_preference(choose, names, everything)
        if choose.chance(0.1):
            globals_function["Timeout"] = 30
        template["Globals"] = maybe(choose, {"Function": maybe(choose, globals_function, everything, 0.05, 0.02)}, everything, 0.04, 0)
        if choose.chance(0.1):
            template["Globals"] = {"Api": {"Cors": "'*'"}, **(template["Globals"] if isinstance(template["Globals"], dict) else {})}
    resources: dict[str, Any] = {}
    for name in names.functions:
        resource: dict[str, Any] = {"Type": choose.pick(("AWS::Serverless::Function",) * 9 + ("AWS::Lambda::Function",))}
        if names.conditions and choose.chance(0.2):
            resource["Condition"] = choose.pick(names.conditions)
        if not choose.chance(0.05):
            resource["Properties"] = maybe(choose, function_properties(choose, names, everything), everything, 0.04 * hostile, 0.02)
        if choose.chance(0.05):
            resource["Metadata"] = {"sam-shift-lint": {"ignore": choose.pick((["W9101"], "W9102", ["E"], "all"))}} if choose.chance(0.5) else {"cfn-lint": {"config": {"ignore_checks": ["W9101"]}}}
        resources[name] = resource
    for name in names.hooks:
        resources[name] = {"Type": "AWS::Serverless::Function", "Properties": function_properties(choose, names, everything, hook=True)}
    for name in names.alarms:
        resources[name] = _alarm(choose)
    for name in names.roles:
        resources[name] = _role(choose, everything, name)
    if choose.chance(0.15):
        resources["Policy"] = {"Type": choose.pick(("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy")),
                               "Properties": {"PolicyDocument": policy_document(choose, everything), "Roles": [{"Ref": choose.pick(names.roles or ["R"])}], "PolicyName": "p"}}
    if choose.chance(0.1):
        resources["Topic"] = {"Type": "AWS::SNS::Topic"}
    if choose.chance(0.05) and resources:
        key = choose.pick(list(resources))
        resources[key] = odd_value(choose)
    template["Resources"] = resources if not choose.chance(0.02) else choose.pick((None, [], "x", {}))
    if choose.chance(0.2) and names.functions:
        template["Outputs"] = {"AliasArn": {"Value": _alias_arn(choose, everything)}}
    if not order:
        items = list(template.items())
        template = dict(items[::-1])
    return template


# ---------------------------------------------------------------------------------------------- hostile documents


def hostile_document(choose: Chooser) -> bytes:
    """Documents that attack the reader rather than the rules: alias bombs, 100,000-deep nesting, anchors and merge
    keys, several documents, directives, UTF-16, NUL bytes (each must be one clear error, or a normal check)."""
    kind = choose.int(0, 9)
    head = b"Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
    if kind == 0:  # billion laughs
        lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        lines += [b"a%d: &a%d [%s]" % (i, i, b", ".join([b"*a%d" % (i - 1)] * 9)) for i in range(1, choose.pick((5, 9, 12)))]
        return head + b"\n".join(lines) + b"\n"
    if kind == 1:
        depth = choose.pick((1_000, 100_000))
        return head + b"    Properties: " + b"[" * depth + b"]" * depth + b"\n"
    if kind == 2:
        depth = choose.pick((1_000, 100_000))
        return b'{"Transform": "AWS::Serverless-2016-10-31", "Resources": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}\n"
    if kind == 3:
        return head + b"    Properties: &p {Handler: a.b}\n  Fn2:\n    Type: AWS::Serverless::Function\n    Properties: *p\n"
    if kind == 4:
        return head + b"    Properties:\n      <<: {AutoPublishAlias: live}\n      Handler: a.b\n"
    if kind == 5:
        return head + b"---\n" + head + choose.pick((b"", b"...\n"))
    if kind == 6:
        return b"%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\n" + head + b"    Properties: !foo {a: 1}\n"
    if kind == 7:
        text = (head + b"    Properties: {AutoPublishAlias: live}\n").decode()
        return text.encode(choose.pick(("utf-16", "utf-16-le", "utf-16-be", "utf-32")))
    if kind == 8:
        return head + b"    Properties:\n      Handler: a\x00b\n"
    return head + b"    Properties: {AutoPublishAlias: !!python/object/apply:os.system [echo]}\n"
