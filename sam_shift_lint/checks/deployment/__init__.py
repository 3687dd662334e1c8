"""The deployment rules (W9101-E9107): functions that would not shift traffic gradually, and
``AutoPublishAlias``/``DeploymentPreference`` settings SAM rejects or misreads. One module per rule."""
