"""The SAM translator, offline, as the oracle of these regression tests: which resources it rejects."""
from __future__ import annotations

import copy
import logging
import os
from typing import Any

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # the translator builds ARNs for a region; no AWS call
logging.getLogger("samtranslator").setLevel(logging.ERROR)  # metrics and feature-toggle chatter


class _NoNetworkPolicyLoader:
    def load(self) -> dict[str, str]:
        return {}


def translator_errors(data: dict[str, Any]) -> dict[str, str]:
    """{logical id: message} for everything the translator rejects ({} when it translates)."""
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.translator.transform import transform

    try:
        transform(copy.deepcopy(data), {}, _NoNetworkPolicyLoader())
    except InvalidDocumentException as error:
        return {str(getattr(cause, "_logical_id", None)): cause.message for cause in error.causes}
    return {}
